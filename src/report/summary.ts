import type { AnalysisPoint } from '../checks/analysis/types.js';
import type { Observation } from '../checks/checks.js';
import { FAILURE_REASON_MAX_CHARS, HOOK_RESPONSE_MAX_CHARS } from '../core/limits.js';
import { countOf, formatBytes } from '../core/text.js';
import type { RunContext } from '../core/run-context.js';
import type { HookOutcome } from '../hooks/traffic-hook.js';
import type { TimelineEvent } from '../rollout/recorder.js';
import type { DeploymentReport, DeploymentResult, SummaryText, TargetResult } from '../rollout/result.js';
import type { FinalStatus } from '../rollout/phases.js';
import { aliasLabel } from '../alias/routing.js';
import { describeSchedule } from '../strategy/plan.js';
import { analysisSection } from './analysis.js';
import { reportedDeploymentId } from './outputs.js';
import { escapeForSummary } from './text.js';
import { pruningBlock, triggersTable } from './versions.js';

/** Everything the job summary shows: a deployment's report, and the per-version analyses when there were any. */
export type SummaryData = Pick<
  DeploymentReport,
  'result' | 'timeline' | 'observations' | 'hooks' | 'warnings' | 'plan' | 'triggers' | 'pruning'
> & {
  readonly analysis?: readonly AnalysisPoint[];
};

/** Caps that keep one summary far below the runner's 1 MiB per step. */
const CELL_CHARS = 300;
const MAX_TIMELINE_ROWS = 300;
const MAX_WARNINGS = 20;

const HEADLINES: Record<FinalStatus, string> = {
  succeeded: '✅ Deployed',
  'rolled-back': '↩️ Rolled back',
  skipped: '⏭️ Skipped',
  failed: '❌ Failed',
  'in-progress': '⏳ Handed over',
  held: '⏸️ Held for approval',
  aborted: '⏹️ Aborted'
};

/** Renders the job summary as Markdown. Pure: every untrusted string is escaped and capped here. */
export function renderSummary(data: SummaryData): string {
  const { result } = data;
  return [
    headline(result),
    reasonBlock(result),
    warningsBlock(data.warnings),
    factsTable(result),
    targetsTable(result),
    timelineTable(data.timeline, result.startedAtMs),
    analysisSection(data.analysis, result.startedAtMs),
    observationsTable(data.observations),
    hooksTable(data.hooks),
    triggersTable(data.triggers),
    pruningBlock(data.pruning),
    planBlock(data.plan, result.dryRun)
  ]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}

/** The post step's summary: what it found and what it did. */
export function renderCleanupSummary(lines: readonly string[]): string {
  return `## ⚠️ Lambda Safe Deploy: cleanup\n\n${lines.map((line) => escapeForSummary(line, FAILURE_REASON_MAX_CHARS)).join('<br>\n')}\n`;
}

function headline(result: DeploymentResult): string {
  const what = escapeForSummary(result.targets.map((target) => `${target.functionName}:${target.alias}`).join(', '), CELL_CHARS);
  const suffix = result.dryRun ? ' (dry run)' : result.cancelled ? ' (cancelled)' : '';
  const to =
    result.status === 'in-progress' && result.engine.carriedOn
      ? ` to ${escapeForSummary(result.engine.carriedOn.by, CELL_CHARS)}`
      : '';
  return `## ${HEADLINES[result.status]}${to}${suffix}: ${what}`;
}

function reasonBlock(result: DeploymentResult): string {
  const lines: string[] = [];
  if (result.failureReason) {
    const label = result.status === 'rolled-back' ? 'Rollback reason' : 'Reason';
    lines.push(`> **${label}:** ${escapeForSummary(result.failureReason, FAILURE_REASON_MAX_CHARS)}`);
  }
  if (result.manualFix) {
    lines.push(
      `> **The alias could not be restored. Fix it by hand:** <code>${escapeForSummary(result.manualFix, FAILURE_REASON_MAX_CHARS)}</code>`
    );
  }
  return lines.join('\n>\n');
}

function warningsBlock(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const shown = warnings.slice(0, MAX_WARNINGS);
  const more = warnings.length > shown.length ? [`- … and ${warnings.length - shown.length} more (see the log)`] : [];
  return ['**Warnings**', '', ...shown.map((warning) => `- ⚠️ ${escapeForSummary(warning, CELL_CHARS)}`), ...more].join('\n');
}

/** The log's last line for a run that did not fail: what is live now, and whether anything changed. */
export function closingLine(result: DeploymentResult): string {
  if (result.status === 'in-progress' && result.engine.carriedOn) return result.engine.carriedOn.closingLine;
  const { held } = result.engine;
  if (result.status === 'held' && held) {
    const aliases = result.targets.map((target) => aliasLabel(target.functionName, target.alias, result.targets.length > 1));
    return (
      `held: version ${result.targets.map((target) => target.version ?? '?').join(', ')} takes ${held.weightPercent}% of ` +
      `${aliases.join(', ')}, waiting for approval: operation promote goes on, operation abort goes back`
    );
  }
  const each = result.targets.map((target) => {
    const alias = aliasLabel(target.functionName, target.alias, result.targets.length > 1);
    if (result.dryRun) {
      return target.previousVersion
        ? `alias ${alias} serves version ${target.previousVersion}`
        : `alias ${alias} does not exist yet`;
    }
    if (!target.published)
      return `version ${target.version ?? '?'} was already live on ${alias}; nothing was published or changed`;
    return `version ${target.version ?? '?'} is live on ${alias}`;
  });
  if (result.dryRun) return `dry run: every preflight check passed and nothing was changed (${each.join('; ')})`;
  return `${result.status}: ${each.join('; ')}`;
}

/** The deployment's facts; with one function, that function's too (several get a table of their own). */
function factsTable(result: DeploymentResult): string {
  const version = (value: string | undefined, none: string): string => (value ? escapeForSummary(value, CELL_CHARS) : none);
  const only = result.targets.length === 1 ? result.targets[0] : undefined;
  const rows: Array<[string, string]> = [
    ['Status', `<code>${result.status}</code>`],
    ...(only
      ? ([
          ['Function', escapeForSummary(only.functionArn ?? only.functionName, CELL_CHARS)],
          ['Alias', escapeForSummary(only.aliasArn ?? only.alias, CELL_CHARS)],
          versionRow(only, result.dryRun),
          ['Previous version', version(only.previousVersion, 'none (first deployment)')],
          ...changeRows(only, result)
        ] as Array<[string, string]>)
      : []),
    [
      'Strategy',
      `${escapeForSummary(result.strategy.name, CELL_CHARS)}: ${escapeForSummary(describeSchedule(result.strategy), CELL_CHARS)}`
    ],
    ...(result.source ? [['Source', sourceCell(result.source)] as [string, string]] : []),
    ['Duration', formatElapsed(result.finishedAtMs - result.startedAtMs)],
    ['Deployment id', `<code>${escapeForSummary(reportedDeploymentId(result), CELL_CHARS)}</code>`],
    ...(result.engine.facts ?? []).map((fact): [string, string] => [
      escapeForSummary(fact.label, CELL_CHARS),
      factCell(fact.parts)
    ])
  ];
  // The first fact is the header row: a Markdown table needs one, and an empty one renders as a blank bar.
  const [first, ...rest] = rows.map(([key, value]) => `| ${key} | ${value} |`);
  return [first!, '|---|---|', ...rest].join('\n');
}

/** An engine's fact: each part escaped on its own; a part with an https address is a link to it. */
function factCell(parts: readonly SummaryText[]): string {
  return parts
    .map((part) => {
      const text = escapeForSummary(part.text, CELL_CHARS);
      // The address comes from the engine, made from facts it checked; still, only an https one becomes a link.
      return part.link && /^https:\/\/[^\s"<>]+$/.test(part.link) ? `<a href="${part.link}">${text}</a>` : text;
    })
    .join('');
}

/** The version row: what was published, or why nothing was. */
function versionRow(target: TargetResult, dryRun: boolean): [string, string] {
  if (dryRun) return ['New version', 'none (dry run: nothing was published)'];
  if (!target.version) return ['New version', 'none published'];
  const version = escapeForSummary(target.version, CELL_CHARS);
  if (!target.published) return ['Version', `${version} (already live: nothing new was published)`];
  if (target.releasedFrom)
    return ['New version', `${version} (existing: ${escapeForSummary(target.releasedFrom, CELL_CHARS)}; nothing was published)`];
  return ['New version', version];
}

/**
 * What the deployment brought: the code (source, size, hash, uploaded or not), what the new version
 * changes (configuration by input name, variables by name only), and what $LATEST keeps when the
 * new version did not stay.
 */
function changeRows(target: TargetResult, result: DeploymentResult): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  const { code } = target;
  if (code) {
    const facts = [
      code.files !== undefined ? countOf(code.files, 'file') : '',
      code.size !== undefined ? formatBytes(code.size) : ''
    ]
      .filter((fact) => fact !== '')
      .join(', ');
    const hash = code.codeSha256 ? `, CodeSha256 <code>${escapeForSummary(code.codeSha256, CELL_CHARS)}</code>` : '';
    const what =
      code.upload === 'uploaded'
        ? 'uploaded'
        : code.upload === 'in-latest'
          ? 'already in <code>$LATEST</code>, not uploaded again'
          : code.upload === 'unknown'
            ? 'sent, but its answer never came and <code>$LATEST</code> could not be read back: it may hold this code'
            : result.dryRun
              ? 'not uploaded (dry run)'
              : 'not uploaded';
    rows.push(['Code', `${escapeForSummary(code.source, CELL_CHARS)}${facts ? ` (${facts})` : ''}${hash}: ${what}`]);
  }
  if (target.changes) {
    const changed =
      target.changes.length > 0 ? escapeForSummary(target.changes.join(', '), CELL_CHARS) : 'nothing (already live)';
    rows.push(['Changes from the live version', changed]);
  }
  if (target.latestChanged && (result.status === 'rolled-back' || result.status === 'failed')) {
    rows.push([
      '<code>$LATEST</code>',
      `keeps the ${escapeForSummary(target.latestChanged, CELL_CHARS)}: the alias does not serve it, but callers of the ` +
        'unqualified function or of <code>$LATEST</code> do, until a deployment replaces it'
    ]);
  }
  return rows;
}

/** One row per function, when several were deployed together. */
function targetsTable(result: DeploymentResult): string {
  if (result.targets.length < 2) return '';
  const rows = result.targets.map((target) => {
    const [, version] = versionRow(target, result.dryRun);
    const cells = [target.functionArn ?? target.functionName, target.alias].map((cell) => escapeForSummary(cell, CELL_CHARS));
    return `| ${cells.join(' | ')} | ${version} | ${target.previousVersion ? escapeForSummary(target.previousVersion, CELL_CHARS) : 'none'} |`;
  });
  return ['### Functions', '| Function | Alias | New version | Previous version |', '|---|---|---|---|', ...rows].join('\n');
}

/** The plan, folded away unless the run was a dry run (then it is what the reader came for). */
function planBlock(plan: readonly string[], dryRun: boolean): string {
  if (plan.length === 0) return '';
  // Every step is numbered, so Markdown makes them an ordered list, one step per item; the notes after
  // the steps (each function's triggers) are paragraphs of their own.
  const lines = plan.map((line) => (/^\d+\. /.test(line) ? '' : '\n') + escapeForSummary(line, CELL_CHARS)).join('\n');
  return `<details${dryRun ? ' open' : ''}><summary>The plan</summary>\n\n${lines}\n\n</details>`;
}

/** `acme/orders@0123456789ab (refs/heads/main) by octocat, run` with a link to the run. */
function sourceCell(source: RunContext): string {
  const commit = escapeForSummary(`${source.owner}/${source.repo}@${source.sha.slice(0, 12)}`, CELL_CHARS);
  const ref = source.ref ? ` (${escapeForSummary(source.ref, CELL_CHARS)})` : '';
  const actor = source.actor ? ` by ${escapeForSummary(source.actor, CELL_CHARS)}` : '';
  // The URL is built from the runner's own variables; still, only an http(s) one becomes a link.
  const run = /^https?:\/\/[^\s"<>]+$/.test(source.runUrl) ? `, <a href="${source.runUrl}">run</a>` : '';
  return `${commit}${ref}${actor}${run}`;
}

function timelineTable(timeline: readonly TimelineEvent[], startedAtMs: number): string {
  if (timeline.length === 0) return '';
  const shown = timeline.length > MAX_TIMELINE_ROWS ? timeline.slice(timeline.length - MAX_TIMELINE_ROWS) : timeline;
  const rows = shown.map(
    (event) =>
      `| +${formatElapsed(event.atMs - startedAtMs)} | ${event.phase} | ` +
      `${escapeForSummary(event.message, CELL_CHARS)} | ${event.weightPercent}% |`
  );
  const dropped = timeline.length - shown.length;
  return [
    '### Timeline',
    ...(dropped > 0 ? [`_${dropped} earlier events not shown._`] : []),
    '| Time | Phase | Event | Weight on new version |',
    '|---|---|---|---|',
    ...rows
  ].join('\n');
}

function observationsTable(observations: readonly Observation[]): string {
  if (observations.length === 0) return '';
  const rows = observations.map(
    (o) =>
      `| ${escapeForSummary(o.check, CELL_CHARS)} | ${escapeForSummary(o.subject, CELL_CHARS)} | ` +
      `${escapeForSummary(o.state, CELL_CHARS)} | ${escapeForSummary(o.detail ?? '', CELL_CHARS)} |`
  );
  return ['### Checks (last state seen)', '| Check | Subject | State | Detail |', '|---|---|---|---|', ...rows].join('\n');
}

function hooksTable(hooks: readonly HookOutcome[]): string {
  if (hooks.length === 0) return '';
  const rows = hooks.map(
    (h) =>
      `| ${escapeForSummary(h.hook, CELL_CHARS)} | ${h.event} | ${h.passed ? 'passed' : `failed: ${escapeForSummary(h.reason ?? '', CELL_CHARS)}`} | ` +
      `${formatElapsed(h.durationMs)} | ${h.response ? `<code>${escapeForSummary(h.response, HOOK_RESPONSE_MAX_CHARS)}</code>` : ''} |`
  );
  return ['### Hooks', '| Hook | Event | Result | Duration | Response |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Elapsed time for tables: `2.1s` under a minute, `4m05s` above. */
export function formatElapsed(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 60_000) return `${(clamped / 1000).toFixed(1)}s`;
  const totalSeconds = Math.round(clamped / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes}m${String(totalSeconds % 60).padStart(2, '0')}s`;
}

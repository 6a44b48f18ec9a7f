import type { HookOutcome } from '../hooks/traffic-hook.js';
import type { Observation } from '../rollout/checks.js';
import type { TimelineEvent } from '../rollout/recorder.js';
import type { DeploymentResult } from '../rollout/result.js';
import type { RunContext } from '../github/context.js';
import type { FinalStatus } from '../rollout/phases.js';
import { describeSchedule } from '../strategy/plan.js';
import { escapeForSummary } from './text.js';

/** Everything the job summary shows. */
export interface SummaryData {
  readonly result: DeploymentResult;
  readonly timeline: readonly TimelineEvent[];
  readonly observations: readonly Observation[];
  readonly hooks: readonly HookOutcome[];
  /** Warnings the run gave (an alarm with no data, a hook whose configuration could not be read). */
  readonly warnings: readonly string[];
}

/** Caps that keep one summary far below the runner's 1 MiB per step. */
const CELL_CHARS = 300;
const REASON_CHARS = 2000;
const HOOK_RESPONSE_CHARS = 1000;
const MAX_TIMELINE_ROWS = 300;
const MAX_WARNINGS = 20;

const HEADLINES: Record<FinalStatus, string> = {
  succeeded: '✅ Deployed',
  'rolled-back': '↩️ Rolled back',
  skipped: '⏭️ Skipped',
  failed: '❌ Failed'
};

/** Renders the job summary as Markdown. Pure: every untrusted string is escaped and capped here. */
export function renderSummary(data: SummaryData): string {
  const { result } = data;
  return [
    headline(result),
    reasonBlock(result),
    warningsBlock(data.warnings),
    factsTable(result),
    timelineTable(data.timeline, result.startedAtMs),
    observationsTable(data.observations),
    hooksTable(data.hooks)
  ]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}

function headline(result: DeploymentResult): string {
  const what = escapeForSummary(`${result.functionName}:${result.alias}`, CELL_CHARS);
  const suffix = result.dryRun ? ' (dry run)' : result.cancelled ? ' (cancelled)' : '';
  return `## ${HEADLINES[result.status]}${suffix}: ${what}`;
}

function reasonBlock(result: DeploymentResult): string {
  const lines: string[] = [];
  if (result.failureReason) {
    const label = result.status === 'rolled-back' ? 'Rollback reason' : 'Reason';
    lines.push(`> **${label}:** ${escapeForSummary(result.failureReason, REASON_CHARS)}`);
  }
  if (result.manualFix) {
    lines.push(`> **The alias could not be restored. Fix it by hand:** <code>${escapeForSummary(result.manualFix, REASON_CHARS)}</code>`);
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
  if (result.dryRun) {
    const serves = result.previousVersion ? `alias ${result.alias} serves version ${result.previousVersion}` : `alias ${result.alias} does not exist yet`;
    return `dry run: every preflight check passed and nothing was changed (${serves})`;
  }
  if (result.status === 'skipped') return `skipped: version ${result.version ?? '?'} was already live on ${result.alias}; nothing was published or changed`;
  return `${result.status}: version ${result.version ?? '?'} is live on ${result.alias}`;
}

function factsTable(result: DeploymentResult): string {
  const version = (value: string | undefined, none: string): string => (value ? escapeForSummary(value, CELL_CHARS) : none);
  const rows: Array<[string, string]> = [
    ['Status', `<code>${result.status}</code>`],
    ['Function', escapeForSummary(result.functionArn ?? result.functionName, CELL_CHARS)],
    ['Alias', escapeForSummary(result.aliasArn ?? result.alias, CELL_CHARS)],
    versionRow(result),
    ['Previous version', version(result.previousVersion, 'none (first deployment)')],
    ['Strategy', `${escapeForSummary(result.strategy.name, CELL_CHARS)}: ${escapeForSummary(describeSchedule(result.strategy), CELL_CHARS)}`],
    ...(result.source ? [['Source', sourceCell(result.source)] as [string, string]] : []),
    ['Duration', formatElapsed(result.finishedAtMs - result.startedAtMs)],
    ['Deployment id', `<code>${escapeForSummary(result.deploymentId, CELL_CHARS)}</code>`]
  ];
  return ['| | |', '|---|---|', ...rows.map(([key, value]) => `| ${key} | ${value} |`)].join('\n');
}

/** The version row: what was published, or why nothing was. */
function versionRow(result: DeploymentResult): [string, string] {
  if (result.dryRun) return ['New version', 'none (dry run: nothing was published)'];
  if (!result.version) return ['New version', 'none published'];
  const version = escapeForSummary(result.version, CELL_CHARS);
  if (!result.published) return ['Version', `${version} (already live: nothing new was published)`];
  return ['New version', version];
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
      `${formatElapsed(h.durationMs)} | ${h.response ? `<code>${escapeForSummary(h.response, HOOK_RESPONSE_CHARS)}</code>` : ''} |`
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

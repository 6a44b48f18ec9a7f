import { describeHold } from '../alias/hold.js';
import { Outputs, type OutputName } from '../config/keys.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import type { HoldActionReport } from '../operations/outcome.js';
import { formatElapsed } from './summary.js';
import { escapeForSummary } from './text.js';

/**
 * The job summary and the outputs of `abort` and `guard`: one row per alias named. Pure: every
 * untrusted string is escaped and capped here.
 */

const CELL_CHARS = 400;

const HEADLINES: { readonly [status in HoldActionReport['status']]: string } = {
  aborted: '⏹️ Aborted',
  held: '⏸️ Held, left as it is',
  skipped: '⏭️ Nothing held',
  failed: '❌ Failed'
};

const OUTCOMES: { readonly [outcome in HoldActionReport['aliases'][number]['outcome']]: string } = {
  aborted: 'aborted',
  held: 'held',
  'no-hold': 'no hold',
  failed: '**failed**'
};

export function renderHoldActionSummary(report: HoldActionReport, warnings: readonly string[]): string {
  const what = escapeForSummary(report.aliases.map((alias) => alias.label).join(', '), CELL_CHARS);
  const title = report.operation === 'guard' ? `Guard: ${HEADLINES[report.status]}` : HEADLINES[report.status];
  const who =
    report.operation === 'abort'
      ? `> **Asked by:** ${escapeForSummary(report.actor, CELL_CHARS)}${report.reason !== undefined ? `: ${escapeForSummary(report.reason, CELL_CHARS)}` : ''}`
      : '';
  const reason = report.failureReason ? `> **Reason:** ${escapeForSummary(report.failureReason, FAILURE_REASON_MAX_CHARS)}` : '';
  const rows = report.aliases.map(
    (alias) =>
      `| ${escapeForSummary(alias.label, CELL_CHARS)} | ${OUTCOMES[alias.outcome]} | ` +
      `${alias.hold ? escapeForSummary(describeHold(alias.hold, report.finishedAtMs), CELL_CHARS) : ''} | ` +
      `${escapeForSummary(alias.message, CELL_CHARS)}${alias.manualFix ? `<br>Fix it by hand: <code>${escapeForSummary(alias.manualFix, CELL_CHARS)}</code>` : ''} |`
  );
  return [
    `## ${title}: ${what}`,
    [who, reason].filter((line) => line !== '').join('\n>\n'),
    warnings.length > 0 ? ['**Warnings**', '', ...warnings.map((w) => `- ⚠️ ${escapeForSummary(w, CELL_CHARS)}`)].join('\n') : '',
    ['| Alias | Outcome | Hold found | What happened |', '|---|---|---|---|', ...rows].join('\n'),
    `Took ${formatElapsed(report.finishedAtMs - report.startedAtMs)}.`
  ]
    .filter((section) => section !== '')
    .join('\n\n')
    .concat('\n');
}

/** The outputs: the status, and the hold's facts when one deployment's hold was acted on. */
export function holdActionOutputs(report: HoldActionReport): Record<OutputName, string> {
  const holds = report.aliases.flatMap((alias) => (alias.hold ? [alias.hold] : []));
  const ids = [...new Set(holds.map((hold) => hold.deploymentId))];
  const only = holds.length === 1 ? holds[0] : undefined;
  const left = report.aliases.filter((alias) => alias.outcome === 'held');
  return {
    [Outputs.Status]: report.status,
    [Outputs.Version]: only?.newVersion ?? '',
    [Outputs.PreviousVersion]: only?.previousVersion ?? '',
    [Outputs.AliasArn]: '',
    [Outputs.DeploymentId]: ids.length === 1 ? ids[0]! : '',
    [Outputs.Plan]: '',
    [Outputs.DurationSeconds]: String(Math.round((report.finishedAtMs - report.startedAtMs) / 1000)),
    [Outputs.FailureReason]: report.failureReason ?? '',
    [Outputs.CodeSha256]: '',
    [Outputs.Versions]: JSON.stringify(
      Object.fromEntries(report.aliases.flatMap((a) => (a.hold ? [[a.label, a.hold.newVersion]] : [])))
    ),
    [Outputs.PreviousVersions]: JSON.stringify(
      Object.fromEntries(report.aliases.flatMap((a) => (a.hold ? [[a.label, a.hold.previousVersion]] : [])))
    ),
    [Outputs.HeldWeight]: left.length === 1 && left[0]!.hold ? String(left[0]!.hold.weightPercent) : ''
  };
}

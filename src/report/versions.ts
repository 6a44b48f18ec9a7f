import { describeVersions, type PruneOutcome } from '../release/prune/prune.js';
import type { TriggerRow } from '../release/triggers/verdict.js';
import { escapeForSummary } from './text.js';

/**
 * The job summary's sections on what surrounds the alias: every trigger the audit found and what
 * the deployment meant for it, and what pruning deleted (or would delete). Pure: every string is
 * escaped and capped here (trigger sources and AWS messages are AWS's text).
 */

const CELL_CHARS = 300;
const MAX_ROWS = 100;

export function triggersTable(rows: readonly TriggerRow[] | undefined): string {
  if (!rows || rows.length === 0) return '';
  const several = new Set(rows.map((row) => row.functionName)).size > 1;
  const shown = rows.slice(0, MAX_ROWS).map((row) => {
    const cells = [...(several ? [row.functionName] : []), row.trigger, `${row.unrouted ? '⚠️ ' : ''}${row.consequence}`].map(
      (cell) => escapeForSummary(cell, CELL_CHARS)
    );
    return `| ${cells.join(' | ')} |`;
  });
  const more = rows.length > MAX_ROWS ? [`_${rows.length - MAX_ROWS} more in the log._`] : [];
  const header = several
    ? '| Function | Trigger | What this deployment means for it |\n|---|---|---|'
    : '| Trigger | What this deployment means for it |\n|---|---|';
  return ['### Triggers', header, ...shown, ...more].join('\n');
}

export function pruningBlock(outcomes: readonly PruneOutcome[] | undefined): string {
  if (!outcomes || outcomes.length === 0) return '';
  const lines = outcomes.map((outcome) => {
    const versions = escapeForSummary(describeVersions(outcome.versions), CELL_CHARS);
    const what =
      outcome.mode === 'delete'
        ? `deleted ${versions}, ${outcome.kept} kept`
        : `would delete ${versions} (${outcome.kept} kept); nothing was deleted: set <code>prune: true</code> to delete them`;
    const problems = outcome.problems.map((problem) => `<br>⚠️ ${escapeForSummary(problem, CELL_CHARS)}`).join('');
    return `- ${escapeForSummary(outcome.functionName, CELL_CHARS)}: ${what}${problems}`;
  });
  return ['### Old versions', ...lines].join('\n');
}

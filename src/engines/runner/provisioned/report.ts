import { describeProvisioned } from '../../../alias/provisioned-concurrency.js';
import type { ProvisionedConcurrency } from '../../../aws/lambda-gateway.js';
import type { CountPoint } from '../../../aws/metrics-gateway.js';
import { formatDuration } from '../../../core/duration.js';
import type { TimelineEvent } from '../../../rollout/recorder.js';
import type { SummaryFact } from '../../../rollout/result.js';

/**
 * What the summary says of provisioned concurrency (PC), from plain data: the PC of each alias
 * before and after, the time spent waiting for Lambda, what a headroom cost, and the calls that
 * spilled over to standard concurrency in each step. Pure.
 */

/** One step of the rollout as the spill-over is counted: the time its weight was in force. */
export interface StepWindow {
  readonly label: string;
  readonly startMs: number;
}

/**
 * The windows of constant weight on the new version, from the first shift on, read from the
 * timeline (each event carries the new version's share after it); after a fall back to 0 %, the
 * window is the rollback's.
 */
export function stepWindows(timeline: readonly TimelineEvent[]): StepWindow[] {
  const windows: StepWindow[] = [];
  let weight = 0;
  for (const event of timeline) {
    if (event.weightPercent === weight) continue;
    const rolledBack = event.weightPercent === 0;
    weight = event.weightPercent;
    windows.push({ label: rolledBack ? 'after the rollback' : `at ${weight}%`, startMs: event.atMs });
  }
  return windows;
}

/**
 * The spill-over of each window: each period counts in the window its middle falls in (periods are
 * a minute against AWS, so a step shorter than that shares its calls with the next); periods
 * before the first window are not the rollout's.
 */
export function spilloverPerWindow(
  points: readonly CountPoint[],
  windows: readonly StepWindow[],
  periodSeconds: number
): Array<{ readonly label: string; readonly calls: number }> {
  const counts = windows.map((window) => ({ label: window.label, calls: 0 }));
  for (const point of points) {
    const middle = point.startMs + (periodSeconds * 1000) / 2;
    const index = windows.findLastIndex((window) => window.startMs <= middle);
    if (index >= 0) counts[index]!.calls += point.value;
  }
  return counts;
}

/** What a headroom cost: the extra executions for the time they were asked for. */
export interface HeadroomCost {
  readonly extra: number;
  readonly durationMs: number;
  /** Extra executions × minutes. */
  readonly executionMinutes: number;
  /** Extra executions × the memory in GB × seconds: what provisioned concurrency is billed by. */
  readonly gbSeconds?: number;
}

/** The cost of `extra` executions from `fromMs` to `toMs`, at `memorySizeMb` when known. */
export function headroomCost(extra: number, fromMs: number, toMs: number, memorySizeMb?: number): HeadroomCost {
  const durationMs = Math.max(0, toMs - fromMs);
  return {
    extra,
    durationMs,
    executionMinutes: (extra * durationMs) / 60_000,
    ...(memorySizeMb !== undefined ? { gbSeconds: (extra * (memorySizeMb / 1024) * durationMs) / 1000 } : {})
  };
}

/** "2 extra executions for 4m5s: 8.2 execution-minutes, 245 GB-seconds at 1024 MB". */
export function describeCost(cost: HeadroomCost, memorySizeMb?: number): string {
  const gb = cost.gbSeconds !== undefined ? `, ${round(cost.gbSeconds)} GB-seconds at ${memorySizeMb} MB` : '';
  return (
    `${cost.extra} extra execution${cost.extra === 1 ? '' : 's'} for ${formatDuration(cost.durationMs)}: ` +
    `${round(cost.executionMinutes)} execution-minutes${gb} (billed at your region's provisioned-concurrency rate)`
  );
}

/** What the report knows of one alias with PC. */
export interface ProvisionedAliasReport {
  readonly label: string;
  readonly found: ProvisionedConcurrency;
  /** As the last wait saw it. */
  readonly last?: ProvisionedConcurrency;
  readonly headroom?: { readonly from: number; readonly to: number; readonly cost?: HeadroomCost; readonly restored: boolean };
  readonly memorySizeMb?: number;
  /** Per window; undefined when not read. */
  readonly spillover?: ReadonlyArray<{ readonly label: string; readonly calls: number }>;
}

/** The summary's rows: one per subject, each alias named when there are several. */
export function provisionedFacts(
  aliases: readonly ProvisionedAliasReport[],
  waits: { readonly count: number; readonly totalMs: number },
  spilloverProblem?: string
): SummaryFact[] {
  if (aliases.length === 0) return [];
  const several = aliases.length > 1;
  const named = (alias: ProvisionedAliasReport, text: string): string => (several ? `${alias.label}: ${text}` : text);
  const rows: SummaryFact[] = [
    {
      label: 'Provisioned concurrency',
      parts: [
        {
          text: aliases
            .map((alias) =>
              named(
                alias,
                `${describeProvisioned(alias.found)} before the deployment` +
                  (alias.last ? `; ${describeProvisioned(alias.last)} at its last wait` : '')
              )
            )
            .join('; ')
        }
      ]
    }
  ];
  if (waits.count > 0) {
    rows.push({
      label: 'Waits for provisioned concurrency',
      parts: [
        {
          text: `${waits.count} wait${waits.count === 1 ? '' : 's'}, ${formatDuration(waits.totalMs)} in all (no bake counted them)`
        }
      ]
    });
  }
  const headrooms = aliases.filter((alias) => alias.headroom);
  if (headrooms.length > 0) {
    rows.push({
      label: 'Headroom',
      parts: [
        {
          text: headrooms
            .map((alias) => {
              const { from, to, cost, restored } = alias.headroom!;
              const spent = cost ? `: ${describeCost(cost, alias.memorySizeMb)}` : '';
              return named(alias, `${from} → ${to}${restored ? `, back to ${from}` : ', NOT put back yet'}${spent}`);
            })
            .join('; ')
        }
      ]
    });
  }
  const spilled = aliases.filter((alias) => alias.spillover && alias.spillover.length > 0);
  if (spilled.length > 0 || spilloverProblem) {
    const text = spilloverProblem
      ? `not read: ${spilloverProblem}`
      : spilled
          .map((alias) => named(alias, alias.spillover!.map((step) => `${step.label}: ${round(step.calls)} calls`).join(', ')))
          .join('; ');
    rows.push({ label: 'Spill-over to standard concurrency', parts: [{ text }] });
  }
  return rows;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

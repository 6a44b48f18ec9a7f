import { parseFunctionRef, plainFunctionName } from '../../../aws/arn.js';
import type { SpilloverMetrics } from '../../../aws/metrics-gateway.js';
import type { Clock } from '../../../core/clock.js';
import { withDeadline } from '../../../core/deadline.js';
import type { TimelineEvent } from '../../../rollout/recorder.js';
import type { RunnerTarget } from '../state.js';
import { spilloverPerWindow, stepWindows } from './report.js';

/** The spill-over read may take this long: it only informs the summary. */
const SPILLOVER_READ_LIMIT_MS = 30_000;

/** Per alias, the calls that spilled over in each window of constant weight. */
export type SpilloverSteps = Array<{ readonly label: string; readonly calls: number }>;

/** What the read needs: where, from when, and the timeline that says which step was when. */
export interface SpilloverRead {
  readonly metrics: SpilloverMetrics;
  readonly clock: Clock;
  readonly targets: readonly RunnerTarget[];
  readonly timeline: readonly TimelineEvent[];
  /** The first shift; undefined (AllAtOnce): the first change of weight on the timeline. */
  readonly firstShiftAt?: number;
  readonly periodSeconds: number;
  readonly signal?: AbortSignal;
}

/**
 * One CloudWatch read (bounded) of `ProvisionedConcurrencySpilloverInvocations` of every alias, from
 * the first weight on the new version to now, attributed to the rollout's steps. Undefined when no
 * weight ever moved. Throws what the read threw.
 */
export async function readSpillover(read: SpilloverRead): Promise<SpilloverSteps[] | undefined> {
  const windows = stepWindows(read.timeline);
  const firstMs = read.firstShiftAt ?? windows[0]?.startMs;
  if (firstMs === undefined || read.targets.length === 0) return undefined;
  const periodMs = read.periodSeconds * 1000;
  const startMs = Math.floor(firstMs / periodMs) * periodMs;
  const endMs = Math.max(Math.ceil(read.clock.now() / periodMs) * periodMs, startMs + periodMs);
  const aliases = read.targets.map((target) => {
    const region = parseFunctionRef(target.functionRef)?.region;
    return { functionName: plainFunctionName(target.functionRef), alias: target.alias, ...(region ? { region } : {}) };
  });
  const series = await withDeadline(read.clock, SPILLOVER_READ_LIMIT_MS, 'the spill-over read', read.signal, (bounded) =>
    read.metrics.spilloverInvocations({ aliases, startMs, endMs, periodSeconds: read.periodSeconds }, bounded)
  );
  return read.targets.map((_, position) => spilloverPerWindow(series[position] ?? [], windows, read.periodSeconds));
}

import type { VersionSeries } from '../../aws/metrics-gateway.js';
import type { VersionNumbers } from '../checks.js';

/**
 * The arithmetic over CloudWatch's per-period answer: window totals from per-minute datapoints, and
 * whether the last period of a step has arrived. Pure.
 */

/** One version's totals over the window, and the latest period CloudWatch had data for. */
export interface VersionWindow extends VersionNumbers {
  /** Start of the newest period with a datapoint; undefined when there is none. */
  readonly latestPeriodMs?: number;
}

/**
 * Sums the periods. A missing count is zero: Lambda sends no datapoint for a minute without calls
 * or errors. The window's p99 is the periods' p99s averaged with their calls as weights (CloudWatch
 * gives no p99 of the whole window from per-minute data). Errors never count above calls: the two
 * metrics are separate datapoints that may arrive at different moments.
 */
export function summarise(series: VersionSeries): VersionWindow {
  let invocations = 0;
  let errors = 0;
  let weightedP99 = 0;
  let p99Calls = 0;
  for (const period of series.periods) {
    const calls = period.invocations ?? 0;
    invocations += calls;
    errors += period.errors ?? 0;
    if (period.p99Ms !== undefined && calls > 0) {
      weightedP99 += period.p99Ms * calls;
      p99Calls += calls;
    }
  }
  const latest = series.periods.at(-1)?.startMs;
  return {
    version: series.version,
    invocations,
    errors: Math.min(errors, invocations),
    ...(p99Calls > 0 ? { p99Ms: weightedP99 / p99Calls } : {}),
    ...(latest !== undefined ? { latestPeriodMs: latest } : {})
  };
}

/** How long after a period ends its metrics are taken as arrived when nothing says so earlier, in periods. */
export const MAX_METRIC_DELAY_PERIODS = 2;

/**
 * Whether the metrics of the step's last period have arrived, so that its final judgement sees the
 * whole step. Lambda stamps a datapoint with the calls' start and sends it a minute or more after
 * the minute ends, for both versions together: the period is complete once the previous version
 * (which carries most of the traffic) has a datapoint in it or after it. Without calls there may be
 * no datapoint ever, so after {@link MAX_METRIC_DELAY_PERIODS} more periods it counts as complete.
 */
export function lastPeriodArrived(options: {
  readonly previous: VersionWindow;
  readonly stepEndsAt: number;
  readonly periodMs: number;
  readonly now: number;
}): boolean {
  const { previous, stepEndsAt, periodMs, now } = options;
  const lastPeriod = periodStart(stepEndsAt - 1, periodMs);
  if (previous.latestPeriodMs !== undefined && previous.latestPeriodMs >= lastPeriod) return true;
  return now >= lastPeriod + periodMs * (1 + MAX_METRIC_DELAY_PERIODS);
}

/** The start of the period holding `ms`. */
export function periodStart(ms: number, periodMs: number): number {
  return Math.floor(ms / periodMs) * periodMs;
}

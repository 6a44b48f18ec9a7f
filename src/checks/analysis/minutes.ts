import type { VersionSeries } from '../../aws/metrics-gateway.js';

/**
 * The analysis's clock arithmetic, pure: which metric periods ("minutes": 60 s against AWS) are
 * complete, and the counts of both versions in each. Lambda stamps a call's datapoint with the
 * call's start and sends it once the call has ended; CloudWatch then takes a while to show it. So a
 * minute is complete only once the function's timeout and an ingestion allowance have passed after
 * its end, and a minute enters the evidence once, when it is complete.
 */

/** CloudWatch's ingestion allowance after a call's datapoint is sent, in periods (two minutes against AWS: Lambda's metrics are seen arriving that late). */
export const INGESTION_ALLOWANCE_PERIODS = 2;

/** How long after a period ends its metrics are complete: the longest call, then the ingestion allowance. */
export function completionDelayMs(timeoutSeconds: number, periodMs: number): number {
  return timeoutSeconds * 1000 + INGESTION_ALLOWANCE_PERIODS * periodMs;
}

/** The start of the period holding `ms`. */
export function periodStart(ms: number, periodMs: number): number {
  return Math.floor(ms / periodMs) * periodMs;
}

/** When the period starting at `startMs` is complete. */
export function completeAt(startMs: number, periodMs: number, delayMs: number): number {
  return startMs + periodMs + delayMs;
}

/** The start of the newest complete period at `now`. */
export function lastCompletePeriod(now: number, periodMs: number, delayMs: number): number {
  return periodStart(now - periodMs - delayMs, periodMs);
}

/** One version's counts in one minute. */
export interface Counts {
  readonly calls: number;
  readonly errors: number;
  /** Calls slower than each latency threshold read (in the read's order); empty when latency is not judged. */
  readonly slow: readonly number[];
}

/** One complete minute of both versions. */
export interface MinuteRecord {
  readonly startMs: number;
  readonly target: Counts;
  readonly previous: Counts;
}

/**
 * Every period from `fromMs` through `throughMs` (period starts), with both versions' counts. A
 * missing datapoint is zero: Lambda sends no zero counts. Errors and slow calls never count above
 * calls: they are separate datapoints.
 */
export function minutesOf(
  target: VersionSeries | undefined,
  previous: VersionSeries | undefined,
  range: { readonly fromMs: number; readonly throughMs: number; readonly periodMs: number; readonly thresholds: number }
): MinuteRecord[] {
  const { fromMs, throughMs, periodMs, thresholds } = range;
  const index = (series: VersionSeries | undefined) => new Map((series?.periods ?? []).map((p) => [p.startMs, p]));
  const targets = index(target);
  const previouses = index(previous);
  const counts = (point: VersionSeries['periods'][number] | undefined): Counts => {
    const calls = point?.invocations ?? 0;
    return {
      calls,
      errors: Math.min(point?.errors ?? 0, calls),
      slow: Array.from({ length: thresholds }, (_, t) => Math.min(point?.slowCalls?.[t] ?? 0, calls))
    };
  };
  const minutes: MinuteRecord[] = [];
  for (let start = fromMs; start <= throughMs; start += periodMs) {
    minutes.push({ startMs: start, target: counts(targets.get(start)), previous: counts(previouses.get(start)) });
  }
  return minutes;
}

/** Sums of counts. */
export function total(counts: readonly Counts[]): Counts {
  return counts.reduce<Counts>(
    (sum, c) => ({
      calls: sum.calls + c.calls,
      errors: sum.errors + c.errors,
      slow: c.slow.map((slow, t) => slow + (sum.slow[t] ?? 0))
    }),
    { calls: 0, errors: 0, slow: [] }
  );
}

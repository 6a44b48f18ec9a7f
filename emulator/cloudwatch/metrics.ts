/**
 * Per-invocation records and the AWS/Lambda metrics CloudWatch would derive from them.
 * Lambda publishes Invocations (1 per invocation), Errors (1 or 0 per invocation), Duration (the
 * call's milliseconds) and, for calls through an alias with provisioned concurrency,
 * ProvisionedConcurrencyInvocations and ProvisionedConcurrencySpilloverInvocations under the dimension sets {}, {FunctionName}, {FunctionName, Resource}
 * (qualified invocations) and {FunctionName, Resource, ExecutedVersion} (alias invocations). Each
 * record belongs to the account and region of its function: GetMetricData reads the caller's
 * namespace only. With a publication delay set, a period's datapoint is visible only from that long
 * after the period ends, as Lambda's arrive; without one, every datapoint at once.
 */
import type { Namespace } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { InvocationRecord } from '../shared/invocations.js';
import type { MetricPublication } from './types.js';

/** A metric identity as GetMetricData names it. */
export interface MetricId {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
}

/** One datapoint sample of a metric. */
export interface Sample {
  atMs: number;
  value: number;
  /** When the call ended (its start plus its duration): Lambda reports a call once it has ended. */
  endedAtMs: number;
}

/** Each metric's value for one invocation; undefined: the invocation has no datapoint of it. */
const METRIC_VALUES: Record<string, (r: InvocationRecord) => number | undefined> = {
  Invocations: () => 1,
  Errors: (r) => (r.error ? 1 : 0),
  Duration: (r) => r.durationMs,
  ProvisionedConcurrencyInvocations: (r) => (r.spillover === undefined ? undefined : r.spillover ? 0 : 1),
  ProvisionedConcurrencySpilloverInvocations: (r) => (r.spillover === undefined ? undefined : r.spillover ? 1 : 0)
};

/** Stores invocation records; answers metric sample queries. */
export class InvocationMetrics {
  private records: InvocationRecord[] = [];
  private publication: MetricPublication = {};
  /** Runs before every read: the traffic model makes the calls due so far. */
  private settle: () => void = () => undefined;

  constructor(private readonly clock: Clock) {}

  record(entry: InvocationRecord): void {
    this.records.push(entry);
  }

  reset(): void {
    this.records = [];
    this.publication = {};
  }

  /** What runs before every read (set once, by the emulator, to the traffic model's catch-up). */
  settleBeforeRead(settle: () => void): void {
    this.settle = settle;
  }

  /** How late datapoints become visible; `{}` makes every datapoint visible at once (the default). */
  setPublication(publication: MetricPublication): void {
    const { delayMs } = publication;
    if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
      throw new RangeError(`delayMs must be a non-negative number, got ${String(delayMs)}`);
    }
    this.publication = delayMs === undefined ? {} : { delayMs };
  }

  /** The emulator's time now: one GetMetricData answers as of one instant, for every query in it. */
  now(): number {
    return this.clock.now();
  }

  /** Whether the datapoint of the period [startMs, startMs + periodMs) had been published at `atMs`. */
  published(startMs: number, periodMs: number, atMs: number): boolean {
    const { delayMs } = this.publication;
    return delayMs === undefined || startMs + periodMs + delayMs <= atMs;
  }

  /**
   * Whether one call's sample had reached CloudWatch at `atMs`. A datapoint is stamped with the
   * call's start but sent once the call has ended: a call that runs for minutes is counted in its
   * start's period minutes later. Without a publication delay, every sample at once.
   */
  sampleArrived(sample: Sample, atMs: number): boolean {
    const { delayMs } = this.publication;
    return delayMs === undefined || sample.endedAtMs + delayMs <= atMs;
  }

  /** Samples of a metric of one account and region in [startMs, endMs); unknown metrics have none (as in CloudWatch). */
  samples(ns: Namespace, metric: MetricId, startMs: number, endMs: number): Sample[] {
    return this.samplesOf(this.recordsBetween(ns, startMs, endMs), metric, startMs, endMs);
  }

  /** The records of one account and region in [startMs, endMs), read once for the queries of a request. */
  recordsBetween(ns: Namespace, startMs: number, endMs: number): InvocationRecord[] {
    this.settle();
    // One pass over every record: the emulator of a busy test holds hundreds of thousands.
    return this.records.filter(
      (r) => r.atMs >= startMs && r.atMs < endMs && r.accountId === ns.accountId && r.region === ns.region
    );
  }

  /** Samples of a metric among `records`, in [startMs, endMs). */
  samplesOf(records: readonly InvocationRecord[], metric: MetricId, startMs: number, endMs: number): Sample[] {
    const valueOf = metric.namespace === 'AWS/Lambda' ? METRIC_VALUES[metric.metricName] : undefined;
    if (!valueOf) return [];
    const matches = dimensionMatcher(metric.dimensions);
    const samples: Sample[] = [];
    for (const r of records) {
      if (r.atMs < startMs || r.atMs >= endMs || !matches(r)) continue;
      const value = valueOf(r);
      if (value !== undefined) samples.push({ atMs: r.atMs, value, endedAtMs: r.atMs + (r.durationMs ?? 0) });
    }
    return samples;
  }

  /** Every metric of one account and region that has a datapoint at or after `sinceMs`, as ListMetrics names them. */
  metricIds(ns: Namespace, sinceMs = -Infinity): MetricId[] {
    const ids = new Map<string, MetricId>();
    for (const r of this.recordsOf(ns)) {
      if (r.atMs < sinceMs) continue;
      for (const dimensions of dimensionSets(r)) {
        for (const [metricName, valueOf] of Object.entries(METRIC_VALUES)) {
          if (valueOf(r) === undefined) continue;
          const id = { namespace: 'AWS/Lambda', metricName, dimensions };
          ids.set(JSON.stringify(id), id);
        }
      }
    }
    return [...ids.values()];
  }

  /** The invocation records of one function (every namespace), oldest first. */
  invocationsOf(functionName: string): InvocationRecord[] {
    this.settle();
    return this.records.filter((r) => r.functionName === functionName).sort((a, b) => a.atMs - b.atMs);
  }

  private recordsOf(ns: Namespace): InvocationRecord[] {
    this.settle();
    return this.records.filter((r) => r.accountId === ns.accountId && r.region === ns.region);
  }
}

/** The dimension sets an invocation's metrics are published under. */
function dimensionSets(r: InvocationRecord): Record<string, string>[] {
  const sets: Record<string, string>[] = [{}, { FunctionName: r.functionName }];
  if (r.resource !== undefined) sets.push({ FunctionName: r.functionName, Resource: r.resource });
  if (r.resource !== undefined && r.executedVersion !== undefined) {
    sets.push({ FunctionName: r.functionName, Resource: r.resource, ExecutedVersion: r.executedVersion });
  }
  return sets;
}

/**
 * CloudWatch matches the exact dimension set, so each record belongs to specific sets only. The
 * set is read once per query, not once per record.
 */
function dimensionMatcher(dims: Record<string, string>): (r: InvocationRecord) => boolean {
  const keys = Object.keys(dims).sort().join(',');
  switch (keys) {
    case '':
      return () => true;
    case 'FunctionName':
      return (r) => dims.FunctionName === r.functionName;
    case 'FunctionName,Resource':
      return (r) => dims.FunctionName === r.functionName && r.resource !== undefined && dims.Resource === r.resource;
    case 'ExecutedVersion,FunctionName,Resource':
      return (r) =>
        dims.FunctionName === r.functionName &&
        r.resource !== undefined &&
        dims.Resource === r.resource &&
        r.executedVersion !== undefined &&
        dims.ExecutedVersion === r.executedVersion;
    default:
      return () => false;
  }
}

/** Percentile statistics as CloudWatch names them: p99, p50, p99.9, p100. */
export const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/;

/** Percentile rank as CloudWatch names it: `PR(:300)`, `PR(100:2000)`, `PR(100:)` (bounds in the metric's unit). */
export const PERCENTILE_RANK = /^PR\((\d+(?:\.\d+)?)?:(\d+(?:\.\d+)?)?\)$/;

/**
 * Statistic over samples; undefined for unsupported statistics. Percentiles by nearest rank;
 * percentile rank as CloudWatch defines it: the percentage (0 to 100) of values above the lower
 * bound (exclusive) and at or below the upper one (inclusive).
 */
export function statistic(stat: string, values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const rank = PERCENTILE_RANK.exec(stat);
  if (rank) {
    const low = rank[1] === undefined ? -Infinity : Number(rank[1]);
    const high = rank[2] === undefined ? Infinity : Number(rank[2]);
    return (100 * values.filter((value) => value > low && value <= high).length) / values.length;
  }
  const percentile = PERCENTILE.exec(stat);
  if (percentile) {
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((Number(percentile[1]) / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
  }
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    default:
      return undefined;
  }
}

/**
 * Per-invocation records and the AWS/Lambda metrics CloudWatch would derive from them.
 * Lambda publishes Invocations (1 per invocation) and Errors (1 or 0 per invocation) under
 * the dimension sets {}, {FunctionName}, {FunctionName, Resource} (qualified invocations)
 * and {FunctionName, Resource, ExecutedVersion} (alias invocations). Each record belongs to the
 * account and region of its function: GetMetricData reads the caller's namespace only.
 */
import type { Namespace } from '../shared/arn.js';
import type { InvocationRecord } from '../shared/invocations.js';

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
}

const METRIC_VALUES: Record<string, (r: InvocationRecord) => number> = {
  Invocations: () => 1,
  Errors: (r) => (r.error ? 1 : 0)
};

/** Stores invocation records; answers metric sample queries. */
export class InvocationMetrics {
  private records: InvocationRecord[] = [];

  record(entry: InvocationRecord): void {
    this.records.push(entry);
  }

  reset(): void {
    this.records = [];
  }

  /** Samples of a metric of one account and region in [startMs, endMs); unknown metrics have none (as in CloudWatch). */
  samples(ns: Namespace, metric: MetricId, startMs: number, endMs: number): Sample[] {
    const valueOf = metric.namespace === 'AWS/Lambda' ? METRIC_VALUES[metric.metricName] : undefined;
    if (!valueOf) return [];
    return this.records
      .filter((r) => r.accountId === ns.accountId && r.region === ns.region)
      .filter((r) => r.atMs >= startMs && r.atMs < endMs && matchesDimensions(r, metric.dimensions))
      .map((r) => ({ atMs: r.atMs, value: valueOf(r) }));
  }
}

/** CloudWatch matches the exact dimension set, so each record belongs to specific sets only. */
function matchesDimensions(r: InvocationRecord, dims: Record<string, string>): boolean {
  const keys = Object.keys(dims).sort().join(',');
  switch (keys) {
    case '':
      return true;
    case 'FunctionName':
      return dims.FunctionName === r.functionName;
    case 'FunctionName,Resource':
      return dims.FunctionName === r.functionName && r.resource !== undefined && dims.Resource === r.resource;
    case 'ExecutedVersion,FunctionName,Resource':
      return (
        dims.FunctionName === r.functionName &&
        r.resource !== undefined &&
        dims.Resource === r.resource &&
        r.executedVersion !== undefined &&
        dims.ExecutedVersion === r.executedVersion
      );
    default:
      return false;
  }
}

/** Statistic over samples; undefined for unsupported statistics. */
export function statistic(stat: string, values: number[]): number | undefined {
  if (values.length === 0) return undefined;
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

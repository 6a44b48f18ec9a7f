import type { Namespace } from '../shared/arn.js';
import { cloudWatchErrors } from '../shared/errors.js';
import { PERCENTILE, PERCENTILE_RANK, statistic, type InvocationMetrics, type MetricId, type Sample } from './metrics.js';

interface MetricStatQuery {
  id: string;
  label: string;
  returnData: boolean;
  metric: MetricId;
  periodMs: number;
  stat: string;
}

const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;
const STATS = new Set(['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum']);

/**
 * GetMetricData over the emulator's recorded invocations (AWS/Lambda Invocations, Errors and
 * Duration) of one account and region (the caller's account, the request's region).
 * Only MetricStat queries (Sum, SampleCount, Average, Minimum, Maximum, percentiles such as p99 and
 * percentile ranks such as PR(:300)); metric math is refused rather than approximated. As in
 * CloudWatch, periods count from StartTime rounded down (to the minute for periods of a minute or
 * more; to the second below that), so one period can span a whole window.
 * Empty periods omitted (no FILL), periods not yet published omitted (and, in a published one, the
 * calls that had not ended by then), newest first (TimestampDescending) unless ScanBy says otherwise.
 */
export function getMetricData(
  input: Record<string, unknown>,
  metrics: InvocationMetrics,
  ns: Namespace
): Record<string, unknown> {
  const requestedStartMs = timestampMs(input.StartTime, 'startTime');
  const endMs = timestampMs(input.EndTime, 'endTime');
  if (requestedStartMs >= endMs) {
    throw cloudWatchErrors.validation('The parameter StartTime must be less than the parameter EndTime.');
  }
  const ascending = input.ScanBy === 'TimestampAscending';
  const queries = parseQueries(input.MetricDataQueries);
  // One instant for the whole answer, so a period is published for every query or for none.
  const answeredAtMs = metrics.now();
  const wanted = queries.filter((q) => q.returnData);
  // The namespace's records are read once for every query of the request.
  const records = metrics.recordsBetween(ns, Math.min(...wanted.map((q) => roundedStart(requestedStartMs, q.periodMs))), endMs);
  const results = wanted.map((q) => {
    const startMs = roundedStart(requestedStartMs, q.periodMs);
    const arrived = metrics.samplesOf(records, q.metric, startMs, endMs).filter((s) => metrics.sampleArrived(s, answeredAtMs));
    const points = datapoints(q, startMs, arrived).filter((p) => metrics.published(p.atMs, q.periodMs, answeredAtMs));
    if (ascending) points.reverse();
    return {
      Id: q.id,
      Label: q.label,
      Timestamps: points.map((p) => new Date(p.atMs)),
      Values: points.map((p) => p.value),
      StatusCode: 'Complete'
    };
  });
  return { MetricDataResults: results, Messages: [] };
}

/**
 * StartTime as CloudWatch rounds recent ones: down to the minute for periods of a minute or more;
 * below a minute (the emulator's own periods, which Lambda's metrics do not have), to the second.
 */
function roundedStart(startMs: number, periodMs: number): number {
  const unit = periodMs >= 60_000 ? 60_000 : 1_000;
  return Math.floor(startMs / unit) * unit;
}

function datapoints(q: MetricStatQuery, startMs: number, samples: Sample[]): { atMs: number; value: number }[] {
  const buckets = new Map<number, number[]>();
  for (const s of samples) {
    const start = startMs + Math.floor((s.atMs - startMs) / q.periodMs) * q.periodMs;
    const values = buckets.get(start) ?? [];
    values.push(s.value);
    buckets.set(start, values);
  }
  return [...buckets.entries()].sort(([a], [b]) => b - a).map(([atMs, values]) => ({ atMs, value: statistic(q.stat, values)! }));
}

function parseQueries(raw: unknown): MetricStatQuery[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 500) {
    throw cloudWatchErrors.validation(
      "1 validation error detected: Value at 'metricDataQueries' failed to satisfy constraint: Member must have length between 1 and 500"
    );
  }
  return raw.map((q: Record<string, unknown>) => parseQuery(q));
}

function parseQuery(q: Record<string, unknown>): MetricStatQuery {
  const id = q.Id;
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw cloudWatchErrors.validation(
      `The value ${String(id)} for parameter MetricDataQueries.member.Id is invalid: must start with a lowercase letter and contain only letters, digits and underscores.`
    );
  }
  if (q.Expression !== undefined) {
    throw cloudWatchErrors.invalidParameter(`Query ${id}: metric math expressions are not supported by the emulator`);
  }
  const stat = q.MetricStat as Record<string, unknown> | undefined;
  const metric = stat?.Metric as Record<string, unknown> | undefined;
  if (!stat || !metric || typeof metric.MetricName !== 'string' || typeof metric.Namespace !== 'string') {
    throw cloudWatchErrors.validation(
      `Query ${id}: exactly one of Expression or MetricStat (with Metric Namespace and MetricName) must be specified.`
    );
  }
  const period = stat.Period;
  // CloudWatch takes 1, 5, 10, 20 or 30 below a minute, for high-resolution custom metrics only;
  // Lambda's metrics have none. The emulator takes any whole number of seconds there, so that a test
  // with second-long periods (LSD_METRICS_PERIOD_SECONDS) can read one period spanning a window.
  if (typeof period !== 'number' || !Number.isInteger(period) || period < 1 || (period >= 60 && period % 60 !== 0)) {
    throw cloudWatchErrors.validation(`Query ${id}: the Period must be a whole number of seconds below 60, or a multiple of 60.`);
  }
  if (typeof stat.Stat !== 'string' || !(STATS.has(stat.Stat) || PERCENTILE.test(stat.Stat) || PERCENTILE_RANK.test(stat.Stat))) {
    throw cloudWatchErrors.invalidParameter(
      `Query ${id}: statistic ${String(stat.Stat)} is not supported by the emulator (Sum, SampleCount, Average, Minimum, Maximum, pNN, PR(n:m))`
    );
  }
  return {
    id,
    label: typeof q.Label === 'string' ? q.Label : metric.MetricName,
    returnData: q.ReturnData !== false,
    metric: { namespace: metric.Namespace, metricName: metric.MetricName, dimensions: dimensions(metric.Dimensions) },
    periodMs: period * 1000,
    stat: stat.Stat
  };
}

function dimensions(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(raw)) return out;
  for (const d of raw as Record<string, unknown>[]) {
    if (typeof d.Name === 'string' && typeof d.Value === 'string') out[d.Name] = d.Value;
  }
  return out;
}

/** StartTime/EndTime: a Date in-process, epoch seconds over HTTP (or an ISO string). */
function timestampMs(value: unknown, member: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw cloudWatchErrors.validation(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`
  );
}

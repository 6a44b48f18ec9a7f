import type { Namespace } from '../shared/arn.js';
import { cloudWatchErrors } from '../shared/errors.js';
import type { InvocationMetrics, MetricId } from './metrics.js';

/** ListMetrics answers at most this many metrics per page, as CloudWatch does. */
const PAGE_SIZE = 500;
const THREE_HOURS_MS = 3 * 60 * 60_000;

/**
 * ListMetrics over the emulator's recorded invocations of one account and region. A dimension
 * filter matches every metric that has that dimension (with that value, when one is given), whatever
 * other dimensions it has, as CloudWatch's does; `RecentlyActive: PT3H` keeps the metrics with a
 * datapoint in the last three hours. Sorted, 500 per page.
 */
export function listMetrics(input: Record<string, unknown>, metrics: InvocationMetrics, ns: Namespace, nowMs: number) {
  const filters = dimensionFilters(input.Dimensions);
  if (input.RecentlyActive !== undefined && input.RecentlyActive !== 'PT3H') {
    throw cloudWatchErrors.validation(
      `1 validation error detected: Value '${String(input.RecentlyActive)}' at 'recentlyActive' failed to satisfy constraint: Member must satisfy enum value set: [PT3H]`
    );
  }
  const since = input.RecentlyActive === 'PT3H' ? nowMs - THREE_HOURS_MS : -Infinity;
  const matching = metrics
    .metricIds(ns, since)
    .filter((m) => input.Namespace === undefined || m.namespace === input.Namespace)
    .filter((m) => input.MetricName === undefined || m.metricName === input.MetricName)
    .filter((m) => filters.every((f) => f.Name in m.dimensions && (f.Value === undefined || m.dimensions[f.Name] === f.Value)))
    .map(toApi)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const offset = decodeToken(input.NextToken);
  const page = matching.slice(offset, offset + PAGE_SIZE);
  const more = offset + PAGE_SIZE < matching.length;
  return { Metrics: page, ...(more ? { NextToken: Buffer.from(String(offset + PAGE_SIZE)).toString('base64') } : {}) };
}

function toApi(m: MetricId) {
  return {
    Namespace: m.namespace,
    MetricName: m.metricName,
    Dimensions: Object.entries(m.dimensions)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Name, Value]) => ({ Name, Value }))
  };
}

function dimensionFilters(raw: unknown): Array<{ Name: string; Value?: string }> {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > 10) {
    throw cloudWatchErrors.validation(
      "1 validation error detected: Value at 'dimensions' failed to satisfy constraint: Member must have length less than or equal to 10"
    );
  }
  return raw.map((d: Record<string, unknown>) => {
    if (typeof d?.Name !== 'string' || (d.Value !== undefined && typeof d.Value !== 'string')) {
      throw cloudWatchErrors.validation(
        "1 validation error detected: Value null at 'dimensions.member.name' failed to satisfy constraint: Member must not be null"
      );
    }
    return { Name: d.Name, ...(typeof d.Value === 'string' ? { Value: d.Value } : {}) };
  });
}

function decodeToken(token: unknown): number {
  if (token === undefined) return 0;
  const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString('utf8')) : NaN;
  if (!Number.isInteger(offset) || offset < 0)
    throw cloudWatchErrors.invalidNextToken('The service returned an invalid NextToken.');
  return offset;
}

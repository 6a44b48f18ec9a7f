import { lambdaErrors } from '../shared/errors.js';

/**
 * Paging of the Lambda list operations other than ListAliases: `MaxItems` (1..10000) asked for, at
 * most `cap` items answered whatever was asked (ListVersionsByFunction and ListFunctionUrlConfigs
 * answer 50 at most, ListEventSourceMappings 100), and an opaque `Marker` / `NextMarker` naming the
 * next item's position.
 */
export function pageOf<T>(
  items: readonly T[],
  maxItems: unknown,
  marker: unknown,
  cap: number
): { page: T[]; nextMarker?: string } {
  const size = Math.min(pageSize(maxItems, cap), cap);
  const start = markerIndex(marker);
  const page = items.slice(start, start + size);
  const next = start + size;
  return next < items.length ? { page, nextMarker: Buffer.from(JSON.stringify({ at: next })).toString('base64') } : { page };
}

/** MaxItems as asked (1..10000; a query-string number over HTTP, a number in-process), or `fallback` when absent. */
export function pageSize(raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    const bound = n < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000';
    throw lambdaErrors.invalidParameter(
      `1 validation error detected: Value '${String(raw)}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`
    );
  }
  return n;
}

function markerIndex(marker: unknown): number {
  if (marker === undefined || marker === null || marker === '') return 0;
  let at: unknown;
  try {
    at = (JSON.parse(Buffer.from(String(marker), 'base64').toString('utf8')) as { at?: unknown }).at;
  } catch {
    at = undefined;
  }
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 0)
    throw lambdaErrors.invalidParameter(`Invalid Marker: ${String(marker)}`);
  return at;
}

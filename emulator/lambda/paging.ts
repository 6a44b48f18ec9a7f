import { lambdaErrors } from '../shared/errors.js';
import type { AliasRecord } from './records.js';

/** Page size of ListAliases when MaxItems is not given. */
const DEFAULT_PAGE = 50;

/** One page of aliases (already in name order) and the opaque marker of the next page, if any. */
export function pageOfAliases(
  aliases: AliasRecord[],
  maxItems: unknown,
  marker: unknown
): { page: AliasRecord[]; nextMarker?: string } {
  const size = pageSize(maxItems);
  const start = markerIndex(aliases, marker);
  const page = aliases.slice(start, start + size);
  const next = aliases[start + size];
  return next ? { page, nextMarker: Buffer.from(JSON.stringify({ next: next.name })).toString('base64') } : { page };
}

/** MaxItems: 1..10000 (a query-string number over HTTP, a number in-process). */
function pageSize(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_PAGE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    const bound = n < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000';
    throw lambdaErrors.invalidParameter(
      `1 validation error detected: Value '${String(raw)}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`
    );
  }
  return n;
}

/** Index of the first alias of the page a Marker names (the first alias named at or after the marked one). */
function markerIndex(aliases: AliasRecord[], marker: unknown): number {
  if (marker === undefined || marker === null || marker === '') return 0;
  let next: unknown;
  try {
    next = (JSON.parse(Buffer.from(String(marker), 'base64').toString('utf8')) as { next?: unknown }).next;
  } catch {
    next = undefined;
  }
  if (typeof next !== 'string') throw lambdaErrors.invalidParameter(`Invalid Marker: ${String(marker)}`);
  const index = aliases.findIndex((a) => a.name.localeCompare(next) >= 0);
  return index === -1 ? aliases.length : index;
}

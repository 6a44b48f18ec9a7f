import { lambdaErrors } from '../shared/errors.js';
import { pageSize } from './pages.js';
import type { AliasRecord } from './records.js';

/** Page size of ListAliases when MaxItems is not given. */
const DEFAULT_PAGE = 50;

/** One page of aliases (already in name order) and the opaque marker of the next page, if any. */
export function pageOfAliases(
  aliases: AliasRecord[],
  maxItems: unknown,
  marker: unknown
): { page: AliasRecord[]; nextMarker?: string } {
  const size = pageSize(maxItems, DEFAULT_PAGE);
  const start = markerIndex(aliases, marker);
  const page = aliases.slice(start, start + size);
  const next = aliases[start + size];
  return next ? { page, nextMarker: Buffer.from(JSON.stringify({ next: next.name })).toString('base64') } : { page };
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

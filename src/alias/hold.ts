import type { AliasRouting, AliasState } from '../aws/lambda-gateway.js';
import { formatDuration } from '../core/duration.js';
import { readAliasRecord, withHold, writeAliasRecord, type AliasRecord, type HoldRecord } from './record.js';
import { describeRouting, sameRouting, splitRouting } from './routing.js';

/**
 * A rollout held at a weight, as an alias shows it: its record (record.ts) says so, and its routing
 * agrees. Pure: what the holding run writes, what `promote`, `abort`, `guard` and a new deployment
 * read, and the sentences they say about it.
 */

/** What an alias shows of a hold. */
export type HoldFinding =
  /** No hold on the alias (no record, or a record without a hold). */
  | { readonly kind: 'none' }
  /** A record marker whose record cannot be read (someone edited the description). */
  | { readonly kind: 'damaged'; readonly problem: string }
  /** A hold, and the alias routes exactly as it says. */
  | { readonly kind: 'held'; readonly hold: HoldRecord; readonly record: AliasRecord }
  /** A hold whose routing is not the alias's any more: someone changed the alias during the hold. */
  | { readonly kind: 'changed'; readonly hold: HoldRecord; readonly record: AliasRecord; readonly routes: string };

/** What the alias shows of a hold, from the alias as Lambda answered it (undefined: it does not exist). */
export function findHold(alias: AliasState | undefined): HoldFinding {
  if (!alias) return { kind: 'none' };
  const read = readAliasRecord(alias.description);
  if (read.problem) return { kind: 'damaged', problem: read.problem };
  const { hold } = read.record;
  if (!hold) return { kind: 'none' };
  if (sameRouting(alias, heldRouting(hold))) return { kind: 'held', hold, record: read.record };
  return { kind: 'changed', hold, record: read.record, routes: describeRouting(alias) };
}

/** The routing a hold keeps: its weight on the new version, the rest on the previous one. */
export function heldRouting(hold: HoldRecord): AliasRouting {
  return splitRouting(hold.previousVersion, hold.newVersion, hold.weightPercent);
}

/**
 * The description an alias gets when a write sets `hold` (or, undefined, ends any hold): the rest of
 * its record and a person's text kept. Undefined when the write need not touch the description
 * (nothing to end; or a damaged record, which only a hold overwrites).
 */
export function descriptionWithHold(description: string | undefined, hold: HoldRecord | undefined): string | undefined {
  const read = readAliasRecord(description);
  if (!hold && (read.problem !== undefined || !read.record.hold)) return undefined;
  const record = withHold(read.record, hold);
  // Long version numbers may leave a hold no room beside five promoted versions: the oldest give way.
  for (let kept = record.good.length; ; kept--) {
    try {
      return writeAliasRecord({ ...record, good: record.good.slice(0, kept) }, read.text);
    } catch (error: unknown) {
      if (kept === 0) throw error;
    }
  }
}

/** How long the hold has lasted at `nowMs`. */
export function holdAgeMs(hold: HoldRecord, nowMs: number): number {
  return Math.max(0, nowMs - hold.heldAt * 1000);
}

/** Whether the hold has outlived its limit at `nowMs`. */
export function holdExpired(hold: HoldRecord, nowMs: number): boolean {
  return holdAgeMs(hold, nowMs) > hold.maxAgeSeconds * 1000;
}

/** `deployment 123-1-ab12cd34 holds version 2 at 50% (previous version 1) since 2026-11-02 14:05 UTC, 3h12m ago (limit 24h)`. */
export function describeHold(hold: HoldRecord, nowMs: number): string {
  return (
    `deployment ${hold.deploymentId} holds version ${hold.newVersion} at ${hold.weightPercent}% ` +
    `(previous version ${hold.previousVersion}) since ${formatInstant(hold.heldAt * 1000)}, ` +
    `${formatDuration(roundedToSeconds(holdAgeMs(hold, nowMs)))} ago (limit ${formatDuration(hold.maxAgeSeconds * 1000)})`
  );
}

/** `2026-11-02 14:05 UTC`. */
export function formatInstant(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function roundedToSeconds(ms: number): number {
  return Math.round(ms / 1000) * 1000;
}

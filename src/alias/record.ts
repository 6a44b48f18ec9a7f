/**
 * The action's record on an alias, kept in the alias's own description, so that what a later job
 * needs lives in AWS beside the traffic it describes, not on a runner: the versions this action
 * promoted there (for `rollback-to: last-good`) and a rollout held at a weight (for `operation:
 * promote|abort|guard`). It is written in the same UpdateAlias as the routing, under the alias's
 * RevisionId, so that a change by anyone else is detected, and it costs no call of its own.
 *
 * Lambda caps a description at 256 characters. The record is a marker and compact JSON at the end
 * of the description; whatever text a person wrote before it is kept (shortened if the record needs
 * the room). Pure: text in, text out.
 */

/** The marker that starts the record; the number is the record's format. */
export const RECORD_MARKER = 'lambda-safe-deploy/1';

/** Lambda's limit on an alias description. */
export const MAX_DESCRIPTION_CHARS = 256;

/** Promoted versions remembered, newest first. */
export const MAX_GOOD_VERSIONS = 5;

/** A rollout stopped at a weight on purpose, waiting for a person's `promote` or `abort`. */
export interface HoldRecord {
  /** The deployment that holds the alias (the action's deployment id). */
  readonly deploymentId: string;
  /** The version the alias served before: where `abort` goes back to. */
  readonly previousVersion: string;
  /** The version being rolled out. */
  readonly newVersion: string;
  /** The weight held on the new version, in percent. */
  readonly weightPercent: number;
  /** The steps left after the hold, as the strategy input writes them (`100%` at least). */
  readonly remaining: string;
  /** When the hold began, in epoch seconds. */
  readonly heldAt: number;
  /** How long the hold may last before `promote` refuses and `guard` aborts, in seconds. */
  readonly maxAgeSeconds: number;
}

/** What the action keeps on an alias. */
export interface AliasRecord {
  /** Versions this action promoted on the alias and did not roll back, newest first. */
  readonly good: readonly string[];
  /** A rollout held at a weight; absent when none is. */
  readonly hold?: HoldRecord;
}

/** An alias description read: the record, if any, and the text a person wrote. */
export interface ReadRecord {
  /** The record; an empty one when the description holds none. */
  readonly record: AliasRecord;
  /** The description without the record. */
  readonly text: string;
  /** Set when a record marker is there but what follows cannot be read (the record is then empty). */
  readonly problem?: string;
}

/** The empty record: nothing promoted by the action yet, nothing held. */
export const EMPTY_RECORD: AliasRecord = { good: [] };

/** Reads the record out of an alias description. Never throws: a damaged record is a `problem`. */
export function readAliasRecord(description: string | undefined): ReadRecord {
  const whole = description ?? '';
  const at = whole.lastIndexOf(RECORD_MARKER);
  if (at < 0) return { record: EMPTY_RECORD, text: whole };
  const text = whole.slice(0, at).trimEnd();
  let parsed: unknown;
  try {
    parsed = JSON.parse(whole.slice(at + RECORD_MARKER.length));
  } catch {
    return { record: EMPTY_RECORD, text, problem: `the ${RECORD_MARKER} record in the alias description is not valid JSON` };
  }
  const record = toRecord(parsed);
  return record
    ? { record, text }
    : { record: EMPTY_RECORD, text, problem: `the ${RECORD_MARKER} record in the alias description has an unknown shape` };
}

/**
 * The description that carries `record` after `text` (the person's part, shortened with `…` when
 * both do not fit). Throws only if the record alone cannot fit, which its bounded fields prevent.
 */
export function writeAliasRecord(record: AliasRecord, text = ''): string {
  const json = JSON.stringify(toJson(record));
  const tail = `${RECORD_MARKER}${json}`;
  if (tail.length > MAX_DESCRIPTION_CHARS) {
    throw new Error(`the alias record needs ${tail.length} characters, over Lambda's ${MAX_DESCRIPTION_CHARS}`);
  }
  const room = MAX_DESCRIPTION_CHARS - tail.length - 1;
  const kept = text.trim();
  if (kept === '' || room <= 1) return tail;
  return `${kept.length <= room ? kept : `${kept.slice(0, room - 1)}…`} ${tail}`;
}

/** `record` with `version` remembered as the newest promoted version. */
export function withGoodVersion(record: AliasRecord, version: string): AliasRecord {
  const good = [version, ...record.good.filter((v) => v !== version)].slice(0, MAX_GOOD_VERSIONS);
  return { ...record, good };
}

/** `record` with `hold` set, or cleared when undefined. */
export function withHold(record: AliasRecord, hold: HoldRecord | undefined): AliasRecord {
  const { hold: _old, ...rest } = record;
  return hold ? { ...rest, hold } : rest;
}

/** The record as stored: short keys, so that a hold and five versions fit beside a person's text. */
interface StoredRecord {
  g?: string[];
  h?: { d: string; p: string; n: string; w: number; r: string; t: number; m: number };
}

function toJson(record: AliasRecord): StoredRecord {
  const { hold } = record;
  return {
    ...(record.good.length > 0 ? { g: record.good.slice(0, MAX_GOOD_VERSIONS).map(String) } : {}),
    ...(hold
      ? {
          h: {
            d: hold.deploymentId,
            p: hold.previousVersion,
            n: hold.newVersion,
            w: hold.weightPercent,
            r: hold.remaining,
            t: hold.heldAt,
            m: hold.maxAgeSeconds
          }
        }
      : {})
  };
}

function toRecord(value: unknown): AliasRecord | undefined {
  if (!isObject(value)) return undefined;
  const { g, h } = value;
  if (g !== undefined && !(Array.isArray(g) && g.every((v) => typeof v === 'string' && /^\d+$/.test(v)))) return undefined;
  const good = (g as string[] | undefined) ?? [];
  if (h === undefined) return { good };
  if (
    !isObject(h) ||
    typeof h.d !== 'string' ||
    typeof h.p !== 'string' ||
    typeof h.n !== 'string' ||
    typeof h.w !== 'number' ||
    typeof h.r !== 'string' ||
    typeof h.t !== 'number' ||
    typeof h.m !== 'number'
  ) {
    return undefined;
  }
  return {
    good,
    hold: {
      deploymentId: h.d,
      previousVersion: h.p,
      newVersion: h.n,
      weightPercent: h.w,
      remaining: h.r,
      heldAt: h.t,
      maxAgeSeconds: h.m
    }
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

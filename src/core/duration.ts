import { InputError } from './input-error.js';

/**
 * Durations in action inputs: whole numbers with a unit (`h`, `m`, `s`, `ms`), optionally combined
 * largest unit first (`1m30s`, `1h 30m`), case-insensitive. Decimals (`1.5m`) are refused: the
 * combined form says the same thing exactly, and refusing them avoids fractional milliseconds.
 */

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

/** Default upper bound of {@link parseDuration}: anything longer is almost certainly a typo. */
export const DEFAULT_MAX_DURATION_MS = 7 * 24 * HOUR_MS;

/** The accepted forms, as shown in every duration error. */
export const DURATION_EXPECTED =
  'a duration made of whole numbers with units h, m, s or ms, largest unit first, ' +
  'such as 30s, 5m, 1h, 1m30s, 1h 30m or 500ms';

/** Units from largest to smallest; the order is also the order required in combinations. */
const UNITS: readonly { readonly symbol: string; readonly ms: number }[] = [
  { symbol: 'h', ms: HOUR_MS },
  { symbol: 'm', ms: MINUTE_MS },
  { symbol: 's', ms: SECOND_MS },
  { symbol: 'ms', ms: 1 }
];

const WHOLE_GRAMMAR = /^(?:\d+\s*[a-z]+\s*)+$/i;
const COMPONENT = /(\d+)\s*([a-z]+)/gi;

/** Bounds for {@link parseDuration}, in milliseconds. */
export interface DurationBounds {
  /** Smallest accepted value; default 1 (so zero is refused). */
  readonly min?: number;
  /** Largest accepted value; default {@link DEFAULT_MAX_DURATION_MS} (7 days). */
  readonly max?: number;
}

/**
 * Parses a duration input such as `30s`, `5m`, `1h`, `1m30s`, `1h 30m` or `500ms` into milliseconds.
 * @param value the raw input value
 * @param input the input's name, used in the error message
 * @throws InputError when the value is empty, lacks a unit, is negative, has decimals, uses an
 *   unknown or repeated unit, or falls outside `opts.min`..`opts.max`
 */
export function parseDuration(value: string, input: string, opts: DurationBounds = {}): number {
  const { min = 1, max = DEFAULT_MAX_DURATION_MS } = opts;
  const fail = (problem: string): never => {
    throw new InputError(input, value, problem, DURATION_EXPECTED);
  };
  const text = value.trim();
  checkShape(text, fail);
  const ms = sumComponents(text, fail);
  if (!Number.isFinite(ms) || ms > max) fail(`the duration must be at most ${formatDuration(max)}, got ${excerpt(text)}`);
  if (ms < min) fail(`the duration must be at least ${formatDuration(min)}, got ${excerpt(text)}`);
  return ms;
}

/** Refuses the common mistakes with a precise reason before the general grammar check. */
function checkShape(text: string, fail: (problem: string) => never): void {
  if (text === '') fail('the duration is empty');
  if (text.startsWith('-')) fail('the duration must not be negative');
  if (/^\d+$/.test(text)) fail(`the number ${text} has no unit`);
  if (/\d*\.\d/.test(text)) fail('decimals are not accepted, combine units instead (1m30s rather than 1.5m)');
  if (!WHOLE_GRAMMAR.test(text)) fail('it is not a number followed by a unit');
}

/** Adds up the `<number><unit>` components, enforcing known units, each once, largest first. */
function sumComponents(text: string, fail: (problem: string) => never): number {
  let total = 0;
  let previousRank = -1;
  for (const [, digits, symbol] of text.matchAll(COMPONENT)) {
    const rank = UNITS.findIndex((unit) => unit.symbol === symbol!.toLowerCase());
    if (rank < 0) fail(`unknown unit '${excerpt(symbol!)}' (use h, m, s or ms)`);
    if (rank <= previousRank) fail('each unit may appear once, largest first (such as 1h30m)');
    previousRank = rank;
    total += Number(digits) * UNITS[rank]!.ms;
  }
  return total;
}

/** Longest piece of user text echoed inside a problem clause; the full value is quoted already. */
const MAX_EXCERPT_LENGTH = 40;

/** `text`, shortened with `…` so that a pasted novel cannot flood the log line. */
export function excerpt(text: string): string {
  return text.length > MAX_EXCERPT_LENGTH ? `${text.slice(0, MAX_EXCERPT_LENGTH)}…` : text;
}

/**
 * Formats milliseconds compactly for logs and summaries, in the same notation {@link parseDuration}
 * accepts: 300000 → `5m`, 90000 → `1m30s`, 500 → `500ms`, 0 → `0s`. Days are shown as hours.
 * Fractions of a millisecond are rounded.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms < 0) return `-${formatDuration(-ms)}`;
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const unit of UNITS) {
    const count = Math.floor(rest / unit.ms);
    rest -= count * unit.ms;
    if (count > 0) parts.push(`${count}${unit.symbol}`);
  }
  return parts.length === 0 ? '0s' : parts.join('');
}

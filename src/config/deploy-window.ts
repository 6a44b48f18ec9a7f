import { excerpt } from '../core/duration.js';
import { InputError } from '../core/input-error.js';

/**
 * `deploy-window`: when a rollout may run, such as `Mon-Fri 09:00-16:00 Europe/Berlin`, in the wall
 * time of an IANA time zone (Node's Intl knows the zones and their daylight saving time: no
 * library needed). Pure: parsing, and whether a span of instants stays inside.
 */

/** The accepted form, as every error shows it. */
export const DEPLOY_WINDOW_EXPECTED =
  '<days> <HH:MM>-<HH:MM> <IANA time zone>, such as "Mon-Fri 09:00-16:00 Europe/Berlin"; days are Mon to Sun, ' +
  'ranges (Mon-Fri) and lists (Mon,Wed,Fri) of them, or daily; an end before the start runs past midnight; ' +
  'several windows separated by ";" or new lines';

/** One window: the days it opens on, its wall-clock span that day, and its time zone. */
export interface WindowSpan {
  /** Days it opens on, 0 = Sunday … 6 = Saturday (an overnight span opens on these and closes the next day). */
  readonly days: readonly number[];
  /** Minutes after local midnight: from `startMinute` (inclusive) to `endMinute` (exclusive, 1440 = 24:00). */
  readonly startMinute: number;
  readonly endMinute: number;
  readonly timeZone: string;
}

/** The parsed input: its spans, and its text for messages. */
export interface DeployWindow {
  readonly text: string;
  readonly spans: readonly WindowSpan[];
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const SPAN = /^(\S+)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s+(\S+)$/;
/** The most windows one input may list. */
const MAX_SPANS = 20;
const MINUTE_MS = 60_000;
/** How far ahead the next opening is looked for: a window opens at least once a week. */
const NEXT_OPENING_HORIZON_MS = 8 * 24 * 60 * MINUTE_MS;

/** Parses `deploy-window`; undefined when empty. Throws InputError naming `input`. */
export function parseDeployWindow(value: string, input: string): DeployWindow | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  const fail = (problem: string): never => {
    throw new InputError(input, value, problem, DEPLOY_WINDOW_EXPECTED);
  };
  const entries = text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length > MAX_SPANS) fail(`it lists ${entries.length} windows, at most ${MAX_SPANS} are allowed`);
  return { text: entries.join('; '), spans: entries.map((entry) => parseSpan(entry, fail)) };
}

function parseSpan(entry: string, fail: (problem: string) => never): WindowSpan {
  const match = SPAN.exec(entry);
  if (!match) return fail(`"${excerpt(entry)}" is not days, a time span and a time zone`);
  const [, daysText, startHour, startMinute, endHour, endMinute, timeZone] = match as unknown as string[];
  const start = minuteOfDay(startHour!, startMinute!, entry, fail);
  const end = minuteOfDay(endHour!, endMinute!, entry, fail);
  if (start === end) fail(`"${excerpt(entry)}" starts and ends at the same time`);
  if (start === 24 * 60) fail(`"${excerpt(entry)}" starts at 24:00 (write 00:00 of the next day)`);
  if (!isTimeZone(timeZone!)) {
    fail(
      `"${excerpt(timeZone!)}" is not a time zone this runner knows (an IANA name such as Europe/Berlin, America/New_York or UTC)`
    );
  }
  return { days: parseDays(daysText!, fail), startMinute: start, endMinute: end, timeZone: timeZone! };
}

function minuteOfDay(hours: string, minutes: string, entry: string, fail: (problem: string) => never): number {
  const value = Number(hours) * 60 + Number(minutes);
  if (Number(minutes) > 59 || value > 24 * 60) fail(`"${excerpt(entry)}" has a time outside 00:00 to 24:00`);
  return value;
}

/** `Mon-Fri`, `Fri-Mon` (wrapping past Sunday), `Mon,Wed,Fri`, `Sat`, `daily`. */
function parseDays(text: string, fail: (problem: string) => never): number[] {
  if (text.toLowerCase() === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to, extra] = part.split('-');
    if (extra !== undefined) fail(`"${excerpt(part)}" is not a day or a range of days`);
    const first = dayNumber(from!, fail);
    const last = to === undefined ? first : dayNumber(to, fail);
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function dayNumber(text: string, fail: (problem: string) => never): number {
  const day = DAY_NAMES.findIndex((name) => name.toLowerCase() === text.trim().toLowerCase());
  if (day < 0) fail(`"${excerpt(text)}" is not a day (Mon, Tue, Wed, Thu, Fri, Sat or Sun)`);
  return day;
}

function isTimeZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** Whether the instant `ms` falls in one of the window's spans. */
export function insideWindow(window: DeployWindow, ms: number): boolean {
  return window.spans.some((span) => insideSpan(span, ms));
}

function insideSpan(span: WindowSpan, ms: number): boolean {
  const { day, minute } = wallClock(ms, span.timeZone);
  const opensOn = (d: number): boolean => span.days.includes(d);
  if (span.startMinute < span.endMinute) return opensOn(day) && minute >= span.startMinute && minute < span.endMinute;
  // Overnight: opened on this day's evening, or on the day before and not closed yet.
  return (opensOn(day) && minute >= span.startMinute) || (opensOn((day + 6) % 7) && minute < span.endMinute);
}

/**
 * Why the span from `fromMs` (now) to `untilMs` (the planned end) does not stay inside the window;
 * undefined when it does. Every minute between is looked at, so a window that closes and opens
 * again in between is noticed, and daylight saving time is the time zone's own.
 */
export function windowProblem(window: DeployWindow, fromMs: number, untilMs: number): string | undefined {
  if (!insideWindow(window, fromMs)) {
    const next = nextOpening(window, fromMs);
    return (
      `it is ${describeInstant(window, fromMs)}, outside the deploy window (${window.text})` +
      (next === undefined ? '' : `; it next opens ${describeInstant(window, next)}`)
    );
  }
  for (let at = Math.ceil((fromMs + 1) / MINUTE_MS) * MINUTE_MS; at < untilMs; at += MINUTE_MS) {
    if (!insideWindow(window, at)) return closesBefore(window, at, untilMs);
  }
  return untilMs > fromMs && !insideWindow(window, untilMs) ? closesBefore(window, untilMs, untilMs) : undefined;
}

function closesBefore(window: DeployWindow, closedAt: number, untilMs: number): string {
  return (
    `the deploy window (${window.text}) closes at ${describeInstant(window, closedAt)}, before the rollout's planned ` +
    `end at ${describeInstant(window, untilMs)}`
  );
}

/** The first minute at or after `fromMs` inside the window; undefined when none within a week and a day. */
export function nextOpening(window: DeployWindow, fromMs: number): number | undefined {
  for (let at = Math.ceil(fromMs / MINUTE_MS) * MINUTE_MS; at <= fromMs + NEXT_OPENING_HORIZON_MS; at += MINUTE_MS) {
    if (insideWindow(window, at)) return at;
  }
  return undefined;
}

/** `Sat 10:14 Europe/Berlin` (in the first span's zone; several zones: each of them). */
export function describeInstant(window: DeployWindow, ms: number): string {
  const zones = [...new Set(window.spans.map((span) => span.timeZone))];
  return zones
    .map((zone) => {
      const { day, minute } = wallClock(ms, zone);
      return `${DAY_NAMES[day]} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)} ${zone}`;
    })
    .join(' / ');
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23'
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** The weekday and the minute of the day that the instant `ms` is in `zone`. */
function wallClock(ms: number, zone: string): { day: number; minute: number } {
  const parts = formatterFor(zone).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAY_NAMES.indexOf(part('weekday') as (typeof DAY_NAMES)[number]);
  return { day, minute: (Number(part('hour')) % 24) * 60 + Number(part('minute')) };
}

import type { VersionNumbers } from './types.js';

/** How the analysis quotes its numbers, in failure reasons, logs and the summary alike. */

/** A share as a percentage: `10.0 %`; rates under 0.1 % keep two decimals (`0.02 %`). */
export function formatPercent(share: number): string {
  const percent = share * 100;
  return `${percent === 0 || percent >= 0.1 ? percent.toFixed(1) : percent.toFixed(2)} %`;
}

/** `events / calls` as a percentage, or `no calls`. */
export function formatRate(events: number, calls: number): string {
  return calls > 0 ? formatPercent(events / calls) : 'no calls';
}

/** A version's error rate, or `no calls`. */
export function formatErrorRate(numbers: Pick<VersionNumbers, 'errors' | 'invocations'>): string {
  return formatRate(numbers.errors, numbers.invocations);
}

/** Milliseconds, rounded: `812 ms`. */
export function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/** A whole number with thousands separators: `12,400`. */
export function formatNumber(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `1 error`, `12 errors`, `1,080 calls`. */
export function formatCount(count: number, noun: string): string {
  return `${formatNumber(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** An e-value: `0.42`, `3.1`, `1,240`, `over a million`. */
export function formatEValue(value: number): string {
  if (value > 1e6) return 'over a million';
  if (value < 10) return value.toFixed(value < 1 ? 2 : 1);
  return formatNumber(value);
}

/** A share as a threshold is written: `1 %`, `0.5 %`. */
export function threshold(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}

/** A difference of rates: `1 percentage point`, `6.4 percentage points`. */
export function points(share: number): string {
  const value = Number((share * 100).toFixed(2));
  return `${value} percentage point${value === 1 ? '' : 's'}`;
}

/** `10:41:07`: a moment in UTC, to the second. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `new 2: 3/1,200 errors (0.3 %), p99 80 ms; previous 1: 9/10,800 errors (0.1 %), p99 78 ms`. */
export function describeVersions(target: VersionNumbers, previous: VersionNumbers): string {
  const side = (label: string, n: VersionNumbers): string =>
    `${label} ${n.version}: ${formatNumber(n.errors)}/${formatCount(n.invocations, 'call')} failed (${formatErrorRate(n)})` +
    `${n.p99Ms !== undefined ? `, p99 ${formatMs(n.p99Ms)}` : ''}`;
  return `${side('new', target)}; ${side('previous', previous)}`;
}

import type { VersionNumbers } from '../checks.js';

/** How the analysis quotes its numbers, in failure reasons, logs and the summary alike. */

/** A share as a percentage: `10.0 %`; rates under 0.1 % keep two decimals (`0.02 %`). */
export function formatPercent(share: number): string {
  const percent = share * 100;
  return `${percent === 0 || percent >= 0.1 ? percent.toFixed(1) : percent.toFixed(2)} %`;
}

/** A version's error rate, or `no calls`. */
export function formatErrorRate(numbers: Pick<VersionNumbers, 'errors' | 'invocations'>): string {
  return numbers.invocations > 0 ? formatPercent(numbers.errors / numbers.invocations) : 'no calls';
}

/** Milliseconds, rounded: `812 ms`. */
export function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

/** `new version: 5 errors in 50 calls (10.0 %), previous: 1 in 450 (0.2 %)`. */
export function describeErrors(target: VersionNumbers, previous: VersionNumbers): string {
  const errors = target.errors === 1 ? 'error' : 'errors';
  const calls = target.invocations === 1 ? 'call' : 'calls';
  return (
    `new version: ${target.errors} ${errors} in ${target.invocations} ${calls} (${formatErrorRate(target)}), ` +
    `previous: ${previous.errors} in ${previous.invocations} (${formatErrorRate(previous)})`
  );
}

/** `new version: p99 2400 ms over 120 calls, previous: p99 790 ms over 1080`. */
export function describeP99(target: VersionNumbers, previous: VersionNumbers): string {
  const p99 = (numbers: VersionNumbers): string =>
    numbers.p99Ms === undefined ? 'p99 unknown' : `p99 ${formatMs(numbers.p99Ms)}`;
  return `new version: ${p99(target)} over ${target.invocations} calls, previous: ${p99(previous)} over ${previous.invocations}`;
}

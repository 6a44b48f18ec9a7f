import { mixture, RATIO_GRID } from '../analysis/evidence.js';

/**
 * The probes' evidence against the new version, as anytime-valid tests like the analysis's (see
 * analysis/evidence.ts and docs/probes.md): each a test supermartingale, so by Ville's inequality a
 * version that the null hypothesis fits reaches the bar 1/α with probability at most α, however
 * often it is looked at. Written by hand for the reason given there.
 */

/**
 * "The new version fails no more probes than the previous one, at every moment", from where the
 * alias routed the failed probes. Lambda routes each call through a weighted alias at random, the
 * new version with probability w (its weight), whatever the call. For a probe sent at weight w,
 * under the null a failure lands on the new version with probability at most w, however the
 * failure rates of both versions change over time (a dependency that fails for a while fails both).
 * The likelihood ratio of "the new version fails ρ times as often" is ρ / (ρw + 1 − w) for a
 * failure on the new version and 1 / (ρw + 1 − w) for one on the previous version; a passed probe
 * carries no evidence. Its expectation under the null is at most 1: (ρ − 1)·w(1 − w)·(p_new − p_prev)
 * / (ρw + 1 − w) ≤ 0. So failures of both versions cancel out, and only failures of the new version
 * while the previous one's probes pass build up evidence.
 */
export class RoutedFailureEvidence {
  private readonly logRatios = new Float64Array(RATIO_GRID.length);
  /** Failed probes entered, by version. */
  newFailures = 0;
  previousFailures = 0;

  /** Enters one failed probe: where it ran, and the new version's weight (0 < w < 1) when it was sent. */
  addFailure(onNew: boolean, weight: number): void {
    if (!(weight > 0 && weight < 1)) return;
    if (onNew) this.newFailures += 1;
    else this.previousFailures += 1;
    RATIO_GRID.forEach((ratio, k) => {
      const denominator = Math.log(ratio * weight + 1 - weight);
      this.logRatios[k]! += (onNew ? Math.log(ratio) : 0) - denominator;
    });
  }

  get eValue(): number {
    return mixture(this.logRatios);
  }
}

/** Binary relative entropy KL(p ‖ q), in nats. */
function kl(p: number, q: number): number {
  const term = (a: number, b: number): number => (a === 0 ? 0 : a * Math.log(a / b));
  return term(p, q) + term(1 - p, 1 - q);
}

/**
 * An upper bound on a version's failure rate from `failures` of `calls`, valid at every `calls` at
 * once with probability at least 1 − δ: the Chernoff bound P(p̂ ≤ a) ≤ exp(−N·KL(a ‖ p)) at each N,
 * with δ shared over the N by δ / (N(N + 1)). 1 with no calls.
 */
export function failureRateUpperBound(failures: number, calls: number, delta: number): number {
  if (calls <= 0) return 1;
  const observed = Math.min(1, failures / calls);
  const budget = Math.log((calls * (calls + 1)) / delta) / calls;
  let low = observed;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (kl(observed, mid) > budget) high = mid;
    else low = mid;
  }
  return high;
}

/**
 * Fisher's exact test, one-sided: the chance, if the new version fails no more often than the
 * previous one, that of all the failed calls of a burst sent to both at the same moment at least
 * `newFailed` were the new version's. Given the number failed, the new version's share is
 * hypergeometric (calls independent), or exactly so when calls are exchangeable and which call went
 * to which version was drawn at random (the confirmation shuffles them); the null "fails no more
 * often" only makes it smaller. Counts are of answered calls. 1 when no call failed.
 */
export function failuresConfirmedPValue(
  newVersion: { readonly failed: number; readonly answered: number },
  previous: { readonly failed: number; readonly answered: number }
): number {
  const failed = newVersion.failed + previous.failed;
  if (failed === 0 || newVersion.failed === 0) return 1;
  const population = newVersion.answered + previous.answered;
  const denominator = logChoose(population, failed);
  let p = 0;
  for (let x = newVersion.failed; x <= Math.min(failed, newVersion.answered); x++) {
    const ways = logChoose(newVersion.answered, x) + logChoose(previous.answered, failed - x);
    p += Math.exp(ways - denominator);
  }
  return Math.min(1, p);
}

function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log(n - k + i) - Math.log(i);
  return sum;
}

import jStat from 'jstat';

/**
 * The statistical tests of the per-version analysis, over jStat's distribution functions. Pure and
 * deterministic: the same counts always give the same answer. A version fails a test only when it is
 * worse than the threshold with at least {@link CONFIDENCE} probability, so a few unlucky errors at
 * small counts do not roll it back.
 */

/** How sure a test must be that the new version is worse before it fails it, at a step's end. */
export const CONFIDENCE = 0.95;

/**
 * The same during a step, where the analysis looks again at every new minute of data. Each look at
 * 95 % would add its own chance of failing a good version; a stricter bar on the looks before the
 * step's end (in the spirit of group-sequential tests) keeps the whole step's false-failure rate
 * near 5 %, while a clearly bad version still fails at once.
 */
export const INTERIM_CONFIDENCE = 0.99;

/** The bar of one look: stricter before the step has ended. */
export function confidenceOf(final: boolean): number {
  return final ? CONFIDENCE : INTERIM_CONFIDENCE;
}

/**
 * P(X ≥ errors) for X ~ Binomial(calls, rate): how likely at least this many errors are if the
 * version's true error rate were `rate`. The exact one-sided binomial test fails the version when
 * this falls below 1 − CONFIDENCE.
 */
export function errorsAtLeastProbability(errors: number, calls: number, rate: number): number {
  if (errors <= 0) return 1;
  if (errors > calls) return 0;
  return Math.max(0, 1 - jStat.binomial.cdf(errors - 1, calls, rate));
}

/** A Beta distribution's parameters. */
export interface BetaParams {
  readonly alpha: number;
  readonly beta: number;
}

/** The posterior of an error rate after `errors` in `calls`, from Jeffreys' prior Beta(½, ½). */
export function jeffreysPosterior(errors: number, calls: number): BetaParams {
  return { alpha: errors + 0.5, beta: calls - errors + 0.5 };
}

/** Cells of the integration grid; the error of the sum is far below what a 95 % decision needs. */
const INTEGRATION_CELLS = 2000;
/** Posterior mass left outside the grid at each end. */
const TAIL_MASS = 1e-12;

/**
 * P(X > Y + delta) for independent X ~ Beta(x) and Y ~ Beta(y): the probability that the new
 * version's error rate X exceeds the previous one's Y by more than `delta`. Integrated over Y's
 * distribution, ∫ (1 − F_X(y + delta)) dF_Y(y), as a Riemann–Stieltjes sum on a grid spanning all
 * but 2e-12 of Y's mass (CDF differences, so Y's density may be unbounded, as Beta(½, ½)'s is).
 */
export function probabilityExceeds(x: BetaParams, y: BetaParams, delta: number): number {
  const cdfY = (value: number): number => jStat.beta.cdf(value, y.alpha, y.beta);
  const low = quantile(cdfY, TAIL_MASS);
  const high = quantile(cdfY, 1 - TAIL_MASS);
  const width = (high - low) / INTEGRATION_CELLS;
  let sum = 0;
  let below = cdfY(low);
  for (let cell = 1; cell <= INTEGRATION_CELLS; cell++) {
    const cdfAtEnd = cdfY(low + cell * width);
    const threshold = low + (cell - 0.5) * width + delta;
    // The integrand is 1 − F_X at the cell's middle; past 1 no rate can exceed it.
    const above = threshold >= 1 ? 0 : 1 - jStat.beta.cdf(Math.max(0, threshold), x.alpha, x.beta);
    sum += (cdfAtEnd - below) * above;
    below = cdfAtEnd;
  }
  return Math.min(1, Math.max(0, sum));
}

/** The value where a CDF on [0, 1] reaches `p`, by bisection (robust where the density is unbounded). */
function quantile(cdf: (value: number) => number, p: number): number {
  let low = 0;
  let high = 1;
  for (let step = 0; step < 60; step++) {
    const middle = (low + high) / 2;
    if (cdf(middle) < p) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}

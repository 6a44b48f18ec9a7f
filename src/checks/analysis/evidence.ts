/**
 * The evidence of the per-version analysis: test supermartingales over per-minute counts, which a
 * version's calls feed one complete minute at a time. Written by hand: the likelihood ratios below
 * are a few lines of arithmetic, and no maintained JavaScript package ships anytime-valid tests
 * (safestats and confseq are R and Python).
 *
 * Each process starts at 1 and, while the null hypothesis holds, has expectation at most 1 whatever
 * the minutes bring (a test supermartingale). By Ville's inequality the chance that it EVER reaches
 * 1/α, over every look of every step, however often it is looked at, is at most α. So a rule that
 * fails when its process reaches 1/α has a false-failure rate of at most α per rollout.
 */

/**
 * The alternatives each process mixes, fixed before any data: ratios of the new version's rate to
 * the previous one's (or to the threshold), from 1.25× to 100×, log-spaced. The mixture weights
 * are equal; a mixture of test supermartingales with fixed weights is one too.
 */
export const RATIO_GRID: readonly number[] = [1.25, 1.5, 2, 3, 5, 8, 13, 20, 35, 60, 100];

const WEIGHT = 1 / RATIO_GRID.length;

/** One complete minute of the two versions: calls and the calls that count (errors, or slow calls). */
export interface MinuteCounts {
  /** Calls to the new version. */
  readonly newCalls: number;
  /** Of them, the ones that count against it (errors; calls slower than the threshold). */
  readonly newEvents: number;
  readonly previousCalls: number;
  readonly previousEvents: number;
}

/** The mixture of exp(log-likelihood ratios): Σ w·exp(ℓ), computed without overflow. */
export function mixture(logRatios: Float64Array): number {
  let max = -Infinity;
  for (const value of logRatios) max = Math.max(max, value);
  if (max === -Infinity) return 0;
  let sum = 0;
  for (const value of logRatios) sum += Math.exp(value - max);
  return WEIGHT * sum * Math.exp(max);
}

/**
 * "The new version's rate is at most the previous version's" (errors, or calls above a latency
 * threshold), under traffic whose split changes from minute to minute.
 *
 * In a minute where the new version served n calls with x events and the previous one m calls with
 * y events, take the events as Poisson with rates proportional to the calls: given the minute's
 * x + y events, x is Binomial(x + y, θ) with θ = ρn / (ρn + m), ρ the ratio of the two rates. When
 * ρ ≤ 1, θ ≤ n / (n + m), which is known. The likelihood ratio of ρ against ρ = 1 is
 * ρ^x · ((n + m) / (ρn + m))^(x + y). With binomial calls instead of Poisson ones the same holds,
 * since drawing without replacement is less spread (Hoeffding, 1963). A minute with no events, or
 * with calls on one version only, carries no evidence (its ratio is 1).
 *
 * Beside the process it keeps the Mantel–Haenszel difference of the two rates: each minute's
 * difference, weighted by nm / (n + m), so that a minute where both versions were busy counts most
 * and a change of the baseline's rate over time is not taken for a difference between versions.
 */
export class ComparisonEvidence {
  private readonly logRatios = new Float64Array(RATIO_GRID.length);
  private differenceSum = 0;
  private weightSum = 0;
  /** Calls and events of each version since the process started (or restarted). */
  newCalls = 0;
  newEvents = 0;
  previousCalls = 0;
  previousEvents = 0;

  add(minute: MinuteCounts): void {
    const n = minute.newCalls;
    const m = minute.previousCalls;
    // Errors and calls are separate datapoints: never more events than calls.
    const x = Math.min(minute.newEvents, n);
    const y = Math.min(minute.previousEvents, m);
    this.newCalls += n;
    this.newEvents += x;
    this.previousCalls += m;
    this.previousEvents += y;
    if (n === 0 || m === 0) return;
    const events = x + y;
    if (events > 0) {
      RATIO_GRID.forEach((ratio, k) => {
        this.logRatios[k]! += x * Math.log(ratio) - events * Math.log((ratio * n + m) / (n + m));
      });
    }
    this.differenceSum += (x * m - y * n) / (n + m);
    this.weightSum += (n * m) / (n + m);
  }

  /** The e-value: how many times the evidence multiplied a stake bet against "no worse". */
  get eValue(): number {
    return mixture(this.logRatios);
  }

  /** The new version's rate minus the previous one's, minute by minute (Mantel–Haenszel); 0 without overlap. */
  get difference(): number {
    return this.weightSum > 0 ? this.differenceSum / this.weightSum : 0;
  }

  /** Starts afresh: the evidence so far is spent (a failed check consumed it). */
  reset(): void {
    this.logRatios.fill(0);
    this.differenceSum = 0;
    this.weightSum = 0;
    this.newCalls = 0;
    this.newEvents = 0;
    this.previousCalls = 0;
    this.previousEvents = 0;
  }
}

/**
 * "The new version's rate is at most `limit`" (errors against `max-error-rate`, calls above
 * `max-p99-duration` against 1 %), on its own calls: a mixture over rates above the limit of the
 * binomial likelihood ratios (p/limit)^x · ((1 − p)/(1 − limit))^(n − x). Each ratio grows with x,
 * so a version below the limit feeds it less than one at the limit: a test supermartingale.
 */
export class RateEvidence {
  private readonly logRatios = new Float64Array(RATIO_GRID.length);
  private readonly alternatives: ReadonlyArray<{ readonly logUp: number; readonly logDown: number }>;
  calls = 0;
  events = 0;

  constructor(readonly limit: number) {
    if (!(limit > 0 && limit < 1)) throw new RangeError(`a rate limit is above 0 and below 1, got ${limit}`);
    this.alternatives = RATIO_GRID.map((ratio) => {
      // Alternatives past certainty are capped just below it (a limit of 50 % has few above it).
      const rate = Math.min(limit * ratio, limit + (1 - limit) * 0.99);
      return { logUp: Math.log(rate / limit), logDown: Math.log((1 - rate) / (1 - limit)) };
    });
  }

  add(calls: number, events: number): void {
    const x = Math.min(events, calls);
    this.calls += calls;
    this.events += x;
    if (calls === 0) return;
    this.alternatives.forEach(({ logUp, logDown }, k) => {
      this.logRatios[k]! += x * logUp + (calls - x) * logDown;
    });
  }

  get eValue(): number {
    return mixture(this.logRatios);
  }

  /** The observed rate since the process started; 0 without calls. */
  get rate(): number {
    return this.calls > 0 ? this.events / this.calls : 0;
  }

  reset(): void {
    this.logRatios.fill(0);
    this.calls = 0;
    this.events = 0;
  }
}

import { describe, expect, test } from '@jest/globals';
import { ComparisonEvidence, RATIO_GRID, RateEvidence } from '../../../src/checks/analysis/evidence.js';

/** P(X = k) for X ~ Binomial(n, p). */
function binomialPmf(k: number, n: number, p: number): number {
  let coefficient = 1;
  for (let i = 1; i <= k; i++) coefficient = (coefficient * (n - i + 1)) / i;
  return coefficient * p ** k * (1 - p) ** (n - k);
}

/** E[f(x, y)] for x ~ Binomial(n, p) and y ~ Binomial(m, q), exactly. */
function expectation(n: number, p: number, m: number, q: number, f: (x: number, y: number) => number): number {
  let sum = 0;
  for (let x = 0; x <= n; x++) for (let y = 0; y <= m; y++) sum += binomialPmf(x, n, p) * binomialPmf(y, m, q) * f(x, y);
  return sum;
}

const comparisonAfter = (minutes: Array<[number, number, number, number]>): ComparisonEvidence => {
  const evidence = new ComparisonEvidence();
  for (const [newCalls, newEvents, previousCalls, previousEvents] of minutes) {
    evidence.add({ newCalls, newEvents, previousCalls, previousEvents });
  }
  return evidence;
};

describe('ComparisonEvidence: is the new version worse than the previous one, under a changing split?', () => {
  test("one minute's e-value is the grid's average of ρ^x · ((n + m) / (ρn + m))^(x + y)", () => {
    const [n, x, m, y] = [40, 3, 360, 2];
    const expected = RATIO_GRID.reduce((sum, r) => sum + r ** x * ((n + m) / (r * n + m)) ** (x + y), 0) / RATIO_GRID.length;
    expect(comparisonAfter([[n, x, m, y]]).eValue).toBeCloseTo(expected, 12);
  });

  test('minutes without errors, or with calls on one version only, carry no evidence', () => {
    expect(comparisonAfter([[100, 0, 900, 0]]).eValue).toBe(1);
    expect(comparisonAfter([[50, 5, 0, 0]]).eValue).toBe(1);
    expect(comparisonAfter([[0, 0, 500, 7]]).eValue).toBe(1);
    expect(comparisonAfter([]).eValue).toBe(1);
  });

  // The guarantee: with both versions failing at the same rate, the expected e-value of a minute is
  // at most 1 whatever the split and the rate (exact sums over the binomial outcomes), so that the
  // product over minutes is a test supermartingale and Ville's inequality bounds false rollbacks.
  test.each([
    [3, 5, 0.2],
    [10, 90, 0.01],
    [25, 25, 0.3],
    [60, 6, 0.05],
    [1, 40, 0.5]
  ])('with %i and %i calls at the same rate %f, a minute multiplies the evidence by at most 1 on average', (n, m, p) => {
    const mean = expectation(n, p, m, p, (x, y) => comparisonAfter([[n, x, m, y]]).eValue);
    expect(mean).toBeLessThanOrEqual(1 + 1e-12);
    expect(mean).toBeGreaterThan(0);
  });

  test('a better new version feeds it even less, and a worse one makes it grow', () => {
    const better = expectation(20, 0.01, 80, 0.05, (x, y) => comparisonAfter([[20, x, 80, y]]).eValue);
    const worse = expectation(20, 0.3, 80, 0.05, (x, y) => comparisonAfter([[20, x, 80, y]]).eValue);
    expect(better).toBeLessThan(1);
    expect(worse).toBeGreaterThan(10);
  });

  test('evidence accumulates over minutes as a product, and a reset starts afresh', () => {
    const one = comparisonAfter([[50, 4, 450, 2]]).eValue;
    const evidence = comparisonAfter([
      [50, 4, 450, 2],
      [50, 4, 450, 2]
    ]);
    expect(evidence.eValue).toBeGreaterThan(one * 1.5);
    expect([evidence.newCalls, evidence.newEvents, evidence.previousCalls, evidence.previousEvents]).toEqual([100, 8, 900, 4]);
    evidence.reset();
    expect([evidence.eValue, evidence.newCalls, evidence.difference]).toEqual([1, 0, 0]);
  });

  test("the difference is Mantel–Haenszel's: a baseline that rises while the split moves is not taken for a worse version", () => {
    // Minute 1: 10 % on the new version, both at 1 %; minute 2: 90 % on the new version, both at 5 %.
    const evidence = comparisonAfter([
      [100, 1, 900, 9],
      [900, 45, 100, 5]
    ]);
    expect(evidence.difference).toBeCloseTo(0, 12);
    // Pooled, the new version looks 3.6 points worse: 46/1,000 against 14/1,000.
    expect(46 / 1000 - 14 / 1000).toBeCloseTo(0.032, 12);
  });

  test('errors never count above calls (separate datapoints)', () => {
    expect(comparisonAfter([[2, 5, 10, 0]]).newEvents).toBe(2);
  });
});

describe('RateEvidence: is the new version above a limit?', () => {
  test.each([
    [20, 0.01],
    [100, 0.01],
    [50, 0.2]
  ])('at the limit, %i calls at %f multiply the evidence by exactly 1 on average; below it, by less', (n, limit) => {
    const evidenceOf = (x: number) => {
      const evidence = new RateEvidence(limit);
      evidence.add(n, x);
      return evidence.eValue;
    };
    expect(expectation(n, limit, 0, 0, evidenceOf)).toBeCloseTo(1, 10);
    expect(expectation(n, limit / 2, 0, 0, evidenceOf)).toBeLessThan(1);
  });

  test('a version far above the limit drives it past any bar; its rate is what it served', () => {
    const evidence = new RateEvidence(0.01);
    evidence.add(200, 20);
    expect(evidence.eValue).toBeGreaterThan(1e4);
    expect(evidence.rate).toBe(0.1);
    evidence.reset();
    expect([evidence.eValue, evidence.rate]).toEqual([1, 0]);
  });

  test('a limit outside (0, 1) is refused', () => {
    expect(() => new RateEvidence(0)).toThrow(RangeError);
    expect(() => new RateEvidence(1)).toThrow(RangeError);
  });
});

import { describe, expect, test } from '@jest/globals';
import jStat from 'jstat';
import {
  CONFIDENCE,
  errorsAtLeastProbability,
  jeffreysPosterior,
  probabilityExceeds
} from '../../../src/checks/analysis/stats.js';

/** P(new > previous + margin) from counts, with Jeffreys' priors, as the analysis computes it. */
const increase = (newErrors: number, newCalls: number, oldErrors: number, oldCalls: number, margin: number) =>
  probabilityExceeds(jeffreysPosterior(newErrors, newCalls), jeffreysPosterior(oldErrors, oldCalls), margin);

describe("jStat's distribution functions agree with an independent implementation", () => {
  // Reference values from @stdlib/stats-base-dists-{beta,binomial}-cdf (a port of Boost's ibeta),
  // computed once: the analysis's decisions need far less than the 1e-6 asked here.
  test.each([
    [0.0155, 1.5, 19.5, 0.10745912869801447],
    [0.005, 500.5, 99500.5, 0.49704813278464355],
    [0.3, 30000.5, 70000.5, 0.4998164681278839],
    [0.2, 5.5, 45.5, 0.969417906511885],
    [0.001, 0.5, 0.5, 0.020135041633377492]
  ])('Beta CDF at %p with (%p, %p)', (x, a, b, expected) => {
    expect(jStat.beta.cdf(x, a, b)).toBeCloseTo(expected, 6);
  });

  test.each([
    [4, 50, 0.01, 0.9998543107319282],
    [0, 20, 0.01, 0.8179069375972309],
    [520, 100000, 0.005, 0.8212902038062083],
    [5050, 1000000, 0.005, 0.7633472830193648],
    [1, 450, 0.002, 0.7725191360398115]
  ])('Binomial CDF at %p of %p calls at %p', (k, n, p, expected) => {
    expect(jStat.binomial.cdf(k, n, p)).toBeCloseTo(expected, 8);
  });
});

describe('max-error-rate: the exact one-sided binomial test', () => {
  test('P(X ≥ errors) at the threshold rate', () => {
    expect(errorsAtLeastProbability(1, 20, 0.01)).toBeCloseTo(1 - 0.99 ** 20, 9); // 18.2 %
    expect(errorsAtLeastProbability(5, 50, 0.01)).toBeCloseTo(0.000145689, 8);
    expect(errorsAtLeastProbability(3, 50, 0.01)).toBeCloseTo(0.0138173, 6);
  });

  test('no errors is never evidence against a version; more errors than calls cannot happen', () => {
    expect(errorsAtLeastProbability(0, 0, 0.01)).toBe(1);
    expect(errorsAtLeastProbability(0, 10_000, 0.01)).toBe(1);
    expect(errorsAtLeastProbability(3, 2, 0.01)).toBe(0);
  });
});

describe('max-error-rate-increase: posterior probability with Jeffreys priors', () => {
  test("the issue's worked example: 1 error in 20 calls does not fail against a 0.5 % baseline, 5 in 50 do", () => {
    for (const [oldErrors, oldCalls] of [
      [2, 400],
      [1, 180],
      [5, 1000],
      [0, 180]
    ] as const) {
      expect(increase(1, 20, oldErrors, oldCalls, 0.01)).toBeLessThan(CONFIDENCE);
      expect(increase(5, 50, oldErrors, oldCalls, 0.01)).toBeGreaterThan(CONFIDENCE);
    }
    expect(increase(1, 20, 2, 400, 0.01)).toBeCloseTo(0.885, 3);
    expect(increase(5, 50, 2, 400, 0.01)).toBeCloseTo(0.9992, 4);
    expect(increase(5, 50, 1, 450, 0.01)).toBeCloseTo(0.9997, 4);
  });

  test('the integration matches the closed form of P(X > Y) for integer parameters (Evan Miller)', () => {
    const betaln = (jStat as unknown as { betaln(a: number, b: number): number }).betaln;
    const closedForm = (aX: number, bX: number, aY: number, bY: number): number => {
      let sum = 0;
      for (let i = 0; i < aX; i++)
        sum += Math.exp(betaln(aY + i, bX + bY) - Math.log(bX + i) - betaln(1 + i, bX) - betaln(aY, bY));
      return sum;
    };
    for (const [aX, bX, aY, bY] of [
      [3, 20, 1, 50],
      [6, 46, 3, 398],
      [1, 1, 1, 1],
      [10, 990, 5, 995],
      [50, 950, 40, 960],
      [2, 5, 7, 3]
    ] as const) {
      const integrated = probabilityExceeds({ alpha: aX, beta: bX }, { alpha: aY, beta: bY }, 0);
      expect(Math.abs(integrated - closedForm(aX, bX, aY, bY))).toBeLessThan(1e-5);
    }
  });

  test.each([
    // [new errors, new calls, old errors, old calls, margin, fails]
    [0, 0, 0, 0, 0.01, false], // no calls at all: nothing is known, nothing fails
    [0, 50, 0, 450, 0.01, false], // no errors anywhere
    [0, 50, 0, 0, 0.01, false], // no baseline calls: the prior alone cannot make a clean version fail
    [50, 50, 0, 0, 0.01, false], // an unknown baseline might be as bad (the rule then waits for baseline calls)
    [1, 50, 0, 450, 0.01, false],
    [3, 50, 2, 400, 0.01, true], // 6 % against 0.5 %
    [1100, 10000, 900, 10000, 0.005, true], // 11 % against 9 %, many calls: clear
    [1000, 10000, 900, 10000, 0.005, false], // 10 % against 9 %: 1 point, but not surely above 0.5
    [2, 100, 2, 100, 0, false] // equal rates, no margin: 50/50
  ])('%p of %p against %p of %p, margin %p: fails %p', (ne, nn, oe, on, margin, fails) => {
    const p = increase(ne, nn, oe, on, margin);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    expect(p > CONFIDENCE).toBe(fails);
  });

  test('deterministic: the same counts give the same probability', () => {
    expect(increase(4, 60, 3, 500, 0.01)).toBe(increase(4, 60, 3, 500, 0.01));
  });

  test('a margin past every rate leaves nothing above it', () => {
    expect(increase(50, 50, 0, 450, 1)).toBe(0);
  });
});

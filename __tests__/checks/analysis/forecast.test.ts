import { describe, expect, test } from '@jest/globals';
import jStat from 'jstat';
import { parseStrategy } from '../../../src/config/strategy.js';
import { forecastCalls, poissonAtLeast, REFUSE_BELOW, WARN_BELOW } from '../../../src/checks/analysis/forecast.js';
import { callMinimum } from '../../../src/checks/analysis/judge.js';

const SECOND = 1_000;
const MINUTE = 60_000;
/** A 3-second timeout and two one-minute periods of CloudWatch allowance. */
const DELAY = 3 * SECOND + 2 * MINUTE;

describe('poissonAtLeast', () => {
  // P(X ≥ k) is the regularized lower incomplete gamma function P(k, mean). (jStat's own Poisson
  // CDF overflows past about 170 calls, one more reason the action sums the tail itself.)
  test('agrees with the incomplete gamma function, from tiny means to large ones', () => {
    for (const [k, mean] of [
      [1, 0.5],
      [1, 12],
      [20, 15],
      [100, 100],
      [100, 143],
      [100, 70],
      [500, 480],
      [1_000, 1_100]
    ] as const) {
      expect(poissonAtLeast(k, mean)).toBeCloseTo(jStat.lowRegGamma(k, mean), 8);
    }
  });

  test('the edges: nothing needed is certain, no traffic never reaches one call, a huge mean does not overflow', () => {
    expect(poissonAtLeast(0, 0)).toBe(1);
    expect(poissonAtLeast(1, 0)).toBe(0);
    expect(poissonAtLeast(100, 1e7)).toBe(1);
    expect(poissonAtLeast(1_000_000, 10)).toBe(0);
  });
});

describe('forecastCalls', () => {
  const base = { maxBakeExtensionMs: 10 * MINUTE, completionDelayMs: DELAY, comparative: false };

  test('min-invocations given: each step’s own calls by the end of its extension, less the wait for its last minute', () => {
    const forecast = forecastCalls({
      ...base,
      callsPerMs: 2 / SECOND,
      steps: parseStrategy('Linear10PercentEvery1Minute').steps,
      minimum: callMinimum(100)
    });
    // Step 1: 10 % of 2 calls a second over 1m + 10m − 2m3s = 537 s.
    expect(forecast.needs[0]).toMatchObject({ step: 1, version: 'new', needed: 100 });
    expect(forecast.needs[0]!.expected).toBeCloseTo(0.1 * 2 * 537, 9);
    expect(forecast.needs).toHaveLength(9);
    expect(forecast.weakest.step).toBe(1);
    expect(forecast.chance).toBeCloseTo(
      forecast.needs.reduce((p, n) => p * n.chance, 1),
      12
    );
  });

  test('min-invocations not given: one call per step, and 100 across the rollout by the end of the last extension', () => {
    const forecast = forecastCalls({
      ...base,
      callsPerMs: 0.2 / SECOND,
      steps: parseStrategy('10%:5m, 30%:5m, 60%:5m').steps,
      minimum: callMinimum(undefined)
    });
    const rollout = forecast.needs.at(-1)!;
    expect(rollout.step).toBeUndefined();
    expect(rollout.needed).toBe(100);
    // Steps before the last: their bake and the wait for their last minute; the last: to its extension's end.
    const seconds = 0.1 * (300 + 123) + 0.3 * (300 + 123) + 0.6 * (300 + 600 - 123);
    expect(rollout.expected).toBeCloseTo(0.2 * seconds, 9);
    expect(forecast.needs.slice(0, 3).map((n) => n.needed)).toEqual([1, 1, 1]);
    expect(forecast.chance).toBeGreaterThan(WARN_BELOW);
  });

  test('a comparison needs a call on the previous version in each step too', () => {
    const forecast = forecastCalls({
      ...base,
      comparative: true,
      callsPerMs: 0.01 / SECOND,
      steps: [{ weightPercent: 99, bakeMs: MINUTE }],
      minimum: callMinimum(1)
    });
    expect(forecast.weakest).toMatchObject({ step: 1, version: 'previous', needed: 1 });
    expect(forecast.weakest.expected).toBeCloseTo(0.01 * 0.01 * 537, 9);
  });

  test('the bars: refused below an even chance, warned below 90 %', () => {
    expect([REFUSE_BELOW, WARN_BELOW]).toEqual([0.5, 0.9]);
    const canary = (callsPerSecond: number) =>
      forecastCalls({
        ...base,
        callsPerMs: callsPerSecond / SECOND,
        steps: parseStrategy('Canary10Percent5Minutes').steps,
        minimum: callMinimum(undefined)
      }).chance;
    expect(canary(0.2)).toBeLessThan(REFUSE_BELOW); // about 16 calls for 100
    expect(canary(2)).toBeGreaterThan(WARN_BELOW); // about 155
  });
});

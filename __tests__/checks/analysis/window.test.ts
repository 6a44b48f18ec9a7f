import { expect, test } from '@jest/globals';
import { lastPeriodArrived, summarise } from '../../../src/checks/analysis/window.js';

const MINUTE = 60_000;

test('periods add up; a missing count is zero; the p99 is weighted by calls', () => {
  const window = summarise({
    version: '2',
    periods: [
      { startMs: 0, invocations: 30, errors: 1, p99Ms: 100 },
      { startMs: MINUTE, invocations: 10, p99Ms: 300 },
      { startMs: 2 * MINUTE, errors: 2 }
    ]
  });
  expect(window).toEqual({ version: '2', invocations: 40, errors: 3, p99Ms: 150, latestPeriodMs: 2 * MINUTE });
});

test('no datapoints: no calls, no p99, no latest period', () => {
  expect(summarise({ version: '2', periods: [] })).toEqual({ version: '2', invocations: 0, errors: 0 });
});

test('errors never exceed calls (the two metrics arrive apart)', () => {
  expect(summarise({ version: '2', periods: [{ startMs: 0, errors: 2 }] })).toMatchObject({ invocations: 0, errors: 0 });
});

test("the step's last period has arrived once the previous version has a datapoint in it or later", () => {
  const stepEndsAt = 10 * MINUTE + 30_000; // the last period is [10m, 11m)
  const previous = (latestPeriodMs?: number) => ({
    version: '1',
    invocations: 1,
    errors: 0,
    ...(latestPeriodMs !== undefined ? { latestPeriodMs } : {})
  });
  const now = 11 * MINUTE + 20_000;
  expect(lastPeriodArrived({ previous: previous(9 * MINUTE), stepEndsAt, periodMs: MINUTE, now })).toBe(false);
  expect(lastPeriodArrived({ previous: previous(10 * MINUTE), stepEndsAt, periodMs: MINUTE, now })).toBe(true);
  expect(lastPeriodArrived({ previous: previous(11 * MINUTE), stepEndsAt, periodMs: MINUTE, now })).toBe(true);
  // Without calls nothing ever arrives: two periods after the last one ended, it counts as complete.
  expect(lastPeriodArrived({ previous: previous(), stepEndsAt, periodMs: MINUTE, now: 13 * MINUTE - 1 })).toBe(false);
  expect(lastPeriodArrived({ previous: previous(), stepEndsAt, periodMs: MINUTE, now: 13 * MINUTE })).toBe(true);
});

test('a step ending on a period boundary waits for the period before it', () => {
  const previous = { version: '1', invocations: 1, errors: 0, latestPeriodMs: 9 * MINUTE };
  expect(lastPeriodArrived({ previous, stepEndsAt: 10 * MINUTE, periodMs: MINUTE, now: 10 * MINUTE })).toBe(true);
});

import { expect, test } from '@jest/globals';
import { AnalysisLog } from '../../../src/checks/analysis/analysis-log.js';
import { completeAt, completionDelayMs, lastCompletePeriod, minutesOf, total } from '../../../src/checks/analysis/minutes.js';
import type { AnalysisPoint } from '../../../src/checks/analysis/types.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

test("a minute is complete once the function's timeout and two periods have passed after its end", () => {
  expect(completionDelayMs(3, MINUTE)).toBe(123_000);
  expect(completionDelayMs(900, MINUTE)).toBe(1_020_000);
  expect(completionDelayMs(1, 1_000)).toBe(3_000); // an emulator's one-second periods
  expect(completeAt(T0, MINUTE, 123_000)).toBe(T0 + 183_000);
  expect(lastCompletePeriod(T0 + 183_000, MINUTE, 123_000)).toBe(T0);
  expect(lastCompletePeriod(T0 + 182_999, MINUTE, 123_000)).toBe(T0 - MINUTE);
});

test('every minute of the range, a missing datapoint as zero, errors and slow calls never above calls', () => {
  const target = { version: '2', periods: [{ startMs: T0 + MINUTE, invocations: 3, errors: 5, slowCalls: [1, 7] }] };
  const previous = { version: '1', periods: [{ startMs: T0, invocations: 90, errors: 1 }] };
  const minutes = minutesOf(target, previous, { fromMs: T0, throughMs: T0 + 2 * MINUTE, periodMs: MINUTE, thresholds: 2 });
  expect(minutes).toEqual([
    { startMs: T0, target: { calls: 0, errors: 0, slow: [0, 0] }, previous: { calls: 90, errors: 1, slow: [0, 0] } },
    { startMs: T0 + MINUTE, target: { calls: 3, errors: 3, slow: [1, 3] }, previous: { calls: 0, errors: 0, slow: [0, 0] } },
    { startMs: T0 + 2 * MINUTE, target: { calls: 0, errors: 0, slow: [0, 0] }, previous: { calls: 0, errors: 0, slow: [0, 0] } }
  ]);
  expect(total(minutes.map((m) => m.previous))).toEqual({ calls: 90, errors: 1, slow: [0, 0] });
  expect(total([])).toEqual({ calls: 0, errors: 0, slow: [] });
});

test('the analysis log keeps a point when its numbers or verdict change, with the time it was made', () => {
  const log = new AnalysisLog();
  const point = (atMs: number, calls: number, outcome: AnalysisPoint['outcome']): AnalysisPoint => ({
    atMs,
    functionName: 'orders',
    alias: 'live',
    weightPercent: 10,
    stepStartedAt: 500,
    windowStartMs: 0,
    windowEndMs: 60_000,
    target: { version: '2', invocations: calls, errors: 0 },
    previous: { version: '1', invocations: 90, errors: 0 },
    rollout: { target: { version: '2', invocations: calls, errors: 0 }, previous: { version: '1', invocations: 90, errors: 0 } },
    outcome,
    decidedBy: 'min-invocations',
    metric: 'errors',
    evidence: []
  });
  log.record(point(1_000, 10, 'not-enough-data'));
  log.record(point(11_000, 10, 'not-enough-data')); // the same numbers at the next poll
  log.record(point(21_000, 60, 'pass'));
  expect(log.points.map((p) => [p.atMs, p.target.invocations, p.outcome])).toEqual([
    [1_000, 10, 'not-enough-data'],
    [21_000, 60, 'pass']
  ]);
});

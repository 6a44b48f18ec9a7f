import { describe, expect, test } from '@jest/globals';
import {
  alphaPerRule,
  callMinimum,
  DEFAULT_MIN_CALLS,
  DEFAULT_MIN_CALLS_PER_STEP,
  Judge,
  judgeStep,
  type StepView
} from '../../../src/checks/analysis/judge.js';
import type { MinuteRecord } from '../../../src/checks/analysis/minutes.js';
import { rulesFor } from '../../../src/checks/analysis/rules.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);

const minute = (i: number, newCalls: number, newErrors: number, previousCalls: number, previousErrors: number): MinuteRecord => ({
  startMs: T0 + i * MINUTE,
  target: { calls: newCalls, errors: newErrors, slow: [] },
  previous: { calls: previousCalls, errors: previousErrors, slow: [] }
});

function judgeWith(limit: number, margin = 0.01): Judge {
  const judge = new Judge(alphaPerRule(1, 1), limit);
  judge.use(rulesFor({ maxErrorRateIncrease: margin, failedChecksLimit: limit, periodSeconds: 60 }, {}));
  return judge;
}

describe('the false-rollback budget', () => {
  test('1 % per rollout, shared by the functions, then by each function’s rules', () => {
    expect(alphaPerRule(1, 1)).toBe(0.01);
    expect(alphaPerRule(2, 1)).toBe(0.005);
    expect(alphaPerRule(4, 2)).toBe(0.00125);
    expect(new Judge(0.005, 1).bar).toBe(200);
  });
});

describe('failed checks (failed-checks-limit)', () => {
  const bad = (i: number) => minute(i, 100, 40, 900, 1); // 40 % against 0.1 %: far past any bar in one minute
  const clean = (i: number) => minute(i, 100, 0, 900, 1);

  test('with a limit of 1, the first failed check rolls back, quoting the numbers it judged', () => {
    const judge = judgeWith(1);
    expect(judge.add(clean(0))).toBeUndefined();
    const failed = judge.add(bad(1));
    expect(failed?.rule).toBe('max-error-rate-increase');
    expect(failed?.reason).toMatch(
      /^new version: 40 errors in 200 calls \(20\.0 %\), previous: 2 errors in 1,800 calls \(0\.1 %\) in the minutes since 10:00:00: 19\.89 percentage points more, minute by minute, above max-error-rate-increase 1 %; the evidence against it reached over a million, past the bar of 100 \(a version that fails no more calls than the previous one reaches that bar in at most 1 % of rollouts\)$/
    );
    expect(judge.rolledBack).toBe(true);
  });

  // The defect: each look judged the whole step, so one bad minute failed again at the next clean look.
  test('with a limit of 2, one bad minute is one failed check: the evidence restarts, and clean minutes never fail again', () => {
    const judge = judgeWith(2);
    judge.add(bad(0));
    expect(judge.failedChecks).toHaveLength(1);
    expect(judge.holding).toBe(true);
    for (let i = 1; i < 30; i++) expect(judge.add(clean(i))).toBeUndefined();
    expect(judge.failedChecks).toHaveLength(1);
    expect(judge.holding).toBe(false);
    expect(judge.rolledBack).toBe(false);
  });

  test('with a limit of 2, a second bad interval on new minutes rolls back', () => {
    const judge = judgeWith(2);
    judge.add(bad(0));
    judge.add(clean(1));
    judge.add(bad(2));
    expect(judge.failedChecks.map((f) => f.reason.match(/since (\S+):/)?.[1])).toEqual(['10:00:00', '10:01:00']);
    expect(judge.rolledBack).toBe(true);
  });

  test('a worse version within the margin builds evidence but never fails', () => {
    const judge = judgeWith(1, 0.05); // 5 points allowed
    for (let i = 0; i < 60; i++) judge.add(minute(i, 500, 10, 500, 5)); // 2 % against 1 %
    expect(judge.evidence()[0]!.eValue).toBeGreaterThan(judge.bar);
    expect(judge.failedChecks).toEqual([]);
  });
});

describe('judgeStep: may the step pass, and if not, what does it wait for?', () => {
  const view = (overrides: Partial<StepView> = {}): StepView => ({
    now: T0 + 10 * MINUTE,
    stepStartedAt: T0 + 20_000,
    stepEndsAt: T0 + 5 * MINUTE + 20_000,
    periodMs: MINUTE,
    completionDelayMs: 3_000 + 2 * MINUTE,
    timeoutSeconds: 3,
    enteredThroughMs: T0 + 5 * MINUTE,
    target: { calls: 150, errors: 0, slow: [] },
    previous: { calls: 1_350, errors: 2, slow: [] },
    rolloutCalls: 150,
    lastStep: true,
    minimum: callMinimum(undefined),
    comparative: true,
    ...overrides
  });

  test('a step that ended, with its minutes complete and enough calls, passes', () => {
    expect(judgeStep(view()).outcome).toBe('pass');
  });

  test('before its end it is in progress, whatever it has seen', () => {
    expect(judgeStep(view({ now: T0 + 3 * MINUTE, enteredThroughMs: T0 }))).toEqual({
      outcome: 'not-enough-data',
      decidedBy: 'step in progress',
      reason:
        'no rule failed so far (complete through 10:01:00); the step bakes until 10:05:20 and is judged whole once its last minute is complete'
    });
  });

  test('after its end, it waits for its last minute, saying when that minute is complete and why then', () => {
    expect(judgeStep(view({ now: T0 + 6 * MINUTE, enteredThroughMs: T0 + 2 * MINUTE }))).toEqual({
      outcome: 'not-enough-data',
      decidedBy: 'metric delay',
      reason:
        "waiting for the metrics of the minute from 10:03:00: complete at 10:06:03 (its end, then the function's 3s timeout, " +
        'since Lambda reports a call once it ends, and 2m for CloudWatch)'
    });
  });

  test('min-invocations given: that many calls on the new version in every step', () => {
    const given = callMinimum(500);
    expect(judgeStep(view({ minimum: given }))).toEqual({
      outcome: 'not-enough-data',
      decidedBy: 'min-invocations',
      reason:
        'the new version served 150 of the 500 calls min-invocations asks for in this step (complete through 10:06:00), ' +
        'and the previous version 1,350'
    });
    // Every step, not only the last; the rollout's calls do not stand in for the step's.
    expect(judgeStep(view({ minimum: given, lastStep: false, rolloutCalls: 10_000 })).outcome).toBe('not-enough-data');
    expect(judgeStep(view({ minimum: given, target: { calls: 500, errors: 0, slow: [] } })).outcome).toBe('pass');
  });

  test(`min-invocations not given: a step before the last passes on ${DEFAULT_MIN_CALLS_PER_STEP} call of its own`, () => {
    const early = { lastStep: false, rolloutCalls: 12, target: { calls: 12, errors: 0, slow: [] } };
    expect(judgeStep(view(early)).outcome).toBe('pass');
    expect(judgeStep(view({ ...early, target: { calls: 0, errors: 0, slow: [] }, rolloutCalls: 400 }))).toEqual({
      outcome: 'not-enough-data',
      decidedBy: 'min-invocations',
      reason:
        'the new version served 0 of the 1 call each step needs (complete through 10:06:00), and the previous version 1,350: ' +
        'a step passes only on calls at its own weight'
    });
  });

  test(`min-invocations not given: the last step holds until the rollout's ${DEFAULT_MIN_CALLS} calls, then passes`, () => {
    const last = { lastStep: true, target: { calls: 30, errors: 0, slow: [] } };
    expect(judgeStep(view({ ...last, rolloutCalls: 99 }))).toEqual({
      outcome: 'not-enough-data',
      decidedBy: 'min-invocations',
      reason:
        'the new version served 99 of the 100 calls the rollout needs before the promotion (min-invocations is not set: ' +
        '100 across the rollout by default), 30 of them in this last step (complete through 10:06:00), and the previous version 1,350'
    });
    expect(judgeStep(view({ ...last, rolloutCalls: DEFAULT_MIN_CALLS })).outcome).toBe('pass');
  });

  test('zero calls never pass a step, whatever the inputs and however many calls came before', () => {
    const none = { target: { calls: 0, errors: 0, slow: [] }, rolloutCalls: 10_000 };
    for (const minimum of [callMinimum(1), callMinimum(undefined)]) {
      for (const lastStep of [false, true]) {
        expect(judgeStep(view({ ...none, minimum, lastStep })).outcome).toBe('not-enough-data');
      }
    }
  });

  test('a comparison with a previous version that served nothing holds, and says so (not "metric delay")', () => {
    expect(judgeStep(view({ previous: { calls: 0, errors: 0, slow: [] } }))).toEqual({
      outcome: 'not-enough-data',
      decidedBy: 'no calls on the previous version',
      reason:
        'the previous version served no calls in this step (complete through 10:06:00), while the new one served 150: ' +
        'there is nothing to compare the new version with'
    });
    expect(judgeStep(view({ previous: { calls: 0, errors: 0, slow: [] }, comparative: false })).outcome).toBe('pass');
  });

  test('a failed check below the limit holds the step until a minute of new evidence', () => {
    const check = { rule: 'max-error-rate-increase', metric: 'errors' as const, reason: 'new version: …', why: '…' };
    expect(judgeStep(view({ heldAfter: { failed: 1, limit: 2, check } }))).toMatchObject({
      decidedBy: 'failed-checks-limit',
      reason:
        'failed check 1 of the 2 that roll back (failed-checks-limit), on max-error-rate-increase: new version: …; the step holds until a minute of new evidence'
    });
  });
});

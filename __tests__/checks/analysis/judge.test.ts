import { describe, expect, test } from '@jest/globals';
import { DEFAULT_MIN_CALLS, judge, type JudgeInput } from '../../../src/checks/analysis/judge.js';
import type { VersionNumbers } from '../../../src/checks/checks.js';
import type { AnalysisThresholds } from '../../../src/core/analysis.js';

const v = (invocations: number, errors: number, p99Ms?: number, version = '2'): VersionNumbers => ({
  version,
  invocations,
  errors,
  ...(p99Ms !== undefined ? { p99Ms } : {})
});
const old = (invocations: number, errors: number, p99Ms?: number) => v(invocations, errors, p99Ms, '1');

/** A judgement at the step's end (its final look), unless `final` says otherwise. */
function judged(
  thresholds: Partial<AnalysisThresholds>,
  target: VersionNumbers,
  previous: VersionNumbers,
  waiting = false,
  final = true
) {
  const input: JudgeInput = {
    thresholds: { failedChecksLimit: 1, periodSeconds: 60, ...thresholds },
    target,
    previous,
    waitingForLastPeriod: waiting,
    final
  };
  return judge(input);
}

describe('looks before the step ends need more confidence to fail (repeated looks)', () => {
  test('3 errors in 50 at max-error-rate 1 %: 1.4 % is below 5 % (fails at the end) but not below 1 % (holds on during the step)', () => {
    expect(judged({ maxErrorRate: 0.01 }, v(50, 3), old(400, 2), false, false).outcome).toBe('pass');
    expect(judged({ maxErrorRate: 0.01 }, v(50, 3), old(400, 2), false, true).outcome).toBe('fail');
  });

  test('a clearly bad version fails at once, before the step ends', () => {
    expect(judged({ maxErrorRateIncrease: 0.01 }, v(50, 5), old(450, 1), false, false)).toMatchObject({ outcome: 'fail' });
    expect(judged({ maxErrorRate: 0.01 }, v(50, 5), old(400, 2), false, false)).toMatchObject({ outcome: 'fail' });
  });
});

describe('max-error-rate-increase', () => {
  test('5 errors in 50 against 1 in 450 fails, quoting the numbers as the issue writes them', () => {
    const result = judged({ maxErrorRateIncrease: 0.01 }, v(50, 5), old(450, 1));
    expect(result.outcome).toBe('fail');
    expect(result.decidedBy).toBe('max-error-rate-increase');
    expect(result.reason).toContain('new version: 5 errors in 50 calls (10.0 %), previous: 1 in 450 (0.2 %)');
    expect(result.reason).toMatch(/with probability over 99\.9 %/);
  });

  test('1 error in 20 against a 0.5 % baseline passes', () => {
    expect(judged({ maxErrorRateIncrease: 0.01 }, v(20, 1), old(400, 2))).toMatchObject({ outcome: 'pass' });
  });

  test('a baseline without calls is not enough data: there is nothing to compare with', () => {
    expect(judged({ maxErrorRateIncrease: 0.01 }, v(50, 0), old(0, 0))).toMatchObject({
      outcome: 'not-enough-data',
      decidedBy: 'max-error-rate-increase'
    });
  });
});

describe('max-error-rate', () => {
  test('fails only with 95 % confidence', () => {
    expect(judged({ maxErrorRate: 0.01 }, v(20, 1), old(400, 2)).outcome).toBe('pass');
    expect(judged({ maxErrorRate: 0.01 }, v(50, 2), old(400, 2)).outcome).toBe('pass');
    const failed = judged({ maxErrorRate: 0.01 }, v(50, 3), old(400, 2));
    expect(failed).toMatchObject({ outcome: 'fail', decidedBy: 'max-error-rate' });
    expect(failed.reason).toContain('new version: 3 errors in 50 calls (6.0 %), previous: 2 in 400 (0.5 %)');
    expect(failed.reason).toContain('probability 1.4 %');
  });

  test('a clear failure needs no minimum of calls', () => {
    expect(judged({ maxErrorRate: 0.01, minInvocations: 50 }, v(5, 5), old(45, 0)).outcome).toBe('fail');
  });
});

describe('min-invocations', () => {
  test('no pass before the new version served that many calls in the step', () => {
    const result = judged({ maxErrorRateIncrease: 0.01, minInvocations: 50 }, v(12, 0), old(108, 0));
    expect(result).toMatchObject({ outcome: 'not-enough-data', decidedBy: 'min-invocations' });
    expect(result.reason).toBe('the new version served 12 of the 50 calls min-invocations asks for in this step');
    expect(judged({ maxErrorRateIncrease: 0.01, minInvocations: 50 }, v(50, 0), old(450, 1)).outcome).toBe('pass');
  });

  test('a version with no traffic never passes while it is set', () => {
    expect(judged({ minInvocations: 1 }, v(0, 0), old(0, 0)).outcome).toBe('not-enough-data');
  });

  test('alone it is a rule too: the step passes once the calls are there', () => {
    expect(judged({ minInvocations: 10 }, v(10, 0), old(90, 1))).toMatchObject({
      outcome: 'pass',
      decidedBy: 'min-invocations, error guard'
    });
  });
});

describe('the error guard', () => {
  test('errors on the new version while the previous has none, both over min-invocations calls, fail', () => {
    const result = judged({ maxErrorRate: 0.05, minInvocations: 50 }, v(50, 1), old(450, 0));
    expect(result).toMatchObject({ outcome: 'fail', decidedBy: 'error guard' });
    expect(result.reason).toContain('new version: 1 error in 50 calls (2.0 %), previous: 0 in 450 (0.0 %)');
  });

  test(`it waits for min-invocations calls on each version (${DEFAULT_MIN_CALLS} without it)`, () => {
    expect(judged({ maxErrorRate: 0.05, minInvocations: 50 }, v(49, 1), old(450, 0))).toMatchObject({
      outcome: 'not-enough-data',
      decidedBy: 'min-invocations'
    });
    expect(judged({ maxErrorRate: 0.05 }, v(99, 1), old(900, 0)).outcome).toBe('pass');
    expect(judged({ maxErrorRate: 0.05 }, v(100, 1), old(900, 0)).outcome).toBe('fail');
  });

  test('a previous version with errors of its own is no reason', () => {
    expect(judged({ maxErrorRate: 0.05, minInvocations: 50 }, v(50, 1), old(450, 1)).outcome).toBe('pass');
  });
});

describe('p99', () => {
  test('max-p99-duration fails above the limit, once there are enough calls', () => {
    expect(judged({ maxP99DurationMs: 800 }, v(99, 0, 2000), old(900, 0, 100))).toMatchObject({
      outcome: 'not-enough-data',
      decidedBy: 'max-p99-duration'
    });
    const failed = judged({ maxP99DurationMs: 800 }, v(120, 0, 2400), old(1080, 0, 790));
    expect(failed).toMatchObject({ outcome: 'fail', decidedBy: 'max-p99-duration' });
    expect(failed.reason).toBe(
      'new version: p99 2400 ms over 120 calls, previous: p99 790 ms over 1080; above max-p99-duration 800 ms'
    );
    expect(judged({ maxP99DurationMs: 800 }, v(120, 0, 800), old(1080, 0, 790)).outcome).toBe('pass');
  });

  test('max-p99-duration-increase: three times the baseline fails, a little slower passes', () => {
    const failed = judged({ maxP99DurationIncrease: 0.25, minInvocations: 50 }, v(60, 0, 300), old(540, 0, 100));
    expect(failed).toMatchObject({ outcome: 'fail', decidedBy: 'max-p99-duration-increase' });
    expect(failed.reason).toContain('(at most 125 ms)');
    expect(judged({ maxP99DurationIncrease: 0.25, minInvocations: 50 }, v(60, 0, 120), old(540, 0, 100)).outcome).toBe('pass');
  });

  test('the increase needs enough calls on the previous version too', () => {
    expect(judged({ maxP99DurationIncrease: 0.25, minInvocations: 50 }, v(60, 0, 300), old(49, 0, 100))).toMatchObject({
      outcome: 'not-enough-data',
      reason: 'p99 is judged from at least 50 calls per version; the previous version served 49 in this step'
    });
  });
});

describe('combining the rules', () => {
  test('a fail anywhere wins over a lack of data elsewhere', () => {
    const result = judged({ maxErrorRate: 0.01, maxP99DurationMs: 800 }, v(50, 5, 100), old(450, 1, 100));
    expect(result).toMatchObject({ outcome: 'fail', decidedBy: 'max-error-rate' });
  });

  test('the step cannot pass while its last period has not arrived, but it can fail', () => {
    expect(judged({ maxErrorRateIncrease: 0.01 }, v(50, 0), old(450, 1), true)).toMatchObject({
      outcome: 'not-enough-data',
      decidedBy: 'metric delay'
    });
    expect(judged({ maxErrorRateIncrease: 0.01 }, v(50, 5), old(450, 1), true).outcome).toBe('fail');
  });

  test('a pass names every rule that passed, and quotes the numbers', () => {
    const result = judged(
      { maxErrorRateIncrease: 0.01, maxP99DurationIncrease: 0.5, minInvocations: 50 },
      v(60, 1, 110),
      old(540, 5, 100)
    );
    expect(result).toMatchObject({
      outcome: 'pass',
      decidedBy: 'min-invocations, error guard, max-error-rate-increase, max-p99-duration-increase'
    });
    expect(result.reason).toBe(
      'new version: 1 error in 60 calls (1.7 %), previous: 5 in 540 (0.9 %); new version: p99 110 ms over 60 calls, previous: p99 100 ms over 540'
    );
  });

  test.each([
    // edge cases: [target calls, errors, previous calls, errors, outcome]
    [0, 0, 0, 0, 'not-enough-data'],
    [0, 0, 500, 5, 'not-enough-data'],
    [100, 0, 900, 0, 'pass'],
    [100, 0, 0, 0, 'not-enough-data']
  ] as const)('%p calls with %p errors against %p with %p: %p', (tc, te, pc, pe, outcome) => {
    expect(judged({ maxErrorRateIncrease: 0.01, minInvocations: 50 }, v(tc, te), old(pc, pe)).outcome).toBe(outcome);
  });
});

import { describe, expect, test } from '@jest/globals';
import { contains, judgeProbeAnswer } from '../../../src/core/probes.js';
import { failureRateUpperBound, failuresConfirmedPValue, RoutedFailureEvidence } from '../../../src/checks/probes/evidence.js';
import { ALIAS_SETTLE_MS, MAX_CONFIRMATIONS, ProbeJudge } from '../../../src/checks/probes/judge.js';

describe('one answer against the assertions', () => {
  test('a function error fails, whatever it answered', () => {
    expect(judgeProbeAnswer({ functionError: 'Unhandled', payload: '{"ok":true}', durationMs: 5 }, {})).toEqual({
      passed: false,
      why: 'the function raised an error (Unhandled)',
      failedOn: 'answer'
    });
  });

  test('the expected subset must be there; an answer that is not JSON fails it', () => {
    const expectOk = { expect: { statusCode: 200, body: { ok: true } } };
    expect(judgeProbeAnswer({ payload: '{"statusCode":200,"body":{"ok":true,"n":1},"x":2}', durationMs: 1 }, expectOk)).toEqual({
      passed: true
    });
    expect(judgeProbeAnswer({ payload: '{"statusCode":500}', durationMs: 1 }, expectOk).passed).toBe(false);
    expect(judgeProbeAnswer({ payload: 'OK', durationMs: 1 }, expectOk)).toMatchObject({
      why: expect.stringContaining('not JSON'),
      failedOn: 'answer'
    });
  });

  test('a slow answer fails probe-max-duration', () => {
    expect(judgeProbeAnswer({ payload: 'null', durationMs: 501 }, { maxDurationMs: 500 })).toMatchObject({
      passed: false,
      failedOn: 'duration'
    });
    expect(judgeProbeAnswer({ payload: 'null', durationMs: 500 }, { maxDurationMs: 500 })).toEqual({ passed: true });
  });

  test('contains: objects by subset, arrays and scalars equal', () => {
    expect(contains({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { c: 2 }] })).toBe(true);
    expect(contains({ a: 1 }, { a: '1' })).toBe(false);
    expect(contains([1, 2], [1])).toBe(false);
    expect(contains(null, {})).toBe(false);
    expect(contains({ a: null }, { a: null })).toBe(true);
  });
});

describe('where the failed probes ran', () => {
  test('failures of the new version alone build evidence; failures of both cancel out', () => {
    const alone = new RoutedFailureEvidence();
    for (let i = 0; i < 4; i++) alone.addFailure(true, 0.1);
    expect(alone.eValue).toBeGreaterThan(400);

    const both = new RoutedFailureEvidence();
    // At 10 %, one failure in ten on the new version is what the same failure rate gives.
    for (let i = 0; i < 40; i++) both.addFailure(i % 10 === 0, 0.1);
    expect(both.eValue).toBeLessThan(1);
  });

  test('a probe sent with no split (0 % or 100 %) carries no evidence', () => {
    const evidence = new RoutedFailureEvidence();
    evidence.addFailure(true, 1);
    evidence.addFailure(true, 0);
    expect(evidence.eValue).toBe(1);
    expect(evidence.newFailures).toBe(0);
  });
});

describe('the upper bound of a failure rate', () => {
  test('it shrinks with calls and stays above the observed rate', () => {
    const few = failureRateUpperBound(0, 100, 0.00125);
    const many = failureRateUpperBound(0, 10_000, 0.00125);
    expect(few).toBeGreaterThan(many);
    expect(many).toBeLessThan(0.003);
    expect(failureRateUpperBound(50, 1000, 0.00125)).toBeGreaterThan(0.05);
    expect(failureRateUpperBound(0, 0, 0.01)).toBe(1);
  });
});

describe("Fisher's exact test of a confirmation burst", () => {
  const tally = (failed: number, answered = 10) => ({ failed, answered });

  test('matches the hypergeometric tail computed by hand', () => {
    // All 10 failures on the new version of 10 + 10 calls: 1 / C(20, 10).
    expect(failuresConfirmedPValue(tally(10), tally(0))).toBeCloseTo(1 / 184_756, 12);
    // 9 of 10 failed on the new version, none on the previous: C(10, 9) / C(20, 9).
    expect(failuresConfirmedPValue(tally(9), tally(0))).toBeCloseTo(10 / 167_960, 12);
    // 2 on the new version, 1 on the previous: P(X ≥ 2) with 3 failures = (C(10,2)·10 + C(10,3)) / C(20,3).
    expect(failuresConfirmedPValue(tally(2), tally(1))).toBeCloseTo((45 * 10 + 120) / 1140, 12);
  });

  test('failures on both versions, or none on the new one, confirm nothing', () => {
    expect(failuresConfirmedPValue(tally(10), tally(10))).toBe(1);
    expect(failuresConfirmedPValue(tally(0), tally(3))).toBe(1);
    expect(failuresConfirmedPValue(tally(0), tally(0))).toBe(1);
    expect(failuresConfirmedPValue(tally(5), tally(5))).toBeGreaterThan(0.5);
  });

  test('its error rate: with both versions failing alike, p ≤ a happens at most a of the time (exact enumeration)', () => {
    // Every outcome of 10 + 10 independent calls failing with the same probability q, weighted exactly.
    const choose = (n: number, k: number): number => (k < 0 || k > n ? 0 : k === 0 ? 1 : (choose(n, k - 1) * (n - k + 1)) / k);
    for (const q of [0.01, 0.2, 0.5, 0.9]) {
      for (const level of [0.05, 1e-3, 6.25e-5]) {
        let rejected = 0;
        for (let x = 0; x <= 10; x++) {
          for (let y = 0; y <= 10; y++) {
            const chance = choose(10, x) * q ** x * (1 - q) ** (10 - x) * choose(10, y) * q ** y * (1 - q) ** (10 - y);
            if (failuresConfirmedPValue(tally(x), tally(y)) <= level) rejected += chance;
          }
        }
        expect(rejected).toBeLessThanOrEqual(level);
      }
    }
  });
});

describe('the probe judge of one alias', () => {
  const T0 = 1_000_000;
  const failing = (sentAt: number, version: string, passed = false) => ({
    sentAt,
    answeredAt: sentAt,
    eventIndex: 0,
    version,
    passed,
    ...(passed ? {} : { failedOn: 'answer' as const })
  });

  test('new-version failures while the previous version passes break probe-failures-increase', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.observeStep(T0, T0 + 10_000, 20);
    for (let i = 0; i < 40; i++) judge.add(failing(T0 + ALIAS_SETTLE_MS + i * 100, '1', true));
    for (let i = 0; i < 8 && !judge.failure; i++) judge.add(failing(T0 + ALIAS_SETTLE_MS + i * 100, '2'));
    expect(judge.failure).toEqual({
      rule: 'probe-failures-increase',
      why: expect.stringMatching(/^version 2 failed \d of \d probes, version 1 failed 0 of 40 probes/)
    });
  });

  test('probes sent before the weight settled, or outside any known step, judge nothing', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.observeStep(T0, T0 + 10_000, 20);
    for (let i = 0; i < 50; i++) judge.add(failing(T0 + (i % 10), '2'));
    for (let i = 0; i < 50; i++) judge.add(failing(T0 + 20_000 + i, '2'));
    expect(judge.failure).toBeUndefined();
    expect(judge.tallies.get('2')).toEqual({ calls: 100, failures: 100 });
  });

  test('with all traffic on it, the new version is held to the previous version failure share', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.observeStep(T0, T0 + 100_000, 10);
    for (let i = 0; i < 1000; i++) judge.add(failing(T0 + ALIAS_SETTLE_MS + i * 10, '1', true));
    const final = T0 + 200_000;
    judge.observeStep(final, final + 100_000, 100);
    for (let i = 0; i < 10 && !judge.failure; i++) judge.add(failing(final + ALIAS_SETTLE_MS + i * 100, '2'));
    expect(judge.failure?.rule).toBe('probe-failure-rate');
    expect(judge.failure?.why).toMatch(/^with all traffic on it, version 2 failed \d+ of \d+ probes, more than [\d.]+%/);
  });

  test('at 100 %, a new version failing as often as the previous one did is not rolled back', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.observeStep(T0, T0 + 100_000, 10);
    for (let i = 0; i < 1000; i++) judge.add(failing(T0 + ALIAS_SETTLE_MS + i * 10, '1', i % 10 !== 0));
    const final = T0 + 200_000;
    judge.observeStep(final, final + 100_000, 100);
    for (let i = 0; i < 1000; i++) judge.add(failing(final + ALIAS_SETTLE_MS + i * 10, '2', i % 10 !== 3));
    expect(judge.failure).toBeUndefined();
  });

  test('a failed answer of the new version calls for a confirmation; a slow one, the previous version or a passed probe do not', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    expect(judge.wantsConfirmation(failing(T0, '2'))).toBe(true);
    expect(judge.wantsConfirmation({ ...failing(T0, '2'), failedOn: 'duration' })).toBe(false);
    expect(judge.wantsConfirmation(failing(T0, '1'))).toBe(false);
    expect(judge.wantsConfirmation(failing(T0, '2', true))).toBe(false);
  });

  test('a burst where the new version fails 9 of 10 and the previous none breaks probe-failures-confirmed', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.addConfirmation({ newVersion: { failed: 9, answered: 10 }, previous: { failed: 0, answered: 10 }, sent: 20 });
    expect(judge.failure).toEqual({
      rule: 'probe-failures-confirmed',
      why: expect.stringMatching(
        /^sent the failed probe's event to both versions at once: version 2 failed 9 of 10, version 1 0 of 10 \(Fisher's exact test p = 6\.0e-5 ≤ 6\.3e-5;/
      )
    });
    expect(judge.confirmationCalls).toBe(20);
  });

  test('a burst where both versions fail, or the new one only a few, breaks nothing; bursts stop at MAX_CONFIRMATIONS', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.addConfirmation({ newVersion: { failed: 10, answered: 10 }, previous: { failed: 10, answered: 10 }, sent: 20 });
    judge.addConfirmation({ newVersion: { failed: 8, answered: 10 }, previous: { failed: 0, answered: 10 }, sent: 20 });
    // Calls that got no answer count for neither version: 9 of 9 answered is not 9 of 10.
    judge.addConfirmation({ newVersion: { failed: 5, answered: 5 }, previous: { failed: 0, answered: 10 }, sent: 20 });
    expect(judge.failure).toBeUndefined();
    for (let i = judge.confirmations; i < MAX_CONFIRMATIONS; i++) {
      expect(judge.wantsConfirmation(failing(T0, '2'))).toBe(true);
      judge.addConfirmation({ newVersion: { failed: 1, answered: 10 }, previous: { failed: 1, answered: 10 }, sent: 20 });
    }
    expect(judge.wantsConfirmation(failing(T0, '2'))).toBe(false);
    judge.addConfirmation({ newVersion: { failed: 10, answered: 10 }, previous: { failed: 0, answered: 10 }, sent: 20 });
    expect(judge.failure).toBeUndefined();
    expect(judge.confirmations).toBe(MAX_CONFIRMATIONS);
  });
});

import { describe, expect, test } from '@jest/globals';
import { contains, judgeProbeAnswer } from '../../../src/core/probes.js';
import { failureRateUpperBound, RoutedFailureEvidence } from '../../../src/checks/probes/evidence.js';
import { ALIAS_SETTLE_MS, ProbeJudge } from '../../../src/checks/probes/judge.js';

describe('one answer against the assertions', () => {
  test('a function error fails, whatever it answered', () => {
    expect(judgeProbeAnswer({ functionError: 'Unhandled', payload: '{"ok":true}', durationMs: 5 }, {})).toEqual({
      passed: false,
      why: 'the function raised an error (Unhandled)'
    });
  });

  test('the expected subset must be there; an answer that is not JSON fails it', () => {
    const expectOk = { expect: { statusCode: 200, body: { ok: true } } };
    expect(judgeProbeAnswer({ payload: '{"statusCode":200,"body":{"ok":true,"n":1},"x":2}', durationMs: 1 }, expectOk)).toEqual({
      passed: true
    });
    expect(judgeProbeAnswer({ payload: '{"statusCode":500}', durationMs: 1 }, expectOk).passed).toBe(false);
    expect(judgeProbeAnswer({ payload: 'OK', durationMs: 1 }, expectOk)).toMatchObject({
      why: expect.stringContaining('not JSON')
    });
  });

  test('a slow answer fails probe-max-duration', () => {
    expect(judgeProbeAnswer({ payload: 'null', durationMs: 501 }, { maxDurationMs: 500 })).toMatchObject({ passed: false });
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

describe('the probe judge of one alias', () => {
  const T0 = 1_000_000;
  const failing = (sentAt: number, version: string, passed = false) => ({ sentAt, answeredAt: sentAt, version, passed });

  test('new-version failures while the previous version passes break probe-failures-increase', () => {
    const judge = new ProbeJudge(0.005, { target: '2', previous: '1' });
    judge.observeStep(T0, T0 + 10_000, 20);
    for (let i = 0; i < 40; i++) judge.add(failing(T0 + ALIAS_SETTLE_MS + i * 100, '1', true));
    for (let i = 0; i < 5 && !judge.failure; i++) judge.add(failing(T0 + ALIAS_SETTLE_MS + i * 100, '2'));
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
});

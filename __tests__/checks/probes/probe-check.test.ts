import { describe, expect, test } from '@jest/globals';
import type { InvokeResponse } from '../../../src/aws/lambda-gateway.js';
import { ProbeCheck } from '../../../src/checks/probes/probe-check.js';
import { Prober } from '../../../src/checks/probes/prober.js';
import type { CheckContext } from '../../../src/checks/checks.js';
import { AccessDenied, ResourceNotFound } from '../../../src/aws/failures.js';
import { ManualClock } from '../../support/manual-clock.js';

/** A function behind an alias: each Invoke routed by `weight` (alternating deterministically), answered by `answer`. */
function fakeLambda(_clock: ManualClock, answer: (version: string) => InvokeResponse) {
  const calls: string[] = [];
  let weight = 0;
  let sent = 0;
  return {
    calls,
    setWeight(percent: number) {
      weight = percent;
    },
    getTimeoutSeconds: async () => 3,
    checkInvokable: async () => undefined,
    invoke: async (ref: string): Promise<InvokeResponse> => {
      calls.push(ref);
      sent += 1;
      // Every (100 / weight)-th call goes to the new version.
      const version = weight > 0 && sent % Math.round(100 / weight) === 0 ? '2' : '1';
      return { ...answer(version), executedVersion: version };
    }
  };
}

const versions = [{ functionName: 'orders', alias: 'live', target: '2', previous: '1' }];

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

async function advance(clock: ManualClock, ms: number, stepMs = 100): Promise<void> {
  for (let moved = 0; moved < ms; moved += stepMs) {
    clock.advance(stepMs);
    await settle();
  }
}

describe('the probe check', () => {
  test('starts probing at its first read, judges each poll, and rolls back a version that fails its probes', async () => {
    const clock = new ManualClock();
    let failing = false;
    const lambda = fakeLambda(clock, (version) =>
      version === '2' && failing ? { functionError: 'Unhandled', payload: '{"errorMessage":"boom"}' } : { payload: '{"ok":true}' }
    );
    const prober = new Prober(lambda, { events: ['{"a":1}', '{"b":2}'], ratePerSecond: 10 }, clock);
    const check = new ProbeCheck(lambda, prober, [{ functionName: 'orders', alias: 'live', functionRef: 'orders' }]);
    expect((await check.preflight()).problems).toEqual([]);
    const context = (weightPercent: number, stepStartedAt: number): CheckContext => ({
      now: clock.now(),
      weightPercent,
      stepStartedAt,
      stepEndsAt: stepStartedAt + 60_000,
      step: { number: 1, of: 1 },
      versions
    });
    expect((await check.evaluate({ now: clock.now(), weightPercent: 0, stepStartedAt: clock.now(), versions })).kind).toBe(
      'healthy'
    );
    lambda.setWeight(20);
    const stepStart = clock.now();
    await advance(clock, 5000);
    const healthy = await check.evaluate(context(20, stepStart));
    expect(healthy.kind).toBe('healthy');
    expect(healthy.observations[0]!.state).toMatch(
      /^pass \(\d+ probe calls: version 1: 0 of \d+ failed, version 2: 0 of \d+ failed\)$/
    );
    expect(lambda.calls.every((ref) => ref === 'orders:live')).toBe(true);

    failing = true;
    let verdict = healthy;
    for (let poll = 0; poll < 10 && verdict.kind !== 'unhealthy'; poll++) {
      await advance(clock, 1000);
      verdict = await check.evaluate(context(20, stepStart));
    }
    expect(verdict.kind).toBe('unhealthy');
    if (verdict.kind === 'unhealthy') {
      expect(verdict.reason).toMatch(
        /^probes through orders:live \(probe-failures-increase\): version 2 failed \d+ of \d+ probes, version 1 failed 0 of \d+ probes/
      );
      expect(verdict.reason).toContain('it answered {"errorMessage":"boom"}');
    }
    const sentBefore = lambda.calls.length;
    await prober.stop();
    await advance(clock, 2000);
    expect(lambda.calls.length).toBe(sentBefore);
  });

  test('a step does not pass before a probe reached the new version in it', async () => {
    const clock = new ManualClock();
    const lambda = fakeLambda(clock, () => ({ payload: 'null' }));
    const prober = new Prober(lambda, { events: ['{}'], ratePerSecond: 1 }, clock);
    const check = new ProbeCheck(lambda, prober, [{ functionName: 'orders', alias: 'live', functionRef: 'orders' }]);
    await check.preflight();
    const stepStart = clock.now();
    // Weight 0 at the alias: nothing reaches version 2.
    await check.evaluate({
      now: clock.now(),
      weightPercent: 10,
      stepStartedAt: stepStart,
      stepEndsAt: stepStart,
      step: { number: 1, of: 1 },
      versions
    });
    await advance(clock, 3000);
    const verdict = await check.evaluate({
      now: clock.now(),
      weightPercent: 10,
      stepStartedAt: stepStart,
      stepEndsAt: stepStart,
      step: { number: 1, of: 1 },
      versions
    });
    expect(verdict).toMatchObject({
      kind: 'inconclusive',
      reason: 'no probe through orders:live reached version 2 in this step yet'
    });
    await prober.stop();
  });

  test('probes that get no answer, several in a row, make the read fail instead of judging blind', async () => {
    const clock = new ManualClock();
    const lambda = {
      ...fakeLambda(clock, () => ({ payload: 'null' })),
      invoke: async (): Promise<InvokeResponse> => {
        throw new Error('AccessDeniedException: not allowed');
      }
    };
    const prober = new Prober(lambda, { events: ['{}'], ratePerSecond: 5 }, clock);
    const check = new ProbeCheck(lambda, prober, [{ functionName: 'orders', alias: 'live', functionRef: 'orders' }]);
    await check.preflight();
    const stepStart = clock.now();
    await check.evaluate({ now: clock.now(), weightPercent: 0, stepStartedAt: stepStart, versions });
    await advance(clock, 2000);
    await expect(check.evaluate({ now: clock.now(), weightPercent: 10, stepStartedAt: stepStart, versions })).rejects.toThrow(
      /the last \d+ probes got no answer \(last: the invocation failed: .*not allowed\)/
    );
    await prober.stop();
  });

  test('each call has a time limit: a call that never answers gives up on the clock', async () => {
    const clock = new ManualClock();
    const lambda = {
      ...fakeLambda(clock, () => ({ payload: 'null' })),
      invoke: (): Promise<InvokeResponse> => new Promise(() => undefined)
    };
    const prober = new Prober(lambda, { events: ['{}'], ratePerSecond: 1 }, clock);
    prober.start([{ key: 'orders:live', ref: 'orders:live', timeoutMs: 2000 }]);
    await settle();
    await advance(clock, 2500);
    const outcomes = prober.take('orders:live');
    expect(outcomes[0]).toMatchObject({ passed: false, why: 'no answer within 2s' });
    expect(outcomes[0]!.version).toBeUndefined();
    await prober.stop();
  });

  test('the preflight refuses an alias these credentials cannot invoke, and skips one that does not exist yet', async () => {
    const clock = new ManualClock();
    const base = fakeLambda(clock, () => ({ payload: 'null' }));
    const aliases = [
      { functionName: 'orders', alias: 'live', functionRef: 'orders' },
      { functionName: 'billing', alias: 'live', functionRef: 'billing' }
    ];
    const lambda = {
      ...base,
      checkInvokable: async (ref: string) => {
        if (ref === 'orders:live')
          throw new AccessDenied('not authorized to perform: lambda:InvokeFunction', 'Invoke', 'lambda:InvokeFunction');
        throw new ResourceNotFound('Function not found: billing:live', 'Invoke');
      }
    };
    const check = new ProbeCheck(lambda, new Prober(lambda, { events: ['{}'], ratePerSecond: 1 }, clock), aliases);
    const findings = await check.preflight();
    expect(findings.problems).toEqual([
      expect.stringMatching(
        /^probe-rate sends probes through orders:live, and these credentials cannot invoke it \(lambda:InvokeFunction on the alias\): /
      )
    ]);
  });
});

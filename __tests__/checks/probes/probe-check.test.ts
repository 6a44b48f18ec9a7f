import { describe, expect, test } from '@jest/globals';
import type { InvokeResponse } from '../../../src/aws/lambda-gateway.js';
import { ProbeCheck } from '../../../src/checks/probes/probe-check.js';
import { Prober } from '../../../src/checks/probes/prober.js';
import type { CheckContext } from '../../../src/checks/checks.js';
import { AccessDenied, ResourceNotFound } from '../../../src/aws/failures.js';
import { ManualClock } from '../../support/manual-clock.js';

/**
 * A function behind an alias: each Invoke through the alias routed by `weight` (alternating
 * deterministically), one qualified by a version number run by that version; answered by `answer`.
 */
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
      const direct = /:(\d+)$/.exec(ref)?.[1];
      if (direct) return { ...answer(direct), executedVersion: direct };
      sent += 1;
      // Every (100 / weight)-th call through the alias goes to the new version.
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

/** What a poll in the one step of a rollout tells the check: `weightPercent` on version 2 since `stepStartedAt`. */
function stepContext(clock: ManualClock, weightPercent: number, stepStartedAt: number): CheckContext {
  return {
    now: clock.now(),
    weightPercent,
    stepStartedAt,
    stepEndsAt: stepStartedAt + 120_000,
    step: { number: 1, of: 1 },
    versions
  };
}

/** A call to a version by its number (a confirmation burst's), not through the alias. */
const isDirect = (ref: string): boolean => /:\d+$/.test(ref);

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
    const context = (weightPercent: number, stepStartedAt: number) => stepContext(clock, weightPercent, stepStartedAt);
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
    // The first poll after version 2's first failed probe confirms it with a burst to both versions, and rolls back.
    await advance(clock, 1000);
    const verdict = await check.evaluate(context(20, stepStart));
    expect(verdict.kind).toBe('unhealthy');
    if (verdict.kind === 'unhealthy') {
      expect(verdict.reason).toMatch(
        /^probes through orders:live \(probe-failures-confirmed\): sent the failed probe's event to both versions at once: version 2 failed 10 of 10, version 1 0 of 10 \(Fisher's exact test p = 5\.4e-6 ≤ 6\.3e-5; version 2 failed \d of \d+ probes through the alias\)/
      );
      expect(verdict.reason).toContain('it answered {"errorMessage":"boom"}');
      expect(verdict.observations[0]!.state).toMatch(/; 1 confirmation of 20 direct calls\)$/);
    }
    // The burst: the event that failed, ten calls to each version by its number.
    expect(lambda.calls.filter((ref) => ref === 'orders:2')).toHaveLength(10);
    expect(lambda.calls.filter((ref) => ref === 'orders:1')).toHaveLength(10);
    const sentBefore = lambda.calls.length;
    await prober.stop();
    await advance(clock, 2000);
    expect(lambda.calls.length).toBe(sentBefore);
  });

  test('a failure both versions share is not confirmed, and a slow answer sends no burst', async () => {
    const clock = new ManualClock();
    let mode: 'healthy' | 'outage' | 'slow' = 'healthy';
    const lambda = fakeLambda(clock, () =>
      mode === 'outage'
        ? { functionError: 'Unhandled', payload: '{"errorMessage":"dependency down"}' }
        : { payload: '{"ok":true}' }
    );
    // A slow answer: the fake moves the clock on while it answers.
    const invoke = lambda.invoke;
    lambda.invoke = async (ref: string) => {
      if (mode === 'slow') clock.advance(600);
      return invoke(ref);
    };
    const prober = new Prober(lambda, { events: ['{"a":1}'], ratePerSecond: 10, maxDurationMs: 500 }, clock);
    const check = new ProbeCheck(lambda, prober, [{ functionName: 'orders', alias: 'live', functionRef: 'orders' }]);
    await check.preflight();
    const context = (stepStartedAt: number) => stepContext(clock, 20, stepStartedAt);
    await check.evaluate({ now: clock.now(), weightPercent: 0, stepStartedAt: clock.now(), versions });
    lambda.setWeight(20);
    const stepStart = clock.now();
    await advance(clock, 3000);
    expect((await check.evaluate(context(stepStart))).kind).toBe('healthy');

    mode = 'slow';
    const before = lambda.calls.filter(isDirect).length;
    const failedBefore = check.tallies()[0]!.versions.get('2')!.failures;
    await advance(clock, 2000);
    await check.evaluate(context(stepStart));
    // Version 2 failed on its duration through the alias, and no burst went out for it.
    expect(check.tallies()[0]!.versions.get('2')!.failures).toBeGreaterThan(failedBefore);
    expect(lambda.calls.filter(isDirect).length).toBe(before);
    expect(before).toBe(0);

    mode = 'outage';
    let verdict = await check.evaluate(context(stepStart));
    for (let poll = 0; poll < 25; poll++) {
      await advance(clock, 1000);
      verdict = await check.evaluate(context(stepStart));
      expect(verdict.kind).toBe('healthy');
    }
    const direct = () => lambda.calls.filter(isDirect).length;
    // A burst at each poll (both versions failed all of it), none confirmed; 20 at most, and the log says when they are spent.
    expect(direct()).toBe(20 * 20);
    expect(verdict.observations[0]!.state).toMatch(
      /; 20 confirmations of 400 direct calls, none left: the sequential rules judge alone\)$/
    );
    expect(check.tallies()[0]!.versions.get('2')!.failures).toBeGreaterThan(0);

    await prober.stop();
  });

  test('a burst slower than the poll waits for goes on, and a later poll enters it', async () => {
    const clock = new ManualClock();
    let failing = false;
    const lambda = fakeLambda(clock, (version) =>
      version === '2' && failing ? { functionError: 'Unhandled', payload: '{"errorMessage":"boom"}' } : { payload: '{"ok":true}' }
    );
    // Calls to a version by its number take 8 s; those through the alias answer at once.
    const invoke = lambda.invoke;
    lambda.invoke = async (ref: string) => {
      if (isDirect(ref)) await clock.sleepUntil(clock.now() + 8000);
      return invoke(ref);
    };
    // Two probes a second at 10 %: too few failures of version 2 for the sequential rule in these seconds.
    const prober = new Prober(lambda, { events: ['{}'], ratePerSecond: 2 }, clock);
    const check = new ProbeCheck(lambda, prober, [{ functionName: 'orders', alias: 'live', functionRef: 'orders' }]);
    await check.preflight();
    const context = (stepStartedAt: number) => stepContext(clock, 10, stepStartedAt);
    await check.evaluate({ now: clock.now(), weightPercent: 0, stepStartedAt: clock.now(), versions });
    lambda.setWeight(10);
    const stepStart = clock.now();
    await advance(clock, 3000);
    failing = true;
    await advance(clock, 2000);
    // The poll sends the burst and waits 5 s for it, then goes on without it.
    const waiting = check.evaluate(context(stepStart));
    await advance(clock, 5000);
    const first = await waiting;
    expect(first.kind).not.toBe('unhealthy');
    expect(first.observations[0]!.state).not.toContain('confirmation');
    await advance(clock, 3500);
    const second = await check.evaluate(context(stepStart));
    expect(second).toMatchObject({
      kind: 'unhealthy',
      reason: expect.stringMatching(
        /^probes through orders:live \(probe-failures-confirmed\): .*version 2 failed 10 of 10, version 1 0 of 10/
      )
    });
    // One burst only, though version 2 failed more probes while it was out.
    expect(lambda.calls.filter(isDirect)).toHaveLength(20);
    await prober.stop();
  });

  test('a poll waits once for the bursts of all its aliases, within its own time limit', async () => {
    const clock = new ManualClock();
    let failing = false;
    const lambda = fakeLambda(clock, (version) =>
      version === '2' && failing ? { functionError: 'Unhandled', payload: '{}' } : { payload: '{"ok":true}' }
    );
    const invoke = lambda.invoke;
    lambda.invoke = async (ref: string) => {
      if (isDirect(ref)) {
        // A burst call: sent now (recorded), answered a minute later.
        lambda.calls.push(ref);
        await clock.sleepUntil(clock.now() + 60_000);
      }
      return invoke(ref);
    };
    const prober = new Prober(lambda, { events: ['{}'], ratePerSecond: 2 }, clock);
    const aliases = [
      { functionName: 'orders', alias: 'live', functionRef: 'orders' },
      { functionName: 'billing', alias: 'live', functionRef: 'billing' }
    ];
    const both = [...versions, { functionName: 'billing', alias: 'live', target: '2', previous: '1' }];
    const check = new ProbeCheck(lambda, prober, aliases);
    await check.preflight();
    await check.evaluate({ now: clock.now(), weightPercent: 0, stepStartedAt: clock.now(), versions: both });
    // All traffic on version 2 (a final bake, say): every probe of both aliases reaches it.
    lambda.setWeight(100);
    const stepStart = clock.now();
    failing = true;
    await advance(clock, 3000);
    let settled = false;
    const waiting = check
      .evaluate({ now: clock.now(), weightPercent: 100, stepStartedAt: stepStart, versions: both })
      .finally(() => (settled = true));
    await advance(clock, 5000);
    // Both aliases sent a burst (20 calls each), and the poll ended 5 s after it began, not 10.
    expect(settled).toBe(true);
    expect(lambda.calls.filter((ref) => /^orders:\d+$/.test(ref))).toHaveLength(20);
    expect(lambda.calls.filter((ref) => /^billing:\d+$/.test(ref))).toHaveLength(20);
    expect((await waiting).kind).not.toBe('unhealthy');
    await prober.stop();
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

  test('a confirmation burst has the same time limit and cancellation: calls that never answer count for neither version', async () => {
    const clock = new ManualClock();
    const lambda = {
      ...fakeLambda(clock, () => ({ payload: 'null' })),
      invoke: (): Promise<InvokeResponse> => new Promise(() => undefined)
    };
    const prober = new Prober(lambda, { events: ['{}'], ratePerSecond: 1 }, clock);
    const timedOut = prober.confirm({ timeoutMs: 2000 }, { newVersion: 'orders:2', previous: 'orders:1' }, 0, 3);
    await settle();
    await advance(clock, 2500);
    const burst = await timedOut;
    expect(burst.newVersion).toHaveLength(3);
    expect(
      [...burst.newVersion, ...burst.previous].every((o) => o.version === undefined && o.why === 'no answer within 2s')
    ).toBe(true);
    const controller = new AbortController();
    const cancelled = prober.confirm(
      { timeoutMs: 60_000 },
      { newVersion: 'orders:2', previous: 'orders:1' },
      0,
      3,
      controller.signal
    );
    await settle();
    controller.abort(new Error('the run was cancelled'));
    const settled = await cancelled;
    expect(settled.previous.every((o) => o.version === undefined)).toBe(true);
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

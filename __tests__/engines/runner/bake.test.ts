import { describe, expect, test } from '@jest/globals';
import type { BakeCheck, CheckContext } from '../../../src/checks/checks.js';
import { decideBake, heldPastDeadline, nextPollAt, type BakeState } from '../../../src/engines/runner/bake.js';
import { bakeDeadline } from '../../../src/engines/runner/bake-schedule.js';

const state: BakeState = {
  stepStart: 1_000,
  deadline: 61_000,
  intervalMs: 10_000,
  checkErrors: 0,
  maxCheckErrors: 3,
  maxExtensionMs: 30_000
};
const healthy = { kind: 'verdict', verdict: { kind: 'healthy', observations: [] } } as const;
const unhealthy = { kind: 'verdict', verdict: { kind: 'unhealthy', reason: 'alarm x is in ALARM', observations: [] } } as const;
const tooFew = { kind: 'verdict', verdict: { kind: 'inconclusive', reason: '12 calls, 50 needed', observations: [] } } as const;
const readError = { kind: 'check-error', error: 'ThrottlingException: slow down' } as const;

describe('decideBake', () => {
  test('healthy before the deadline waits for the next grid point', () => {
    expect(decideBake(state, healthy, 1_000).decision).toEqual({ kind: 'wait', until: 11_000 });
    expect(decideBake(state, healthy, 12_500).decision).toEqual({ kind: 'wait', until: 21_000 });
  });

  test('the last wait ends exactly at the deadline, even off the grid', () => {
    expect(decideBake({ ...state, deadline: 55_000 }, healthy, 51_000).decision).toEqual({ kind: 'wait', until: 55_000 });
  });

  test('healthy at or past the deadline advances', () => {
    expect(decideBake(state, healthy, 61_000).decision).toEqual({ kind: 'advance' });
  });

  test('unhealthy rolls back with the check reason, whatever the time', () => {
    expect(decideBake(state, unhealthy, 2_000).decision).toEqual({ kind: 'rollback', reason: 'alarm x is in ALARM' });
  });

  test('a read error never advances, even past the deadline', () => {
    const { decision, state: next } = decideBake(state, readError, 70_000);
    expect(decision).toEqual({ kind: 'wait', until: 71_000 });
    expect(next.checkErrors).toBe(1);
  });

  test('not enough data before the deadline waits as usual', () => {
    expect(decideBake(state, tooFew, 12_500).decision).toEqual({ kind: 'wait', until: 21_000 });
  });

  test('not enough data at the deadline holds the step, polling on, up to the extension', () => {
    expect(decideBake(state, tooFew, 61_000).decision).toEqual({ kind: 'wait', until: 71_000 });
    expect(decideBake(state, tooFew, 85_000).decision).toEqual({ kind: 'wait', until: 91_000 });
  });

  test('still not enough data when the extension runs out: stop for want of data (never promote), with the step’s own figures', () => {
    expect(decideBake(state, tooFew, 91_000).decision).toEqual({
      kind: 'rollback',
      reason:
        'stopped for want of data, with no failure seen: the step ran 1m30s, 30s of them held past its end ' +
        '(max-bake-extension 30s), and 12 calls, 50 needed'
    });
  });

  test('a step held past its deadline says how long, until the poll that let it go answered; one never held, 0', () => {
    const held = decideBake(state, tooFew, 61_000).state;
    expect(held.holding).toBe(true);
    expect(heldPastDeadline(held, 81_000)).toBe(20_000);
    // A step that began after its deadline (a slow write under load) still gets its whole extension.
    const late = { ...state, stepStart: 70_000 };
    expect(decideBake(late, tooFew, 95_000).decision).toEqual({ kind: 'wait', until: 100_000 });
    expect(decideBake(late, tooFew, 100_000).decision).toMatchObject({ kind: 'rollback' });
    expect(heldPastDeadline(decideBake(state, healthy, 61_000).state, 61_000)).toBe(0);
  });

  test('enough data during the extension advances', () => {
    expect(decideBake(state, healthy, 75_000).decision).toEqual({ kind: 'advance' });
  });

  test('read errors in a row up to the limit roll back; a good read resets the count', () => {
    const twice = { ...state, checkErrors: 2 };
    expect(decideBake(twice, readError, 5_000).decision).toMatchObject({ kind: 'rollback' });
    expect(decideBake(twice, healthy, 5_000).state.checkErrors).toBe(0);
  });
});

// The defect: with deadlines fixed from the first shift, a step held 2 minutes for its last minute
// of metrics left the next step 2 minutes less, and its extension ran out early.
test('deadlines count from the first shift, moved by the time earlier steps were held', () => {
  expect(bakeDeadline(1_000, 60_000, 0)).toBe(61_000);
  expect(bakeDeadline(1_000, 120_000, 150_000)).toBe(271_000);
});

test('nextPollAt skips the grid points a slow poll overran', () => {
  expect(nextPollAt({ stepStart: 0, intervalMs: 10 }, 0)).toBe(10);
  expect(nextPollAt({ stepStart: 0, intervalMs: 10 }, 9)).toBe(10);
  expect(nextPollAt({ stepStart: 0, intervalMs: 10 }, 10)).toBe(20);
  expect(nextPollAt({ stepStart: 0, intervalMs: 10 }, 35)).toBe(40);
});

test('every poll tells the checks when the step began and ends, and which versions it shifts between', async () => {
  const { bake } = await import('../../../src/engines/runner/bake.js');
  const { FakeClock } = await import('../../support/fake-clock.js');
  const clock = new FakeClock(0);
  const seen: CheckContext[] = [];
  const check: BakeCheck = {
    name: 'recording',
    preflight: async () => ({ problems: [], warnings: [] }),
    dataDelay: () => undefined,
    evaluate: async (context) => {
      seen.push(context);
      return { kind: 'healthy', observations: [] };
    }
  };
  const versions = [{ functionName: 'orders', alias: 'live', target: '2', previous: '1' }];
  const outcome = await bake({
    checks: [check],
    clock,
    stepStart: 1_000,
    deadline: 21_000,
    intervalMs: 10_000,
    maxCheckErrors: 3,
    maxExtensionMs: 0,
    pollLimitMs: 10_000,
    weightPercent: 10,
    versions
  });
  expect(outcome).toEqual({ healthy: true, heldMs: 0 });
  expect(
    seen.map(({ now, stepStartedAt, stepEndsAt, weightPercent }) => ({ now, stepStartedAt, stepEndsAt, weightPercent }))
  ).toEqual([
    { now: 11_000, stepStartedAt: 1_000, stepEndsAt: 21_000, weightPercent: 10 },
    { now: 21_000, stepStartedAt: 1_000, stepEndsAt: 21_000, weightPercent: 10 }
  ]);
  expect(seen[0]!.versions).toEqual(versions);
});

import { describe, expect, test } from '@jest/globals';
import { parseStrategy } from '../../../src/config/strategy.js';
import {
  describeRunnerStep,
  phaseOfStep,
  planPromotion,
  planShifting,
  type RunnerPlanFacts
} from '../../../src/engines/runner/plan.js';
import {
  describeCost,
  headroomCost,
  provisionedFacts,
  spilloverPerWindow,
  stepWindows
} from '../../../src/engines/runner/provisioned/report.js';
import { raisedTo } from '../../../src/engines/runner/provisioned/steps.js';

// The runner's provisioned-concurrency steps and report, on data alone.

function facts(overrides: Partial<RunnerPlanFacts> = {}): RunnerPlanFacts {
  return {
    targets: [{ name: 'orders', alias: 'live', liveVersion: '1' }],
    strategy: parseStrategy('Linear50PercentEvery1Minute'),
    hooks: { BeforeAllowTraffic: ['lambda:smoke'], AfterAllowTraffic: [] },
    checks: ['alarms'],
    pollIntervalMs: 10_000,
    provisioned: {
      aliases: [{ target: 0, label: 'orders:live', requested: 10 }],
      timeoutMs: 600_000,
      pollIntervalMs: 5_000,
      periodSeconds: 60
    },
    holdMaxAgeMs: 86_400_000,
    ...overrides
  };
}

describe('placement', () => {
  test('no alias with provisioned concurrency: the plan is as before', () => {
    const without = planShifting(facts({ provisioned: undefined }));
    expect(planShifting(facts({ provisioned: { ...facts().provisioned!, aliases: [] } }))).toEqual(without);
  });

  test('a check first, a wait after every weight change and the promotion, before its bake; the spill-over last', () => {
    const kinds = planShifting(facts()).map((step) => (step.kind === 'provisioned-wait' ? `wait:${step.after}` : step.kind));
    expect(kinds).toEqual([
      'provisioned-check',
      'hooks',
      'check',
      'shift',
      'wait:shift',
      'bake',
      'promote',
      'wait:promote',
      'check',
      'spillover'
    ]);
  });

  test('a headroom is raised before the hooks, waited for before the last look, and put back at the end', () => {
    const steps = planShifting(facts({ provisioned: { ...facts().provisioned!, headroom: { kind: 'percent', percent: 25 } } }));
    const kinds = steps.map((step) => (step.kind === 'provisioned-wait' ? `wait:${step.after}` : step.kind));
    expect(kinds.slice(0, 5)).toEqual(['provisioned-check', 'headroom', 'hooks', 'wait:headroom', 'check']);
    expect(kinds.slice(-2)).toEqual(['headroom-restore', 'spillover']);
    const raise = steps.find((step) => step.kind === 'headroom')!;
    expect(describeRunnerStep(raise)).toBe(
      'Raise the provisioned concurrency of orders:live from 10 to 13 (headroom, before any weight)'
    );
    expect(phaseOfStep(raise)).toBe('provisioned-concurrency');
    const afterShift = steps.find((step) => step.kind === 'provisioned-wait' && step.after === 'shift')!;
    expect(phaseOfStep(afterShift)).toBeUndefined();
    expect(describeRunnerStep(afterShift)).toBe(
      "Wait until Lambda reports the provisioned concurrency of orders:live READY after the shift to 50% (at most 10m; the step's " +
        'bake starts then, the time waited counts in no bake)'
    );
  });

  test('a hold waits for READY after its shift before the run ends held, and reads no spill-over (the promotion does)', () => {
    const steps = planShifting(facts({ strategy: parseStrategy('20%:1m, 50%:hold') }));
    const kinds = steps.map((step) => (step.kind === 'provisioned-wait' ? `wait:${step.after}` : step.kind));
    expect(kinds).toEqual(['provisioned-check', 'hooks', 'check', 'shift', 'wait:shift', 'bake', 'hold']);
    const hold = steps.at(-1)!;
    expect(hold.kind === 'hold' && hold.settle).toEqual([
      expect.objectContaining({ kind: 'provisioned-wait', after: 'hold', weightPercent: 50, timeoutMs: 600_000 })
    ]);
    expect(describeRunnerStep(hold)).toMatch(
      /; first, Wait until Lambda reports the provisioned concurrency of orders:live READY after the shift to 50% \(at most 10m; the run ends held then\)$/
    );
  });

  test('a promotion of a hold waits for READY after each weight and the promotion; no headroom, the spill-over last', () => {
    const steps = planPromotion({
      aliases: ['orders:live'],
      weightPercent: 50,
      heldAtMs: 0,
      then: parseStrategy('75%:1m').steps,
      afterAllowTraffic: [],
      checks: ['alarms'],
      pollIntervalMs: 10_000,
      provisioned: facts().provisioned!
    });
    const kinds = steps.map((step) => (step.kind === 'provisioned-wait' ? `wait:${step.after}` : step.kind));
    expect(kinds).toEqual(['judge-hold', 'shift', 'wait:shift', 'bake', 'promote', 'wait:promote', 'check', 'spillover']);
  });

  test('a headroom is a share rounded up, or a number of executions added', () => {
    expect(raisedTo(10, { kind: 'percent', percent: 20 })).toBe(12);
    expect(raisedTo(7, { kind: 'percent', percent: 10 })).toBe(8);
    expect(raisedTo(10, { kind: 'executions', executions: 5 })).toBe(15);
  });
});

describe('report', () => {
  const timeline = [
    { atMs: 0, phase: 'preflight' as const, message: 'Function orders', weightPercent: 0 },
    { atMs: 60_000, phase: 'shift' as const, message: 'Step 1/2: 10%', weightPercent: 10 },
    { atMs: 90_000, phase: 'shift' as const, message: 'READY', weightPercent: 10 },
    { atMs: 180_000, phase: 'shift' as const, message: 'Step 2/2: 50%', weightPercent: 50 },
    { atMs: 300_000, phase: 'rollback' as const, message: 'Alias back', weightPercent: 0 }
  ];

  test('the windows of constant weight from the first shift, the rollback named', () => {
    expect(stepWindows(timeline)).toEqual([
      { label: 'at 10%', startMs: 60_000 },
      { label: 'at 50%', startMs: 180_000 },
      { label: 'after the rollback', startMs: 300_000 }
    ]);
  });

  test('each period counts in the window its middle falls in; periods before the first shift do not count', () => {
    const points = [0, 60_000, 120_000, 180_000, 240_000, 300_000].map((startMs, index) => ({ startMs, value: index + 1 }));
    expect(spilloverPerWindow(points, stepWindows(timeline), 60)).toEqual([
      { label: 'at 10%', calls: 2 + 3 },
      { label: 'at 50%', calls: 4 + 5 },
      { label: 'after the rollback', calls: 6 }
    ]);
  });

  test('a headroom costs extra executions × time, in GB-seconds at the memory size', () => {
    const cost = headroomCost(4, 0, 15 * 60_000, 2048);
    expect(cost).toEqual({ extra: 4, durationMs: 900_000, executionMinutes: 60, gbSeconds: 7200 });
    expect(describeCost(cost, 2048)).toBe(
      "4 extra executions for 15m: 60 execution-minutes, 7200 GB-seconds at 2048 MB (billed at your region's provisioned-concurrency rate)"
    );
    expect(headroomCost(1, 0, 60_000).gbSeconds).toBeUndefined();
  });

  test('the summary rows name each alias when there are several, and say when the spill-over was not read', () => {
    const found = { requested: 10, allocated: 10, available: 10, status: 'READY' as const };
    const rows = provisionedFacts(
      [
        { label: 'api:live', found, spillover: [{ label: 'at 10%', calls: 3 }] },
        { label: 'worker:live', found, headroom: { from: 10, to: 12, restored: false } }
      ],
      { count: 0, totalMs: 0 }
    );
    expect(rows.map((row) => [row.label, row.parts[0]!.text])).toEqual([
      [
        'Provisioned concurrency',
        'api:live: 10 requested, 10 allocated, 10 available, READY before the deployment; worker:live: 10 requested, 10 allocated, 10 available, READY before the deployment'
      ],
      ['Headroom', 'worker:live: 10 → 12, NOT put back yet'],
      ['Spill-over to standard concurrency', 'api:live: at 10%: 3 calls']
    ]);
    expect(provisionedFacts([{ label: 'live', found }], { count: 1, totalMs: 5_000 }, 'AccessDenied').at(-1)).toEqual({
      label: 'Spill-over to standard concurrency',
      parts: [{ text: 'not read: AccessDenied' }]
    });
    expect(provisionedFacts([], { count: 0, totalMs: 0 })).toEqual([]);
  });
});

import { expect, test } from '@jest/globals';
import { parseStrategy } from '../../src/config/strategy.js';
import { describeRunnerStep, planShifting, type RunnerPlanFacts, type RunnerStep } from '../../src/engines/runner/plan.js';
import { describePlan as describeLines, planHead, publishes } from '../../src/plan/plan.js';
import type { DeploymentPlan, HeadStep, PlanTarget } from '../../src/plan/steps.js';

// The plan's head (src/plan/), and the whole plan as the spine makes it with the runner's steps.

interface Facts extends Omit<RunnerPlanFacts, 'targets'> {
  readonly targets: readonly PlanTarget[];
}

function facts(overrides: Partial<Omit<Facts, 'strategy'>> & { strategy?: string } = {}): Facts {
  const { strategy, ...rest } = overrides;
  return {
    targets: [{ name: 'orders', alias: 'live', liveVersion: '1' }],
    strategy: parseStrategy(strategy ?? 'Canary10Percent5Minutes'),
    hooks: { BeforeAllowTraffic: [], AfterAllowTraffic: [] },
    checks: [],
    pollIntervalMs: 10_000,
    holdMaxAgeMs: 86_400_000,
    ...rest
  };
}

/** The head, then the runner's steps (none when nothing is to be published), as the spine puts them together. */
function planDeployment(given: Facts): DeploymentPlan<RunnerStep> & { steps: ReadonlyArray<HeadStep | RunnerStep> } {
  const head = planHead(given.targets);
  const tail = publishes(given.targets) ? planShifting(given) : [];
  return { targets: given.targets, head, tail, closing: [], notes: [], steps: [...head, ...tail] };
}

const describePlan = (plan: DeploymentPlan<RunnerStep>): string[] => describeLines(plan, describeRunnerStep);

test('a canary: publish, shift, bake, promote', () => {
  expect(planDeployment(facts()).steps).toEqual([
    { kind: 'publish', functions: ['orders'] },
    { kind: 'shift', number: 1, of: 1, weightPercent: 10, bakeMs: 300_000, aliases: ['orders:live'] },
    { kind: 'bake', number: 1, of: 1, untilMs: 300_000, weightPercent: 10, checks: [], pollIntervalMs: 10_000 },
    { kind: 'promote', aliases: ['orders:live'], firstDeployment: false }
  ]);
});

test('bake deadlines count from the first shift and add up', () => {
  const bakes = planDeployment(facts({ strategy: '10%:1m, 20%:2m, 30%:3m' })).steps.flatMap((step) =>
    step.kind === 'bake' ? [step.untilMs] : []
  );
  expect(bakes).toEqual([60_000, 180_000, 360_000]);
});

test('with checks: read right before the first shift and after promotion; hooks in their places', () => {
  const plan = planDeployment(
    facts({
      strategy: 'AllAtOnce',
      checks: ['alarms'],
      hooks: { BeforeAllowTraffic: ['lambda:smoke'], AfterAllowTraffic: ['command:npm test'] }
    })
  );
  expect(plan.steps.map((step) => step.kind)).toEqual(['publish', 'hooks', 'check', 'promote', 'hooks', 'check']);
});

test('a split alias to repair comes first; a first deployment has no shift', () => {
  const repaired = planDeployment(facts({ targets: [{ name: 'orders', alias: 'live', liveVersion: '1', repairTo: '1' }] }));
  expect(repaired.steps[0]).toEqual({ kind: 'repair-split', target: 0, function: 'orders', alias: 'live', toVersion: '1' });
  const first = planDeployment(facts({ targets: [{ name: 'orders', alias: 'live' }] }));
  expect(first.steps.map((step) => step.kind)).toEqual(['publish', 'promote']);
});

test('the plan reads as numbered lines', () => {
  expect(
    describePlan(
      planDeployment(facts({ checks: ['alarms'], hooks: { BeforeAllowTraffic: ['lambda:smoke'], AfterAllowTraffic: [] } }))
    )
  ).toEqual([
    '1. Publish a new version of orders (unless its alias already serves this code and configuration)',
    '2. Run the BeforeAllowTraffic hooks: lambda:smoke',
    '3. Read the checks (alarms) once more; stop if one fails, before any traffic moves',
    "4. Step 1/1: 10% of orders:live's traffic to the new version",
    '5. Bake until 5m after the first shift, reading the checks every 10s',
    '6. Promote: orders:live sends 100% of its traffic to the new version',
    '7. Read the checks once more with all traffic on the new version (unless the last read is under half a poll interval old)'
  ]);
});

test('with the per-version analysis, a bake says that a hold of an earlier step moves it', () => {
  expect(describePlan(planDeployment(facts({ checks: ['analysis'] })))).toContain(
    '4. Bake until 5m after the first shift (later by as long as earlier steps waited or were held), reading the checks every 10s'
  );
});

/** The analysis's wait with a 3-second timeout and one-minute periods: a minute is complete 2m3s after it ends. */
const ANALYSIS_WAIT = {
  periodMs: 60_000,
  completeAfterMs: 123_000,
  what: "the analysis's last minute of metrics (up to 1m for the minute to end, the function's 3s timeout, 2m for CloudWatch)"
};

test('with the analysis waiting for each step’s last minute, the plan says how long the steps take, and that each waits', () => {
  const lines = describePlan(
    planDeployment(facts({ strategy: 'Linear10PercentEvery1Minute', checks: ['analysis'], wait: ANALYSIS_WAIT }))
  );
  // 9 steps of 1m. The first waits half a minute on average, 2m3s and half a 10 s poll (2m38s); each
  // later one begins 2m8s after a minute ended, 8 s into one, so its bake ends 8 s into a minute and it
  // waits 52 s, 2m3s and 5 s (3m): 9m + 2m38s + 8 × 3m = 35m38s.
  expect(lines[2]).toBe(
    "3. Step 1/9: 10% of orders:live's traffic to the new version (the 9 steps take about 36m with the waits, 9m of bake " +
      "without them: each step also waits for the analysis's last minute of metrics (up to 1m for the minute to end, the " +
      "function's 3s timeout, 2m for CloudWatch))"
  );
  expect(lines[3]).toBe(
    '4. Bake until 1m after the first shift (later by as long as earlier steps waited or were held), reading the checks ' +
      "every 10s; then wait up to 3m3s for the analysis's last minute of metrics (up to 1m for the minute to end, the " +
      "function's 3s timeout, 2m for CloudWatch)"
  );
  expect(lines[4]).toBe("5. Step 2/9: 20% of orders:live's traffic to the new version");
  const canary = describePlan(planDeployment(facts({ checks: ['analysis'], wait: ANALYSIS_WAIT })));
  expect(canary[2]).toMatch(
    /^3\. Step 1\/1: 10% of orders:live's traffic to the new version \(the step takes about 8m with the waits, 5m of bake without them/
  );
});

test('with several functions, the publish names each, and each is skipped on its own when already live', () => {
  const several = facts({
    targets: [
      { name: 'api', alias: 'live', liveVersion: '1' },
      { name: 'worker', alias: 'live', liveVersion: '4' }
    ]
  });
  expect(describePlan(planDeployment(several))[0]).toBe(
    '1. Publish a new version of api, worker (each, unless its alias already serves this code and configuration)'
  );
});

test('updates to $LATEST come before the publish: configuration first, then code', () => {
  const plan = planDeployment(
    facts({
      targets: [
        {
          name: 'orders',
          alias: 'live',
          liveVersion: '1',
          updates: { configuration: ['memory-size', 'env-vars (A1)'], code: 'directory dist/ (3 files, 1.0 KB)' }
        }
      ]
    })
  );
  expect(plan.steps.slice(0, 3)).toEqual([
    { kind: 'update-configuration', target: 0, function: 'orders', changes: ['memory-size', 'env-vars (A1)'] },
    { kind: 'update-code', target: 0, function: 'orders', source: 'directory dist/ (3 files, 1.0 KB)' },
    { kind: 'publish', functions: ['orders'] }
  ]);
  expect(describePlan(plan).slice(0, 2)).toEqual([
    '1. Update the configuration of orders ($LATEST): memory-size, env-vars (A1); wait until Lambda has applied it',
    '2. Upload the code of orders ($LATEST, not published yet) from directory dist/ (3 files, 1.0 KB); wait until Lambda has applied it'
  ]);
});

test('a function that is up to date has nothing to do: only a split alias is still repaired', () => {
  const upToDate = planDeployment(facts({ targets: [{ name: 'orders', alias: 'live', liveVersion: '3', upToDate: true }] }));
  expect(upToDate.steps).toEqual([]);
  expect(describePlan(upToDate)).toEqual(['1. Nothing else: orders:live (version 3) already has this code and configuration']);
  const repaired = planDeployment(
    facts({ targets: [{ name: 'orders', alias: 'live', liveVersion: '3', repairTo: '3', upToDate: true }] })
  );
  expect(repaired.steps.map((step) => step.kind)).toEqual(['repair-split']);
});

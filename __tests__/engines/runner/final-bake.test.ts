import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { SdkLambdaGateway } from '../../../src/aws/sdk-lambda-gateway.js';
import { recoverDeployment } from '../../../src/engines/index.js';
import { planPromotion } from '../../../src/engines/runner/plan.js';
import type { RunnerState } from '../../../src/engines/runner/state.js';
import { Recorder } from '../../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../../src/rollout/result.js';
import { CaptureLog } from '../../support/capture-log.js';
import { EmulatedAws, testClients } from '../../support/engine-harness.js';

// The final bake (`final-bake`) of the runner engine, against the emulator in-process on a fake
// clock: the checks keep watching after 100 %, and a failure puts the alias back with one write.

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

const FINAL_BAKE = { finalBake: { durationMs: 10 * 60_000 } };

test('a healthy version passes the final bake: the plan says it, it lasts its length, and the summary row says passed', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  const { result, report, log, elapsedMs, snapshots } = await aws.deploy({
    strategy: 'Canary10Percent5Minutes',
    alarms: ['errors'],
    ...FINAL_BAKE
  });
  expect(result.status).toBe('succeeded');
  expect(aws.aliasUpdates()).toEqual([
    ['1', { '2': 0.1 }],
    ['2', {}]
  ]);
  expect(elapsedMs).toBeGreaterThanOrEqual(15 * 60_000);
  expect(report.plan.at(-1)).toMatch(
    /^\d+\. Final bake: 10m with all of orders:live's traffic on the new version, watched by the checks \(alarms\) every 10s; a failure, or not enough data by its end, puts the alias back on the previous version with one UpdateAlias$/
  );
  expect(result.finalBakeMs).toBe(600_000);
  expect(result.engine.facts).toContainEqual({
    label: 'Final bake',
    parts: [{ text: 'passed: 10m with all traffic on the new version' }]
  });
  expect(snapshots.map((snapshot) => snapshot.phase)).toContain('final-bake');
  // A 10-minute final bake prints at least one progress line a minute.
  const progress = log.lines.filter((line) => line.startsWith('Final bake at 100%: '));
  expect(progress.length).toBeGreaterThanOrEqual(10);
  expect(progress[0]).toBe('Final bake at 100%: 9m50s left; healthy: alarms errors=OK');
});

test('an alarm that fires during the final bake puts the alias back with one UpdateAlias', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 8 * 60_000 });
  const { result, recorder } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'], ...FINAL_BAKE });
  expect(result.status).toBe('rolled-back');
  expect(result.failureReason).toMatch(/^the final bake failed: alarm errors is in ALARM/);
  expect(aws.aliasUpdates()).toEqual([
    ['1', { '2': 0.1 }],
    ['2', {}],
    ['1', {}]
  ]);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  expect(result.engine.facts).toContainEqual({
    label: 'Final bake',
    parts: [{ text: 'failed: the alias goes back to version 1' }]
  });
  expect(recorder.timeline.map((event) => event.phase)).toContain('final-bake');
});

test('the dry run prints the final bake in place of the last read after the promotion', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  const { report } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'], ...FINAL_BAKE, dryRun: true });
  expect(report.plan.at(-1)).toContain('Final bake: 10m');
  expect(report.plan.some((line) => line.includes('Read the checks once more with all traffic'))).toBe(false);
});

test('a promotion of a hold ends with the final bake, after its post-traffic hooks', () => {
  const steps = planPromotion({
    aliases: ['orders:live'],
    weightPercent: 50,
    heldAtMs: 0,
    then: [],
    afterAllowTraffic: ['lambda:smoke'],
    checks: ['alarms'],
    pollIntervalMs: 10_000,
    finalBakeMs: 15 * 60_000
  });
  expect(steps.map((step) => step.kind)).toEqual(['judge-hold', 'promote', 'hooks', 'final-bake']);
  expect(steps.at(-1)).toMatchObject({ kind: 'final-bake', durationMs: 15 * 60_000, checks: ['alarms'] });
});

test('a job killed during the final bake is put back by the post step with one UpdateAlias', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  const cancel = new AbortController();
  // The final bake begins 5 minutes in; the job is killed 2 minutes into it: the last snapshot is what the post step reads.
  aws.clock.at(aws.clock.now() + 7 * 60_000, () => cancel.abort('killed'));
  const { snapshots } = await aws.deploy(
    { strategy: 'Canary10Percent5Minutes', alarms: ['errors'], ...FINAL_BAKE },
    { signal: cancel.signal }
  );
  const killed = snapshots.filter((snapshot) => snapshot.phase === 'final-bake').at(-1) as DeploymentSnapshot<RunnerState>;
  expect(killed.targets[0]).toMatchObject({ previousVersion: '1', targetVersion: '2', aliasTouched: true });
  // The main step rolled back on the cancellation here; put the alias on version 2 again, as a killed one leaves it.
  await aws.emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders',
    Name: 'live',
    FunctionVersion: '2',
    RoutingConfig: { AdditionalVersionWeights: {} }
  });
  const updatesBefore = aws.aliasUpdates().length;
  const recovery = await recoverDeployment(killed, {
    aws: { lambda: new SdkLambdaGateway(testClients()), codedeploy: undefined as never },
    clock: aws.clock,
    recorder: new Recorder(new CaptureLog(), aws.clock),
    budgetMs: 10_000,
    provisioned: { timeoutMs: 60_000, pollIntervalMs: 1_000 }
  });
  expect(recovery.acted).toBe(true);
  expect(recovery.lines[0]).toContain('was interrupted during final-bake');
  expect(aws.aliasUpdates().slice(updatesBefore)).toEqual([['1', {}]]);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
});

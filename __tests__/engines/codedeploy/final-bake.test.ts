import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { SdkCodeDeployGateway } from '../../../src/aws/sdk-codedeploy-gateway.js';
import { SdkLambdaGateway } from '../../../src/aws/sdk-lambda-gateway.js';
import { acceptHandOver, watchRefusals } from '../../../src/engines/codedeploy/refusals.js';
import { recoverCodeDeploy } from '../../../src/engines/codedeploy/recover.js';
import { EmulatedCodeDeployAws, codeDeploySettings } from '../../support/codedeploy-harness.js';
import { testClients } from '../../support/engine-harness.js';

// engine: codedeploy with final-bake: once CodeDeploy reports success, the action watches the alarms
// with all traffic on the new version, and puts the alias back itself on a failure.

let aws: EmulatedCodeDeployAws;
beforeEach(() => {
  aws = new EmulatedCodeDeployAws();
});
afterEach(() => aws.restore());

const MINUTE = 60_000;
const FINAL_BAKE = { finalBake: { durationMs: 10 * MINUTE } };
const silentJournal = { event: () => undefined, detail: () => undefined, warning: () => undefined };
/**
 * Every write to the alias: CodeDeploy's own (AllAtOnce: version 2), the action's description-only
 * write that records version 2 as good once CodeDeploy succeeded, then any of the action's.
 */
const aliasUpdates = () => aws.aliasUpdates();

test('after CodeDeploy reports success, the final bake watches the alarms for its length and the run succeeds', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  const { result, report, log, snapshots } = await aws.runCodeDeploy({ alarms: ['errors'], ...FINAL_BAKE });
  expect(result.status).toBe('succeeded');
  expect(report.plan.at(-1)).toMatch(
    /Final bake: once CodeDeploy reports success, 10m with all of orders:live's traffic on the new version/
  );
  expect(snapshots.map((snapshot) => snapshot.phase)).toContain('final-bake');
  expect(aliasUpdates()).toEqual([
    ['2', {}],
    ['2', {}]
  ]);
  expect(result.engine.facts).toContainEqual({
    label: 'Final bake',
    parts: [{ text: 'passed: 10m with all traffic on the new version' }]
  });
  expect(log.lines.filter((line) => line.startsWith('Final bake at 100%: ')).length).toBeGreaterThanOrEqual(10);
});

test('an alarm during the final bake puts the alias back with one UpdateAlias: CodeDeploy is done, so the action writes it', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 5 * MINUTE });
  const { result } = await aws.runCodeDeploy({ alarms: ['errors'], ...FINAL_BAKE });
  expect(result.status).toBe('rolled-back');
  expect(result.failureReason).toMatch(/^the final bake failed: alarm errors is in ALARM/);
  expect(aliasUpdates()).toEqual([
    ['2', {}],
    ['2', {}],
    ['1', {}]
  ]);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a job killed during the final bake: the post step puts the alias back with one UpdateAlias, with no deployment to stop', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  const { snapshots } = await aws.runCodeDeploy({ alarms: ['errors'], ...FINAL_BAKE });
  // What a job killed during its final bake leaves: the last snapshot saved in that phase.
  const killed = snapshots.filter((snapshot) => snapshot.phase === 'final-bake').at(-1)!;
  expect(killed.codedeploy.finalBake).toEqual({
    functionRef: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    alias: 'live',
    previousVersion: '1',
    targetVersion: '2',
    restored: false
  });
  const recovery = await recoverCodeDeploy(killed, {
    codedeploy: new SdkCodeDeployGateway(testClients()),
    lambda: new SdkLambdaGateway(testClients()),
    recorder: silentJournal,
    clock: aws.clock,
    budgetMs: 10_000
  });
  expect(recovery).toMatchObject({ acted: true, outcome: 'rolled back by the post step' });
  expect(recovery.lines[0]).toContain('during its final bake (CodeDeploy had finished). The post step rolled it back');
  expect(aliasUpdates()).toEqual([
    ['2', {}],
    ['2', {}],
    ['1', {}]
  ]);
  expect(aws.calls().filter((call) => call.operation === 'StopDeployment')).toEqual([]);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
});

test('final-bake is refused with wait: false and on a step that only watches', () => {
  const settings = codeDeploySettings({ ...FINAL_BAKE }, { wait: false });
  const accepted = acceptHandOver(settings);
  expect(accepted.ok).toBe(false);
  expect(!accepted.ok && accepted.refusals[0]!.message).toContain('wait');
  expect(watchRefusals({ dryRun: false, ...FINAL_BAKE })[0]!.message).toContain('final-bake');
});

test('while CodeDeploy bakes a 5-minute canary, the watch prints a progress line at least once a minute', async () => {
  aws.orders({ live: '1' });
  const { result, log } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes' });
  expect(result.status).toBe('succeeded');
  const progress = log.lines.filter((line) => /^CodeDeploy deployment d-\w+ is InProgress, 10% on version 2/.test(line));
  expect(progress.length).toBeGreaterThanOrEqual(4);
});

import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { recoverCodeDeploy } from '../../../src/engines/codedeploy/recover.js';
import type { CodeDeploySnapshot } from '../../../src/engines/codedeploy/snapshot.js';
import type { DeploymentSnapshot } from '../../../src/rollout/result.js';
import { systemClock } from '../../../src/core/clock.js';
import { CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { emulatorAnswer } from '../../../emulator/sdk-mock.js';
import { SdkCodeDeployGateway } from '../../../src/aws/sdk-codedeploy-gateway.js';
import { codeDeploySettings, EmulatedCodeDeployAws, runCodeDeploy, SERVICE_ROLE } from '../../support/codedeploy-harness.js';
import { testClients } from '../../support/engine-harness.js';

// engine: codedeploy in the engine, over the real SDK gateways, against the emulator in-process on a
// fake clock: CodeDeploy's minutes pass as fast as the watch polls them.

let aws: EmulatedCodeDeployAws;
beforeEach(() => {
  aws = new EmulatedCodeDeployAws();
});
afterEach(() => aws.restore());

const MINUTE = 60_000;
const phasesOf = (snapshots: readonly DeploymentSnapshot<CodeDeploySnapshot>[]): string[] =>
  snapshots.map((snapshot) => snapshot.phase).filter((phase, index, all) => phase !== all[index - 1]);
const deployments = () => aws.emu.codeDeployState().deployments;
const codedeployOps = () =>
  aws
    .calls()
    .filter((call) => call.service === 'codedeploy')
    .map((call) => call.operation);
/** A Lambda application `orders` with the group `live`, as a person would have made them. */
async function existingGroup(group: Record<string, unknown> = {}): Promise<void> {
  await aws.cd('CreateApplication', { applicationName: 'orders', computePlatform: 'Lambda' });
  await aws.cd('CreateDeploymentGroup', {
    applicationName: 'orders',
    deploymentGroupName: 'live',
    serviceRoleArn: SERVICE_ROLE,
    ...group
  });
}

describe('a rollout handed to CodeDeploy', () => {
  test('an alias with provisioned concurrency is not refused: CodeDeploy shifts it, Lambda moves the PC', async () => {
    aws.orders({ live: '1' });
    aws.emu.setProvisionedConcurrency('orders', 'live', 10, { allocationMs: 30_000 });
    const { result, log } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ version: '2', previousVersion: '1' }] });
    expect(log.lines).toContain('Alias live has provisioned concurrency: 10 requested, 10 allocated, 10 available, READY');
    // CodeDeploy's deployment ended while Lambda still allocated on version 2 (calls stay on version 1 until then):
    // it does not wait for READY, as the runner does.
    expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: { '1': 1 }, provisioned: { status: 'IN_PROGRESS' } });
    aws.clock.advance(30_000);
    expect(aws.alias()).toMatchObject({
      functionVersion: '2',
      weights: {},
      provisioned: { status: 'READY', versions: { '2': 10 } }
    });
  });

  test('a canary: CodeDeploy shifts the alias, the timeline has each event and weight, the snapshots have the id', async () => {
    aws.orders({ live: '1' }).alarm('errors');
    const { result, report, snapshots } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ version: '2', previousVersion: '1' }] });
    const [deployment] = deployments();
    expect(deployment).toMatchObject({
      status: 'Succeeded',
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes'
    });
    expect(result.engine).toMatchObject({
      kind: 'codedeploy',
      application: 'orders',
      deploymentGroup: 'live',
      deploymentId: deployment!.deploymentId,
      status: 'Succeeded',
      consoleUrl: `https://us-east-1.console.aws.amazon.com/codesuite/codedeploy/deployments/${deployment!.deploymentId}?region=us-east-1`
    });
    expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: {} });
    // The action never moved the alias itself: once CodeDeploy succeeded, it only wrote its record of
    // the promoted version into the description, guarded, with the routing CodeDeploy left.
    const own = aws.calls().filter((call) => call.operation === 'UpdateAlias' && !call.origin);
    expect(own.map((call) => call.params)).toEqual([
      expect.objectContaining({
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
        Description: 'lambda-safe-deploy/1{"g":["2"]}'
      })
    ]);
    const weights = report.timeline
      .filter((event) => event.phase === 'watch')
      .map((event) => [event.message, event.weightPercent]);
    expect(weights).toEqual([
      ['Lifecycle event AllowTraffic: InProgress', 0],
      ["CodeDeploy routes 10% of alias live's traffic to version 2", 10],
      ['Lifecycle event BeforeAllowTraffic: Skipped', 10],
      ["CodeDeploy routes all of alias live's traffic to version 2", 100],
      ['Lifecycle event AllowTraffic: Succeeded', 100],
      ['Lifecycle event AfterAllowTraffic: Skipped', 100],
      ['Alias live routes 100% to version 2 (read back from Lambda)', 100],
      [`CodeDeploy deployment ${deployment!.deploymentId} succeeded: alias live sends all traffic to version 2`, 100]
    ]);
    expect(phasesOf(snapshots)).toEqual(['preflight', 'publish', 'hand-over', 'watch', 'succeeded']);
    expect(snapshots.find((s) => s.phase === 'hand-over' && s.codedeploy.creating)?.codedeploy.deploymentId).toBeUndefined();
    expect(snapshots.at(-1)).toMatchObject({ engine: 'codedeploy' });
    expect(snapshots.at(-1)!.codedeploy).toEqual({
      application: 'orders',
      deploymentGroup: 'live',
      deploymentId: deployment!.deploymentId,
      creating: true,
      marker: 'lambda-safe-deploy deploy-1',
      watching: true,
      alias: 'orders:live'
    });
    expect(report.plan).toEqual([
      '1. Publish a new version of orders (unless its alias already serves this code and configuration)',
      '2. Hand over to AWS CodeDeploy: create application orders, deployment group live, then a deployment in orders/live with CodeDeployDefault.LambdaCanary10Percent5Minutes; CodeDeploy shifts the alias and watches the alarms',
      '3. Watch the CodeDeploy deployment to its end: each lifecycle event, and each weight as CodeDeploy moves it; cancelling the job stops it with automatic rollback'
    ]);
  });

  test('the AppSpec names the function, alias, both versions and the hooks; the description carries the action id', async () => {
    aws.orders({ live: '4' }).hook('CodeDeployHook_pre').hook('CodeDeployHook_post');
    aws.emu.setHookResponse('CodeDeployHook_pre', 'Succeeded');
    aws.emu.setHookResponse('CodeDeployHook_post', 'Succeeded');
    const { result } = await aws.runCodeDeploy({ preTrafficHook: 'CodeDeployHook_pre', postTrafficHook: 'CodeDeployHook_post' });
    expect(result.status).toBe('succeeded');
    const create = aws.callsOf('CreateDeployment')[0]!;
    const revision = create.params.revision as { appSpecContent: { content: string; sha256: string } };
    expect(revision.appSpecContent.content).toMatch(/^\{"version":0\.0,/);
    expect(JSON.parse(revision.appSpecContent.content)).toEqual({
      version: 0,
      Resources: [
        {
          orders: {
            Type: 'AWS::Lambda::Function',
            Properties: { Name: 'orders', Alias: 'live', CurrentVersion: '4', TargetVersion: '5' }
          }
        }
      ],
      Hooks: [{ BeforeAllowTraffic: 'CodeDeployHook_pre' }, { AfterAllowTraffic: 'CodeDeployHook_post' }]
    });
    expect(create.params).toMatchObject({
      deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
      description: 'lambda-safe-deploy deploy-1: orders:live 4 → 5 (AllAtOnce)',
      autoRollbackConfiguration: {
        enabled: true,
        events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST']
      }
    });
    expect(create.params.overrideAlarmConfiguration).toBeUndefined();
    // CodeDeploy invoked the hooks, asynchronously; the action only checked in its preflight that they exist.
    expect(aws.callsOf('Invoke').map((call) => [call.origin, call.params.InvocationType])).toEqual([
      ['codedeploy', 'Event'],
      ['codedeploy', 'Event']
    ]);
  });

  test('an existing application and group are used as they are; the alarms input is the deployment’s own', async () => {
    aws.orders({ live: '1' }).alarm('errors').alarm('group-alarm');
    await existingGroup({ alarmConfiguration: { enabled: true, alarms: [{ name: 'group-alarm' }] } });
    const before = aws.emu.codeDeployState().deploymentGroups;
    const { result, log } = await aws.runCodeDeploy(
      { strategy: 'Linear50PercentEvery1Minute', alarms: ['errors'] },
      { serviceRoleArn: undefined }
    );
    expect(result.status).toBe('succeeded');
    expect(codedeployOps().filter((op) => op.startsWith('Create') || op.startsWith('Update'))).toEqual([
      'CreateApplication',
      'CreateDeploymentGroup',
      'CreateDeploymentConfig',
      'CreateDeployment'
    ]);
    expect(aws.emu.codeDeployState().deploymentGroups).toEqual(before);
    expect(aws.callsOf('CreateDeployment')[0]!.params.overrideAlarmConfiguration).toEqual({
      enabled: true,
      ignorePollAlarmFailure: false,
      alarms: [{ name: 'errors' }]
    });
    expect(aws.emu.codeDeployState().deploymentConfigs).toEqual([
      expect.objectContaining({
        deploymentConfigName: 'LambdaSafeDeploy.Linear50PercentEvery1Minute',
        trafficRouting: { type: 'TimeBasedLinear', percentage: 50, intervalMinutes: 1 }
      })
    ]);
    expect(log.lines).toContain(
      "The alarms input is this deployment's own alarm configuration; deployment group live's (group-alarm) do not apply to it, and the group is left as it is"
    );
  });

  test("an alarm during CodeDeploy's bake: rolled-back, the alarm named, the alias back", async () => {
    aws.orders({ live: '1' }).alarm('errors');
    aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 2 * MINUTE, reason: 'Threshold Crossed' });
    const { result } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    const id = deployments()[0]!.deploymentId;
    const rollbackId = deployments()[1]!.deploymentId;
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toBe(
      `alarm errors is in ALARM (CodeDeploy stopped deployment ${id}: ALARM_ACTIVE); CodeDeploy rolled it back (deployment ${rollbackId})`
    );
    expect(result.engine).toMatchObject({ status: 'Stopped' });
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });

  test('a pre-traffic hook that reports Failed: failed, no traffic ever moved', async () => {
    aws.orders({ live: '1' }).hook('CodeDeployHook_pre');
    aws.emu.setHookResponse('CodeDeployHook_pre', 'Failed', { afterMs: 30_000 });
    const { result } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'CodeDeployHook_pre' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /failed: HOOK_EXECUTION_FAILURE: .*BeforeAllowTraffic lifecycle event hook CodeDeployHook_pre reported Failed/
    );
    expect(result.failureReason).toContain('no traffic had reached the new version');
    expect(aws.calls().filter((call) => call.operation === 'UpdateAlias')).toEqual([]);
  });

  test('a hook not named CodeDeployHook_* is warned about (the managed service policy cannot invoke it)', async () => {
    aws.orders({ live: '1' }).hook('smoke');
    aws.emu.setHookResponse('smoke', 'Succeeded');
    const { result, log } = await aws.runCodeDeploy({ preTrafficHook: 'smoke' });
    expect(result.status).toBe('succeeded');
    expect(log.warnings.join('\n')).toContain('hook smoke is not named CodeDeployHook_…');
  });

  test('a cancelled watch stops the deployment with automatic rollback and says so', async () => {
    aws.orders({ live: '1' });
    const cancel = new AbortController();
    aws.clock.at(aws.clock.now() + 2 * MINUTE, () => cancel.abort('SIGINT'));
    const { result } = await aws.runCodeDeploy({ strategy: 'Canary10Percent30Minutes' }, {}, { signal: cancel.signal });
    const id = deployments()[0]!.deploymentId;
    expect(result).toMatchObject({ status: 'rolled-back', cancelled: true });
    expect(result.failureReason).toMatch(
      new RegExp(
        `^the deployment was cancelled during watch \\(SIGINT\\): CodeDeploy deployment ${id} was stopped and rolled back`
      )
    );
    expect(aws.callsOf('StopDeployment').map((call) => call.params)).toEqual([{ deploymentId: id, autoRollbackEnabled: true }]);
    expect(deployments()[0]).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });

  test('cancelled while the pre-traffic hook runs: stopped before any traffic moved, so failed', async () => {
    aws.orders({ live: '1' }).hook('CodeDeployHook_pre');
    const cancel = new AbortController();
    aws.clock.at(aws.clock.now() + MINUTE, () => cancel.abort('SIGTERM'));
    const { result } = await aws.runCodeDeploy({ preTrafficHook: 'CodeDeployHook_pre' }, {}, { signal: cancel.signal });
    expect(result).toMatchObject({ status: 'failed', cancelled: true });
    expect(result.failureReason).toContain('was stopped before any traffic reached the new version');
  });

  test('wait false: in-progress once CodeDeploy has it; nothing is watched, the post step is told to leave it', async () => {
    aws.orders({ live: '1' });
    const { result, snapshots } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes' }, { wait: false });
    expect(result.status).toBe('in-progress');
    expect(result.engine).toMatchObject({
      kind: 'codedeploy',
      application: 'orders',
      deploymentGroup: 'live',
      deploymentConfig: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      deploymentId: deployments()[0]!.deploymentId,
      trackingId: deployments()[0]!.deploymentId,
      consoleUrl: expect.stringContaining('/codesuite/codedeploy/deployments/')
    });
    // Handed over, not watched: CodeDeploy's status was never read.
    expect(result.engine).not.toHaveProperty('status');
    expect(aws.callsOf('GetDeployment')).toEqual([]);
    expect(snapshots.at(-1)).toMatchObject({ phase: 'in-progress', codedeploy: { watching: false } });
    expect(deployments()[0]!.status).toBe('InProgress');
  });

  test('a dry run reads CodeDeploy and prints the plan, changing nothing', async () => {
    aws.orders({ live: '1' });
    const { result, report } = await aws.runCodeDeploy({ strategy: 'Canary25Percent2Minutes', dryRun: true });
    expect(result.status).toBe('skipped');
    expect(aws.calls().filter((call) => call.mutating)).toEqual([]);
    expect(report.plan[1]).toContain(
      'create application orders, deployment group live, deployment configuration LambdaSafeDeploy.Canary25Percent2Minutes, then a deployment'
    );
  });
});

describe('the preflight of engine codedeploy', () => {
  test('lists every problem at once: a group busy with another deployment, a configuration that shifts otherwise, an alarm elsewhere', async () => {
    aws.orders({ live: '1' }).hook('CodeDeployHook_slow');
    aws.emu.putAlarm({ name: 'far', state: 'OK', region: 'eu-west-1' });
    await existingGroup();
    await aws.cd('CreateDeploymentConfig', {
      deploymentConfigName: 'LambdaSafeDeploy.Canary25Percent2Minutes',
      computePlatform: 'Lambda',
      trafficRoutingConfig: { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 2 } }
    });
    const busy = (await aws.cd('CreateDeployment', {
      applicationName: 'orders',
      deploymentGroupName: 'live',
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: {
          content: JSON.stringify({
            version: 0.0,
            Resources: [
              {
                orders: {
                  Type: 'AWS::Lambda::Function',
                  Properties: { Name: 'orders', Alias: 'live', CurrentVersion: '1', TargetVersion: '1' }
                }
              }
            ],
            Hooks: [{ BeforeAllowTraffic: 'CodeDeployHook_slow' }]
          })
        }
      }
    })) as { deploymentId: string };
    const before = aws.calls().filter((call) => call.mutating).length;
    const far = {
      name: 'far',
      arn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:far',
      region: 'eu-west-1',
      accountId: '123456789012'
    };
    const { result } = await runCodeDeploy(
      { ...codeDeploySettings({ strategy: 'Canary25Percent2Minutes' }), alarms: [far] },
      { clock: aws.clock }
    );
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain(
      `CodeDeploy deployment group orders/live has a deployment in progress (${busy.deploymentId}, InProgress)`
    );
    expect(result.failureReason).toContain(
      'CodeDeploy deployment configuration LambdaSafeDeploy.Canary25Percent2Minutes exists but shifts traffic otherwise'
    );
    expect(result.failureReason).toContain('alarm arn:aws:cloudwatch:eu-west-1:123456789012:alarm:far is in eu-west-1');
    expect(aws.calls().filter((call) => call.mutating)).toHaveLength(before);
  });

  test('an absent application without a service role, and an absent alias, are refused before anything changes', async () => {
    aws.orders();
    const { result } = await aws.runCodeDeploy({}, { serviceRoleArn: undefined });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('CodeDeploy application orders does not exist, and codedeploy-service-role is empty');
    expect(result.failureReason).toContain('alias live does not exist, and CodeDeploy shifts an alias that exists');
    expect(aws.calls().filter((call) => call.mutating)).toEqual([]);
  });

  test('a CodeDeploy permission missing is named', async () => {
    aws.orders({ live: '1' });
    aws.emu.denyActions(['codedeploy:GetDeploymentGroup']);
    const { result } = await aws.runCodeDeploy();
    expect(result.failureReason).toContain(
      'CodeDeploy deployment group orders/live could not be read: these credentials may not codedeploy:GetDeploymentGroup'
    );
  });
});

describe('watching', () => {
  test('the deployment is read every codedeploy-poll-interval while it is watched', async () => {
    aws.orders({ live: '1' });
    const { result } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes' }, { pollIntervalMs: 60_000 });
    expect(result.status).toBe('succeeded');
    const reads = aws.callsOf('GetDeployment').map((call) => call.atMs);
    const gaps = reads.slice(1).map((at, index) => at - reads[index]!);
    // About five minutes of canary, read once a minute (at 10 s, the default, it would be thirty times).
    expect(reads.length).toBeGreaterThanOrEqual(5);
    expect(reads.length).toBeLessThanOrEqual(8);
    expect(gaps.every((gap) => gap === 60_000)).toBe(true);
  });

  test('reads that keep failing end the watch after 10 minutes, never the deployment', async () => {
    aws.orders({ live: '1' });
    aws.emu.failNext('GetDeployment', 10_000, 'InternalFailure');
    const { result, log } = await aws.runCodeDeploy({ strategy: 'Linear10PercentEvery10Minutes' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /^lost sight of the deployment: no read succeeded for 10 minutes .*; it goes on in CodeDeploy/
    );
    expect(aws.callsOf('StopDeployment')).toEqual([]);
    expect(log.warnings.length).toBeGreaterThan(10);
  });

  test('a read AWS refuses ends the watch at once, naming the permission', async () => {
    aws.orders({ live: '1' });
    aws.emu.denyActions(['codedeploy:GetDeployment']);
    const { result } = await aws.runCodeDeploy({ strategy: 'Canary10Percent5Minutes' });
    expect(result.failureReason).toMatch(/^cannot watch the deployment: these credentials may not codedeploy:GetDeployment/);
    expect(aws.callsOf('GetDeployment')).toHaveLength(1);
  });

  test('a watching step reports a deployment handed over earlier, as the step that started it would have', async () => {
    aws.orders({ live: '1' });
    await aws.runCodeDeploy({ strategy: 'Linear25PercentEvery3Minutes' }, { wait: false });
    const id = deployments()[0]!.deploymentId;
    const publishes = aws.callsOf('PublishVersion').length;
    const { result, report } = await aws.runCodeDeploy({}, { deploymentId: id });
    expect(result).toMatchObject({
      status: 'succeeded',
      targets: [{ functionName: 'orders', alias: 'live', version: '2', previousVersion: '1' }],
      strategy: { name: 'LambdaSafeDeploy.Linear25PercentEvery3Minutes', kind: 'linear' },
      engine: { deploymentId: id, status: 'Succeeded', deploymentConfig: 'LambdaSafeDeploy.Linear25PercentEvery3Minutes' }
    });
    expect(result.strategy.steps.map((step) => step.weightPercent)).toEqual([25, 50, 75]);
    expect(aws.callsOf('PublishVersion')).toHaveLength(publishes);
    expect(report.timeline.map((event) => event.weightPercent)).toContain(75);
  });

  test('a watching step refuses a deployment of another function', async () => {
    aws.orders({ live: '1' });
    await aws.runCodeDeploy({}, { wait: false });
    const id = deployments()[0]!.deploymentId;
    const { result } = await aws.runCodeDeploy({ functionName: 'payments' }, { deploymentId: id });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toBe(
      `CodeDeploy deployment ${id} deploys orders:live, not function payments: check codedeploy-deployment-id and function-name (nothing was watched or changed)`
    );
  });
});

describe('a lost CreateDeployment answer, and the post step', () => {
  test('a cancelled hand-over whose CreateDeployment never answers owes a stop; the post step finds it by its marker and stops it', async () => {
    aws.orders({ live: '1' });
    const cancel = new AbortController();
    // CodeDeploy creates the deployment, and its answer never comes; the job is cancelled meanwhile.
    const create = emulatorAnswer(aws.emu, 'codedeploy', 'CreateDeployment');
    aws.codedeploy.on(CreateDeploymentCommand).callsFake(async (input, getClient) => {
      await create(input, getClient);
      cancel.abort('SIGINT');
      return new Promise(() => undefined);
    });
    const { result, snapshots } = await aws.runCodeDeploy(
      { strategy: 'Canary10Percent30Minutes' },
      {},
      { signal: cancel.signal }
    );
    expect(result).toMatchObject({ status: 'failed', cancelled: true });
    expect(result.failureReason).toContain('CreateDeployment got no answer');
    const last = snapshots.at(-1)!;
    expect(last).toMatchObject({ phase: 'failed', rollbackOwed: true, codedeploy: { creating: true, watching: true } });
    expect(last.codedeploy!.deploymentId).toBeUndefined();
    expect(deployments()[0]!.status).toBe('InProgress');

    const recovery = await recoverCodeDeploy(last, {
      codedeploy: new SdkCodeDeployGateway(testClients()),
      clock: aws.clock,
      budgetMs: 10_000
    });
    expect(recovery.acted).toBe(true);
    expect(recovery.lines[0]).toContain(
      `The post step stopped CodeDeploy deployment ${deployments()[0]!.deploymentId} with automatic rollback`
    );
    expect(deployments()[0]!.status).toBe('Stopped');
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });

  test('the post step leaves a deployment handed over on purpose, and says when one had already ended', async () => {
    aws.orders({ live: '1' });
    const { snapshots, codedeploy } = await aws.runCodeDeploy({}, { wait: false });
    const handedOver = { ...snapshots.at(-1)!, phase: 'hand-over' as const };
    const left = await recoverCodeDeploy(handedOver, { codedeploy, clock: systemClock, budgetMs: 1_000 });
    expect(left.acted).toBe(false);
    expect(left.lines[0]).toContain('on purpose (wait: false)');
    const watched = { ...handedOver, codedeploy: { ...handedOver.codedeploy!, watching: true } };
    const ended = await recoverCodeDeploy(watched, { codedeploy, clock: aws.clock, budgetMs: 1_000 });
    expect(ended.lines[0]).toMatch(/had already ended Succeeded: nothing to stop/);
  });
});

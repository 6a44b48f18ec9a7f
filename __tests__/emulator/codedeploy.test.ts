import {
  ApplicationDoesNotExistException,
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  CodeDeployServiceException,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  DeploymentAlreadyCompletedException,
  DeploymentConfigAlreadyExistsException,
  DeploymentConfigDoesNotExistException,
  DeploymentDoesNotExistException,
  DeploymentLimitExceededException,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  InvalidLifecycleEventHookExecutionIdException,
  InvalidLifecycleEventHookExecutionStatusException,
  InvalidRevisionException,
  InvalidTrafficRoutingConfigurationException,
  LifecycleEventAlreadyCompletedException,
  ListApplicationsCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  StopDeploymentCommand,
  ThrottlingException,
  UpdateDeploymentGroupCommand,
  type CreateDeploymentCommandInput,
  type CreateDeploymentGroupCommandInput
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, InvokeCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { Emulator, EmulatorClient, startEmulator } from '../../emulator/index.js';
import { attachToSdkMocks } from '../../emulator/sdk-mock.js';
import { ACCOUNT, sdkError, startHarness, T0, type Harness } from './harness.js';

// Emulated CodeDeploy (AWS JSON 1.1) with the real CodeDeployClient: Lambda deployments that shift the
// emulated alias on the emulator's clock (the injected clock, moved by the test).
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const MINUTE = 60_000;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/codedeploy`;
const APP = 'orders-app';
const GROUP = 'orders-group';

/** A function with versions 1 and 2, alias live on 1; a Lambda application and a group over it. */
async function setup(group: Partial<CreateDeploymentGroupCommandInput> = {}): Promise<void> {
  h.emu.createFunction({ name: 'orders', versions: 2, alias: { name: 'live', version: '1' } });
  await h.cd.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Lambda' }));
  await h.cd.send(
    new CreateDeploymentGroupCommand({
      applicationName: APP,
      deploymentGroupName: GROUP,
      serviceRoleArn: ROLE,
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] },
      ...group
    })
  );
}

interface SpecOptions {
  current?: string | number;
  target?: string | number;
  before?: string;
  after?: string;
}

/** The AppSpec document of a deployment of orders:live. */
function appSpec(o: SpecOptions = {}): Record<string, unknown> {
  const hooks = [...(o.before ? [{ BeforeAllowTraffic: o.before }] : []), ...(o.after ? [{ AfterAllowTraffic: o.after }] : [])];
  return {
    version: 0.0,
    Resources: [
      {
        orders: {
          Type: 'AWS::Lambda::Function',
          Properties: { Name: 'orders', Alias: 'live', CurrentVersion: o.current ?? '1', TargetVersion: o.target ?? '2' }
        }
      }
    ],
    ...(hooks.length > 0 ? { Hooks: hooks } : {})
  };
}

async function deploy(content: string, extra: Partial<CreateDeploymentCommandInput> = {}): Promise<string> {
  const out = await h.cd.send(
    new CreateDeploymentCommand({
      applicationName: APP,
      deploymentGroupName: GROUP,
      revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
      ...extra
    })
  );
  return out.deploymentId!;
}

const deployYaml = (o: SpecOptions = {}, extra: Partial<CreateDeploymentCommandInput> = {}) => deploy(toYaml(appSpec(o)), extra);
const deployment = async (id: string) => (await h.cd.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo!;
const target = async (id: string) =>
  (await h.cd.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: 'orders:live' }))).deploymentTarget!
    .lambdaTarget!;
const alias = () => h.lambda.send(new GetAliasCommand({ FunctionName: 'orders', Name: 'live' }));
const routing = async () => {
  const a = await alias();
  return [a.FunctionVersion, a.RoutingConfig?.AdditionalVersionWeights ?? {}];
};
/** What CodeDeploy did to Lambda by itself: [operation, emulator time offset, detail]. */
const codeDeployCalls = () =>
  h.emu
    .calls()
    .filter((c) => c.origin === 'codedeploy')
    .map((c) => [
      c.operation,
      c.atMs - T0,
      c.operation === 'UpdateAlias' ? [c.params.FunctionVersion, c.params.RoutingConfig] : c.functionName
    ]);
const hookIds = (id: string, event: string) =>
  h.emu
    .codeDeployState()
    .deployments.find((d) => d.deploymentId === id)!
    .lifecycleEvents.find((e) => e.name === event)!
    .hooks.map((x) => x.executionId);
const putHook = (deploymentId: string, executionId: string | undefined, status: string) =>
  h.cd.send(
    new PutLifecycleEventHookExecutionStatusCommand({
      deploymentId,
      lifecycleEventHookExecutionId: executionId,
      status: status as 'Succeeded'
    })
  );

describe('a canary deployment', () => {
  test('shifts the alias 10 % then 100 % at the configured emulator times, then succeeds', async () => {
    await setup();
    const before = await alias();
    const id = await deployYaml();
    expect(id).toMatch(/^d-[A-Z0-9]{9}$/);

    const started = await deployment(id);
    expect(started).toMatchObject({
      deploymentId: id,
      applicationName: APP,
      deploymentGroupName: GROUP,
      deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      status: 'InProgress',
      creator: 'user',
      computePlatform: 'Lambda',
      deploymentOverview: { InProgress: 1, Succeeded: 0, Failed: 0 }
    });
    expect(started.createTime).toEqual(new Date(T0));
    expect(started.startTime).toEqual(new Date(T0));
    expect(started.completeTime).toBeUndefined();
    expect(await routing()).toEqual(['1', { '2': 0.1 }]);
    const canary = await alias();
    expect(canary.RevisionId).not.toBe(before.RevisionId);
    const bake = await target(id);
    expect(bake.lambdaFunctionInfo).toEqual({
      functionName: 'orders',
      functionAlias: 'live',
      currentVersion: '1',
      targetVersion: '2',
      targetVersionWeight: 10
    });
    expect(bake.lifecycleEvents!.map((e) => [e.lifecycleEventName, e.status])).toEqual([
      ['BeforeAllowTraffic', 'Skipped'],
      ['AllowTraffic', 'InProgress'],
      ['AfterAllowTraffic', 'Pending']
    ]);
    expect(bake.lifecycleEvents![1]!.startTime).toEqual(new Date(T0));
    expect(bake).toMatchObject({ status: 'InProgress', targetArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders:live` });

    h.advance(5 * MINUTE - 1);
    expect(await routing()).toEqual(['1', { '2': 0.1 }]);
    expect((await deployment(id)).status).toBe('InProgress');

    h.advance(1);
    expect(await routing()).toEqual(['2', {}]);
    expect((await alias()).RevisionId).not.toBe(canary.RevisionId);
    const done = await deployment(id);
    expect(done).toMatchObject({ status: 'Succeeded', deploymentOverview: { Succeeded: 1, InProgress: 0 } });
    expect(done.completeTime).toEqual(new Date(T0 + 5 * MINUTE));
    expect(done.errorInformation).toBeUndefined();
    const end = await target(id);
    expect(end.lambdaFunctionInfo!.targetVersionWeight).toBe(100);
    expect(end.lifecycleEvents!.map((e) => e.status)).toEqual(['Skipped', 'Succeeded', 'Skipped']);
    expect(end.lifecycleEvents![1]!.endTime).toEqual(new Date(T0 + 5 * MINUTE));
    expect(codeDeployCalls()).toEqual([
      ['UpdateAlias', 0, ['1', { AdditionalVersionWeights: { '2': 0.1 } }]],
      ['UpdateAlias', 5 * MINUTE, ['2', { AdditionalVersionWeights: {} }]]
    ]);
  });

  test('a late reader sees each step at the time it was due (the emulator catches up lazily)', async () => {
    await setup();
    const id = await deployYaml();
    h.advance(60 * MINUTE);
    const done = await deployment(id);
    expect(done.status).toBe('Succeeded');
    expect(done.completeTime).toEqual(new Date(T0 + 5 * MINUTE));
    // The alias's traffic in between came from the shifted alias: an invocation at the end runs version 2.
    expect((await h.lambda.send(new InvokeCommand({ FunctionName: 'orders:live' }))).ExecutedVersion).toBe('2');
  });

  test('the emulator reports the deployment to the control API, with its next step', async () => {
    await setup();
    const id = await deployYaml();
    const state = await new EmulatorClient(h.emu.url).codeDeployState();
    expect(state.timing).toEqual({ minuteMs: MINUTE, hookTimeoutMs: 60 * MINUTE });
    expect(state.applications).toEqual([expect.objectContaining({ applicationName: APP, computePlatform: 'Lambda' })]);
    expect(state.deploymentGroups[0]).toMatchObject({
      deploymentGroupName: GROUP,
      autoRollback: { enabled: true, events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'] }
    });
    expect(state.deployments).toEqual([
      expect.objectContaining({
        deploymentId: id,
        status: 'InProgress',
        targetVersionWeight: 10,
        createMs: T0,
        nextStepMs: T0 + 5 * MINUTE
      })
    ]);
  });
});

describe('hooks', () => {
  test('are invoked asynchronously with the deployment and execution ids, and awaited', async () => {
    await setup();
    h.emu.createFunction({ name: 'CodeDeployHook_pre', versions: 1 });
    h.emu.createFunction({ name: 'CodeDeployHook_post', versions: 1 });
    const id = await deployYaml({ before: 'CodeDeployHook_pre', after: 'CodeDeployHook_post' });

    const invoke = h.emu.calls().find((c) => c.operation === 'Invoke')!;
    expect(invoke).toMatchObject({
      origin: 'codedeploy',
      service: 'lambda',
      functionName: 'CodeDeployHook_pre',
      status: 202,
      atMs: T0,
      params: { FunctionName: 'CodeDeployHook_pre', InvocationType: 'Event' }
    });
    const [pre] = hookIds(id, 'BeforeAllowTraffic');
    expect(JSON.parse(invoke.params.Payload as string)).toEqual({ DeploymentId: id, LifecycleEventHookExecutionId: pre });
    expect(h.emu.state().functions.find((f) => f.name === 'CodeDeployHook_pre')!.invocations).toEqual({ $LATEST: 1 });

    // Waiting for the hook: no traffic moves.
    h.advance(10 * MINUTE);
    expect(await routing()).toEqual(['1', {}]);
    expect((await target(id)).lifecycleEvents![0]).toMatchObject({
      lifecycleEventName: 'BeforeAllowTraffic',
      status: 'InProgress'
    });

    const answered = await putHook(id, pre, 'Succeeded');
    expect(answered.lifecycleEventHookExecutionId).toBe(pre);
    expect(await routing()).toEqual(['1', { '2': 0.1 }]);
    h.advance(5 * MINUTE);
    expect(await routing()).toEqual(['2', {}]);
    expect((await deployment(id)).status).toBe('InProgress');
    const [post] = hookIds(id, 'AfterAllowTraffic');
    expect(post).toBeDefined();

    await putHook(id, post, 'Succeeded');
    const done = await deployment(id);
    expect(done.status).toBe('Succeeded');
    expect(done.completeTime).toEqual(new Date(T0 + 15 * MINUTE));
    expect((await target(id)).lifecycleEvents!.map((e) => e.status)).toEqual(['Succeeded', 'Succeeded', 'Succeeded']);
    expect((await sdkError(putHook(id, post, 'Succeeded'))).name).toBe('LifecycleEventAlreadyCompletedException');
  });

  test('a hook reporting Failed fails the deployment with HOOK_EXECUTION_FAILURE and rolls it back', async () => {
    await setup();
    h.emu.createFunction({ name: 'CodeDeployHook_post', versions: 1 });
    const id = await deployYaml({ after: 'CodeDeployHook_post' });
    h.advance(5 * MINUTE);
    expect(await routing()).toEqual(['2', {}]);
    const [post] = hookIds(id, 'AfterAllowTraffic');

    const bad = await sdkError(putHook(id, post, 'Pending'));
    expect(bad).toBeInstanceOf(InvalidLifecycleEventHookExecutionStatusException);
    const unknown = await sdkError(putHook(id, 'not-an-id', 'Failed'));
    expect(unknown).toBeInstanceOf(InvalidLifecycleEventHookExecutionIdException);

    h.advance(MINUTE);
    await putHook(id, post, 'Failed');
    const failed = await deployment(id);
    expect(failed.status).toBe('Failed');
    expect(failed.errorInformation?.code).toBe('HOOK_EXECUTION_FAILURE');
    expect(failed.errorInformation?.message).toContain('CodeDeployHook_post');
    expect(failed.completeTime).toEqual(new Date(T0 + 6 * MINUTE));
    expect(await routing()).toEqual(['1', {}]);

    const rollbackId = failed.rollbackInfo!.rollbackDeploymentId!;
    expect(rollbackId).toMatch(/^d-/);
    expect(failed.rollbackInfo!.rollbackMessage).toContain(rollbackId);
    const rollback = await deployment(rollbackId);
    expect(rollback).toMatchObject({
      status: 'Succeeded',
      creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: id }
    });
    const events = (await target(id)).lifecycleEvents!;
    expect(events.map((e) => e.status)).toEqual(['Skipped', 'Succeeded', 'Failed']);
    expect(events[2]!.diagnostics).toMatchObject({ errorCode: 'ScriptFailed', scriptName: 'CodeDeployHook_post' });
    expect((await target(id)).lambdaFunctionInfo!.targetVersionWeight).toBe(0);
    expect(codeDeployCalls()).toEqual([
      ['UpdateAlias', 0, ['1', { AdditionalVersionWeights: { '2': 0.1 } }]],
      ['UpdateAlias', 5 * MINUTE, ['2', { AdditionalVersionWeights: {} }]],
      ['Invoke', 5 * MINUTE, 'CodeDeployHook_post'],
      ['UpdateAlias', 6 * MINUTE, ['1', { AdditionalVersionWeights: {} }]]
    ]);
    expect(await sdkError(putHook(id, post, 'Succeeded'))).toBeInstanceOf(LifecycleEventAlreadyCompletedException);
  });

  test('no answer within an hour (of CodeDeploy minutes) fails the deployment', async () => {
    await setup({ autoRollbackConfiguration: { enabled: false } });
    h.emu.setCodeDeployTiming({ minuteMs: 1_000 });
    h.emu.createFunction({ name: 'CodeDeployHook_pre', versions: 1 });
    const id = await deployYaml({ before: 'CodeDeployHook_pre' });
    h.advance(60_000 - 1);
    expect((await deployment(id)).status).toBe('InProgress');
    h.advance(1);
    const failed = await deployment(id);
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    expect(failed.errorInformation!.message).toContain('within 60 minutes');
    expect(failed.rollbackInfo).toBeUndefined();
    expect((await target(id)).lifecycleEvents![0]!.diagnostics).toMatchObject({ errorCode: 'ScriptTimedOut' });
  });

  test('a hook function that does not exist fails the deployment when it is due', async () => {
    await setup();
    const id = await deployYaml({ before: 'CodeDeployHook_missing' });
    const failed = await deployment(id);
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
    expect(h.emu.calls().find((c) => c.operation === 'Invoke')).toMatchObject({
      status: 404,
      errorCode: 'ResourceNotFoundException'
    });
  });

  test('setHookResponse makes an emulated hook answer by itself, after a delay', async () => {
    await setup();
    h.emu.createFunction({ name: 'CodeDeployHook_pre', versions: 1 });
    h.emu.setHookResponse('CodeDeployHook_pre', 'Succeeded', { afterMs: 30_000 });
    const id = await deployYaml({ before: 'CodeDeployHook_pre' }, { deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' });
    h.advance(29_999);
    expect(await routing()).toEqual(['1', {}]);
    h.advance(1);
    expect(await routing()).toEqual(['2', {}]);
    expect((await deployment(id)).completeTime).toEqual(new Date(T0 + 30_000));

    h.emu.setHookResponse('CodeDeployHook_pre', 'Failed');
    await h.cd.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: {
          revisionType: 'AppSpecContent',
          appSpecContent: { content: JSON.stringify(appSpec({ current: '2', target: '1', before: 'CodeDeployHook_pre' })) }
        }
      })
    );
    const failed = h.emu.codeDeployState().deployments[1]!;
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'HOOK_EXECUTION_FAILURE' } });
  });
});

describe('alarms', () => {
  const withAlarm = { alarmConfiguration: { enabled: true, alarms: [{ name: 'orders-errors' }] } };

  test('an alarm going off during the bake stops the deployment with ALARM_ACTIVE and rolls the alias back', async () => {
    await setup(withAlarm);
    h.emu.putAlarm({ name: 'orders-errors', state: 'OK' });
    h.emu.setAlarmState('orders-errors', 'ALARM', { afterMs: 2 * MINUTE, reason: 'Threshold Crossed' });
    const id = await deployYaml();
    h.advance(10 * MINUTE);

    const stopped = await deployment(id);
    expect(stopped.status).toBe('Stopped');
    expect(stopped.completeTime).toEqual(new Date(T0 + 2 * MINUTE));
    expect(stopped.errorInformation?.code).toBe('ALARM_ACTIVE');
    expect(stopped.errorInformation?.message).toContain('orders-errors');
    expect(stopped.rollbackInfo?.rollbackDeploymentId).toBeDefined();
    expect(await routing()).toEqual(['1', {}]);
    // The 100 % step never came: the alias went 10 %, then back.
    expect(codeDeployCalls()).toEqual([
      ['UpdateAlias', 0, ['1', { AdditionalVersionWeights: { '2': 0.1 } }]],
      ['UpdateAlias', 2 * MINUTE, ['1', { AdditionalVersionWeights: {} }]]
    ]);
  });

  test('an alarm in ALARM at the start fails the deployment; INSUFFICIENT_DATA stops nothing', async () => {
    await setup({ alarmConfiguration: { enabled: true, alarms: [{ name: 'a' }, { name: 'b' }] } });
    h.emu.putAlarm({ name: 'a', state: 'INSUFFICIENT_DATA' });
    h.emu.putAlarm({ name: 'b', state: 'ALARM' });
    const id = await deployYaml();
    const failed = await deployment(id);
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(failed.errorInformation!.message).toMatch(/Activated alarms: b$/);
    expect(await routing()).toEqual(['1', {}]);

    h.emu.setAlarmState('b', 'OK');
    const next = await deployYaml();
    h.advance(5 * MINUTE);
    expect((await deployment(next)).status).toBe('Succeeded');
  });

  test('without DEPLOYMENT_STOP_ON_ALARM the deployment stops and the alias stays where it was', async () => {
    await setup({ ...withAlarm, autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } });
    h.emu.putAlarm({ name: 'orders-errors', state: 'OK' });
    const id = await deployYaml();
    h.advance(MINUTE);
    h.emu.setAlarmState('orders-errors', 'ALARM');
    const stopped = await deployment(id);
    expect(stopped).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(stopped.rollbackInfo).toBeUndefined();
    expect(await routing()).toEqual(['1', { '2': 0.1 }]);
  });

  test('alarms of UpdateDeploymentGroup apply to the deployment under way', async () => {
    await setup();
    h.emu.putAlarm({ name: 'late', state: 'OK' });
    const id = await deployYaml();
    await h.cd.send(
      new UpdateDeploymentGroupCommand({
        applicationName: APP,
        currentDeploymentGroupName: GROUP,
        alarmConfiguration: { enabled: true, alarms: [{ name: 'late' }] }
      })
    );
    const group = (await h.cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })))
      .deploymentGroupInfo!;
    expect(group.alarmConfiguration).toEqual({ enabled: true, ignorePollAlarmFailure: false, alarms: [{ name: 'late' }] });
    expect(group.lastAttemptedDeployment).toMatchObject({ deploymentId: id, status: 'InProgress' });
    h.emu.setAlarmState('late', 'ALARM', { afterMs: 3 * MINUTE });
    h.advance(4 * MINUTE);
    expect(await deployment(id)).toMatchObject({ status: 'Stopped', errorInformation: { code: 'ALARM_ACTIVE' } });
    expect(await routing()).toEqual(['1', {}]);
  });
});

describe('StopDeployment', () => {
  test('with autoRollbackEnabled: Stopped, the alias back on the current version', async () => {
    await setup();
    const id = await deployYaml();
    h.advance(MINUTE);
    const out = await h.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    expect(out.status).toBe('Pending');
    const stopped = await deployment(id);
    expect(stopped).toMatchObject({ status: 'Stopped', errorInformation: { code: 'MANUAL_STOP' } });
    expect(stopped.completeTime).toEqual(new Date(T0 + MINUTE));
    expect(stopped.rollbackInfo?.rollbackDeploymentId).toBeDefined();
    expect(await routing()).toEqual(['1', {}]);
    h.advance(10 * MINUTE);
    expect(await routing()).toEqual(['1', {}]);

    const again = await sdkError(h.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true })));
    expect(again).toBeInstanceOf(DeploymentAlreadyCompletedException);
  });

  test('without it the deployment stops where it is', async () => {
    await setup();
    const id = await deployYaml();
    await h.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: false }));
    expect((await deployment(id)).rollbackInfo).toBeUndefined();
    expect(await routing()).toEqual(['1', { '2': 0.1 }]);
  });

  test('a group allows one deployment at a time', async () => {
    await setup();
    const id = await deployYaml();
    const busy = await sdkError(deployYaml());
    expect(busy).toBeInstanceOf(DeploymentLimitExceededException);
    expect(busy.message).toContain(id);
    await h.cd.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
    await expect(deployYaml()).resolves.toMatch(/^d-/);
  });
});

describe('deployment configurations', () => {
  test('the nine predefined Lambda configurations exist from the start', async () => {
    const expected: Record<string, unknown> = {
      'CodeDeployDefault.LambdaCanary10Percent5Minutes': {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 10, canaryInterval: 5 }
      },
      'CodeDeployDefault.LambdaCanary10Percent10Minutes': {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 }
      },
      'CodeDeployDefault.LambdaCanary10Percent15Minutes': {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 10, canaryInterval: 15 }
      },
      'CodeDeployDefault.LambdaCanary10Percent30Minutes': {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: 10, canaryInterval: 30 }
      },
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 10, linearInterval: 1 }
      },
      'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 10, linearInterval: 2 }
      },
      'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 10, linearInterval: 3 }
      },
      'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: 10, linearInterval: 10 }
      },
      'CodeDeployDefault.LambdaAllAtOnce': { type: 'AllAtOnce' }
    };
    for (const [name, trafficRoutingConfig] of Object.entries(expected)) {
      const info = (await h.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }))).deploymentConfigInfo!;
      expect(info).toMatchObject({ deploymentConfigName: name, computePlatform: 'Lambda', trafficRoutingConfig });
      expect(info.createTime).toBeInstanceOf(Date);
    }
    const missing = await sdkError(h.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'nope' })));
    expect(missing).toBeInstanceOf(DeploymentConfigDoesNotExistException);
    expect(missing.$metadata?.httpStatusCode).toBe(400);
  });

  test('a custom TimeBasedLinear configuration shifts +25 % every 2 minutes', async () => {
    await setup();
    const created = await h.cd.send(
      new CreateDeploymentConfigCommand({
        deploymentConfigName: 'Linear25Every2',
        computePlatform: 'Lambda',
        trafficRoutingConfig: { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 25, linearInterval: 2 } }
      })
    );
    expect(created.deploymentConfigId).toBeDefined();
    const info = (await h.cd.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'Linear25Every2' })))
      .deploymentConfigInfo!;
    expect(info).toMatchObject({ deploymentConfigId: created.deploymentConfigId, createTime: new Date(T0) });

    const id = await deployYaml({}, { deploymentConfigName: 'Linear25Every2' });
    const seen: unknown[] = [];
    for (let minute = 0; minute <= 6; minute++) {
      seen.push([minute, ...(await routing()), (await target(id)).lambdaFunctionInfo!.targetVersionWeight]);
      h.advance(MINUTE);
    }
    expect(seen).toEqual([
      [0, '1', { '2': 0.25 }, 25],
      [1, '1', { '2': 0.25 }, 25],
      [2, '1', { '2': 0.5 }, 50],
      [3, '1', { '2': 0.5 }, 50],
      [4, '1', { '2': 0.75 }, 75],
      [5, '1', { '2': 0.75 }, 75],
      [6, '2', {}, 100]
    ]);
    expect((await deployment(id)).deploymentConfigName).toBe('Linear25Every2');
  });

  test('custom configurations are checked as CodeDeploy checks them', async () => {
    const create = (trafficRoutingConfig: unknown, name = 'custom') =>
      h.cd.send(
        new CreateDeploymentConfigCommand({
          deploymentConfigName: name,
          computePlatform: 'Lambda',
          trafficRoutingConfig: trafficRoutingConfig as never
        })
      );
    for (const bad of [
      { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 100, canaryInterval: 5 } },
      { type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 10, canaryInterval: 2881 } },
      { type: 'TimeBasedLinear', timeBasedLinear: { linearPercentage: 1, linearInterval: 30 } },
      { type: 'TimeBasedLinear' }
    ]) {
      expect(await sdkError(create(bad))).toBeInstanceOf(InvalidTrafficRoutingConfigurationException);
    }
    await create({ type: 'TimeBasedCanary', timeBasedCanary: { canaryPercentage: 20, canaryInterval: 2880 } });
    expect(await sdkError(create({ type: 'AllAtOnce' }))).toBeInstanceOf(DeploymentConfigAlreadyExistsException);
    expect((await sdkError(create({ type: 'AllAtOnce' }, 'CodeDeployDefault.LambdaAllAtOnce'))).name).toBe(
      'DeploymentConfigAlreadyExistsException'
    );
  });
});

describe('CreateDeployment', () => {
  test('the alias must point at CurrentVersion alone, else INVALID_LAMBDA_CONFIGURATION (nothing is rolled back)', async () => {
    await setup();
    const wrong = await deployYaml({ current: '2', target: '1' });
    const failed = await deployment(wrong);
    expect(failed).toMatchObject({ status: 'Failed', errorInformation: { code: 'INVALID_LAMBDA_CONFIGURATION' } });
    expect(failed.errorInformation!.message).toContain('points to version 1');
    expect(failed.rollbackInfo).toBeUndefined();

    await h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'orders', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
    );
    const weighted = await deployment(await deployYaml());
    expect(weighted.errorInformation?.code).toBe('INVALID_LAMBDA_CONFIGURATION');
    expect(await routing()).toEqual(['1', { '2': 0.5 }]);

    const noVersion = await deployment(await deployYaml({ target: '9' }));
    expect(noVersion.errorInformation).toMatchObject({ code: 'INVALID_LAMBDA_CONFIGURATION' });
    expect(h.emu.calls().filter((c) => c.origin === 'codedeploy')).toEqual([]);
  });

  test('YAML and JSON AppSpec content both work (numbers or strings for versions); String revisions too', async () => {
    await setup({ deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' });
    const yaml = [
      'version: 0.0',
      'Resources:',
      '  - orders:',
      '      Type: AWS::Lambda::Function',
      '      Properties:',
      '        Name: orders',
      '        Alias: live',
      '        CurrentVersion: 1',
      '        TargetVersion: 2'
    ].join('\n');
    const first = await deploy(yaml);
    expect((await deployment(first)).status).toBe('Succeeded');
    expect(await routing()).toEqual(['2', {}]);

    const json = JSON.stringify(appSpec({ current: 2, target: 1 }));
    const second = await deploy(json);
    expect((await deployment(second)).status).toBe('Succeeded');
    expect(await routing()).toEqual(['1', {}]);

    const third = await h.cd.send(
      new CreateDeploymentCommand({
        applicationName: APP,
        deploymentGroupName: GROUP,
        revision: { revisionType: 'String', string: { content: yaml } }
      })
    );
    const sha256 = createHash('sha256').update(yaml).digest('hex');
    expect((await deployment(third.deploymentId!)).revision).toEqual({
      revisionType: 'String',
      string: { content: yaml, sha256 }
    });
    const mismatch = await sdkError(
      h.cd.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: yaml, sha256: 'f00' } }
        })
      )
    );
    expect(mismatch).toBeInstanceOf(InvalidRevisionException);
  });

  test('unusable AppSpec content is an InvalidRevisionException', async () => {
    await setup();
    for (const content of ['{ not yaml: [', toYaml({ ...appSpec(), version: 1 }), toYaml({ ...appSpec(), Resources: [] })]) {
      const err = await sdkError(deploy(content));
      expect(err).toBeInstanceOf(InvalidRevisionException);
      expect(err.message).toMatch(/AppSpec/);
    }
    const s3 = await sdkError(
      h.cd.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k' } }
        })
      )
    );
    expect(s3.name).toBe('InvalidRevisionException');
  });

  test('ListDeployments and ListDeploymentTargets', async () => {
    await setup({ deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' });
    const first = await deployYaml();
    h.advance(MINUTE);
    const second = await deployYaml({ current: '2', target: '1' });
    const all = await h.cd.send(new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP }));
    expect(all.deployments).toEqual([second, first]);
    const recent = await h.cd.send(new ListDeploymentsCommand({ createTimeRange: { start: new Date(T0 + 1) } }));
    expect(recent.deployments).toEqual([second]);
    const failed = await h.cd.send(new ListDeploymentsCommand({ includeOnlyStatuses: ['Failed'] }));
    expect(failed.deployments).toEqual([]);
    expect((await h.cd.send(new ListDeploymentTargetsCommand({ deploymentId: first }))).targetIds).toEqual(['orders:live']);
    const batch = await h.cd.send(new BatchGetDeploymentsCommand({ deploymentIds: [first, 'd-AAAAAAAAA', second] }));
    expect(batch.deploymentsInfo!.map((d) => [d.deploymentId, d.status])).toEqual([
      [first, 'Succeeded'],
      [second, 'Succeeded']
    ]);
    const targets = await h.cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: second, targetIds: ['orders:live'] }));
    expect(targets.deploymentTargets![0]!.lambdaTarget!.lambdaFunctionInfo).toMatchObject({
      currentVersion: '2',
      targetVersion: '1'
    });
    const missing = await sdkError(h.cd.send(new GetDeploymentCommand({ deploymentId: 'd-AAAAAAAAA' })));
    expect(missing).toBeInstanceOf(DeploymentDoesNotExistException);
    expect((await sdkError(h.cd.send(new GetDeploymentCommand({ deploymentId: 'nope' })))).name).toBe(
      'InvalidDeploymentIdException'
    );
  });
});

describe('the SDK decodes every answer', () => {
  test('applications and groups: timestamps as Dates, errors as the exception classes', async () => {
    await setup();
    const app = (await h.cd.send(new GetApplicationCommand({ applicationName: APP }))).application!;
    expect(app).toMatchObject({ applicationName: APP, computePlatform: 'Lambda', linkedToGitHub: false });
    expect(app.createTime).toEqual(new Date(T0));
    const group = (await h.cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP })))
      .deploymentGroupInfo!;
    expect(group).toMatchObject({
      applicationName: APP,
      deploymentGroupName: GROUP,
      serviceRoleArn: ROLE,
      computePlatform: 'Lambda',
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' }
    });

    const missing = await sdkError(h.cd.send(new GetApplicationCommand({ applicationName: 'nope' })));
    expect(missing).toBeInstanceOf(ApplicationDoesNotExistException);
    expect(missing).toBeInstanceOf(CodeDeployServiceException);
    expect(missing).toMatchObject({
      message: 'No application found for name: nope',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 }
    });
    const twice = await sdkError(h.cd.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Lambda' })));
    expect(twice.name).toBe('ApplicationAlreadyExistsException');
    const group404 = await sdkError(
      h.cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: 'nope' }))
    );
    expect(group404.name).toBe('DeploymentGroupDoesNotExistException');
    const unsupported = await sdkError(h.cd.send(new ListApplicationsCommand({})));
    expect(unsupported).toBeInstanceOf(CodeDeployServiceException);
    expect(unsupported).toMatchObject({
      name: 'UnknownOperationException',
      message: 'Operation ListApplications is not supported by the emulator'
    });
  });

  test("faults and denials work for CodeDeploy operations like the others' (IAM actions codedeploy:<Operation>)", async () => {
    await setup();
    h.emu.failNext('CreateDeployment', 1, 'AccessDeniedException');
    const denied = await sdkError(deployYaml());
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied).toBeInstanceOf(CodeDeployServiceException);
    expect(denied.$metadata?.httpStatusCode).toBe(400);
    expect(denied.message).toContain(
      `not authorized to perform: codedeploy:CreateDeployment on resource: arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:${APP}/${GROUP}`
    );

    h.emu.failNext('GetDeployment', 1, 'ThrottlingException');
    h.emu.failNext('GetDeployment', 1, 'InternalFailure');
    const id = await deployYaml();
    expect(await sdkError(deployment(id))).toBeInstanceOf(ThrottlingException);
    const internal = await sdkError(deployment(id));
    expect(internal).toMatchObject({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });

    h.emu.denyActions(['codedeploy:Stop*']);
    expect((await sdkError(h.cd.send(new StopDeploymentCommand({ deploymentId: id })))).name).toBe('AccessDeniedException');
    h.emu.denyActions([]);

    const log = h.emu.calls().filter((c) => c.service === 'codedeploy');
    expect(log.map((c) => [c.operation, c.status, c.errorCode ?? null, c.mutating])).toEqual([
      ['CreateApplication', 200, null, true],
      ['CreateDeploymentGroup', 200, null, true],
      ['CreateDeployment', 400, 'AccessDeniedException', true],
      ['CreateDeployment', 200, null, true],
      ['GetDeployment', 400, 'ThrottlingException', false],
      ['GetDeployment', 500, 'InternalFailure', false],
      ['StopDeployment', 400, 'AccessDeniedException', true]
    ]);
  });
});

describe('time scale', () => {
  test('setCodeDeployTiming: a CodeDeploy minute lasts minuteMs of emulator time', async () => {
    await setup();
    expect(h.emu.setCodeDeployTiming({ minuteMs: 500 })).toEqual({ minuteMs: 500, hookTimeoutMs: 30_000 });
    const id = await deployYaml();
    h.advance(2_499);
    expect(await routing()).toEqual(['1', { '2': 0.1 }]);
    h.advance(1);
    expect(await routing()).toEqual(['2', {}]);
    expect((await deployment(id)).completeTime).toEqual(new Date(T0 + 2_500));
    expect(() => h.emu.setCodeDeployTiming({ minuteMs: 0 })).toThrow(/minuteMs must be a positive number/);
    h.emu.reset();
    expect(h.emu.codeDeployState().timing.minuteMs).toBe(MINUTE);
  });

  test('on a real-time clock with a short minute, a canary bakes for real (the e2e case)', async () => {
    const emu = await startEmulator({ codeDeployMinuteMs: 40 });
    const cd = new CodeDeployClient({
      region: 'us-east-1',
      endpoint: emu.url,
      credentials: { accessKeyId: 'k', secretAccessKey: 's' }
    });
    try {
      emu.createFunction({ name: 'orders', versions: 2, alias: { name: 'live', version: '1' } });
      await cd.send(new CreateApplicationCommand({ applicationName: APP, computePlatform: 'Lambda' }));
      await cd.send(
        new CreateDeploymentGroupCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          serviceRoleArn: ROLE,
          deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes'
        })
      );
      const { deploymentId } = await cd.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: JSON.stringify(appSpec()) } }
        })
      );
      const status = async () => (await cd.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo!.status;
      expect(await status()).toBe('InProgress');
      const started = Date.now();
      while ((await status()) === 'InProgress' && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
      expect(await status()).toBe('Succeeded');
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(emu.state().functions[0]!.aliases[0]).toMatchObject({ functionVersion: '2', weights: {} });
    } finally {
      cd.destroy();
      await emu.close();
    }
  });
});

describe('in-process', () => {
  test('handleOperation and mocked CodeDeploy clients run the same model', async () => {
    let t = T0;
    const emu = new Emulator({ now: () => t });
    emu.createFunction({ name: 'orders', versions: 2, alias: { name: 'live', version: '1' } });
    await emu.handleOperation('codedeploy', 'CreateApplication', { applicationName: APP, computePlatform: 'Lambda' });
    const mock = mockClient(CodeDeployClient);
    try {
      attachToSdkMocks(emu, { codedeploy: mock });
      const cd = new CodeDeployClient({ region: 'us-east-1' });
      await cd.send(new CreateDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP, serviceRoleArn: ROLE }));
      const { deploymentId } = await cd.send(
        new CreateDeploymentCommand({
          applicationName: APP,
          deploymentGroupName: GROUP,
          deploymentConfigName: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content: toYaml(appSpec()) } }
        })
      );
      t += 9 * MINUTE;
      const info = (await emu.handleOperation('codedeploy', 'GetDeployment', { deploymentId })) as {
        deploymentInfo: { status: string; completeTime: Date };
      };
      expect(info.deploymentInfo.status).toBe('Succeeded');
      expect(info.deploymentInfo.completeTime).toEqual(new Date(T0 + 9 * MINUTE));
      const err = await sdkError(cd.send(new GetApplicationCommand({ applicationName: 'nope' })));
      expect(err).toBeInstanceOf(ApplicationDoesNotExistException);
      expect(err.$metadata?.httpStatusCode).toBe(400);
    } finally {
      mock.restore();
    }
  });
});

describe('the wire', () => {
  const post = (target: string, body: unknown) =>
    fetch(`${h.emu.url}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `CodeDeploy_20141006.${target}` },
      body: JSON.stringify(body)
    });

  test('AWS JSON 1.1: timestamps as epoch seconds, errors as {__type, message}', async () => {
    const ok = await post('GetDeploymentConfig', { deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const info = ((await ok.json()) as { deploymentConfigInfo: { createTime: unknown } }).deploymentConfigInfo;
    expect(info.createTime).toBe(Date.UTC(2017, 10, 28) / 1000);
    const bad = await post('GetApplication', { applicationName: 'nope' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      __type: 'ApplicationDoesNotExistException',
      message: 'No application found for name: nope'
    });
    const malformed = await fetch(`${h.emu.url}/`, {
      method: 'POST',
      headers: { 'x-amz-target': 'CodeDeploy_20141006.GetApplication' },
      body: '{'
    });
    expect(((await malformed.json()) as { __type: string }).__type).toBe('SerializationException');
  });

  test('the control methods over HTTP: the timing and hook responses are body members', async () => {
    const control = (method: string, body: unknown) =>
      fetch(`${h.emu.url}/_emulator/${method}`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    expect(await control('setCodeDeployTiming', { minuteMs: 250 })).toEqual({ result: { minuteMs: 250, hookTimeoutMs: 15_000 } });
    expect(await control('setHookResponse', { functionName: 'CodeDeployHook_pre', status: 'Failed', afterMs: 5 })).toEqual({
      result: null
    });
    expect(await control('setHookResponse', { functionName: 'x', status: 'Maybe' })).toEqual({
      error: 'setHookResponse: status must be one of Succeeded, Failed, None, got "Maybe"'
    });
    const state = (await (await fetch(`${h.emu.url}/_emulator/codeDeployState`)).json()) as {
      result: { timing: unknown; hookResponses: unknown };
    };
    expect(state.result.timing).toEqual({ minuteMs: 250, hookTimeoutMs: 15_000 });
    expect(state.result.hookResponses).toEqual([{ functionName: 'CodeDeployHook_pre', status: 'Failed', afterMs: 5 }]);
  });
});

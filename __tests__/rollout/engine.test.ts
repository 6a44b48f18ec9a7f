import { afterEach, describe, expect, test } from '@jest/globals';
import { GetFunctionCommand as GetFunction, PublishVersionCommand as PublishVersion, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { DescribeAlarmsCommand as DescribeAlarms } from '@aws-sdk/client-cloudwatch';
import { awsError, FUNCTION_ARN, mockAws, type MockedAwsOptions } from '../support/mocked-aws.js';
import type { DeploymentSnapshot } from '../../src/rollout/result.js';
import { runDeployment } from '../support/engine-harness.js';
import { FakeClock } from '../support/fake-clock.js';

let aws: ReturnType<typeof mockAws>;
function world(options: MockedAwsOptions) {
  aws = mockAws(options);
  return aws;
}
afterEach(() => aws?.restore());

const ok = () => 'OK' as const;
/** The phases the post step was told of, each once, in order. */
const phasesOf = (snapshots: readonly DeploymentSnapshot[]): string[] =>
  snapshots.map((snapshot) => snapshot.phase).filter((phase, index, all) => phase !== all[index - 1]);
const MUTATING = ['PublishVersion', 'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'Invoke'];
const mutatingOps = () => aws.mutations.map((m) => m.op).filter((op) => MUTATING.includes(op));

describe('successful deployments', () => {
  test('first deployment creates the alias on the new version, with no shifting', async () => {
    world({ publishes: '1' });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('succeeded');
    expect(result.targets[0]!.previousVersion).toBeUndefined();
    expect(mutatingOps()).toEqual(['PublishVersion', 'CreateAlias']);
    expect(aws.alias()?.FunctionVersion).toBe('1');
  });

  test('AllAtOnce moves the alias in one update that clears the weights, guarded by the RevisionId', async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    const { result } = await runDeployment({ strategy: 'AllAtOnce' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ version: '2', previousVersion: '1' }] });
    expect(aws.aliasUpdates()).toEqual([['2', {}]]);
    expect((aws.mutations[1]!.input as { RevisionId: string }).RevisionId).toBe('rev-1');
  });

  test('canary: 10% for five minutes, then 100%, polling the alarms on a 10 s grid', async () => {
    world({ alias: { version: '3' }, publishes: '4', alarms: { errors: ok } });
    const { result, elapsedMs } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('succeeded');
    expect(aws.aliasUpdates()).toEqual([
      ['3', { '4': 0.1 }],
      ['4', {}]
    ]);
    expect(elapsedMs).toBe(5 * 60_000);
    // preflight + polls at 0, 10 s, ..., 300 s (31) + the final check after promotion
    expect(aws.describeCalls()).toBe(1 + 31 + 1);
  });

  test('linear: +10% every minute, each update with the revision from the previous answer', async () => {
    world({ alias: { version: '7' }, publishes: '8' });
    const { result, elapsedMs } = await runDeployment({ strategy: 'Linear10PercentEvery1Minute' });
    expect(result.status).toBe('succeeded');
    const weights = aws.aliasUpdates().map(([version, w]) => [version, w['8'] ?? null]);
    expect(weights).toEqual([
      ...[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((w) => ['7', w]),
      ['8', null]
    ]);
    const revisions = aws.mutations.filter((m) => m.op === 'UpdateAlias').map((m) => (m.input as { RevisionId: string }).RevisionId);
    expect(revisions).toEqual(Array.from({ length: 10 }, (_, i) => `rev-${i + 1}`));
    expect(elapsedMs).toBe(9 * 60_000);
  });

  test('deadlines are absolute: slow alias updates do not add up over the steps', async () => {
    const clock = new FakeClock();
    world({ alias: { version: '1' }, publishes: '2', beforeUpdateAlias: () => clock.advance(3_000) });
    const { elapsedMs, result } = await runDeployment({ strategy: '10%:1m, 20%:1m, 30%:1m' }, { clock });
    expect(result.status).toBe('succeeded');
    // Three bakes of 1 m counted from the first shift, then the promotion's 3 s. Deadlines counted
    // from each step's own start would drift to 4 × 3 s + 3 m = 192 s.
    expect(elapsedMs).toBe(3 * 60_000 + 3_000);
  });

  test('skipped when the published version is already live: nothing changes', async () => {
    world({ alias: { version: '5' }, publishes: '5', hooks: { pre: () => ({ payload: {} }) } });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'pre' });
    expect(result.status).toBe('skipped');
    expect(mutatingOps()).toEqual(['PublishVersion']);
  });

  test('dry run reads everything and changes nothing', async () => {
    world({ alias: { version: '5' }, alarms: { errors: ok } });
    const { result } = await runDeployment({ dryRun: true, alarms: ['errors'] });
    expect(result).toMatchObject({ status: 'skipped', dryRun: true });
    expect(mutatingOps()).toEqual([]);
  });
});

describe('hooks', () => {
  test('the pre-traffic hook receives the deployment facts', async () => {
    world({ alias: { version: '1' }, publishes: '2', hooks: { pre: () => ({ payload: { status: 'Succeeded' } }) } });
    await runDeployment({ preTrafficHook: 'pre' });
    const invoke = aws.mutations.find((m) => m.op === 'Invoke')!.input as { FunctionName: string; Payload: unknown };
    expect(invoke.FunctionName).toBe('pre');
    expect(invoke.Payload).toEqual({
      deploymentId: 'deploy-1',
      lifecycleEvent: 'BeforeAllowTraffic',
      functionName: 'orders',
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
      alias: 'live',
      aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
      currentVersion: '1',
      currentVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:1',
      targetVersion: '2',
      targetVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:2',
      strategy: 'AllAtOnce'
    });
  });

  test('in GitHub Actions the payload also names the commit, ref, actor and run', async () => {
    world({ alias: { version: '1' }, publishes: '2', hooks: { pre: () => ({ payload: {} }) } });
    const source = { owner: 'acme', repo: 'orders', sha: 'abc123', ref: 'refs/heads/main', actor: 'octocat', runUrl: 'https://github.com/acme/orders/actions/runs/9' };
    const { result } = await runDeployment({ preTrafficHook: 'pre' }, { source });
    const invoke = aws.mutations.find((m) => m.op === 'Invoke')!.input as { Payload: { github: unknown } };
    expect(invoke.Payload.github).toEqual({ repository: 'acme/orders', sha: 'abc123', ref: 'refs/heads/main', actor: 'octocat', runUrl: 'https://github.com/acme/orders/actions/runs/9' });
    expect(result.source).toBe(source);
  });

  test('a failing pre-traffic hook stops the deployment before the alias is touched', async () => {
    world({
      alias: { version: '1' },
      publishes: '2',
      hooks: { pre: () => ({ payload: { status: 'Failed', reason: 'smoke test: 500 on /health' } }) }
    });
    const { result, recorder } = await runDeployment({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'pre' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('smoke test: 500 on /health');
    expect(mutatingOps()).toEqual(['PublishVersion', 'Invoke']);
    expect(aws.alias()?.FunctionVersion).toBe('1');
    expect(recorder.hookOutcomes).toMatchObject([{ passed: false, event: 'BeforeAllowTraffic' }]);
  });

  test('a pre-traffic hook that throws fails the deployment too', async () => {
    world({
      alias: { version: '1' },
      publishes: '2',
      hooks: { pre: () => ({ functionError: 'Unhandled', payload: { errorType: 'Error', errorMessage: 'boom' } }) }
    });
    const { result } = await runDeployment({ preTrafficHook: 'pre' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('boom');
    expect(aws.aliasUpdates()).toEqual([]);
  });

  test('a failing post-traffic hook rolls the alias back to the previous version', async () => {
    world({ alias: { version: '1' }, publishes: '2', hooks: { post: () => ({ payload: { status: 'Failed' } }) } });
    const { result } = await runDeployment({ strategy: 'Canary50Percent1Minute', postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toContain('AfterAllowTraffic hook lambda:post failed');
    expect(aws.aliasUpdates()).toEqual([
      ['1', { '2': 0.5 }],
      ['2', {}],
      ['1', {}]
    ]);
  });

  test('on a first deployment, a failing post-traffic hook deletes the alias it created', async () => {
    world({ publishes: '1', hooks: { post: () => ({ payload: { status: 'failed' } }) } });
    const { result } = await runDeployment({ postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    expect(mutatingOps()).toEqual(['PublishVersion', 'CreateAlias', 'Invoke', 'DeleteAlias']);
    expect(aws.alias()).toBeUndefined();
  });
});

describe('alarms', () => {
  test('an alarm firing mid-bake rolls back at the next poll', async () => {
    // call 0 is the preflight; the alarm fires on the 6th poll of the bake (t = 50 s)
    world({ alias: { version: '3' }, publishes: '4', alarms: { errors: (call) => (call >= 6 ? 'ALARM' : 'OK'), latency: ok } });
    const { result, elapsedMs, snapshots } = await runDeployment({
      strategy: 'Canary10Percent5Minutes',
      alarms: ['errors', 'latency']
    });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toBe('alarm errors is in ALARM (reason of errors)');
    expect(aws.aliasUpdates()).toEqual([
      ['3', { '4': 0.1 }],
      ['3', {}]
    ]);
    expect(elapsedMs).toBe(50_000);
    expect(phasesOf(snapshots)).toEqual(['preflight', 'publish', 'shift', 'rollback', 'rolled-back']);
  });

  test('an alarm already in ALARM refuses the deployment before any change', async () => {
    world({ alias: { version: '1' }, alarms: { errors: () => 'ALARM' } });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('already in ALARM before the deployment: errors');
    expect(mutatingOps()).toEqual([]);
  });

  test('allow-alarm-at-start ignores an alarm that fires at start until it recovers, then watches it', async () => {
    // ALARM at preflight and first poll, OK from the 2nd poll, ALARM again from the 4th
    world({ alias: { version: '1' }, publishes: '2', alarms: { errors: (c) => (c <= 1 || c >= 4 ? 'ALARM' : 'OK') } });
    const { result, elapsedMs } = await runDeployment({
      strategy: 'Canary10Percent5Minutes',
      alarms: ['errors'],
      allowAlarmAtStart: true
    });
    expect(result.status).toBe('rolled-back');
    expect(elapsedMs).toBe(30_000);
  });

  test('a missing alarm refuses the deployment with no mutating call', async () => {
    world({ alias: { version: '1' }, alarms: { errors: ok } });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors', 'typo-alarm'] });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('CloudWatch alarm not found: typo-alarm');
    expect(mutatingOps()).toEqual([]);
  });

  test('alarms that cannot be read three times in a row roll back rather than fly blind', async () => {
    world({ alias: { version: '1' }, publishes: '2', alarms: { errors: ok } });
    let calls = 0;
    // call 0 is the preflight, call 1 the read right before the first shift; then CloudWatch fails
    aws.cloudwatch.on(DescribeAlarms).callsFake(() => {
      if (calls++ <= 1) return { MetricAlarms: [{ AlarmName: 'errors', StateValue: 'OK' }] };
      throw awsError('ServiceUnavailable');
    });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toContain('could not be read 3 times in a row');
  });
});

describe('refusals and conflicts', () => {
  test('a missing hook function refuses the deployment with no mutating call', async () => {
    world({ alias: { version: '1' } });
    const { result } = await runDeployment({ preTrafficHook: 'no-such-hook' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('hook function no-such-hook does not exist');
    expect(mutatingOps()).toEqual([]);
  });

  test('an alias already split is refused, naming both versions and the way out', async () => {
    world({ alias: { version: '1', weights: { '2': 0.25 } } });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('75% to version 1 and 25% to version 2');
    expect(result.failureReason).toContain('--function-version 1');
    expect(result.targets[0]!.previousVersion).toBe('1');
    expect(mutatingOps()).toEqual([]);
  });

  test('an unknown function is refused clearly', async () => {
    world({});
    aws.lambda.on(GetFunction).rejects(awsError('ResourceNotFoundException'));
    const { result } = await runDeployment();
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain("function orders was not found (check 'function-name'");
    expect(mutatingOps()).toEqual([]);
  });

  test('another actor changing the alias mid-rollout is reported and not overwritten', async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    const clock = new FakeClock();
    // 30 s into the bake, someone else points the alias at version 9.
    clock.at(clock.now() + 30_000, () => {
      aws.alias()!.FunctionVersion = '9';
      aws.alias()!.RoutingConfig = { AdditionalVersionWeights: {} };
      aws.alias()!.RevisionId = 'rev-other';
    });
    const { result } = await runDeployment({ strategy: 'Linear10PercentEvery1Minute' }, { clock });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('changed by someone else');
    expect(result.failureReason).toContain('100% to version 9');
    expect(aws.alias()?.FunctionVersion).toBe('9');
  });
});

describe('rollback', () => {
  test('cancellation mid-bake rolls back at once and says so', async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    const clock = new FakeClock();
    const controller = new AbortController();
    clock.at(clock.now() + 90_000, () => controller.abort('SIGINT'));
    const { result, elapsedMs } = await runDeployment({ strategy: 'Canary10Percent5Minutes' }, { clock, signal: controller.signal });
    expect(result).toMatchObject({ status: 'rolled-back', cancelled: true });
    expect(result.failureReason).toContain('cancelled during shift (SIGINT)');
    expect(aws.alias()).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: {} } });
    expect(elapsedMs).toBe(90_000);
  });

  test('a rollback that fails at first is retried until it sticks', async () => {
    world({ alias: { version: '1' }, publishes: '2', hooks: { post: () => ({ payload: { status: 'Failed' } }) } });
    let rollbackAttempts = 0;
    const stateful = aws.lambda.commandCalls(UpdateAliasCommand);
    void stateful;
    aws.lambda.on(UpdateAliasCommand, { FunctionVersion: '1' }).callsFake(() => {
      rollbackAttempts++;
      if (rollbackAttempts < 3) throw awsError('ServiceException', 'internal error');
      const alias = aws.alias()!;
      Object.assign(alias, { FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: 'rev-restored' });
      return alias;
    });
    const { result, log } = await runDeployment({ postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    expect(rollbackAttempts).toBe(3);
    expect(log.warnings.filter((w) => w.startsWith('Rollback attempt'))).toHaveLength(2);
  });

  test('a rollback that never sticks fails loudly with the command that fixes the alias', async () => {
    world({ alias: { version: '1' }, publishes: '2', hooks: { post: () => ({ payload: { status: 'Failed' } }) } });
    aws.lambda.on(UpdateAliasCommand, { FunctionVersion: '1' }).rejects(awsError('ServiceException', 'down'));
    const { result } = await runDeployment({ postTrafficHook: 'post' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('then the rollback failed');
    expect(result.manualFix).toBe(
      'aws lambda update-alias --function-name arn:aws:lambda:us-east-1:123456789012:function:orders --name live ' +
        `--region us-east-1 --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`
    );
  });
});

test('unchanged polls log once a minute, every change at once', async () => {
  world({ alias: { version: '1' }, publishes: '2', alarms: { errors: (call) => (call === 20 ? 'INSUFFICIENT_DATA' : 'OK') } });
  const { log } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
  const polls = log.lines.filter((line) => line.startsWith('healthy'));
  // 32 polls; logged at 0, 60, 120, 180 s, the change at 190 s, back to OK at 200 s, then 260 s
  expect(polls).toHaveLength(7);
  expect(polls).toContain('healthy: errors=INSUFFICIENT_DATA');
});

describe('interrupted and concurrent deployments', () => {
  test('on-split-alias: fail refuses a split alias and names the way out', async () => {
    world({ alias: { version: '1', weights: { '2': 0.1 } }, publishes: '3' });
    const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain("set 'on-split-alias: rollback'");
    expect(mutatingOps()).toEqual([]);
  });

  test('on-split-alias: rollback restores the main version first, then deploys', async () => {
    world({ alias: { version: '1', weights: { '2': 0.1 } }, publishes: '3' });
    const { result, recorder } = await runDeployment({ strategy: 'Canary10Percent5Minutes', onSplitAlias: 'rollback' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ previousVersion: '1', version: '3' }] });
    expect(aws.aliasUpdates()).toEqual([
      ['1', {}],
      ['1', { '3': 0.1 }],
      ['3', {}]
    ]);
    expect(recorder.timeline.map((e) => e.message)).toContainEqual(expect.stringContaining('now routes 100% to version 1'));
  });

  test('on-split-alias: rollback in a dry run changes nothing', async () => {
    world({ alias: { version: '1', weights: { '2': 0.1 } } });
    const { result } = await runDeployment({ onSplitAlias: 'rollback', dryRun: true });
    expect(result.status).toBe('skipped');
    expect(mutatingOps()).toEqual([]);
  });

  test('a lost answer to our own alias update is recognised, not taken for a conflict', async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    let lost = false;
    const base = aws.lambda;
    // The first UpdateAlias is applied by "Lambda" but its answer is lost; the SDK retry then gets 412.
    base.on(UpdateAliasCommand).callsFake((input) => {
      const alias = aws.alias()!;
      if (input.RevisionId !== alias.RevisionId) throw awsError('PreconditionFailedException');
      Object.assign(alias, { FunctionVersion: input.FunctionVersion, RoutingConfig: input.RoutingConfig, RevisionId: `${alias.RevisionId}+` });
      if (!lost) {
        lost = true;
        // what the SDK's second attempt meets after the first was applied but not answered
        throw awsError('PreconditionFailedException', 'stale', 2);
      }
      return alias;
    });
    const { result } = await runDeployment({ strategy: 'Canary10Percent1Minute' });
    expect(result.status).toBe('succeeded');
    expect(aws.alias()).toMatchObject({ FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } });
  });

  test('a refusal on the first attempt is a conflict even if the alias routes exactly as we asked', async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    // Another deployment of the same version got there first with the same weights.
    aws.lambda.on(UpdateAliasCommand).callsFake(() => {
      Object.assign(aws.alias()!, { RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } }, RevisionId: 'rev-other' });
      throw awsError('PreconditionFailedException', 'stale', 1);
    });
    const { result } = await runDeployment({ strategy: 'Canary10Percent1Minute' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('changed by someone else');
  });

  test("another actor's change is left alone even when it still routes to the new version", async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    const clock = new FakeClock();
    clock.at(clock.now() + 30_000, () => {
      Object.assign(aws.alias()!, { RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } }, RevisionId: 'rev-human' });
    });
    const { result } = await runDeployment({ strategy: 'Linear10PercentEvery1Minute' }, { clock });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('it now routes 50% to version 1 and 50% to version 2. It was left as it is');
    expect(aws.alias()).toMatchObject({ RevisionId: 'rev-human' });
  });

  test('every phase change is reported with what a later process needs to undo it', async () => {
    world({ alias: { version: '1' }, publishes: '2' });
    const { snapshots } = await runDeployment({ strategy: 'Canary10Percent1Minute' });
    const seen = snapshots.map((s) => JSON.stringify([s.phase, s.targets[0]?.targetVersion ?? null, s.targets[0]?.aliasTouched ?? null]));
    // Each distinct state once, in order (a state is saved again when nothing in it changed).
    expect(seen.filter((state, index) => state !== seen[index - 1]).map((state) => JSON.parse(state))).toEqual([
      ['preflight', null, null],
      ['preflight', null, false],
      ['publish', null, false],
      ['shift', '2', false],
      ['shift', '2', true],
      ['promote', '2', true],
      ['succeeded', '2', true]
    ]);
    expect(snapshots.at(-1)).toMatchObject({
      deploymentId: 'deploy-1',
      targets: [{ functionName: 'orders', alias: 'live', previousVersion: '1', functionRef: FUNCTION_ARN }]
    });
  });
});

test('on-split-alias: rollback repairs nothing when the preflight refuses the deployment for another reason', async () => {
  world({ alias: { version: '1', weights: { '2': 0.1 } }, alarms: { errors: ok } });
  const { result } = await runDeployment({ onSplitAlias: 'rollback', alarms: ['errors', 'missing'] });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toMatch(/^preflight refused the deployment, nothing was changed: CloudWatch alarm not found: missing/);
  expect(aws.aliasUpdates()).toEqual([]);
});

test('a publish that meets an update started after the wait waits again and publishes', async () => {
  world({ alias: { version: '1' }, publishes: '2' });
  aws.lambda
    .on(PublishVersion)
    .rejectsOnce(awsError('ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress'))
    .resolves({ Version: '2', FunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:2' });
  const { result, log } = await runDeployment();
  expect(result.status).toBe('succeeded');
  expect(log.warnings).toContainEqual(expect.stringContaining('PublishVersion was refused while the function was busy'));
  expect(aws.lambda.commandCalls(GetFunction).length).toBeGreaterThanOrEqual(3); // preflight + two waits
});

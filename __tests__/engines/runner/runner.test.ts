import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { SdkLambdaGateway } from '../../../src/aws/sdk-lambda-gateway.js';
import { closingLine } from '../../../src/report/summary.js';
import { Recorder } from '../../../src/rollout/recorder.js';
import { recoverInterrupted } from '../../../src/engines/runner/recover.js';
import type { RunnerState } from '../../../src/engines/runner/state.js';
import type { DeploymentSnapshot } from '../../../src/rollout/result.js';
import { CaptureLog } from '../../support/capture-log.js';
import { EmulatedAws, FUNCTION_ARN, testClients } from '../../support/engine-harness.js';

// The engine over the real SDK gateways, against the emulator in-process on a fake clock: Lambda's
// and CloudWatch's answers (RevisionIds, version numbers, alarm states) come from the same AWS model
// as the end-to-end tests'.

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

/** The phases the post step was told of, each once, in order. */
const phasesOf = (snapshots: readonly DeploymentSnapshot<RunnerState>[]): string[] =>
  snapshots.map((snapshot) => snapshot.phase).filter((phase, index, all) => phase !== all[index - 1]);
/** The payload of the one hook invocation (not a dry run), as the hook received it. */
const hookInvocation = () => {
  const [invoke] = aws.callsOf('Invoke').filter((call) => call.params.InvocationType === 'RequestResponse');
  return { functionName: invoke!.functionName, payload: JSON.parse(invoke!.params.Payload as string) as Record<string, unknown> };
};

describe('successful deployments', () => {
  test('first deployment creates the alias on the new version, with no shifting', async () => {
    aws.orders();
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('succeeded');
    expect(result.targets[0]!.previousVersion).toBeUndefined();
    expect(aws.mutatingOps()).toEqual(['PublishVersion', 'CreateAlias']);
    expect(aws.alias()?.functionVersion).toBe('1');
  });

  test('AllAtOnce moves the alias in one update that clears the weights, guarded by the RevisionId', async () => {
    aws.orders({ live: '1' });
    const before = aws.alias()!.revisionId;
    const { result } = await aws.deploy({ strategy: 'AllAtOnce' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ version: '2', previousVersion: '1' }] });
    expect(aws.aliasUpdates()).toEqual([['2', {}]]);
    expect(aws.callsOf('UpdateAlias')[0]!.params.RevisionId).toBe(before);
    expect(aws.alias()!.revisionId).not.toBe(before);
  });

  test('canary: 10% for five minutes, then 100%, polling the alarms on a 10 s grid', async () => {
    aws.orders({ live: '3' }).alarm('errors');
    const { result, elapsedMs } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('succeeded');
    expect(aws.aliasUpdates()).toEqual([
      ['3', { '4': 0.1 }],
      ['4', {}]
    ]);
    expect(elapsedMs).toBe(5 * 60_000);
    // preflight + polls at 0, 10 s, ..., 300 s (31); no check after promotion: the read before it is not half a poll old
    expect(aws.callsOf('DescribeAlarms')).toHaveLength(1 + 31);
  });

  test('linear: +10% every minute, each update with the revision from the previous answer', async () => {
    aws.orders({ live: '7' });
    const revisions = aws.recordRevisions();
    const { result, elapsedMs } = await aws.deploy({ strategy: 'Linear10PercentEvery1Minute' });
    expect(result.status).toBe('succeeded');
    const weights = aws.aliasUpdates().map(([version, w]) => [version, w['8'] ?? null]);
    expect(weights).toEqual([...[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((w) => ['7', w]), ['8', null]]);
    // Each UpdateAlias sent the RevisionId of Lambda's last answer about the alias (GetAlias, then each update's own).
    expect(revisions).toHaveLength(10);
    for (const { sent, lastAnswered } of revisions) expect(sent).toBe(lastAnswered);
    expect(new Set(revisions.map(({ sent }) => sent)).size).toBe(10);
    expect(elapsedMs).toBe(9 * 60_000);
  });

  test('deadlines are absolute: slow alias updates do not add up over the steps', async () => {
    aws.orders({ live: '1' });
    aws.slow('UpdateAlias', 3_000);
    const { elapsedMs, result } = await aws.deploy({ strategy: '10%:1m, 20%:1m, 30%:1m' });
    expect(result.status).toBe('succeeded');
    // Three bakes of 1 m counted from the first shift, then the promotion's 3 s. Deadlines counted
    // from each step's own start would drift to 4 × 3 s + 3 m = 192 s.
    expect(elapsedMs).toBe(3 * 60_000 + 3_000);
  });

  test('skipped when the published version is already live: nothing changes', async () => {
    aws.orders({ live: '5', newCode: false }).hook('pre');
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'pre' });
    expect(result.status).toBe('skipped');
    expect(result.targets[0]).toMatchObject({ version: '5', previousVersion: '5' });
    expect(aws.mutatingOps()).toEqual(['PublishVersion']);
  });

  test('dry run reads everything and changes nothing', async () => {
    aws.orders({ live: '5' }).alarm('errors');
    const { result } = await aws.deploy({ dryRun: true, alarms: ['errors'] });
    expect(result).toMatchObject({ status: 'skipped', dryRun: true });
    expect(aws.mutatingOps()).toEqual([]);
  });
});

describe('hooks', () => {
  test('the pre-traffic hook receives the deployment facts', async () => {
    aws.orders({ live: '1' }).hook('pre');
    await aws.deploy({ preTrafficHook: 'pre' });
    const invoke = hookInvocation();
    expect(invoke.functionName).toBe('pre');
    expect(invoke.payload).toEqual({
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
    aws.orders({ live: '1' }).hook('pre');
    const source = {
      owner: 'acme',
      repo: 'orders',
      sha: 'abc123',
      ref: 'refs/heads/main',
      actor: 'octocat',
      runUrl: 'https://github.com/acme/orders/actions/runs/9'
    };
    const { result } = await aws.deploy({ preTrafficHook: 'pre' }, { source });
    expect(hookInvocation().payload.github).toEqual({
      repository: 'acme/orders',
      sha: 'abc123',
      ref: 'refs/heads/main',
      actor: 'octocat',
      runUrl: 'https://github.com/acme/orders/actions/runs/9'
    });
    expect(result.source).toBe(source);
  });

  test('a failing pre-traffic hook stops the deployment before the alias is touched', async () => {
    aws.orders({ live: '1' }).hook('pre', { payload: { status: 'Failed', reason: 'smoke test: 500 on /health' } });
    const { result, recorder } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'pre' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('smoke test: 500 on /health');
    expect(aws.mutatingOps()).toEqual(['PublishVersion', 'Invoke']);
    expect(aws.alias()?.functionVersion).toBe('1');
    expect(recorder.hookOutcomes).toMatchObject([{ passed: false, event: 'BeforeAllowTraffic' }]);
  });

  test('a pre-traffic hook that throws fails the deployment too', async () => {
    aws.orders({ live: '1' }).hook('pre', { functionError: { errorType: 'Error', errorMessage: 'boom' } });
    const { result } = await aws.deploy({ preTrafficHook: 'pre' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('boom');
    expect(aws.aliasUpdates()).toEqual([]);
  });

  test('a failing post-traffic hook rolls the alias back to the previous version', async () => {
    aws.orders({ live: '1' }).hook('post', { payload: { status: 'Failed' } });
    const { result } = await aws.deploy({ strategy: 'Canary50Percent1Minute', postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toContain('AfterAllowTraffic hook lambda:post failed');
    expect(aws.aliasUpdates()).toEqual([
      ['1', { '2': 0.5 }],
      ['2', {}],
      ['1', {}]
    ]);
  });

  test('on a first deployment, a failing post-traffic hook deletes the alias it created', async () => {
    aws.orders().hook('post', { payload: { status: 'failed' } });
    const { result } = await aws.deploy({ postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    expect(aws.mutatingOps()).toEqual(['PublishVersion', 'CreateAlias', 'Invoke', 'DeleteAlias']);
    expect(aws.alias()).toBeUndefined();
  });
});

describe('alarms', () => {
  test('after a post-traffic hook that ran a while, the alarms are read once more, and an alarm then rolls back', async () => {
    aws.orders({ live: '3' }).alarm('errors').hook('post');
    aws.slow('Invoke', 20_000); // the hook runs 20 s, past half a 10 s poll
    aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 60_000 + 10_000, reason: 'Threshold Crossed: 9 errors' });
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute', alarms: ['errors'], postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toContain('alarm errors is in ALARM');
    expect(aws.aliasUpdates()).toEqual([
      ['3', { '4': 0.1 }],
      ['4', {}],
      ['3', {}]
    ]);
  });

  test('right after the promotion, with no post-traffic hook, the alarms are not read again', async () => {
    aws.orders({ live: '3' }).alarm('errors');
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute', alarms: ['errors'] });
    expect(result.status).toBe('succeeded');
    const promotion = aws.callsOf('UpdateAlias').at(-1)!;
    expect(aws.callsOf('DescribeAlarms').filter((call) => call.seq > promotion.seq)).toEqual([]);
  });

  test('an alarm firing mid-bake rolls back at the next poll', async () => {
    aws.orders({ live: '3' }).alarm('errors').alarm('latency');
    // The alarm goes off 45 s into the bake; the poll at 50 s sees it.
    aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 45_000, reason: 'Threshold Crossed: 7 errors' });
    const { result, elapsedMs, snapshots } = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      alarms: ['errors', 'latency']
    });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toBe('alarm errors is in ALARM (Threshold Crossed: 7 errors)');
    expect(aws.aliasUpdates()).toEqual([
      ['3', { '4': 0.1 }],
      ['3', {}]
    ]);
    expect(elapsedMs).toBe(50_000);
    expect(phasesOf(snapshots)).toEqual(['preflight', 'publish', 'shift', 'rollback', 'rolled-back']);
  });

  test('an alarm already in ALARM refuses the deployment before any change', async () => {
    aws.orders({ live: '1' }).alarm('errors', 'ALARM');
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('already in ALARM before the deployment: errors');
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('allow-alarm-at-start ignores an alarm that fires at start until it recovers, then watches it', async () => {
    // ALARM at the start, OK from 10 s, ALARM again from 30 s
    aws.orders({ live: '1' }).alarm('errors', 'ALARM');
    aws.emu.setAlarmState('errors', 'OK', { afterMs: 10_000 });
    aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 30_000 });
    const { result, elapsedMs } = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      alarms: ['errors'],
      allowAlarmAtStart: true
    });
    expect(result.status).toBe('rolled-back');
    expect(elapsedMs).toBe(30_000);
  });

  test('a missing alarm refuses the deployment with no mutating call', async () => {
    aws.orders({ live: '1' }).alarm('errors');
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors', 'typo-alarm'] });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('CloudWatch alarm not found: typo-alarm');
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('alarms that cannot be read three times in a row roll back rather than fly blind', async () => {
    aws.orders({ live: '1' }).alarm('errors');
    // The preflight and the read right before the first shift (both at 0 s) succeed; from 10 s on CloudWatch fails.
    aws.clock.at(aws.clock.now() + 10_000, () => aws.emu.setFaults({ serverErrorFraction: 1, operations: ['DescribeAlarms'] }));
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toContain('could not be read 3 times in a row');
    expect(aws.callsOf('DescribeAlarms').map((call) => call.status)).toEqual([200, 200, 500, 500, 500]);
  });
});

describe('refusals and conflicts', () => {
  test('a missing hook function refuses the deployment with no mutating call', async () => {
    aws.orders({ live: '1' });
    const { result } = await aws.deploy({ preTrafficHook: 'no-such-hook' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('hook function no-such-hook does not exist');
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('an alias already split is refused, naming both versions and the way out', async () => {
    aws.orders({ live: '1', split: { '2': 0.25 } });
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('75% to version 1 and 25% to version 2');
    expect(result.failureReason).toContain('--function-version 1');
    expect(result.targets[0]!.previousVersion).toBe('1');
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('an unknown function is refused clearly', async () => {
    // No function at all: Lambda answers ResourceNotFoundException.
    const { result } = await aws.deploy();
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain("function orders was not found (check 'function-name'");
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('another actor changing the alias mid-rollout is reported and not overwritten', async () => {
    aws.orders({ live: '3' });
    // 30 s into the bake, someone else points the alias at version 1.
    let theirs: Promise<string> | undefined;
    aws.clock.at(aws.clock.now() + 30_000, () => {
      theirs = aws.changedBySomeoneElse('1');
    });
    const { result } = await aws.deploy({ strategy: 'Linear10PercentEvery1Minute' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('changed by someone else');
    expect(result.failureReason).toContain('100% to version 1');
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {}, revisionId: await theirs });
  });
});

describe('rollback', () => {
  test('cancellation mid-bake rolls back at once and says so', async () => {
    aws.orders({ live: '1' });
    const controller = new AbortController();
    aws.clock.at(aws.clock.now() + 90_000, () => controller.abort('SIGINT'));
    const { result, elapsedMs } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' }, { signal: controller.signal });
    expect(result).toMatchObject({ status: 'rolled-back', cancelled: true });
    expect(result.failureReason).toContain('cancelled during shift (SIGINT)');
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
    expect(elapsedMs).toBe(90_000);
  });

  test('a rollback that fails at first is retried until it sticks', async () => {
    aws.orders({ live: '1' }).hook('post', { payload: { status: 'Failed' } });
    // The first two rollback writes (back to version 1) meet a Lambda service error.
    aws.fault('UpdateAlias', { FunctionVersion: '1' }, 'ServiceException', 2);
    const { result, log } = await aws.deploy({ postTrafficHook: 'post' });
    expect(result.status).toBe('rolled-back');
    const rollbackWrites = aws.callsOf('UpdateAlias').filter((call) => call.params.FunctionVersion === '1');
    expect(rollbackWrites.map((call) => call.status)).toEqual([500, 500, 200]);
    expect(log.warnings.filter((w) => w.startsWith('Rollback attempt'))).toHaveLength(2);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });

  test('a rollback that never sticks fails loudly with the command that fixes the alias', async () => {
    aws.orders({ live: '1' }).hook('post', { payload: { status: 'Failed' } });
    aws.fault('UpdateAlias', { FunctionVersion: '1' }, 'ServiceException');
    const { result } = await aws.deploy({ postTrafficHook: 'post' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('then the rollback failed');
    expect(result.manualFix).toBe(
      'aws lambda update-alias --function-name arn:aws:lambda:us-east-1:123456789012:function:orders --name live ' +
        `--region us-east-1 --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`
    );
    expect(aws.alias()).toMatchObject({ functionVersion: '2' });
  });
});

test('unchanged polls log once a minute, every change at once', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  aws.emu.setAlarmState('errors', 'INSUFFICIENT_DATA', { afterMs: 190_000 });
  aws.emu.setAlarmState('errors', 'OK', { afterMs: 200_000 });
  const { log } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
  const polls = log.lines.filter((line) => line.startsWith('healthy'));
  // 32 polls; logged at 0, 60, 120, 180 s, the change at 190 s, back to OK at 200 s, then 260 s
  expect(polls).toHaveLength(7);
  expect(polls).toContain('healthy: errors=INSUFFICIENT_DATA');
});

describe('interrupted and concurrent deployments', () => {
  test('on-split-alias: fail refuses a split alias and names the way out', async () => {
    aws.orders({ live: '1', split: { '2': 0.1 } });
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain("set 'on-split-alias: rollback'");
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('on-split-alias: rollback restores the main version first, then deploys', async () => {
    aws.orders({ live: '1', split: { '2': 0.1 } });
    const { result, recorder } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', onSplitAlias: 'rollback' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ previousVersion: '1', version: '3' }] });
    expect(aws.aliasUpdates()).toEqual([
      ['1', {}],
      ['1', { '3': 0.1 }],
      ['3', {}]
    ]);
    expect(recorder.timeline.map((e) => e.message)).toContainEqual(expect.stringContaining('now routes 100% to version 1'));
  });

  test('on-split-alias: rollback in a dry run changes nothing', async () => {
    aws.orders({ live: '1', split: { '2': 0.1 } });
    const { result } = await aws.deploy({ onSplitAlias: 'rollback', dryRun: true });
    expect(result.status).toBe('skipped');
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('a lost answer to our own alias update is recognised, not taken for a conflict', async () => {
    aws.orders({ live: '1' });
    const updateAlias = aws.answer('UpdateAlias');
    let lost = false;
    // The first UpdateAlias is applied by Lambda but its answer is lost; the SDK's retry of the same
    // request (same RevisionId, now stale) meets 412, and the SDK reports the second attempt.
    aws.lambda.on(UpdateAliasCommand).callsFake(async (input: Record<string, unknown>, getClient: () => unknown) => {
      if (lost) return updateAlias(input, getClient);
      lost = true;
      await updateAlias(input, getClient);
      const refused = (await updateAlias(input, getClient).catch((error: unknown) => error)) as {
        name: string;
        $metadata: { attempts: number };
      };
      expect(refused.name).toBe('PreconditionFailedException');
      refused.$metadata.attempts = 2;
      throw refused;
    });
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute' });
    expect(result.status).toBe('succeeded');
    expect(aws.callsOf('UpdateAlias').map((call) => call.status)).toEqual([200, 412, 200]);
    expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: {} });
  });

  test('a refusal on the first attempt is a conflict even if the alias routes exactly as we asked', async () => {
    aws.orders({ live: '1' });
    const updateAlias = aws.answer('UpdateAlias');
    let first = true;
    // Another deployment of the same version gets there first with the same weights.
    aws.lambda.on(UpdateAliasCommand).callsFake(async (input: Record<string, unknown>, getClient: () => unknown) => {
      if (first) {
        first = false;
        await aws.changedBySomeoneElse('1', { '2': 0.1 });
      }
      return updateAlias(input, getClient);
    });
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('changed by someone else');
    expect(aws.callsOf('UpdateAlias').map((call) => call.status)).toEqual([200, 412]);
  });

  test("another actor's change is left alone even when it still routes to the new version", async () => {
    aws.orders({ live: '1' });
    let theirs: Promise<string> | undefined;
    aws.clock.at(aws.clock.now() + 30_000, () => {
      theirs = aws.changedBySomeoneElse('1', { '2': 0.5 });
    });
    const { result } = await aws.deploy({ strategy: 'Linear10PercentEvery1Minute' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('it now routes 50% to version 1 and 50% to version 2. It was left as it is');
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 }, revisionId: await theirs });
  });

  test('every phase change is reported with what a later process needs to undo it', async () => {
    aws.orders({ live: '1' });
    const { snapshots } = await aws.deploy({ strategy: 'Canary10Percent1Minute' });
    const seen = snapshots.map((s) =>
      JSON.stringify([s.phase, s.targets[0]?.targetVersion ?? null, s.targets[0]?.aliasTouched ?? null])
    );
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
  aws.orders({ live: '1', split: { '2': 0.1 } }).alarm('errors');
  const { result } = await aws.deploy({ onSplitAlias: 'rollback', alarms: ['errors', 'missing'] });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toMatch(
    /^preflight refused the deployment, nothing was changed: CloudWatch alarm not found: missing/
  );
  expect(aws.aliasUpdates()).toEqual([]);
});

test('a publish that meets an update started after the wait waits again and publishes', async () => {
  aws.orders({ live: '1' });
  // Right after the preflight found the function ready, a pipeline starts a code update that takes 1 s.
  const stop = aws.emu.onCall((call) => {
    if (call.operation !== 'GetFunction') return;
    stop();
    aws.emu.updateCode('orders', undefined, { durationMs: 1_000 });
  });
  const { result, log } = await aws.deploy();
  expect(result.status).toBe('succeeded');
  expect(log.warnings).toContainEqual(expect.stringContaining('PublishVersion was refused while the function was busy'));
  expect(aws.callsOf('PublishVersion').map((call) => [call.status, call.errorCode])).toEqual([
    [409, 'ResourceConflictException'],
    [201, undefined]
  ]);
  expect(aws.callsOf('GetFunction').length).toBeGreaterThanOrEqual(3); // preflight + two waits
});

describe('several functions, all on an alias named live', () => {
  /** Functions with version 1 live on `live` and new code waiting, as the rollout's targets. */
  const functions = (...names: string[]) =>
    names.map((functionName) => {
      aws.emu.createFunction({ name: functionName, versions: 1, alias: { name: 'live', version: '1' } });
      aws.emu.updateCode(functionName);
      return { functionName, alias: 'live' };
    });
  const arnOf = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

  test('promotion and the closing line say whose alias each is', async () => {
    const { result, recorder } = await aws.deploy({ targets: functions('api', 'worker'), strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('succeeded');
    expect(recorder.timeline.map((event) => event.message)).toEqual(
      expect.arrayContaining([
        'Step 1/1: 10% of traffic on api:2, worker:2, baking for 5m',
        'Alias api:live now sends 100% of traffic to version 2',
        'Alias worker:live now sends 100% of traffic to version 2'
      ])
    );
    expect(closingLine(result)).toBe('succeeded: version 2 is live on api:live; version 2 is live on worker:live');
  });

  test('a step that shifts one of several functions names it', async () => {
    aws.emu.createFunction({ name: 'cron' }); // its first deployment: no alias to shift yet
    const { result, recorder } = await aws.deploy({
      targets: [...functions('api'), { functionName: 'cron', alias: 'live' }],
      strategy: 'Canary10Percent5Minutes'
    });
    expect(result.status).toBe('succeeded');
    expect(recorder.timeline.map((event) => event.message)).toContain('Step 1/1: 10% of traffic on api:2, baking for 5m');
  });

  test('the rollback says which alias is back, and a rollback that fails names the function', async () => {
    const targets = functions('api', 'worker');
    aws.alarm('errors');
    aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 45_000 });
    // The worker's rollback writes (back to version 1) all fail.
    aws.fault('UpdateAlias', { FunctionName: arnOf('worker'), FunctionVersion: '1' }, 'ServiceException');
    const { result, recorder } = await aws.deploy({ targets, strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('failed');
    expect(recorder.timeline.map((event) => event.message)).toContain(
      'Alias api:live is back: Lambda reports it routes 100% to version 1'
    );
    expect(result.failureReason).toContain('then the rollback failed: worker: gave up after retrying');
  });

  test('a weight change that fails on one function names it in the reason, and every alias is put back', async () => {
    const targets = functions('api', 'worker');
    // More failures than worker's first weight change has retries; the rollback outlasts any left.
    aws.emu.failNext('UpdateAlias', 10, 'ServiceException', 'worker');
    const { result } = await aws.deploy({ targets, strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toMatch(/^shift stopped on worker:live: /);
    for (const name of ['api', 'worker'])
      expect(aws.emu.state().functions.find((fn) => fn.name === name)!.aliases[0]).toMatchObject({
        functionVersion: '1',
        weights: {}
      });
  });

  test('another writer changes one alias mid-rollout: it is left to them, every other alias is put back, the reason names it', async () => {
    const targets = functions('api', 'worker', 'cron');
    // 30 s into the 1-minute steps, someone puts worker back on version 1 by hand.
    aws.clock.at(aws.clock.now() + 30_000, () => {
      void aws.emu.handleOperation('lambda', 'UpdateAlias', {
        FunctionName: 'worker',
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: {} }
      });
    });
    const { result, recorder, snapshots } = await aws.deploy({ targets, strategy: 'Linear25PercentEvery1Minute' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toBe(
      `the alias worker:live was changed by someone else during the deployment (RevisionId ${
        aws.callsOf('UpdateAlias').find((call) => call.status === 412)!.params.RevisionId as string
      } is stale); it now routes 100% to version 1. It was left as it is; the other aliases (api:live, cron:live) were put back on their previous versions`
    );
    for (const name of ['api', 'worker', 'cron'])
      expect(aws.emu.state().functions.find((fn) => fn.name === name)!.aliases[0]).toMatchObject({
        functionVersion: '1',
        weights: {}
      });
    // worker: its step 1, then the refused step 2; never written again.
    const writesTo = (name: string) =>
      aws
        .callsOf('UpdateAlias')
        .filter((call) => call.functionName === arnOf(name))
        .map((call) => call.status);
    expect(writesTo('worker')).toEqual([200, 412]);
    expect(writesTo('api')).toEqual([200, 200, 200]);
    expect(recorder.timeline.map((event) => event.message)).toEqual(
      expect.arrayContaining(['Alias api:live is back: Lambda reports it routes 100% to version 1'])
    );
    // The post step is told the worker's alias is not to be undone, and needs to undo nothing else.
    expect(
      snapshots
        .at(-1)!
        .targets.map(({ functionName, aliasTouched, leftToOtherWriter }) => [functionName, aliasTouched, leftToOtherWriter])
    ).toEqual([
      ['api', true, undefined],
      ['worker', false, true],
      ['cron', true, undefined]
    ]);
  });

  test('the post step finishes putting back the others, and leaves an alias another writer changed alone', async () => {
    aws.emu.createFunction({ name: 'api', versions: 2, alias: { name: 'live', version: '1', weights: { '2': 0.5 } } });
    aws.emu.createFunction({ name: 'worker', versions: 2, alias: { name: 'live', version: '2' } });
    const target = (name: string, touched: boolean) => ({
      functionName: name,
      functionRef: arnOf(name),
      alias: 'live',
      previousVersion: '1',
      targetVersion: '2',
      alreadyLive: false,
      aliasTouched: touched,
      aliasCreated: false,
      aliasWritten: touched,
      ...(touched ? {} : { leftToOtherWriter: true })
    });
    const recovery = await recoverInterrupted(
      {
        phase: 'rollback',
        deploymentId: 'deploy-1',
        rollbackOwed: false,
        engine: 'runner',
        applied: 2,
        targets: [target('api', true), target('worker', false)]
      },
      {
        lambda: new SdkLambdaGateway(testClients()),
        clock: aws.clock,
        recorder: new Recorder(new CaptureLog(), aws.clock),
        budgetMs: 10_000,
        provisioned: { timeoutMs: 60_000, pollIntervalMs: 5_000 }
      }
    );
    expect(recovery.lines).toEqual([
      'The deployment deploy-1 of api:live, worker:live was interrupted during rollback. The post step rolled it back:',
      'the alias api:live routes 100% to version 1 (read back from Lambda).',
      'the alias worker:live was changed by someone else during the deployment, so it was left as they set it.'
    ]);
    expect(aws.callsOf('UpdateAlias').map((call) => call.functionName)).toEqual([arnOf('api')]);
  });

  test('the post step says which alias it put back', async () => {
    for (const name of ['api', 'worker'])
      aws.emu.createFunction({ name, versions: 2, alias: { name: 'live', version: '1', weights: { '2': 0.1 } } });
    const snapshot: DeploymentSnapshot<RunnerState> = {
      phase: 'shift',
      deploymentId: 'deploy-1',
      rollbackOwed: false,
      engine: 'runner',
      applied: 3,
      targets: ['api', 'worker'].map((name) => ({
        functionName: name,
        functionRef: arnOf(name),
        alias: 'live',
        previousVersion: '1',
        targetVersion: '2',
        alreadyLive: false,
        aliasTouched: true,
        aliasCreated: false,
        aliasWritten: true
      }))
    };
    const recovery = await recoverInterrupted(snapshot, {
      lambda: new SdkLambdaGateway(testClients()),
      clock: aws.clock,
      recorder: new Recorder(new CaptureLog(), aws.clock),
      budgetMs: 10_000,
      provisioned: { timeoutMs: 60_000, pollIntervalMs: 5_000 }
    });
    expect(recovery.lines).toEqual([
      'The deployment deploy-1 of api:live, worker:live was interrupted during shift. The post step rolled it back:',
      'the alias api:live routes 100% to version 1 (read back from Lambda).',
      'the alias worker:live routes 100% to version 1 (read back from Lambda).'
    ]);
  });
});

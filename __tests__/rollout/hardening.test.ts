import { afterEach, expect, test } from '@jest/globals';
import { GetFunctionCommand, GetFunctionConfigurationCommand, UpdateAliasCommand, type UpdateAliasCommandInput } from '@aws-sdk/client-lambda';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { awsError, FUNCTION_ARN, mockAws, type MockedAwsOptions } from '../support/mocked-aws.js';
import { runDeployment } from '../support/engine-harness.js';
import { FakeClock } from '../support/fake-clock.js';

// The engine under real faults: calls that never answer, writes whose outcome is unknown, refusals.

let aws: ReturnType<typeof mockAws>;
function world(options: MockedAwsOptions) {
  aws = mockAws(options);
  return aws;
}
afterEach(() => aws?.restore());

const ok = () => 'OK' as const;
const never = (): Promise<never> => new Promise<never>(() => undefined);

test('an alarm read that never answers is cut off at the poll limit and counts as a failed read', async () => {
  world({ alias: { version: '1' }, publishes: '2', alarms: { errors: ok } });
  let calls = 0;
  aws.cloudwatch.on(DescribeAlarmsCommand).callsFake(() => (calls++ <= 1 ? { MetricAlarms: [{ AlarmName: 'errors', StateValue: 'OK' }] } : never()));
  const { result, log } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
  expect(result.status).toBe('rolled-back');
  expect(result.failureReason).toBe('health checks could not be read 3 times in a row (last error: no answer within 10s)');
  expect(log.warnings.filter((w) => w.startsWith('Could not read the health checks'))).toHaveLength(3);
  expect(aws.alias()).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: {} } });
});

test("a hook that never answers fails at its own time limit plus the margin, and no traffic moves", async () => {
  world({ alias: { version: '1' }, publishes: '2', hooks: { pre: () => ({ payload: null }) } });
  aws.lambda.on(GetFunctionConfigurationCommand, { FunctionName: 'pre' }).resolves({ FunctionName: 'pre', Timeout: 3 });
  aws.lambda.on((await import('@aws-sdk/client-lambda')).InvokeCommand, { InvocationType: 'RequestResponse' }).callsFake(never);
  const clock = new FakeClock();
  const started = clock.now();
  const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'pre' }, { clock });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toBe(
    "BeforeAllowTraffic hook lambda:pre failed: the invocation did not answer within 33s (the function's time limit and a margin)"
  );
  expect(clock.now() - started).toBe(33_000);
  expect(aws.aliasUpdates()).toEqual([]);
});

test('a rollback write that never answers is bounded by the budget; the rollback is then owed to the post step', async () => {
  world({ alias: { version: '1' }, publishes: '2', hooks: { post: () => ({ payload: { status: 'Failed' } }) } });
  aws.lambda.on(UpdateAliasCommand, { FunctionVersion: '1' }).callsFake(never);
  const { result, snapshots } = await runDeployment({ postTrafficHook: 'post' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toContain('then the rollback failed: gave up after retrying for 10000 ms');
  expect(snapshots.at(-1)).toMatchObject({ phase: 'failed', rollbackOwed: true, targets: [{ aliasTouched: true, functionRef: FUNCTION_ARN }] });
});

test('a cancellation while the rollback write hangs abandons that call and tries again at once', async () => {
  world({ alias: { version: '1' }, publishes: '2', hooks: { post: () => ({ payload: { status: 'Failed' } }) } });
  const clock = new FakeClock();
  const controller = new AbortController();
  let rollbackWrites = 0;
  aws.lambda.on(UpdateAliasCommand, { FunctionVersion: '1' }).callsFake((input: UpdateAliasCommandInput) => {
    if (rollbackWrites++ === 0) {
      setImmediate(() => controller.abort('SIGINT')); // while this call hangs
      return never();
    }
    const alias = aws.alias()!;
    Object.assign(alias, { FunctionVersion: '1', RoutingConfig: input.RoutingConfig, RevisionId: 'rev-restored' });
    return alias;
  });
  const started = clock.now();
  const { result, snapshots } = await runDeployment({ postTrafficHook: 'post' }, { clock, signal: controller.signal });
  expect(result.status).toBe('rolled-back');
  expect(rollbackWrites).toBe(2);
  expect(clock.now() - started).toBeLessThan(1_000); // not the 10 s budget: the hung call was dropped at once
  expect(snapshots.at(-1)).toMatchObject({ rollbackOwed: false });
});

test('a weight change cut off by a cancellation may have been applied: the alias is read back and restored', async () => {
  world({ alias: { version: '1' }, publishes: '2' });
  const controller = new AbortController();
  const clock = new FakeClock();
  let writes = 0;
  aws.lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
    const alias = aws.alias()!;
    if (input.RevisionId !== alias.RevisionId) throw awsError('PreconditionFailedException');
    Object.assign(alias, { FunctionVersion: input.FunctionVersion, RoutingConfig: input.RoutingConfig, RevisionId: `rev-w${++writes}` });
    if (writes === 1) {
      setImmediate(() => controller.abort('SIGTERM')); // while this call hangs
      return never(); // applied, but the answer never comes
    }
    return alias;
  });
  const { result, recorder } = await runDeployment({ strategy: 'Canary10Percent5Minutes' }, { clock, signal: controller.signal });
  expect(result).toMatchObject({ status: 'rolled-back', cancelled: true });
  expect(aws.alias()).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: {} } });
  expect(recorder.timeline.at(-1)?.message).toBe('Alias live is back: Lambda reports it routes 100% to version 1');
});

test('a permission missing on the first weight change: failed, nothing moved, the permission named, no rollback', async () => {
  world({ alias: { version: '1' }, publishes: '2' });
  aws.lambda
    .on(UpdateAliasCommand)
    .rejects(
      Object.assign(awsError('AccessDeniedException', 'User: x is not authorized to perform: lambda:UpdateAlias on resource: arn:fn'), {
        $metadata: { httpStatusCode: 403, attempts: 1 }
      })
    );
  const { result, snapshots, recorder } = await runDeployment({ strategy: 'Canary10Percent5Minutes' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toMatch(/^shift stopped: these credentials may not lambda:UpdateAlias on arn:fn/);
  expect(recorder.timeline.map((event) => event.phase)).not.toContain('rollback');
  expect(snapshots.at(-1)).toMatchObject({ phase: 'failed', targets: [{ aliasTouched: false }] });
});

test('the checks are read once more right before the first weight change; an alarm then moves no traffic', async () => {
  // call 0: preflight (OK); call 1: right before the first shift, after the hook (ALARM)
  world({ alias: { version: '1' }, publishes: '2', alarms: { errors: (call) => (call >= 1 ? 'ALARM' : 'OK') }, hooks: { pre: () => ({ payload: null }) } });
  const { result } = await runDeployment({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'], preTrafficHook: 'pre' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toBe('alarm errors is in ALARM (reason of errors)');
  expect(aws.aliasUpdates()).toEqual([]);
});

test('the same holds for AllAtOnce, which has no bake', async () => {
  world({ alias: { version: '1' }, publishes: '2', alarms: { errors: (call) => (call >= 1 ? 'ALARM' : 'OK') } });
  const { result } = await runDeployment({ strategy: 'AllAtOnce', alarms: ['errors'] });
  expect(result.status).toBe('failed');
  expect(aws.aliasUpdates()).toEqual([]);
});

test('a Pending function is waited for (Active and updated) before PublishVersion', async () => {
  world({ alias: { version: '1' }, publishes: '2' });
  let reads = 0;
  aws.lambda.on(GetFunctionCommand).callsFake(() => ({
    Configuration: {
      FunctionName: 'orders',
      FunctionArn: FUNCTION_ARN,
      State: reads++ === 0 ? 'Pending' : 'Active',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      LastUpdateStatus: 'Successful'
    }
  }));
  const { result, log } = await runDeployment();
  expect(result.status).toBe('succeeded');
  expect(log.lines).toContain('Waiting for orders to be ready for a new version: State Pending (Creating: The function is being created.)');
  expect(reads).toBeGreaterThanOrEqual(2);
});

test('preflight lists every problem, and a hook that may only be invoked is a warning, not a problem', async () => {
  world({ alias: { version: '1' }, hooks: { shared: () => ({ payload: null }) } });
  aws.lambda
    .on(GetFunctionConfigurationCommand, { FunctionName: 'shared' })
    .rejects(
      Object.assign(awsError('AccessDeniedException', 'not authorized to perform: lambda:GetFunctionConfiguration on resource: shared'), {
        $metadata: { httpStatusCode: 403, attempts: 1 }
      })
    );
  aws.cloudwatch
    .on(DescribeAlarmsCommand)
    .rejects(Object.assign(awsError('AccessDenied', 'not authorized to perform: cloudwatch:DescribeAlarms'), { $metadata: { httpStatusCode: 403, attempts: 1 } }));
  const { result, log } = await runDeployment({ preTrafficHook: 'shared', postTrafficHook: 'missing', alarms: ['errors'] });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toContain('these credentials may not cloudwatch:DescribeAlarms');
  expect(result.failureReason).toContain('hook function missing does not exist');
  expect(result.failureReason).not.toContain('shared');
  expect(log.warnings).toContainEqual(expect.stringContaining('hook function shared may be invoked but its configuration not read'));
});

import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { EmulatedAws, FUNCTION_ARN } from '../../support/engine-harness.js';

// The engine under real faults: calls that never answer, writes whose outcome is unknown, refusals.
// The faults are the emulator's own ('hang', 'hang-after-run', IAM denials), on the fake clock.

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

test('an alarm read that never answers is cut off at the poll limit and counts as a failed read', async () => {
  aws.orders({ live: '1' }).alarm('errors');
  // The preflight and the read right before the first shift (both at 0 s) are answered; from 10 s on no read is.
  aws.clock.at(aws.clock.now() + 10_000, () => aws.emu.setFaults({ hangFraction: 1, operations: ['DescribeAlarms'] }));
  const { result, log } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
  expect(result.status).toBe('rolled-back');
  expect(result.failureReason).toBe('health checks could not be read 3 times in a row (last error: no answer within 10s)');
  expect(log.warnings.filter((w) => w.startsWith('Could not read the health checks'))).toHaveLength(3);
  expect(aws.callsOf('DescribeAlarms').map((call) => call.fault ?? call.status)).toEqual([200, 200, 'hang', 'hang', 'hang']);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a hook that never answers fails at its own time limit plus the margin, and no traffic moves', async () => {
  aws.orders({ live: '1' });
  aws.emu.createFunction({ name: 'pre', timeout: 3 });
  aws.emu.failNext('Invoke', 1, 'hang');
  const started = aws.clock.now();
  const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', preTrafficHook: 'pre' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toBe(
    "BeforeAllowTraffic hook lambda:pre failed: the invocation did not answer within 33s (the function's time limit and a margin)"
  );
  expect(aws.clock.now() - started).toBe(33_000);
  expect(aws.callsOf('Invoke')).toEqual([expect.objectContaining({ functionName: 'pre', fault: 'hang' })]);
  expect(aws.aliasUpdates()).toEqual([]);
});

test('a rollback write that never answers is bounded by the budget; the rollback is then owed to the post step', async () => {
  aws.orders({ live: '1' }).hook('post', { payload: { status: 'Failed' } });
  // Every rollback write (back to version 1) reaches Lambda and is never answered.
  aws.fault('UpdateAlias', { FunctionVersion: '1' }, 'hang');
  const { result, snapshots } = await aws.deploy({ postTrafficHook: 'post' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toContain('then the rollback failed: gave up after retrying for 10000 ms');
  expect(snapshots.at(-1)).toMatchObject({
    phase: 'failed',
    rollbackOwed: true,
    targets: [{ aliasTouched: true, functionRef: FUNCTION_ARN }]
  });
  expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: {} });
});

test('a cancellation while the rollback write hangs abandons that call and tries again at once', async () => {
  aws.orders({ live: '1' }).hook('post', { payload: { status: 'Failed' } });
  const controller = new AbortController();
  // The first rollback write hangs; once it does, the run is cancelled.
  aws.fault('UpdateAlias', { FunctionVersion: '1' }, 'hang', 1);
  void aws.emu.waitForCalls(1, (call) => call.fault === 'hang').then(() => controller.abort('SIGINT'));
  const started = aws.clock.now();
  const { result, snapshots } = await aws.deploy({ postTrafficHook: 'post' }, { signal: controller.signal });
  expect(result.status).toBe('rolled-back');
  const rollbackWrites = aws.callsOf('UpdateAlias').filter((call) => call.params.FunctionVersion === '1');
  expect(rollbackWrites.map((call) => call.fault ?? call.status)).toEqual(['hang', 200]);
  // Not the 10 s budget: the hung call was dropped at once, and the next one sent after the short first pause.
  expect(aws.clock.now() - started).toBeLessThan(1_000);
  expect(snapshots.at(-1)).toMatchObject({ rollbackOwed: false });
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a weight change cut off by a cancellation may have been applied: the alias is read back and restored', async () => {
  aws.orders({ live: '1' });
  const controller = new AbortController();
  // The first weight change is applied, but its answer never comes; meanwhile the run is cancelled.
  aws.emu.failNext('UpdateAlias', 1, 'hang-after-run');
  void aws.emu.waitForCalls(1, (call) => call.fault === 'hang-after-run').then(() => controller.abort('SIGTERM'));
  const { result, recorder } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' }, { signal: controller.signal });
  expect(result).toMatchObject({ status: 'rolled-back', cancelled: true });
  expect(aws.aliasUpdates()).toEqual([
    ['1', { '2': 0.1 }],
    ['1', {}]
  ]);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  expect(recorder.timeline.at(-1)?.message).toBe('Alias live is back: Lambda reports it routes 100% to version 1');
});

test('a permission missing on the first weight change: failed, nothing moved, the permission named, no rollback', async () => {
  aws.orders({ live: '1' });
  aws.emu.denyActions(['lambda:UpdateAlias']);
  const { result, snapshots, recorder } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toMatch(
    /^shift stopped: these credentials may not lambda:UpdateAlias on arn:aws:lambda:us-east-1:123456789012:function:orders .*\. AWS said: AccessDeniedException: /
  );
  expect(recorder.timeline.map((event) => event.phase)).not.toContain('rollback');
  expect(snapshots.at(-1)).toMatchObject({ phase: 'failed', targets: [{ aliasTouched: false }] });
  expect(aws.callsOf('UpdateAlias').map((call) => call.status)).toEqual([403]);
});

test('the checks are read once more right before the first weight change; an alarm then moves no traffic', async () => {
  // The preflight reads OK; the hook runs 5 s, and the alarm goes off 3 s into it.
  aws.orders({ live: '1' }).alarm('errors').hook('pre');
  aws.slow('Invoke', 5_000);
  aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 3_000, reason: 'Threshold Crossed: 2 errors' });
  const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'], preTrafficHook: 'pre' });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toBe('alarm errors is in ALARM (Threshold Crossed: 2 errors)');
  expect(aws.callsOf('DescribeAlarms').map((call) => call.atMs - aws.callsOf('DescribeAlarms')[0]!.atMs)).toEqual([0, 5_000]);
  expect(aws.aliasUpdates()).toEqual([]);
});

test('the same holds for AllAtOnce, which has no bake', async () => {
  // The preflight reads OK; publishing takes 2 s, and the alarm goes off 1 s into it.
  aws.orders({ live: '1' }).alarm('errors');
  aws.slow('PublishVersion', 2_000);
  aws.emu.setAlarmState('errors', 'ALARM', { afterMs: 1_000 });
  const { result } = await aws.deploy({ strategy: 'AllAtOnce', alarms: ['errors'] });
  expect(result.status).toBe('failed');
  expect(aws.callsOf('DescribeAlarms')).toHaveLength(2);
  expect(aws.aliasUpdates()).toEqual([]);
});

test('a Pending function is waited for (Active and updated) before PublishVersion', async () => {
  // Just created: Pending for 1 s. The preflight's read sees it Pending and is answered 1 s later;
  // by the time the wait reads again, the function is Active.
  aws.emu.createFunction({ name: 'orders', pendingMs: 1_000 });
  aws.slow('GetFunction', 1_000);
  const { result, log } = await aws.deploy();
  expect(result.status).toBe('succeeded');
  expect(log.lines).toContain(
    'Waiting for orders to be ready for a new version: State Pending (Creating: The function is being created.)'
  );
  // The preflight's read, then the waits for Active and for the update to end, then the publish.
  const order = aws.calls().filter((call) => call.operation === 'GetFunction' || call.operation === 'PublishVersion');
  expect(order.map((call) => call.operation)).toEqual(['GetFunction', 'GetFunction', 'GetFunction', 'PublishVersion']);
});

test('preflight lists every problem, and a hook that may only be invoked is a warning, not a problem', async () => {
  aws.orders({ live: '1' }).hook('shared').alarm('errors');
  // These credentials may invoke hooks but not read their configuration, and may not read alarms.
  aws.emu.denyActions(['lambda:GetFunctionConfiguration', 'cloudwatch:DescribeAlarms']);
  const { result, log } = await aws.deploy({ preTrafficHook: 'shared', postTrafficHook: 'missing', alarms: ['errors'] });
  expect(result.status).toBe('failed');
  expect(result.failureReason).toContain('these credentials may not cloudwatch:DescribeAlarms');
  // The list keeps to the point: what AWS said of each refusal is left to a failed step's reason.
  expect(result.failureReason).not.toContain('AWS said');
  expect(result.failureReason).toContain('hook function missing does not exist');
  expect(result.failureReason).not.toContain('shared');
  expect(log.warnings).toContainEqual(
    expect.stringContaining('hook function shared may be invoked but its configuration not read')
  );
  expect(aws.mutatingOps()).toEqual([]);
});

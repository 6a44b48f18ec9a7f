import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { SdkLambdaGateway } from '../../../src/aws/sdk-lambda-gateway.js';
import { recoverInterrupted } from '../../../src/engines/runner/recover.js';
import type { RunnerState } from '../../../src/engines/runner/state.js';
import { Recorder } from '../../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../../src/rollout/result.js';
import { CaptureLog } from '../../support/capture-log.js';
import { EmulatedAws, FUNCTION, FUNCTION_ARN, testClients } from '../../support/engine-harness.js';

// Canaries on an alias with provisioned concurrency (PC), against the emulator on a fake clock: Lambda
// splits the PC by weight, takes `allocationMs` to allocate after every change, shows its own
// {<old>: 1} weights while it allocates on a new FunctionVersion, and can fail an allocation.

const MINUTE = 60_000;
const ALLOCATION_MS = 90_000;

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

/** `orders` on version 1 with 10 provisioned executions on `live`, new code waiting. */
function provisionedOrders(allocationMs = ALLOCATION_MS): EmulatedAws {
  aws.orders({ live: '1' });
  aws.emu.setProvisionedConcurrency(FUNCTION, 'live', 10, { allocationMs });
  return aws;
}

const timelineOf = (recorder: Recorder): string[] => recorder.timeline.map((event) => event.message);

/** Another pipeline published version 2 (and new code waits again): it can move the alias there. */
async function publishedElsewhere(): Promise<void> {
  await aws.emu.handleOperation('lambda', 'PublishVersion', { FunctionName: FUNCTION });
  aws.emu.updateCode(FUNCTION);
}

describe('a canary on an alias with provisioned concurrency', () => {
  test('is promoted; each bake starts when Lambda reports READY, and the PC ends on the new version', async () => {
    provisionedOrders().alarm('errors');
    const { result, report, recorder, elapsedMs } = await aws.deploy({ strategy: 'Canary10Percent5Minutes', alarms: ['errors'] });
    expect(result.status).toBe('succeeded');
    expect(aws.aliasUpdates()).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}]
    ]);
    expect(aws.alias()).toMatchObject({
      functionVersion: '2',
      weights: {},
      provisioned: { requested: 10, status: 'READY', versions: { '2': 10 } }
    });
    // Two allocations (the shift's, the promotion's), each waited out before the bake or the end; the bake kept its 5 minutes.
    expect(elapsedMs).toBe(5 * MINUTE + 2 * ALLOCATION_MS);
    const timeline = timelineOf(recorder);
    const shifted = timeline.findIndex((line) => line.startsWith('Step 1/1: 10% of traffic'));
    const ready = timeline.findIndex((line) =>
      line.startsWith('Provisioned concurrency READY after the shift to 10% after 1m30s')
    );
    expect(shifted).toBeGreaterThanOrEqual(0);
    expect(ready).toBeGreaterThan(shifted);
    expect(timeline).toContainEqual(
      expect.stringMatching(/^Alias live is on version 2; Lambda sends its calls to version 1 until/)
    );
    expect(timeline).toContainEqual(expect.stringMatching(/^Provisioned concurrency READY after the promotion/));
    // The first alarm poll of the bake is one interval after READY, not after the shift.
    const shiftAt = recorder.timeline[shifted]!.atMs;
    const polls = aws.callsOf('DescribeAlarms').map((call) => call.atMs);
    expect(polls.filter((at) => at > shiftAt && at < shiftAt + ALLOCATION_MS)).toEqual([]);
    expect(report.plan).toContainEqual(
      expect.stringMatching(/Wait until Lambda reports the provisioned concurrency of orders:live READY after the shift to 10%/)
    );
    expect(result.engine.facts?.map((fact) => fact.label)).toEqual([
      'Provisioned concurrency',
      'Waits for provisioned concurrency',
      'Spill-over to standard concurrency'
    ]);
  });

  test("Lambda's new RevisionId after it clears its own weights does not read as someone else's change", async () => {
    provisionedOrders();
    const revisions = aws.recordRevisions();
    const { result } = await aws.deploy({ strategy: 'Linear50PercentEvery1Minute' });
    expect(result.status).toBe('succeeded');
    // Each write sent the RevisionId Lambda last answered with, GetAlias reads of the waits included.
    for (const { sent, lastAnswered } of revisions) expect(sent).toBe(lastAnswered);
  });

  test('a FAILED allocation rolls back with its StatusReason, escaped of nothing here but capped', async () => {
    provisionedOrders();
    aws.emu.failProvisionedConcurrency(FUNCTION, 'live', 'Function failed during init: Runtime.ExitError');
    const { result } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toMatch(
      /^Lambda could not allocate the provisioned concurrency of alias live: Function failed during init: Runtime.ExitError \(status FAILED, \d+ of 10 allocated\) after the shift to 10%$/
    );
    expect(aws.aliasUpdates()).toEqual([
      ['1', { '2': 0.1 }],
      ['1', {}]
    ]);
    expect(aws.alias()).toMatchObject({
      functionVersion: '1',
      weights: {},
      provisioned: { status: 'READY', versions: { '1': 10 } }
    });
  });

  test("a FAILED allocation at the promotion leaves Lambda's weights; the rollback clears them", async () => {
    provisionedOrders();
    aws.emu.onCall((call) => {
      // Armed once the canary's own allocation is done: the promotion's fails.
      if (call.operation === 'UpdateAlias' && call.params.FunctionVersion === '1' && call.status === 200)
        aws.emu.failProvisionedConcurrency(FUNCTION, 'live', 'not enough concurrency in the account');
    });
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute' });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toMatch(/not enough concurrency in the account .* after the promotion$/);
    expect(aws.aliasUpdates()).toEqual([
      ['1', { '2': 0.1 }],
      ['2', {}],
      ['1', {}]
    ]);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {}, provisioned: { status: 'READY' } });
  });

  test('an allocation slower than provisioned-concurrency-timeout rolls back', async () => {
    provisionedOrders(15 * MINUTE);
    const { result, elapsedMs } = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      provisionedConcurrency: { timeoutMs: 10 * MINUTE, pollIntervalMs: 5_000 }
    });
    expect(result.status).toBe('rolled-back');
    expect(result.failureReason).toMatch(
      /^the provisioned concurrency of alias live was not READY after 10m \(10 requested, 9 allocated, 9 available, IN_PROGRESS\) after the shift to 10%$/
    );
    expect(elapsedMs).toBe(10 * MINUTE);
    // Version 1 still held its executions: back on it, nothing is left to allocate.
    expect(aws.alias()).toMatchObject({
      functionVersion: '1',
      weights: {},
      provisioned: { status: 'READY', versions: { '1': 10 } }
    });
  });

  test('a rollback after the promotion counts only once Lambda has moved the PC back and cleared its weights', async () => {
    provisionedOrders().hook('smoke', { functionError: { errorType: 'Error', errorMessage: 'smoke test failed' } });
    const { result, recorder, elapsedMs } = await aws.deploy({ strategy: 'AllAtOnce', postTrafficHook: 'smoke' });
    expect(result.status).toBe('rolled-back');
    // The promotion's allocation, then the rollback's: Lambda kept calls on version 2 until version 1 was READY again.
    expect(elapsedMs).toBe(2 * ALLOCATION_MS);
    expect(timelineOf(recorder)).toContainEqual('Provisioned concurrency of live is READY on version 1 again');
    expect(aws.alias()).toMatchObject({
      functionVersion: '1',
      weights: {},
      provisioned: { status: 'READY', versions: { '1': 10 } }
    });
  });

  test('a cancellation during a wait rolls back at once, without waiting for Lambda', async () => {
    provisionedOrders();
    const controller = new AbortController();
    // Shift at 0, READY at 1m30s, bake until 6m30s, promotion, its wait: cancelled at 7m.
    aws.clock.at(aws.clock.now() + 7 * MINUTE, () => controller.abort('SIGINT'));
    const { result, elapsedMs } = await aws.deploy({ strategy: 'Canary10Percent5Minutes' }, { signal: controller.signal });
    expect(result).toMatchObject({ status: 'rolled-back', cancelled: true });
    expect(elapsedMs).toBe(7 * MINUTE);
    expect(aws.aliasUpdates().at(-1)).toEqual(['1', {}]);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });

  test('AllAtOnce: Lambda keeps the calls on the old version until the new one is READY; the run waits for it', async () => {
    provisionedOrders();
    aws.emu.startTraffic({
      functionName: FUNCTION,
      alias: 'live',
      ratePerSecond: 10,
      defaultVersion: { errorRate: 0, latency: { medianMs: 100, p99Ms: 200 } }
    });
    const { result, elapsedMs } = await aws.deploy({ strategy: 'AllAtOnce' });
    expect(result.status).toBe('succeeded');
    expect(elapsedMs).toBe(ALLOCATION_MS);
    // Every call stayed on version 1's ready executions while version 2 was allocated: nothing spilled.
    expect(result.engine.facts?.find((fact) => fact.label === 'Spill-over to standard concurrency')?.parts[0]?.text).toBe(
      'at 100%: 0 calls'
    );
    expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: {}, provisioned: { status: 'READY' } });
  });
});

describe('headroom', () => {
  test('is raised before the first weight, waited for, and put back after the promotion; the summary says what it cost', async () => {
    provisionedOrders();
    const { result, report } = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      provisionedConcurrency: { timeoutMs: 10 * MINUTE, pollIntervalMs: 5_000, headroom: { kind: 'percent', percent: 20 } }
    });
    expect(result.status).toBe('succeeded');
    const puts = aws.callsOf('PutProvisionedConcurrencyConfig').map((call) => call.params.ProvisionedConcurrentExecutions);
    expect(puts).toEqual([12, 10]);
    const ops = aws.mutatingOps();
    expect(ops.indexOf('PutProvisionedConcurrencyConfig')).toBeLessThan(ops.indexOf('UpdateAlias'));
    expect(ops.at(-1)).toBe('PutProvisionedConcurrencyConfig');
    expect(aws.alias()).toMatchObject({ functionVersion: '2', provisioned: { requested: 10 } });
    const headroom = result.engine.facts?.find((fact) => fact.label === 'Headroom')?.parts[0]?.text;
    // Raised at the start, back after the promotion's allocation: 90 s + 90 s + 5 min + 90 s, 2 executions of 128 MB.
    expect(headroom).toBe(
      '10 → 12, back to 10: 2 extra executions for 9m30s: 19 execution-minutes, 142.5 GB-seconds at 128 MB ' +
        "(billed at your region's provisioned-concurrency rate)"
    );
    expect(report.plan.slice(1, 3)).toEqual([
      '2. Check that the new version carries no provisioned concurrency of its own: orders:live carries 10 executions, and Lambda allows one configuration per version',
      '3. Raise the provisioned concurrency of orders:live from 10 to 12 (headroom, before any weight)'
    ]);
  });

  test('is put back after a rollback too', async () => {
    provisionedOrders().alarm('errors');
    aws.clock.at(aws.clock.now() + 4 * MINUTE, () => aws.emu.setAlarmState('errors', 'ALARM'));
    const { result } = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      alarms: ['errors'],
      provisionedConcurrency: { timeoutMs: 10 * MINUTE, pollIntervalMs: 5_000, headroom: { kind: 'executions', executions: 5 } }
    });
    expect(result.status).toBe('rolled-back');
    const puts = aws.callsOf('PutProvisionedConcurrencyConfig').map((call) => call.params.ProvisionedConcurrentExecutions);
    expect(puts).toEqual([15, 10]);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {}, provisioned: { requested: 10, status: 'READY' } });
  });

  test('one that cannot be put back after a rollback is owed to the post step, with the command that does it', async () => {
    provisionedOrders(0).alarm('errors');
    aws.fault('PutProvisionedConcurrencyConfig', { ProvisionedConcurrentExecutions: 10 }, 'ResourceConflictException');
    aws.clock.at(aws.clock.now() + MINUTE, () => aws.emu.setAlarmState('errors', 'ALARM'));
    const { result, snapshots } = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      alarms: ['errors'],
      provisionedConcurrency: { timeoutMs: 10 * MINUTE, pollIntervalMs: 5_000, headroom: { kind: 'executions', executions: 2 } }
    });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /then the rollback failed: the provisioned concurrency of live could not be put back to 10 \(.*\); set it by hand: aws lambda put-provisioned-concurrency-config --function-name arn:aws:lambda:us-east-1:123456789012:function:orders --qualifier live --provisioned-concurrent-executions 10\. The post step of this job will try again\.$/
    );
    expect(snapshots.at(-1)).toMatchObject({ rollbackOwed: true, targets: [{ provisioned: { requested: 10, raisedTo: 12 } }] });
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {}, provisioned: { requested: 12 } });
  });
});

describe("the preflight and Lambda's own weights", () => {
  test('an allocation under way is waited out, not refused as a split nor put back (on-split-alias rollback)', async () => {
    provisionedOrders();
    await publishedElsewhere();
    await aws.changedBySomeoneElse('2');
    expect(aws.alias()?.weights).toEqual({ '1': 1 });
    const { result, recorder } = await aws.deploy({ strategy: 'Canary10Percent1Minute', onSplitAlias: 'rollback' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ previousVersion: '2', version: '3' }] });
    expect(aws.aliasUpdates().slice(1)).toEqual([
      ['2', { '3': 0.1 }],
      ['3', {}]
    ]);
    expect(timelineOf(recorder)).toContainEqual(
      expect.stringMatching(
        /^Lambda is allocating the provisioned concurrency of alias live on version 2 and routes every call to version 1 meanwhile/
      )
    );
  });

  test("a FAILED allocation's weights are refused with the fix, and cleared first with on-split-alias rollback", async () => {
    provisionedOrders(0);
    await publishedElsewhere();
    aws.emu.failProvisionedConcurrency(FUNCTION, 'live', 'init failed');
    await aws.changedBySomeoneElse('2');
    const refused = await aws.deploy({ strategy: 'Canary10Percent1Minute' });
    expect(refused.result.status).toBe('failed');
    expect(refused.result.failureReason).toContain(
      'Lambda could not allocate the provisioned concurrency of alias live on version 2 (init failed) and left its own weights'
    );
    expect(refused.result.failureReason).toContain(`--function-version 1 --routing-config '{"AdditionalVersionWeights":{}}'`);
    const writes = aws.aliasUpdates().length;
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute', onSplitAlias: 'rollback' });
    expect(result).toMatchObject({ status: 'succeeded', targets: [{ previousVersion: '1' }] });
    // Put back on version 1, which served every call already; then the canary from version 1.
    expect(aws.aliasUpdates().slice(writes)[0]).toEqual(['1', {}]);
  });

  test('a new version that carries provisioned concurrency of its own is refused before any weight moves', async () => {
    provisionedOrders(0);
    aws.emu.updateCode(FUNCTION);
    await aws.emu.handleOperation('lambda', 'PublishVersion', { FunctionName: FUNCTION });
    aws.emu.setProvisionedConcurrency(FUNCTION, '2', 3);
    const { result } = await aws.deploy({ strategy: 'Canary10Percent1Minute' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(/version 2 of orders carries provisioned concurrency of its own \(3\)/);
    expect(aws.aliasUpdates()).toEqual([]);
  });
});

test('the post step puts the alias back, waits for Lambda to move the PC, and puts the headroom back', async () => {
  provisionedOrders(30_000);
  await aws.emu.handleOperation('lambda', 'PublishVersion', { FunctionName: FUNCTION });
  const lambda = new SdkLambdaGateway(testClients());
  await lambda.putProvisionedConcurrency(FUNCTION_ARN, 'live', 12);
  aws.clock.advance(30_000);
  const alias = await lambda.updateAlias(
    FUNCTION_ARN,
    'live',
    { version: '1', additional: { version: '2', weight: 0.1 } },
    aws.alias()!.revisionId
  );
  const snapshot: DeploymentSnapshot<RunnerState> = {
    engine: 'runner',
    phase: 'shift',
    deploymentId: 'deploy-1',
    rollbackOwed: false,
    applied: 4,
    firstShiftAt: aws.clock.now(),
    targets: [
      {
        functionName: FUNCTION,
        functionRef: FUNCTION_ARN,
        alias: 'live',
        previousVersion: '1',
        targetVersion: '2',
        alreadyLive: false,
        aliasTouched: true,
        aliasCreated: false,
        aliasWritten: true,
        confirmed: alias,
        provisioned: { requested: 10, raisedTo: 12, raisedAt: aws.clock.now() - 30_000 }
      }
    ]
  };
  const recovery = await recoverInterrupted(snapshot, {
    lambda,
    clock: aws.clock,
    recorder: new Recorder(new CaptureLog(), aws.clock),
    budgetMs: 10_000,
    provisioned: { timeoutMs: 5 * MINUTE, pollIntervalMs: 5_000 }
  });
  expect(recovery.acted).toBe(true);
  expect(recovery.lines[0]).toBe(
    'The deployment deploy-1 of orders:live was interrupted during shift. The post step rolled it back:'
  );
  expect(recovery.lines[1]).toMatch(
    /routes 100% to version 1 \(read back from Lambda\)\. Its provisioned concurrency is READY there/
  );
  expect(recovery.lines[2]).toMatch(/^The provisioned concurrency of live, raised to 12 for the deployment, is back to 10/);
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {}, provisioned: { requested: 10 } });
});

import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  DeleteProvisionedConcurrencyConfigCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetProvisionedConcurrencyConfigCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  type UpdateAliasCommandInput
} from '@aws-sdk/client-lambda';
import { sdkError, startHarness, T0, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 3, alias: { name: 'live', version: '1' } });
  h.emu.setProvisionedConcurrency('fn', 'live', 10, { allocationMs: 60_000 });
});
afterEach(async () => {
  await h.close();
});

const update = (input: Omit<UpdateAliasCommandInput, 'FunctionName' | 'Name'>) =>
  h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', ...input }));
const weights = (w: Record<string, number>) => ({ RoutingConfig: { AdditionalVersionWeights: w } });
const config = () => h.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'fn', Qualifier: 'live' }));
const alias = () => h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
const put = (qualifier: string, n: number) =>
  h.lambda.send(
    new PutProvisionedConcurrencyConfigCommand({ FunctionName: 'fn', Qualifier: qualifier, ProvisionedConcurrentExecutions: n })
  );

test('a weight change allocates the new version its share: IN_PROGRESS for the allocation time, then READY', async () => {
  await update(weights({ '2': 0.3 }));
  expect(await config()).toMatchObject({
    RequestedProvisionedConcurrentExecutions: 10,
    AllocatedProvisionedConcurrentExecutions: 7, // version 1 keeps 7 of its 10; version 2's 3 are not ready yet
    Status: 'IN_PROGRESS'
  });
  h.advance(59_999);
  expect((await config()).Status).toBe('IN_PROGRESS');
  h.advance(1);
  expect(await config()).toMatchObject({ AllocatedProvisionedConcurrentExecutions: 10, Status: 'READY' });
  const state = h.emu.state().functions[0]!.aliases[0]!;
  expect(state.provisioned?.versions).toEqual({ '1': 7, '2': 3 });
});

test("a new FunctionVersion shows Lambda's own weights {<old>: 1} until the allocation is ready, then a new RevisionId", async () => {
  const answer = await update({ FunctionVersion: '2', ...weights({}) });
  expect(answer).toMatchObject({ FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: { '1': 1 } } });
  expect((await config()).Status).toBe('IN_PROGRESS');
  h.advance(60_000);
  const settled = await alias();
  expect(settled.FunctionVersion).toBe('2');
  expect(settled.RoutingConfig).toBeUndefined();
  expect(settled.RevisionId).not.toBe(answer.RevisionId);
  expect((await config()).Status).toBe('READY');
});

test('a failed allocation is FAILED with its StatusReason and keeps the weights; only clearing the routing is accepted', async () => {
  h.emu.failProvisionedConcurrency('fn', 'live', 'Function failed during initialization');
  await update({ FunctionVersion: '2', ...weights({}) });
  h.advance(60_000);
  expect(await config()).toMatchObject({ Status: 'FAILED', StatusReason: 'Function failed during initialization' });
  const stuck = await alias();
  expect(stuck.RoutingConfig?.AdditionalVersionWeights).toEqual({ '1': 1 });
  const refused = await sdkError(update({ FunctionVersion: '3', ...weights({ '1': 0.5 }) }));
  expect(refused.name).toBe('InvalidParameterValueException');
  expect(refused.message).toBe('Invalid alias configuration for Provisioned Concurrency');
  // Clearing the routing, back on the version that served all along: version 1 still holds its PC.
  const cleared = await update({ FunctionVersion: '1', ...weights({}), RevisionId: stuck.RevisionId });
  expect(cleared.RoutingConfig).toBeUndefined();
  expect((await config()).Status).toBe('READY');
});

test('the setting cannot change while the alias has weights; afterwards it allocates again', async () => {
  await update(weights({ '2': 0.1 }));
  const refused = await sdkError(put('live', 12));
  expect(refused.name).toBe('InvalidParameterValueException');
  expect(refused.message).toBe('Alias with weights can not be used with Provisioned Concurrency');
  await update(weights({}));
  h.advance(60_000);
  const answer = await put('live', 12);
  expect(answer.$metadata.httpStatusCode).toBe(202);
  expect(answer).toMatchObject({ RequestedProvisionedConcurrentExecutions: 12, Status: 'IN_PROGRESS' });
  h.advance(60_000);
  expect(await config()).toMatchObject({ AllocatedProvisionedConcurrentExecutions: 12, Status: 'READY' });
  await h.lambda.send(new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: 'fn', Qualifier: 'live' }));
  expect((await sdkError(config())).name).toBe('ProvisionedConcurrencyConfigNotFoundException');
});

test('a version carries one configuration, $LATEST none, and SnapStart versions none', async () => {
  const covered = await sdkError(put('1', 2));
  expect(covered.name).toBe('ResourceConflictException');
  await put('3', 2);
  expect((await sdkError(update(weights({ '3': 0.1 })))).name).toBe('ResourceConflictException');
  expect((await sdkError(put('$LATEST', 2))).message).toMatch(/unpublished function versions/);

  // SnapStart turned on after version 1: the alias may carry PC on version 1, not on a version published since.
  h.emu.createFunction({ name: 'snap', versions: 1, snapStart: true, alias: { name: 'live', version: '1' } });
  h.emu.setProvisionedConcurrency('snap', 'live', 1);
  const published = await h.lambda.send(new PublishVersionCommand({ FunctionName: 'snap' }));
  const snap = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'snap', Qualifier: published.Version }));
  expect(snap.Configuration?.SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' });
  const refused = await sdkError(
    h.lambda.send(new UpdateAliasCommand({ FunctionName: 'snap', Name: 'live', FunctionVersion: published.Version }))
  );
  expect(refused.message).toMatch(/SnapStart/);
});

test('calls short of provisioned concurrency spill over, per version, in ProvisionedConcurrencySpilloverInvocations', async () => {
  // 10 calls a second of 200 ms each need 2 executions: with 2 split half and half, each version has what it needs,
  // once version 2's execution is allocated (a minute after the shift); until then its calls spill over.
  h.emu.setProvisionedConcurrency('fn', 'live', 2);
  h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 10, defaultVersion: behaviour(200) });
  await update(weights({ '2': 0.5 }));
  h.advance(120_000);
  const records = h.emu.invocationRecords('fn');
  const during = records.filter((r) => r.atMs < T0 + 60_000);
  const after = records.filter((r) => r.atMs >= T0 + 60_000);
  expect(during.filter((r) => r.executedVersion === '2').every((r) => r.spillover === true)).toBe(true);
  expect(during.filter((r) => r.executedVersion === '1').every((r) => r.spillover === false)).toBe(true);
  expect(after.length).toBe(601); // both ends included: T0 + 60 s to T0 + 120 s
  expect(after.every((r) => r.spillover === false)).toBe(true);
  const spilled = records.filter((r) => r.spillover).length;
  expect(spilled).toBeGreaterThan(200);

  const out = await h.cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(T0 - 60_000),
      EndTime: new Date(T0 + 180_000),
      MetricDataQueries: [
        {
          Id: 'spill',
          MetricStat: {
            Metric: {
              Namespace: 'AWS/Lambda',
              MetricName: 'ProvisionedConcurrencySpilloverInvocations',
              Dimensions: [
                { Name: 'FunctionName', Value: 'fn' },
                { Name: 'Resource', Value: 'fn:live' }
              ]
            },
            Period: 60,
            Stat: 'Sum'
          }
        }
      ]
    })
  );
  const values = out.MetricDataResults?.[0]?.Values ?? [];
  expect(values.reduce((sum, value) => sum + value, 0)).toBe(spilled);
});

function behaviour(medianMs: number) {
  return { errorRate: 0, latency: { medianMs, p99Ms: medianMs * 2 } };
}

import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionConfigurationCommand, InvokeCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { EmulatorClient } from '../../emulator/index.js';
import { EmulatorControlError } from '../../emulator/control/client.js';
import { sdkError, startHarness, T0, type Harness } from './harness.js';

let h: Harness;
let client: EmulatorClient;
beforeEach(async () => {
  h = await startHarness();
  client = new EmulatorClient(h.emu.url);
});
afterEach(async () => {
  await h.close();
});

test('EmulatorClient drives the emulator over HTTP with the same methods', async () => {
  const created = await client.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
  expect(created.versions.map((v) => v.version)).toEqual(['1', '2']);
  await client.putAlarm({ name: 'errors', state: 'OK' });
  await client.setAlarmState('errors', 'ALARM', { reason: 'boom', afterMs: 1_000 });
  await client.queueInvokeResults('fn', [{ payload: { hello: 'world' } }]);
  await client.setProvisionedConcurrency('fn', 'live', 2);

  const inv = await h.lambda.send(new InvokeCommand({ FunctionName: 'fn:live' }));
  expect(JSON.parse(Buffer.from(inv.Payload!).toString())).toEqual({ hello: 'world' });
  const refused = await sdkError(
    h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 1.5 } } })
    )
  );
  expect(refused.name).toBe('InvalidParameterValueException');

  await client.advanceTime(1_000);
  const alarms = await h.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }));
  expect(alarms.MetricAlarms![0]).toMatchObject({ StateValue: 'ALARM', StateReason: 'boom' });

  const updated = await client.updateCode('fn', 'sha-3');
  expect(updated.latest.codeSha256).toBe('sha-3');

  await client.failNext('GetAlias', 1, 'TooManyRequestsException');
  expect((await sdkError(h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })))).name).toBe(
    'TooManyRequestsException'
  );
  await client.setFaults({ latencyMs: 1, operations: ['Invoke'] });

  const calls = await client.calls();
  expect(calls.map((c) => c.operation)).toEqual(['Invoke', 'UpdateAlias', 'DescribeAlarms', 'GetAlias']);
  const state = await client.state();
  expect(state.nowMs).toBe(T0 + 1_000);
  expect(state.functions[0]).toMatchObject({
    name: 'fn',
    invocations: { '1': 1 },
    aliases: [{ name: 'live', functionVersion: '1', weights: {}, provisionedConcurrency: 2 }]
  });
  expect(state.alarms[0]).toMatchObject({ name: 'errors', state: 'ALARM' });

  await client.reset();
  expect((await client.state()).functions).toEqual([]);
});

test('the newer control methods work over HTTP too: accounts, denials, failed updates, environment', async () => {
  const created = await client.createFunction({
    name: 'fn',
    accountId: '222222222222',
    region: 'us-west-2',
    environment: { SECRET: 's' },
    updateDurationMs: 1_000
  });
  expect(created).toMatchObject({
    accountId: '222222222222',
    region: 'us-west-2',
    arn: 'arn:aws:lambda:us-west-2:222222222222:function:fn'
  });
  await client.setAccessKeyAccount('AKIDB', '222222222222');
  const asB = h.lambdaWith({ region: 'us-west-2', credentials: { accessKeyId: 'AKIDB', secretAccessKey: 'x' } });
  const arn = created.arn;

  const updated = await client.updateCode(arn, 'sha-2', {
    environment: { SECRET: 't' },
    fail: { reason: 'Source image is not valid.', reasonCode: 'InvalidImage' }
  });
  expect(updated.latest).toMatchObject({ codeSha256: 'sha-2', lastUpdateStatus: 'InProgress', environment: { SECRET: 't' } });
  await client.advanceTime(1_000);
  const cfg = await asB.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
  expect(cfg).toMatchObject({
    LastUpdateStatus: 'Failed',
    LastUpdateStatusReasonCode: 'InvalidImage',
    Environment: { Variables: { SECRET: 't' } }
  });
  const failed = await client.setLastUpdateFailed(arn, 'KMS key not found.', 'KMSKeyNotFound');
  expect(failed.latest.lastUpdateStatusReasonCode).toBe('KMSKeyNotFound');

  await client.denyActions(['lambda:GetFunctionConfiguration']);
  expect((await sdkError(asB.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' })))).name).toBe(
    'AccessDeniedException'
  );
  await client.denyActions([]);
  await client.failNext('GetFunctionConfiguration', 1, 'html-502');
  expect((await sdkError(asB.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' })))).$metadata?.httpStatusCode).toBe(
    502
  );
  expect((await client.calls()).map((c) => [c.accountId, c.region, c.status])).toEqual([
    ['222222222222', 'us-west-2', 200],
    ['222222222222', 'us-west-2', 403],
    ['222222222222', 'us-west-2', 502]
  ]);
  await expect(client.denyActions(['nonsense'])).rejects.toThrow(/invalid IAM action/);
  await expect(client.setAccessKeyAccount('AKIDC', '12')).rejects.toThrow(/invalid account id/);
});

test('refused control calls reject with EmulatorControlError', async () => {
  await expect(client.updateCode('missing')).rejects.toBeInstanceOf(EmulatorControlError);
  await expect(client.createFunction({ name: 'bad name' })).rejects.toThrow(/invalid function name/);
  const res = await fetch(`${h.emu.url}/_emulator/nope`, { method: 'POST' });
  expect(res.status).toBe(404);
});

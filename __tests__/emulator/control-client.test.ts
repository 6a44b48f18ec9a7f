import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, InvokeCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { EmulatorClient } from '../../emulator/index.js';
import { EmulatorControlError } from '../../emulator/client.js';
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
  const refused = await sdkError(h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } })));
  expect(refused.name).toBe('InvalidParameterValueException');

  await client.advanceTime(1_000);
  const alarms = await h.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }));
  expect(alarms.MetricAlarms![0]).toMatchObject({ StateValue: 'ALARM', StateReason: 'boom' });

  const updated = await client.updateCode('fn', 'sha-3');
  expect(updated.latest.codeSha256).toBe('sha-3');

  await client.failNext('GetAlias', 1, 'TooManyRequestsException');
  expect((await sdkError(h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })))).name).toBe('TooManyRequestsException');
  await client.setFaults({ latencyMs: 1, operations: ['Invoke'] });

  const calls = await client.calls();
  expect(calls.map((c) => c.operation)).toEqual(['Invoke', 'UpdateAlias', 'DescribeAlarms', 'GetAlias']);
  const state = await client.state();
  expect(state.nowMs).toBe(T0 + 1_000);
  expect(state.functions[0]).toMatchObject({
    name: 'fn',
    invocations: { '1': 1 },
    aliases: [{ name: 'live', functionVersion: '1', weights: {}, provisionedConcurrency: 2 }],
  });
  expect(state.alarms[0]).toMatchObject({ name: 'errors', state: 'ALARM' });

  await client.reset();
  expect((await client.state()).functions).toEqual([]);
});

test('refused control calls reject with EmulatorControlError', async () => {
  await expect(client.updateCode('missing')).rejects.toBeInstanceOf(EmulatorControlError);
  await expect(client.createFunction({ name: 'bad name' })).rejects.toThrow(/invalid function name/);
  const res = await fetch(`${h.emu.url}/_emulator/nope`, { method: 'POST' });
  expect(res.status).toBe(404);
});

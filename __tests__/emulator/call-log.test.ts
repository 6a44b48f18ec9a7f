import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  PutFunctionConcurrencyCommand
} from '@aws-sdk/client-lambda';
import { sdkError, startHarness, T0, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

test('records every AWS call with operation, params, status and mutating flag; control calls are not logged', async () => {
  h.emu.createFunction({ name: 'fn', versions: 1 });
  h.emu.putAlarm({ name: 'errors', state: 'OK' });
  await h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn', Qualifier: '1' }));
  await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('code') }));
  h.advance(1_000);
  await h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn', Description: 'v2' }));
  await h.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  await h.lambda.send(
    new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } })
  );
  await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
  await h.lambda.send(new InvokeCommand({ FunctionName: 'fn:live', Payload: Buffer.from('{"ping":1}') }));
  await h.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'] }));
  await h.lambda.send(new DeleteAliasCommand({ FunctionName: 'fn', Name: 'live' }));

  const calls = h.emu.calls();
  expect(calls.map((c) => [c.service, c.operation, c.status, c.mutating])).toEqual([
    ['lambda', 'GetFunction', 200, false],
    ['lambda', 'UpdateFunctionCode', 200, true],
    ['lambda', 'PublishVersion', 201, true],
    ['lambda', 'CreateAlias', 201, true],
    ['lambda', 'UpdateAlias', 200, true],
    ['lambda', 'GetAlias', 200, false],
    ['lambda', 'Invoke', 200, false],
    ['cloudwatch', 'DescribeAlarms', 200, false],
    ['lambda', 'DeleteAlias', 204, true]
  ]);
  expect(calls.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  expect(calls[0]).toMatchObject({ atMs: T0, functionName: 'fn', params: { FunctionName: 'fn', Qualifier: '1' } });
  expect(calls[1]!.params).toMatchObject({ ZipFile: '<4 bytes>' });
  expect(calls[2]).toMatchObject({ atMs: T0 + 1_000, params: { Description: 'v2' } });
  expect(calls[4]!.params).toMatchObject({ Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } } });
  expect(calls[6]!.params).toMatchObject({ FunctionName: 'fn:live', InvocationType: 'RequestResponse', Payload: '{"ping":1}' });
  expect(calls[7]!.params).toEqual({ AlarmNames: ['errors'] });
  expect(calls.every((c) => c.errorCode === undefined && c.fault === undefined)).toBe(true);
});

test('failed and faulted calls are logged with their error code and fault kind', async () => {
  h.emu.createFunction({ name: 'fn' });
  await sdkError(h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn', RevisionId: 'stale' })));
  h.emu.failNext('UpdateAlias', 1, 'ServiceException');
  await sdkError(h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live' })));
  expect(h.emu.calls()).toEqual([
    expect.objectContaining({
      operation: 'PublishVersion',
      status: 412,
      errorCode: 'PreconditionFailedException',
      mutating: true
    }),
    expect.objectContaining({
      operation: 'UpdateAlias',
      status: 500,
      errorCode: 'ServiceException',
      fault: 'server-error',
      mutating: true
    })
  ]);
});

test('unsupported operations are logged under their SDK name with an UnknownOperationException', async () => {
  h.emu.createFunction({ name: 'fn' });
  const err = await sdkError(
    h.lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'fn', ReservedConcurrentExecutions: 5 }))
  );
  expect(err.name).toBe('UnknownOperationException');
  expect(err.message).toContain('PutFunctionConcurrency');
  expect(h.emu.calls()[0]).toMatchObject({
    operation: 'PutFunctionConcurrency',
    status: 400,
    errorCode: 'UnknownOperationException'
  });
});

test('reset clears functions, alarms, faults and the log', async () => {
  h.emu.createFunction({ name: 'fn' });
  h.emu.putAlarm({ name: 'a', state: 'OK' });
  h.emu.setFaults({ throttleFraction: 1 });
  await sdkError(h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' })));
  h.emu.reset();
  expect(h.emu.calls()).toEqual([]);
  expect(h.emu.state()).toMatchObject({ functions: [], alarms: [] });
  const err = await sdkError(h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' })));
  expect(err.name).toBe('ResourceNotFoundException');
});

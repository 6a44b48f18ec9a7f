import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  LambdaClient,
  LambdaServiceException,
  ListFunctionsCommand,
  PreconditionFailedException,
  PublishVersionCommand,
  UpdateAliasCommand
} from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { CLOUDWATCH_OPERATIONS } from '../../emulator/cloudwatch/operations.js';
import { CODEDEPLOY_OPERATIONS } from '../../emulator/codedeploy/operations.js';
import { Emulator } from '../../emulator/index.js';
import { LAMBDA_OPERATIONS } from '../../emulator/lambda/operations.js';
import { attachToSdkMocks, emulatorAnswer, SDK_COMMANDS } from '../../emulator/sdk-mock.js';
import { sdkError, T0 } from './harness.js';

// Unit tests' view of the emulator: real SDK clients whose send() is mocked by aws-sdk-client-mock,
// every command forwarded to Emulator.handleOperation. No HTTP server runs here.
const lambdaMock = mockClient(LambdaClient);
const cloudwatchMock = mockClient(CloudWatchClient);
let t: number;
let emu: Emulator;
let lambda: LambdaClient;
let cw: CloudWatchClient;

beforeEach(() => {
  lambdaMock.reset();
  cloudwatchMock.reset();
  t = T0;
  emu = new Emulator({ now: () => t });
  attachToSdkMocks(emu, { lambda: lambdaMock, cloudwatch: cloudwatchMock });
  lambda = new LambdaClient({ region: 'us-east-1' });
  cw = new CloudWatchClient({ region: 'us-east-1' });
  emu.createFunction({ name: 'fn', versions: 2 });
});
afterAll(() => {
  lambdaMock.restore();
  cloudwatchMock.restore();
});

test('every operation the emulator runs is forwarded, and nothing else', () => {
  expect(Object.keys(SDK_COMMANDS.lambda).sort()).toEqual([...LAMBDA_OPERATIONS].sort());
  expect(Object.keys(SDK_COMMANDS.cloudwatch).sort()).toEqual([...CLOUDWATCH_OPERATIONS].sort());
  expect(Object.keys(SDK_COMMANDS.codedeploy).sort()).toEqual([...CODEDEPLOY_OPERATIONS].sort());
});

test('UpdateAlias with a stale RevisionId is a PreconditionFailedException (412), as the SDK throws it', async () => {
  const created = await lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  expect(created).toMatchObject({
    Name: 'live',
    FunctionVersion: '1',
    AliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:fn:live'
  });
  expect(created.$metadata).toMatchObject({ httpStatusCode: 201, attempts: 1 });
  const moved = await lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'fn',
      Name: 'live',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      RevisionId: created.RevisionId
    })
  );
  expect(moved.RoutingConfig).toEqual({ AdditionalVersionWeights: { '2': 0.1 } });

  const err = await sdkError(
    lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2', RevisionId: created.RevisionId })
    )
  );
  expect(err).toBeInstanceOf(PreconditionFailedException);
  expect(err.name).toBe('PreconditionFailedException');
  expect(err.message).toMatch(/Revision Id provided does not match/);
  expect(err.$metadata).toMatchObject({ httpStatusCode: 412, attempts: 1 });
  expect(err.$fault).toBe('client');
  expect(emu.state().functions[0]!.aliases[0]).toMatchObject({ functionVersion: '1', weights: { '2': 0.1 } });
});

test('DescribeAlarms returns the alarm with Date timestamps, as the SDK parses them', async () => {
  emu.putAlarm({ name: 'errors', state: 'OK' });
  emu.setAlarmState('errors', 'ALARM', { reason: 'Threshold Crossed', afterMs: 1_000 });
  t += 1_000;
  const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['errors'], AlarmTypes: ['MetricAlarm'] }));
  expect(out.MetricAlarms).toEqual([
    expect.objectContaining({
      AlarmName: 'errors',
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed',
      StateUpdatedTimestamp: new Date(T0 + 1_000)
    })
  ]);
  expect(out.CompositeAlarms).toEqual([]);
});

test('Invoke returns the queued payload as bytes, and the invocation shows up in GetMetricData', async () => {
  emu.queueInvokeResults('fn', [{ payload: { hello: 'world' } }, { functionError: { errorType: 'Boom', errorMessage: 'no' } }]);
  const ok = await lambda.send(
    new InvokeCommand({ FunctionName: 'fn', Qualifier: '1', Payload: new TextEncoder().encode('{"ping":1}') })
  );
  expect(ok.Payload).toBeInstanceOf(Uint8Array);
  expect(JSON.parse(new TextDecoder().decode(ok.Payload))).toEqual({ hello: 'world' });
  expect(ok).toMatchObject({ StatusCode: 200, ExecutedVersion: '1' });
  const failed = await lambda.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: '1' }));
  expect(failed.FunctionError).toBe('Unhandled');

  const metrics = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(T0 - 60_000),
      EndTime: new Date(T0 + 60_000),
      MetricDataQueries: [
        {
          Id: 'errors',
          MetricStat: {
            Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: 'fn' }] },
            Period: 60,
            Stat: 'Sum'
          }
        }
      ]
    })
  );
  expect(metrics.MetricDataResults![0]).toMatchObject({
    Id: 'errors',
    Values: [1],
    Timestamps: [new Date(Math.floor(T0 / 60_000) * 60_000)]
  });
  expect(emu.calls().map((c) => [c.operation, c.status])).toEqual([
    ['Invoke', 200],
    ['Invoke', 200],
    ['GetMetricData', 200]
  ]);
  expect(emu.calls()[0]!.params).toEqual({
    FunctionName: 'fn',
    Qualifier: '1',
    InvocationType: 'RequestResponse',
    Payload: '{"ping":1}'
  });
});

test("failNext('UpdateAlias', 1, 'AccessDeniedException') is IAM's 403, and the alias is untouched", async () => {
  await lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  emu.failNext('UpdateAlias', 1, 'AccessDeniedException');
  const err = await sdkError(lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' })));
  expect(err.name).toBe('AccessDeniedException');
  expect(err).toBeInstanceOf(LambdaServiceException);
  expect(err.$metadata?.httpStatusCode).toBe(403);
  expect(err.message).toContain(
    'is not authorized to perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:123456789012:function:fn'
  );
  expect((await lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).FunctionVersion).toBe('1');
  expect(emu.calls().map((c) => [c.operation, c.status, c.errorCode])).toEqual([
    ['CreateAlias', 201, undefined],
    ['UpdateAlias', 403, 'AccessDeniedException'],
    ['GetAlias', 200, undefined]
  ]);
});

test("the mocked client's region is the caller's: a function elsewhere is reached only from its region", async () => {
  emu.createFunction({ name: 'west', region: 'us-west-2', versions: 1 });
  const west = new LambdaClient({ region: 'us-west-2' });
  await expect(west.send(new GetFunctionConfigurationCommand({ FunctionName: 'west' }))).resolves.toMatchObject({
    FunctionArn: 'arn:aws:lambda:us-west-2:123456789012:function:west'
  });
  expect((await sdkError(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'west' })))).name).toBe(
    'ResourceNotFoundException'
  );
  expect(emu.calls().map((c) => c.region)).toEqual(['us-west-2', 'us-east-1']);
});

test('a hang never settles; a dropped call is a connection reset without HTTP status', async () => {
  emu.updateCode('fn');
  emu.failNext('PublishVersion', 1, 'hang-after-run');
  let settled = false;
  void lambda.send(new PublishVersionCommand({ FunctionName: 'fn' })).finally(() => {
    settled = true;
  });
  // A call sent after it, through the same path, is answered while the hung one still waits.
  await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
  expect(settled).toBe(false);
  expect(emu.state().functions[0]!.versions.map((v) => v.version)).toEqual(['1', '2', '3']);

  emu.failNext('GetAlias', 1, 'drop');
  const dropped = await sdkError(lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })));
  expect(dropped).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
  expect(dropped.$metadata?.httpStatusCode).toBeUndefined();
  expect(emu.calls().map((c) => [c.operation, c.status, c.fault])).toEqual([
    ['PublishVersion', 0, 'hang-after-run'],
    ['GetFunctionConfiguration', 200, undefined],
    ['GetAlias', 0, 'drop']
  ]);
  expect(settled).toBe(false);
});

test('commands the emulator does not run keep the mock default; any command can be overridden', async () => {
  expect(await lambda.send(new ListFunctionsCommand({}))).toBeUndefined();
  lambdaMock.on(GetAliasCommand).resolves({ Name: 'stubbed' });
  await expect(lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'x' }))).resolves.toEqual({ Name: 'stubbed' });
  expect(emu.calls()).toEqual([]);
});

test('emulatorAnswer: an override of one command can still reach the emulator, with SDK-shaped errors', async () => {
  const updateAlias = emulatorAnswer(emu, 'lambda', 'UpdateAlias');
  const seen: string[] = [];
  lambdaMock.on(UpdateAliasCommand).callsFake((input: Record<string, unknown>, getClient: () => unknown) => {
    seen.push(String(input.FunctionVersion));
    return updateAlias(input, getClient);
  });
  const created = await lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1' }));
  const moved = await lambda.send(
    new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2', RevisionId: created.RevisionId })
  );
  expect(moved).toMatchObject({ FunctionVersion: '2', $metadata: { httpStatusCode: 200 } });
  const err = await sdkError(
    lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '1', RevisionId: created.RevisionId })
    )
  );
  expect(err).toBeInstanceOf(PreconditionFailedException);
  expect(seen).toEqual(['2', '1']);
  expect(emu.calls().map((c) => [c.operation, c.status])).toEqual([
    ['CreateAlias', 201],
    ['UpdateAlias', 200],
    ['UpdateAlias', 412]
  ]);
});

test('a fixed caller account: calls act as that account', async () => {
  lambdaMock.reset();
  attachToSdkMocks(emu, { lambda: lambdaMock }, { caller: { accountId: '222222222222' } });
  const err = await sdkError(
    lambda.send(new GetAliasCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn', Name: 'live' }))
  );
  expect(err.name).toBe('AccessDeniedException');
  expect(err.message).toContain('because no resource-based policy allows the lambda:GetAlias action');
  expect(emu.calls()[0]).toMatchObject({ accountId: '222222222222', status: 403 });
});

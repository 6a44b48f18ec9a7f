import { Emulator, EmulatedServiceException } from '../../emulator/index.js';
import { ACCOUNT, T0 } from './harness.js';

// Emulator.handleOperation: one AWS operation on the same model the HTTP front serves, with SDK
// input and output shapes and SDK-shaped failures.
let emu: Emulator;
beforeEach(() => {
  emu = new Emulator({ now: () => T0 });
  emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
});

const reject = async (p: Promise<unknown>): Promise<Record<string, unknown> & Error> => {
  try {
    await p;
  } catch (error) {
    return error as Record<string, unknown> & Error;
  }
  throw new Error('expected a rejection');
};

test('runs an operation with the SDK input shape and answers with the SDK output shape', async () => {
  const alias = (await emu.handleOperation('lambda', 'GetAlias', { FunctionName: 'fn', Name: 'live' })) as Record<
    string,
    unknown
  >;
  const out = await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'fn',
    Name: 'live',
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
    RevisionId: alias.RevisionId
  });
  expect(out).toMatchObject({
    Name: 'live',
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
    $metadata: { httpStatusCode: 200, attempts: 1 }
  });
  expect(emu.state().functions[0]!.aliases[0]!.weights).toEqual({ '2': 0.25 });
  expect(emu.calls().map((c) => [c.service, c.operation, c.status, c.mutating])).toEqual([
    ['lambda', 'GetAlias', 200, false],
    ['lambda', 'UpdateAlias', 200, true]
  ]);
  expect(emu.calls()[1]).toMatchObject({ atMs: T0, accountId: ACCOUNT, region: 'us-east-1', functionName: 'fn' });
});

test('service errors are thrown as the SDK throws them: name, message, $fault, $metadata', async () => {
  const missing = await reject(emu.handleOperation('lambda', 'GetFunction', { FunctionName: 'nope' }));
  expect(missing).toBeInstanceOf(EmulatedServiceException);
  expect(missing).toMatchObject({
    name: 'ResourceNotFoundException',
    $fault: 'client',
    $metadata: { httpStatusCode: 404, attempts: 1 },
    Type: 'User'
  });
  expect(missing.message).toBe('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope');

  emu.setFaults({ throttleFraction: 1, retryAfterSeconds: 7 });
  const throttled = await reject(emu.handleOperation('lambda', 'GetAlias', { FunctionName: 'fn', Name: 'live' }));
  expect(throttled).toMatchObject({
    name: 'TooManyRequestsException',
    $metadata: { httpStatusCode: 429 },
    Reason: 'CallerRateLimitExceeded',
    retryAfterSeconds: '7'
  });
  const cwThrottled = await reject(emu.handleOperation('cloudwatch', 'DescribeAlarms', {}));
  expect(cwThrottled).toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  emu.setFaults({});

  emu.failNext('GetAlias', 1, 'ServiceException');
  expect(await reject(emu.handleOperation('lambda', 'GetAlias', { FunctionName: 'fn', Name: 'live' }))).toMatchObject({
    $fault: 'server',
    $metadata: { httpStatusCode: 500 }
  });
});

test("an 'html-502' is the SDK's SyntaxError with HTTP status 502; nothing runs", async () => {
  emu.updateCode('fn');
  emu.failNext('PublishVersion', 1, 'html-502');
  const err = await reject(emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'fn' }));
  expect(err.name).toBe('SyntaxError');
  expect(err.message).toMatch(/is not valid JSON\n\s+Deserialization error/);
  expect(err.$metadata).toMatchObject({ httpStatusCode: 502, attempts: 1 });
  expect(emu.state().functions[0]!.versions).toHaveLength(2);
  expect(emu.calls()[0]).toMatchObject({ status: 502, fault: 'html-502' });
});

test("a 'lost-response' makes the change and then fails like a reset connection", async () => {
  emu.failNext('DeleteAlias', 1, 'lost-response');
  const err = await reject(emu.handleOperation('lambda', 'DeleteAlias', { FunctionName: 'fn', Name: 'live' }));
  expect(err).toMatchObject({ code: 'ECONNRESET' });
  expect(emu.state().functions[0]!.aliases).toEqual([]);
  expect(emu.calls()[0]).toMatchObject({ operation: 'DeleteAlias', status: 204, fault: 'lost-response' });
});

test('the caller: an account, an access key mapped to one, a region; denials apply', async () => {
  emu.createFunction({ name: 'other', accountId: '222222222222' });
  emu.setAccessKeyAccount('AKIDB', '222222222222');
  await expect(
    emu.handleOperation('lambda', 'GetFunctionConfiguration', { FunctionName: 'other' }, { accessKeyId: 'AKIDB' })
  ).resolves.toMatchObject({ FunctionName: 'other' });
  await expect(
    emu.handleOperation('lambda', 'GetFunctionConfiguration', { FunctionName: 'other' }, { accountId: '222222222222' })
  ).resolves.toBeDefined();
  expect(
    (await reject(emu.handleOperation('lambda', 'GetFunctionConfiguration', { FunctionName: 'fn' }, { region: 'eu-west-1' })))
      .name
  ).toBe('ResourceNotFoundException');
  emu.denyActions(['lambda:Get*']);
  expect((await reject(emu.handleOperation('lambda', 'GetFunctionConfiguration', { FunctionName: 'fn' }))).name).toBe(
    'AccessDeniedException'
  );
  emu.putAlarm({ name: 'a', state: 'OK' });
  emu.denyActions(['cloudwatch:DescribeAlarms']);
  expect(await reject(emu.handleOperation('cloudwatch', 'DescribeAlarms', {}))).toMatchObject({
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 }
  });
  expect(emu.calls().map((c) => [c.accountId, c.region])).toEqual([
    ['222222222222', 'us-east-1'],
    ['222222222222', 'us-east-1'],
    [ACCOUNT, 'eu-west-1'],
    [ACCOUNT, 'us-east-1'],
    [ACCOUNT, 'us-east-1']
  ]);
});

test('unsupported operations answer UnknownOperationException and are logged; an unknown service is refused', async () => {
  const err = await reject(emu.handleOperation('lambda', 'PutFunctionConcurrency', { FunctionName: 'fn' }));
  expect(err).toMatchObject({ name: 'UnknownOperationException', $metadata: { httpStatusCode: 400 } });
  expect(emu.calls()[0]).toMatchObject({
    operation: 'PutFunctionConcurrency',
    status: 400,
    errorCode: 'UnknownOperationException'
  });
  await expect(emu.handleOperation('sqs' as 'lambda', 'SendMessage', {})).rejects.toThrow(/unknown service/);
});

test('UpdateFunctionCode takes ZipFile bytes; the log shows their size', async () => {
  const out = (await emu.handleOperation('lambda', 'UpdateFunctionCode', {
    FunctionName: 'fn',
    ZipFile: new Uint8Array([1, 2, 3]),
    Publish: true
  })) as Record<string, unknown>;
  expect(out).toMatchObject({ Version: '3' });
  expect(emu.calls()[0]!.params).toEqual({ FunctionName: 'fn', ZipFile: '<3 bytes>', Publish: true });
});

test('onCall tells of each call as it is logged, before its answer goes out; waitForCalls waits for them', async () => {
  const seen: Array<[string, number, string]> = [];
  let answered = 0;
  const stop = emu.onCall((call) => seen.push([call.operation, call.status, `answered before: ${answered}`]));
  const later = emu.waitForCalls(2, (call) => call.operation === 'GetAlias');
  await emu.handleOperation('lambda', 'GetAlias', { FunctionName: 'fn', Name: 'live' }).then(() => answered++);
  await reject(emu.handleOperation('lambda', 'GetAlias', { FunctionName: 'fn', Name: 'nope' }));
  expect((await later).map((call) => call.status)).toEqual([200, 404]);
  expect(seen).toEqual([
    ['GetAlias', 200, 'answered before: 0'],
    ['GetAlias', 404, 'answered before: 1']
  ]);
  stop();
  await emu.handleOperation('lambda', 'GetAlias', { FunctionName: 'fn', Name: 'live' });
  expect(seen).toHaveLength(2);
  // Calls already logged count at once.
  expect(await emu.waitForCalls(3)).toHaveLength(3);
});

test('a hung call is told of as it arrives: a test can act while it hangs', async () => {
  emu.failNext('UpdateAlias', 1, 'hang');
  const hung = emu.waitForCalls(1, (call) => call.fault === 'hang');
  void emu.handleOperation('lambda', 'UpdateAlias', { FunctionName: 'fn', Name: 'live', FunctionVersion: '2' });
  expect(await hung).toEqual([expect.objectContaining({ operation: 'UpdateAlias', status: 0, fault: 'hang' })]);
});

test("a queued Invoke delay is waited out with the emulator's sleep", async () => {
  const asked: number[] = [];
  let release = (): void => undefined;
  const delayed = new Emulator({
    now: () => T0,
    sleep: (ms) => new Promise<void>((resolve) => ((release = resolve), asked.push(ms)))
  });
  delayed.createFunction({ name: 'fn', versions: 1 });
  delayed.queueInvokeResults('fn', [{ delayMs: 1_500, payload: { late: true } }]);
  let answered = false;
  const invoke = delayed.handleOperation('lambda', 'Invoke', { FunctionName: 'fn', Qualifier: '1' }).then((out) => {
    answered = true;
    return out as { Payload: Uint8Array };
  });
  await delayed.waitForCalls(1);
  await delayed.handleOperation('lambda', 'GetFunction', { FunctionName: 'fn' }); // answered meanwhile
  expect(asked).toEqual([1_500]);
  expect(answered).toBe(false);
  release();
  expect(JSON.parse(Buffer.from((await invoke).Payload).toString('utf8'))).toEqual({ late: true });
});

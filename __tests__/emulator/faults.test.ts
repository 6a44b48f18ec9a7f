import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { HeldSleeps, sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(async () => {
  await h.close();
});

/** The SDK's standard retry decisions, with no backoff so tests do not sleep. */
const retrying = (maxAttempts: number) => h.lambdaWith({ retryStrategy: new ConfiguredRetryStrategy(maxAttempts, 0) });
const getFunction = (client = h.lambda) => client.send(new GetFunctionCommand({ FunctionName: 'fn' }));

describe('random faults', () => {
  test('a throttle is a 429 TooManyRequestsException with Retry-After', async () => {
    h.emu.setFaults({ throttleFraction: 1 });
    const err = await sdkError(getFunction());
    expect(err.name).toBe('TooManyRequestsException');
    expect(err.$metadata?.httpStatusCode).toBe(429);
    expect((err as unknown as { retryAfterSeconds?: string }).retryAfterSeconds).toBe('1');
    expect(h.emu.calls()[0]).toMatchObject({
      operation: 'GetFunction',
      status: 429,
      errorCode: 'TooManyRequestsException',
      fault: 'throttle'
    });
  });

  test('a throttled call is retried by the SDK (maxAttempts > 1) and succeeds', async () => {
    h.emu.setFaults({ retryAfterSeconds: 0 });
    h.emu.failNext('GetFunction', 1, 'TooManyRequestsException');
    const out = await getFunction(retrying(3));
    expect(out.Configuration?.FunctionName).toBe('fn');
    expect(out.$metadata.attempts).toBe(2);
    expect(h.emu.calls().map((c) => c.status)).toEqual([429, 200]);
  });

  test('a dropped connection fails the call without an HTTP answer, and is retried by the SDK', async () => {
    h.emu.setFaults({ dropFraction: 1, operations: ['GetFunction'] });
    const err = await sdkError(getFunction());
    // node reports ECONNRESET "socket hang up" (jest's VM realm makes the SDK wrap it, hence the message match)
    expect(`${err.message} ${(err as unknown as { code?: string }).code}`).toMatch(/socket hang up|ECONNRESET/);
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(h.emu.calls()[0]).toMatchObject({ status: 0, fault: 'drop' });
    h.emu.setFaults({});
    h.emu.failNext('GetFunction', 1, 'drop');
    expect((await getFunction(retrying(2))).$metadata.attempts).toBe(2);
  });

  test('a server error is 500 ServiceException (Lambda) / InternalServiceFault (CloudWatch)', async () => {
    h.emu.setFaults({ serverErrorFraction: 1 });
    const err = await sdkError(getFunction());
    expect(err.name).toBe('ServiceException');
    expect(err.$metadata?.httpStatusCode).toBe(500);
    const cwErr = await sdkError(h.cw.send(new DescribeAlarmsCommand({})));
    expect(cwErr.name).toBe('InternalServiceFault');
    expect(cwErr.$metadata?.httpStatusCode).toBe(500);
  });

  test('latency delays the answer and is logged', async () => {
    const held = new HeldSleeps();
    await h.close();
    h = await startHarness(1, { sleep: held.sleep });
    h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
    h.emu.setFaults({ latencyMs: 30 });
    let answered = false;
    const call = getFunction().then(() => {
      answered = true;
    });
    await held.whenAsked(1);
    expect(held.asked).toEqual([30]);
    expect(answered).toBe(false);
    held.releaseAll();
    await call;
    expect(h.emu.calls()[0]!.fault).toBe('latency');
  });

  test('operations limits faults to the listed operations', async () => {
    h.emu.setFaults({ throttleFraction: 1, operations: ['UpdateAlias'] });
    await getFunction();
    const err = await sdkError(h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' })));
    expect(err.name).toBe('TooManyRequestsException');
  });

  test('fractions are seeded: the same seed gives the same fault pattern', async () => {
    const pattern = async () => {
      h.emu.setFaults({ throttleFraction: 0.5, seed: 7 });
      const out: number[] = [];
      for (let i = 0; i < 16; i++)
        out.push(
          await getFunction().then(
            () => 200,
            () => 429
          )
        );
      return out;
    };
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first).toContain(200);
    expect(first).toContain(429);
  });
});

describe('lost responses', () => {
  test('the change is made but the caller gets no answer; a retry then meets the new state', async () => {
    const before = await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    h.emu.failNext('UpdateAlias', 1, 'lost-response');
    const update = () =>
      h.lambda.send(
        new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2', RevisionId: before.RevisionId })
      );
    const err = await sdkError(update());
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(h.emu.calls().at(-1)).toMatchObject({ operation: 'UpdateAlias', status: 200, fault: 'lost-response' });
    expect((await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).FunctionVersion).toBe('2');
    expect((await sdkError(update())).name).toBe('PreconditionFailedException');
  });

  test('lostResponseFraction applies at random like the other faults', async () => {
    h.emu.setFaults({ lostResponseFraction: 1, operations: ['UpdateAlias'] });
    await sdkError(h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' })));
    expect(h.emu.state().functions[0]!.aliases[0]!.functionVersion).toBe('2');
  });
});

describe('failNext', () => {
  test('fails exactly the next N calls of the operation with the given error, changing nothing', async () => {
    h.emu.failNext('UpdateAlias', 2, 'ResourceConflictException');
    const update = () => h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' }));
    for (let i = 0; i < 2; i++) {
      const err = await sdkError(update());
      expect(err.name).toBe('ResourceConflictException');
      expect(err.$metadata?.httpStatusCode).toBe(409);
    }
    expect((await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).FunctionVersion).toBe('1');
    expect((await update()).FunctionVersion).toBe('2');
  });

  test('with a function name, only the calls about that function fail', async () => {
    h.emu.createFunction({ name: 'other', versions: 2, alias: { name: 'live', version: '1' } });
    h.emu.failNext('UpdateAlias', 1, 'ServiceException', 'other');
    const update = (name: string) =>
      h.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2' }));
    expect((await update('fn')).FunctionVersion).toBe('2');
    expect((await sdkError(update('arn:aws:lambda:us-east-1:123456789012:function:other'))).name).toBe('ServiceException');
    expect((await update('other')).FunctionVersion).toBe('2');
  });

  test('a message words the error as AWS would; an IAM refusal keeps its form and takes the message as its reason', async () => {
    h.emu.failNext('UpdateAlias', 1, 'InvalidParameterValueException', undefined, 'Value quoted back');
    const update = () => h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' }));
    expect((await sdkError(update())).message).toBe('Value quoted back');
    h.emu.failNext('UpdateAlias', 1, 'AccessDeniedException', undefined, 'with an explicit deny in a service control policy');
    const denied = await sdkError(update());
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toMatch(
      /^User: arn:aws:sts::123456789012:\S+ is not authorized to perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:123456789012:function:fn with an explicit deny in a service control policy$/
    );
  });
});

import { GetAliasCommand, GetFunctionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { sdkError, startHarness, T0, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(async () => {
  await h.close();
});

/** A client that gives up after 300 ms of silence (the SDK's default handler waits forever). */
const impatient = () => h.lambdaWith({ requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true } });
const getAlias = (client = h.lambda, abortSignal?: AbortSignal) =>
  client.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }), abortSignal ? { abortSignal } : {});
/** Sends a call that will hang, waits until the emulator holds it (logged, unanswered), then abandons it. */
async function abandonOnceHung<T>(send: (signal: AbortSignal) => Promise<T>) {
  const controller = new AbortController();
  const before = h.emu.calls().length;
  const call = sdkError(send(controller.signal));
  await h.emu.waitForCalls(before + 1);
  controller.abort();
  return call;
}

describe("'hang' fault", () => {
  // The one real wait left in the emulator's tests: an SDK requestTimeout on a real socket (300 ms).
  test('the request is read and never answered: a requestTimeout ends it with a TimeoutError', async () => {
    h.emu.failNext('GetAlias', 1, 'hang');
    const err = await sdkError(getAlias(impatient()));
    expect(err.name).toBe('TimeoutError');
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.message).toMatch(/exceeded the configured 300 ms requestTimeout/);
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(err.$metadata?.attempts).toBe(1);
    // Logged as it arrived, with status 0; the next call is answered normally.
    expect(h.emu.calls()).toEqual([expect.objectContaining({ operation: 'GetAlias', status: 0, fault: 'hang', atMs: T0 })]);
    expect((await getAlias()).FunctionVersion).toBe('1');
  });

  test('an AbortController ends the hung call', async () => {
    h.emu.failNext('GetAlias', 1, 'hang');
    const err = await abandonOnceHung((signal) => getAlias(h.lambda, signal));
    expect(err.name).toBe('AbortError');
    expect(err.$metadata?.httpStatusCode).toBeUndefined();
    expect(h.emu.calls()).toEqual([expect.objectContaining({ operation: 'GetAlias', status: 0, fault: 'hang' })]);
  });

  test("'hang-after-run': the change is applied, the answer never comes", async () => {
    h.emu.failNext('UpdateAlias', 1, 'hang-after-run');
    const err = await abandonOnceHung((abortSignal) =>
      h.lambda.send(
        new UpdateAliasCommand({
          FunctionName: 'fn',
          Name: 'live',
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } }
        }),
        { abortSignal }
      )
    );
    expect(err.name).toBe('AbortError');
    expect(h.emu.state().functions[0]!.aliases[0]).toMatchObject({ functionVersion: '1', weights: { '2': 0.1 } });
    expect(h.emu.calls().at(-1)).toMatchObject({ operation: 'UpdateAlias', status: 0, fault: 'hang-after-run', mutating: true });
  });

  test("'hang-after-run' of a call that fails logs the error code it would have answered", async () => {
    h.emu.failNext('UpdateAlias', 1, 'hang-after-run');
    await abandonOnceHung((abortSignal) =>
      h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RevisionId: 'stale' }), { abortSignal })
    );
    expect(h.emu.calls().at(-1)).toMatchObject({ status: 0, fault: 'hang-after-run', errorCode: 'PreconditionFailedException' });
  });

  test('hangFraction hangs calls at random, seeded like the other fractions', async () => {
    h.emu.setFaults({ hangFraction: 1, operations: ['GetFunction'] });
    const err = await abandonOnceHung((abortSignal) =>
      h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }), { abortSignal })
    );
    expect(err.name).toBe('AbortError');
    expect(h.emu.calls()[0]).toMatchObject({ operation: 'GetFunction', status: 0, fault: 'hang' });
    expect((await getAlias()).Name).toBe('live');
    expect(() => h.emu.setFaults({ hangFraction: 2 })).toThrow(/hangFraction/);
  });

  test('close() finishes at once with hung requests open; the client sees the connection reset', async () => {
    h.emu.failNext('GetAlias', 2, 'hang');
    // Neither client ever gives up by itself: only close() can end these calls, and close() itself
    // would never finish if it waited for them.
    const calls = [sdkError(getAlias()), sdkError(getAlias(h.lambdaWith({})))];
    await h.emu.waitForCalls(2);
    await h.emu.close();
    for (const err of await Promise.all(calls)) {
      // The SDK names a reset socket "TimeoutError" too (ECONNRESET is in its list of timeout codes).
      expect(`${err.message} ${err.code}`).toMatch(/socket hang up|ECONNRESET/);
      expect(err.$metadata?.httpStatusCode).toBeUndefined();
    }
  });
});

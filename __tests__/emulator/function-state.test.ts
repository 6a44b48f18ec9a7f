import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2
} from '@aws-sdk/client-lambda';
import { sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const config = (FunctionName = 'fn', Qualifier?: string) =>
  h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName, ...(Qualifier ? { Qualifier } : {}) }));
const publish = () => h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
const PENDING_CONFLICT =
  'The operation cannot be performed at this time. The function is currently in the following state: Pending';
const KMS = {
  reason: 'Lambda was unable to decrypt the environment variables because the KMS key was not found.',
  reasonCode: 'KMSKeyNotFound'
};

describe('State Pending while the function is being created (pendingMs)', () => {
  test('GetFunction and GetFunctionConfiguration report Pending with its reason, then Active', async () => {
    h.emu.createFunction({ name: 'fn', pendingMs: 10_000 });
    expect(await config()).toMatchObject({
      State: 'Pending',
      StateReason: 'The function is being created.',
      StateReasonCode: 'Creating',
      LastUpdateStatus: 'Successful'
    });
    const got = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    expect(got.Configuration).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    expect(h.emu.state().functions[0]!.latest).toMatchObject({
      state: 'Pending',
      stateReason: 'The function is being created.',
      stateReasonCode: 'Creating'
    });
    h.advance(10_000);
    const active = await config();
    expect(active.State).toBe('Active');
    expect(active.StateReason).toBeUndefined();
    expect(active.StateReasonCode).toBeUndefined();
  });

  test('PublishVersion, UpdateFunctionCode and Invoke are refused with 409 until Active', async () => {
    h.emu.createFunction({ name: 'fn', pendingMs: 5_000 });
    for (const attempt of [
      publish(),
      h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('zip') })),
      h.lambda.send(new InvokeCommand({ FunctionName: 'fn' }))
    ]) {
      const err = await sdkError(attempt);
      expect(err.name).toBe('ResourceConflictException');
      expect(err.$metadata?.httpStatusCode).toBe(409);
      expect(err.message).toBe(PENDING_CONFLICT);
    }
    expect(h.emu.state().functions[0]).toMatchObject({ versions: [], invocations: {} });
    h.advance(5_000);
    expect((await publish()).Version).toBe('1');
  });

  test('waitUntilFunctionUpdatedV2 does not wait for creation (LastUpdateStatus is Successful); waitUntilFunctionActiveV2 does', async () => {
    h.emu.createFunction({ name: 'fn', pendingMs: 60_000 });
    expect((await waitUntilFunctionUpdatedV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn' })).state).toBe(
      'SUCCESS'
    );
    // waitUntilFunctionActiveV2 keeps reading while Pending: the test abandons it after three reads.
    const controller = new AbortController();
    const waiting = sdkError(
      waitUntilFunctionActiveV2(
        { client: h.lambda, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.02, abortSignal: controller.signal },
        { FunctionName: 'fn' }
      )
    );
    await h.emu.waitForCalls(4, (c) => c.operation === 'GetFunction'); // the first waiter's read, then three
    controller.abort();
    expect((await waiting).name).toBe('AbortError');
    h.advance(60_000);
    expect((await waitUntilFunctionActiveV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn' })).state).toBe('SUCCESS');
  });
});

describe('State Failed (creation failed)', () => {
  test('State and LastUpdateStatus are Failed with the reason; changes and invocations are refused', async () => {
    h.emu.createFunction({
      name: 'fn',
      failed: { reason: 'The subnet has no available IP addresses.', reasonCode: 'SubnetOutOfIPAddresses' }
    });
    expect(await config()).toMatchObject({
      State: 'Failed',
      StateReason: 'The subnet has no available IP addresses.',
      StateReasonCode: 'SubnetOutOfIPAddresses',
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReasonCode: 'SubnetOutOfIPAddresses'
    });
    const err = await sdkError(publish());
    expect(err.name).toBe('ResourceConflictException');
    expect(err.message).toContain('in the following state: Failed');
    expect((await sdkError(h.lambda.send(new InvokeCommand({ FunctionName: 'fn' })))).name).toBe('ResourceConflictException');
    h.advance(3_600_000);
    expect((await config()).State).toBe('Failed');
    expect(h.emu.state().functions[0]!.latest).toMatchObject({
      state: 'Failed',
      stateReasonCode: 'SubnetOutOfIPAddresses',
      lastUpdateStatus: 'Failed'
    });
  });

  test('waitUntilFunctionActiveV2 ends in FAILURE at the first poll, with the configuration attached', async () => {
    h.emu.createFunction({ name: 'fn', failed: { reason: 'Source image is not valid.', reasonCode: 'InvalidImage' } });
    const err = await sdkError(waitUntilFunctionActiveV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn' }));
    const result = JSON.parse(err.message) as {
      state: string;
      reason: { Configuration: { State: string; StateReasonCode: string } };
    };
    expect(result.state).toBe('FAILURE');
    expect(result.reason.Configuration).toMatchObject({ State: 'Failed', StateReasonCode: 'InvalidImage' });
    expect(h.emu.calls().filter((c) => c.operation === 'GetFunction')).toHaveLength(1);
  });
});

describe('failed updates (LastUpdateStatus Failed)', () => {
  test('CreateFunctionSpec.lastUpdate: the function is Active but its last update Failed', async () => {
    h.emu.createFunction({ name: 'fn', versions: 1, lastUpdate: { status: 'Failed', ...KMS } });
    expect(await config()).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReason: KMS.reason,
      LastUpdateStatusReasonCode: 'KMSKeyNotFound'
    });
    // Published versions are not affected.
    expect((await config('fn', '1')).LastUpdateStatus).toBe('Successful');
  });

  test('waitUntilFunctionUpdatedV2 ends in FAILURE at the first poll', async () => {
    h.emu.createFunction({ name: 'fn', lastUpdate: { status: 'Failed', ...KMS } });
    const err = await sdkError(waitUntilFunctionUpdatedV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn' }));
    const result = JSON.parse(err.message) as {
      state: string;
      reason: { Configuration: { LastUpdateStatusReasonCode: string } };
    };
    expect(result.state).toBe('FAILURE');
    expect(result.reason.Configuration.LastUpdateStatusReasonCode).toBe('KMSKeyNotFound');
  });

  test('updateCode with `fail`: InProgress for its duration, then Failed; the next update clears it', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 4_000 });
    const snap = h.emu.updateCode('fn', undefined, {
      fail: { reason: 'Source image 1234.dkr.ecr/app:v2 does not exist.', reasonCode: 'ImageDeleted' }
    });
    expect(snap.latest.lastUpdateStatus).toBe('InProgress');
    expect((await config()).LastUpdateStatus).toBe('InProgress');
    h.advance(4_000);
    expect(await config()).toMatchObject({
      State: 'Active',
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReasonCode: 'ImageDeleted'
    });
    expect(h.emu.state().functions[0]!.latest).toMatchObject({
      lastUpdateStatus: 'Failed',
      lastUpdateStatusReasonCode: 'ImageDeleted'
    });
    h.emu.updateCode('fn', undefined, { durationMs: 0 });
    const fixed = await config();
    expect(fixed.LastUpdateStatus).toBe('Successful');
    expect(fixed.LastUpdateStatusReason).toBeUndefined();
  });

  test('setLastUpdateFailed ends an update in progress now, Failed', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 60_000 });
    h.emu.updateCode('fn');
    const snap = h.emu.setLastUpdateFailed('fn', 'The subnet has no available IP addresses.', 'SubnetOutOfIPAddresses');
    expect(snap.latest).toMatchObject({ lastUpdateStatus: 'Failed', lastUpdateStatusReasonCode: 'SubnetOutOfIPAddresses' });
    expect(await config()).toMatchObject({
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReason: 'The subnet has no available IP addresses.'
    });
    expect(() => h.emu.setLastUpdateFailed('fn', 'no code', '')).toThrow(/reasonCode/);
  });
});

describe('environment variables', () => {
  const SECRET = { DB_PASSWORD: 'hunter2-s3cr3t', STAGE: 'prod' };

  test('every FunctionConfiguration answer carries Environment.Variables', async () => {
    h.emu.createFunction({ name: 'fn', versions: 1, environment: SECRET });
    const expected = { Environment: { Variables: SECRET } };
    expect(await config()).toMatchObject(expected);
    expect((await h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).Configuration).toMatchObject(expected);
    expect(await config('fn', '1')).toMatchObject(expected);
    h.emu.updateCode('fn');
    expect(await publish()).toMatchObject({ Version: '2', ...expected });
    const listed = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn' }));
    expect(listed.Versions?.map((v) => v.Environment?.Variables)).toEqual([SECRET, SECRET, SECRET]);
    expect(h.emu.state().functions[0]!.latest.environment).toEqual(SECRET);
  });

  test('a function without variables has no Environment member', async () => {
    h.emu.createFunction({ name: 'fn' });
    expect((await config()).Environment).toBeUndefined();
  });

  test('published versions keep the variables they were published with', async () => {
    h.emu.createFunction({ name: 'fn', environment: { DB_PASSWORD: 'old' } });
    expect((await publish()).Version).toBe('1');
    h.emu.updateCode('fn', undefined, { environment: { DB_PASSWORD: 'new' } });
    expect((await publish()).Environment?.Variables).toEqual({ DB_PASSWORD: 'new' });
    expect((await config('fn', '1')).Environment?.Variables).toEqual({ DB_PASSWORD: 'old' });
    expect((await config()).Environment?.Variables).toEqual({ DB_PASSWORD: 'new' });
    expect(h.emu.state().functions[0]!.versions.map((v) => v.environment)).toEqual([
      { DB_PASSWORD: 'old' },
      { DB_PASSWORD: 'new' }
    ]);
  });

  test('a change of variables alone is a new version', async () => {
    h.emu.createFunction({ name: 'fn', versions: 1, environment: { A: '1' } });
    h.emu.updateCode('fn', h.emu.state().functions[0]!.latest.codeSha256, { environment: { A: '2' } });
    expect((await publish()).Version).toBe('2');
  });
});

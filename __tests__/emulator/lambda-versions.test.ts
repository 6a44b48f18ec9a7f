import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const publish = (name = 'fn', extra: Record<string, string> = {}) =>
  h.lambda.send(new PublishVersionCommand({ FunctionName: name, ...extra }));

describe('PublishVersion', () => {
  test('versions are numbered from 1, each with a qualified ARN', async () => {
    h.emu.createFunction({ name: 'fn' });
    const v1 = await publish();
    expect(v1.Version).toBe('1');
    expect(v1.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn:1');
    h.emu.updateCode('fn');
    const v2 = await publish();
    expect(v2.Version).toBe('2');
    expect(v2.CodeSha256).not.toBe(v1.CodeSha256);
  });

  test('publishing unchanged code and config returns the last version instead of a new one', async () => {
    h.emu.createFunction({ name: 'fn', versions: 2 });
    const again = await publish();
    expect(again.Version).toBe('2');
    expect(h.emu.state().functions[0]!.versions).toHaveLength(2);
  });

  test('pre-published versions continue the numbering', async () => {
    h.emu.createFunction({ name: 'fn', versions: 3 });
    h.emu.updateCode('fn', 'new-sha');
    expect((await publish()).Version).toBe('4');
  });

  test('409 ResourceConflictException while LastUpdateStatus is InProgress, then succeeds', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 5_000 });
    h.emu.updateCode('fn');
    const err = await sdkError(publish());
    expect(err.name).toBe('ResourceConflictException');
    expect(err.$metadata?.httpStatusCode).toBe(409);
    expect(err.message).toContain('An update is in progress');
    h.advance(5_000);
    expect((await publish()).Version).toBe('1');
  });

  test('CodeSha256 that differs from $LATEST is refused with 400 InvalidParameterValueException', async () => {
    h.emu.createFunction({ name: 'fn', codeSha256: 'current' });
    const err = await sdkError(publish('fn', { CodeSha256: 'other' }));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((await publish('fn', { CodeSha256: 'current' })).Version).toBe('1');
  });

  test('stale function RevisionId is refused with 412 PreconditionFailedException', async () => {
    h.emu.createFunction({ name: 'fn' });
    const before = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    h.emu.updateCode('fn');
    const err = await sdkError(publish('fn', { RevisionId: before.RevisionId! }));
    expect(err.name).toBe('PreconditionFailedException');
    expect(err.$metadata?.httpStatusCode).toBe(412);
    const current = await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn' }));
    expect((await publish('fn', { RevisionId: current.RevisionId! })).Version).toBe('1');
  });

  test('a new version is Pending for publishPendingMs, then Active', async () => {
    h.emu.createFunction({ name: 'fn', publishPendingMs: 10_000 });
    const v = await publish();
    expect(v.State).toBe('Pending');
    const cfg = () => h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn', Qualifier: '1' }));
    expect((await cfg()).State).toBe('Pending');
    h.advance(10_000);
    expect((await cfg()).State).toBe('Active');
  });
});

describe('UpdateFunctionCode', () => {
  test('ZipFile sets CodeSha256 to base64 SHA-256 of the zip; InProgress for updateDurationMs', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 3_000 });
    const zip = Buffer.from('zip-bytes');
    const out = await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: zip }));
    expect(out.CodeSha256).toBe(createHash('sha256').update(zip).digest('base64'));
    expect(out.LastUpdateStatus).toBe('InProgress');
    const again = await sdkError(h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: zip })));
    expect(again.name).toBe('ResourceConflictException');
    h.advance(3_000);
    const got = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }));
    expect(got.Configuration?.LastUpdateStatus).toBe('Successful');
    expect(got.Code?.Location).toMatch(/^https:\/\//);
  });

  test('without a code source it is refused', async () => {
    h.emu.createFunction({ name: 'fn' });
    const err = await sdkError(h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn' })));
    expect(err.name).toBe('InvalidParameterValueException');
  });

  test('ListVersionsByFunction lists $LATEST then the versions', async () => {
    h.emu.createFunction({ name: 'fn', versions: 2 });
    const out = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn' }));
    expect(out.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '1', '2']);
  });
});

describe('SDK waiters', () => {
  test('waitUntilFunctionUpdatedV2 and waitUntilPublishedVersionActive succeed at once when durations are 0', async () => {
    h.emu.createFunction({ name: 'fn' });
    h.emu.updateCode('fn');
    const updated = await waitUntilFunctionUpdatedV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn' });
    expect(updated.state).toBe('SUCCESS');
    const v = await publish();
    const active = await waitUntilPublishedVersionActive(
      { client: h.lambda, maxWaitTime: 10 },
      { FunctionName: 'fn', Qualifier: v.Version! }
    );
    expect(active.state).toBe('SUCCESS');
  });

  test('waitUntilFunctionUpdatedV2 keeps polling while InProgress and succeeds once the clock moves', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 60_000 });
    h.emu.updateCode('fn');
    const isRead = (c: { operation: string }) => c.operation === 'GetFunction';
    const waiting = waitUntilFunctionUpdatedV2(
      { client: h.lambda, maxWaitTime: 5, minDelay: 0.02, maxDelay: 0.05 },
      { FunctionName: 'fn' }
    );
    await h.emu.waitForCalls(1, isRead);
    h.advance(60_000);
    expect((await waiting).state).toBe('SUCCESS');
    expect(h.emu.calls().filter(isRead).length).toBeGreaterThanOrEqual(2);
  });

  test('waitUntilPublishedVersionActive keeps waiting while the version stays Pending', async () => {
    h.emu.createFunction({ name: 'fn', publishPendingMs: 60_000 });
    const v = await publish();
    const isRead = (c: { operation: string }) => c.operation === 'GetFunctionConfiguration';
    const controller = new AbortController();
    const waiting = sdkError(
      waitUntilPublishedVersionActive(
        { client: h.lambda, maxWaitTime: 60, minDelay: 0.01, maxDelay: 0.02, abortSignal: controller.signal },
        { FunctionName: 'fn', Qualifier: v.Version! }
      )
    );
    // Three reads, all Pending, and the waiter still waits: only the test ends it.
    await h.emu.waitForCalls(3, isRead);
    controller.abort();
    const err = await waiting;
    expect(err.name).toBe('AbortError');
    expect(err.message).not.toMatch(/SUCCESS/);
    expect(h.emu.state().functions[0]!.versions.at(-1)).toMatchObject({ version: v.Version, state: 'Pending' });
  });
});

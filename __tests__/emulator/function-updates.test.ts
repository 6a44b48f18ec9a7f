import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2
} from '@aws-sdk/client-lambda';
import { createHash } from 'node:crypto';
import { sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
let s3: S3Client;
beforeEach(async () => {
  h = await startHarness();
  s3 = new S3Client({
    region: 'us-east-1',
    endpoint: h.emu.url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1
  });
});
afterEach(async () => {
  s3.destroy();
  await h.close();
});

const config = (FunctionName = 'fn', Qualifier?: string) =>
  h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName, ...(Qualifier ? { Qualifier } : {}) }));
const base64Sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('base64');
const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:deps:3';
const DIGEST = 'a'.repeat(64);
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders';

describe('UpdateFunctionConfiguration', () => {
  test('sets what it names, leaves the rest; InProgress for updateDurationMs, then Successful', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 2_000, environment: { OLD: 'x' } });
    const out = await h.lambda.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: 'fn',
        Handler: 'app.main',
        Runtime: 'nodejs22.x',
        MemorySize: 512,
        Timeout: 30,
        Description: 'orders api',
        Environment: { Variables: { DB_URL: 'postgres://db', LOG_LEVEL: 'debug' } },
        Layers: [LAYER]
      })
    );
    expect(out).toMatchObject({
      Handler: 'app.main',
      Runtime: 'nodejs22.x',
      MemorySize: 512,
      Timeout: 30,
      LastUpdateStatus: 'InProgress'
    });
    expect(out.Layers).toEqual([{ Arn: LAYER, CodeSize: 1024 }]);
    expect((await config()).LastUpdateStatus).toBe('InProgress');
    h.advance(2_000);
    const after = await config();
    expect(after).toMatchObject({ LastUpdateStatus: 'Successful', Description: 'orders api', Architectures: ['x86_64'] });
    expect(after.Environment?.Variables).toEqual({ DB_URL: 'postgres://db', LOG_LEVEL: 'debug' });
    const again = await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Timeout: 60 }));
    expect(again).toMatchObject({ Handler: 'app.main', Timeout: 60, MemorySize: 512 });
  });

  test('an empty Environment removes every variable; values outside Lambda limits are refused', async () => {
    h.emu.createFunction({ name: 'fn', environment: { A1: 'x' } });
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Environment: { Variables: {} } }));
    expect((await config()).Environment).toBeUndefined();
    for (const input of [
      { MemorySize: 64 },
      { Timeout: 901 },
      { Layers: ['not-an-arn'] },
      { Environment: { Variables: { '1BAD': 'x' } } }
    ]) {
      const err = await sdkError(h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', ...input })));
      expect([input, err.name]).toEqual([input, 'InvalidParameterValueException']);
    }
  });

  test('variables over 4 KB as Lambda measures them (their JSON, in UTF-8 bytes) are refused, quoted as Lambda quotes them', async () => {
    h.emu.createFunction({ name: 'fn' });
    // 40 names and values of 100 bytes: 4000 bytes, but 4241 as JSON.
    const Variables = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`V${String(i).padStart(2, '0')}`, 'x'.repeat(97)])
    );
    const err = await sdkError(
      h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Environment: { Variables } }))
    );
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toBe(
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
        `exceeded the 4KB limit. String measured: ${JSON.stringify(Variables)}`
    );
    // Exactly 4096 bytes is accepted.
    await h.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Environment: { Variables: { BIG: 'x'.repeat(4086) } } })
    );
    expect((await config()).Environment?.Variables?.BIG).toHaveLength(4086);
  });

  test('the call log keeps the names of environment variables, never their values', async () => {
    h.emu.createFunction({ name: 'fn' });
    await h.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Environment: { Variables: { TOKEN: 'hunter2' } } })
    );
    const [call] = h.emu.calls();
    expect(call).toMatchObject({
      operation: 'UpdateFunctionConfiguration',
      mutating: true,
      params: { Environment: { Variables: { TOKEN: '<hidden>' } } }
    });
    expect(JSON.stringify(h.emu.calls())).not.toContain('hunter2');
  });
});

describe('updates in progress, and the RevisionId', () => {
  test('a write while an update is in progress, or while the function is Pending, is refused with 409', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 5_000 });
    await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', MemorySize: 256 }));
    for (const write of [
      h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', MemorySize: 512 })),
      h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('zip') })),
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }))
    ]) {
      const err = await sdkError(write);
      expect([err.name, err.$metadata?.httpStatusCode]).toEqual(['ResourceConflictException', 409]);
    }
    h.emu.createFunction({ name: 'pending', pendingMs: 5_000 });
    const pending = await sdkError(
      h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'pending', Timeout: 9 }))
    );
    expect(pending.name).toBe('ResourceConflictException');
  });

  test('an update answers with its own RevisionId; it moves on once the update finishes, as in Lambda', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 1_000 });
    const before = (await config()).RevisionId!;
    const stale = await sdkError(
      h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('z'), RevisionId: 'other' }))
    );
    expect(stale.name).toBe('PreconditionFailedException');
    const updated = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('z'), RevisionId: before })
    );
    expect(updated.RevisionId).not.toBe(before);
    expect((await config()).RevisionId).toBe(updated.RevisionId);
    h.advance(1_000);
    const settled = (await config()).RevisionId!;
    expect(settled).not.toBe(updated.RevisionId);
    const refused = await sdkError(
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn', RevisionId: updated.RevisionId }))
    );
    expect(refused.$metadata?.httpStatusCode).toBe(412);
    const published = await h.lambda.send(
      new PublishVersionCommand({ FunctionName: 'fn', RevisionId: settled, CodeSha256: base64Sha('z') })
    );
    expect(published.Version).toBe('1');
  });

  test('failNextUpdate: the next update is InProgress for its duration, then Failed with the reason', async () => {
    h.emu.createFunction({ name: 'fn', updateDurationMs: 1_000 });
    h.emu.failNextUpdate(
      'fn',
      'Lambda was unable to decrypt the environment variables because the KMS key was not found.',
      'KMSKeyNotFound'
    );
    const out = await h.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Environment: { Variables: { A1: 'b' } } })
    );
    expect(out.LastUpdateStatus).toBe('InProgress');
    h.advance(1_000);
    expect(await config()).toMatchObject({
      LastUpdateStatus: 'Failed',
      LastUpdateStatusReasonCode: 'KMSKeyNotFound',
      State: 'Active'
    });
    const waited = await sdkError(waitUntilFunctionUpdatedV2({ client: h.lambda, maxWaitTime: 5 }, { FunctionName: 'fn' }));
    expect(waited.message).toMatch(/FAILURE|failed/i);
    await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('fixed') }));
    h.advance(1_000);
    expect((await config()).LastUpdateStatus).toBe('Successful');
  });

  test('concurrentUpdateBefore: another writer updates the code right before the named call runs', async () => {
    h.emu.createFunction({ name: 'fn' });
    await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: Buffer.from('ours') }));
    const read = await config();
    h.emu.concurrentUpdateBefore('PublishVersion', 'fn');
    const err = await sdkError(
      h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn', RevisionId: read.RevisionId, CodeSha256: base64Sha('ours') }))
    );
    expect(err.name).toBe('PreconditionFailedException');
    const fn = h.emu.state().functions[0]!;
    expect(fn.versions).toEqual([]);
    expect(fn.latest.codeSha256).not.toBe(base64Sha('ours'));
    // Armed once: the next call runs as it comes.
    expect((await h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }))).Version).toBe('1');
  });
});

describe('code sources', () => {
  test('ZipFile with Architectures: CodeSha256 of the bytes, the architecture set with the code', async () => {
    h.emu.createFunction({ name: 'fn' });
    const zip = Buffer.from('zip-bytes');
    const out = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'fn', ZipFile: zip, Architectures: ['arm64'] })
    );
    expect(out).toMatchObject({ CodeSha256: base64Sha(zip), CodeSize: zip.length, Architectures: ['arm64'] });
    expect(h.emu.state().functions[0]!.latest).toMatchObject({ architectures: ['arm64'], codeSize: zip.length });
  });

  test('S3Bucket and S3Key read an object registered with putS3Object: CodeSha256 of its bytes', async () => {
    h.emu.createFunction({ name: 'fn' });
    const first = h.emu.putS3Object('artifacts', 'orders/app.zip', Buffer.from('one').toString('base64'));
    h.emu.putS3Object('artifacts', 'orders/app.zip', Buffer.from('two').toString('base64'), 'v-two');
    expect(first).toMatchObject({ bucket: 'artifacts', key: 'orders/app.zip', size: 3, versionId: 'v1' });
    const latest = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'fn', S3Bucket: 'artifacts', S3Key: 'orders/app.zip' })
    );
    expect(latest.CodeSha256).toBe(base64Sha('two'));
    const older = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'fn', S3Bucket: 'artifacts', S3Key: 'orders/app.zip', S3ObjectVersion: 'v1' })
    );
    expect(older.CodeSha256).toBe(base64Sha('one'));
  });

  test('a missing S3 object is refused as Lambda refuses it, quoting S3', async () => {
    h.emu.createFunction({ name: 'fn' });
    h.emu.putS3Object('artifacts', 'a.zip', 'AA==');
    for (const [bucket, key, code] of [
      ['artifacts', 'missing.zip', 'NoSuchKey'],
      ['nowhere', 'a.zip', 'NoSuchBucket']
    ] as const) {
      const err = await sdkError(
        h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'fn', S3Bucket: bucket, S3Key: key }))
      );
      expect(err.name).toBe('InvalidParameterValueException');
      expect(err.message).toContain(`Error occurred while GetObject. S3 Error Code: ${code}.`);
    }
  });

  test('GetObject over S3 REST answers the bytes; a missing key is NoSuchKey; a denied read is AccessDenied', async () => {
    h.emu.putS3Object('artifacts', 'orders/app 1.zip', Buffer.from('zip!').toString('base64'), 'v7');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'orders/app 1.zip' }));
    expect(await got.Body!.transformToString()).toBe('zip!');
    expect(got.VersionId).toBe('v7');
    const missing = await sdkError(s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'nope' })));
    expect([missing.name, missing.$metadata?.httpStatusCode]).toEqual(['NoSuchKey', 404]);
    h.emu.denyActions(['s3:GetObject']);
    const denied = await sdkError(s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'orders/app 1.zip' })));
    expect([denied.name, denied.$metadata?.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain(
      'not authorized to perform: s3:GetObject on resource: arn:aws:s3:::artifacts/orders/app 1.zip'
    );
    expect(h.emu.calls().map((call) => [call.service, call.operation, call.status])).toEqual([
      ['s3', 'GetObject', 200],
      ['s3', 'GetObject', 404],
      ['s3', 'GetObject', 403]
    ]);
  });

  test('image functions: ImageUri by digest or tag, the resolved image in GetFunction; the wrong kind of source is refused', async () => {
    h.emu.createFunction({ name: 'img', imageUri: `${REPO}:v1`, versions: 1, alias: { name: 'live', version: '1' } });
    const pinned = await h.lambda.send(
      new UpdateFunctionCodeCommand({ FunctionName: 'img', ImageUri: `${REPO}@sha256:${DIGEST}` })
    );
    expect(pinned).toMatchObject({ CodeSha256: DIGEST, PackageType: 'Image' });
    expect(pinned.Handler).toBeUndefined();
    const got = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'img' }));
    expect(got.Code).toMatchObject({
      RepositoryType: 'ECR',
      ImageUri: `${REPO}@sha256:${DIGEST}`,
      ResolvedImageUri: `${REPO}@sha256:${DIGEST}`
    });
    const live = await h.lambda.send(new GetFunctionCommand({ FunctionName: 'img', Qualifier: '1' }));
    expect(live.Code?.ResolvedImageUri).toMatch(new RegExp(`^${REPO}@sha256:[0-9a-f]{64}$`));
    const tagged = await h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'img', ImageUri: `${REPO}:v2` }));
    expect(tagged.CodeSha256).toMatch(/^[0-9a-f]{64}$/);
    const zip = await sdkError(h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'img', ZipFile: Buffer.from('z') })));
    expect(zip.message).toBe('Please provide ImageUri when updating a function with packageType Image.');
    const handler = await sdkError(
      h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'img', Handler: 'x.y' }))
    );
    expect(handler.name).toBe('InvalidParameterValueException');
    h.emu.createFunction({ name: 'zipped' });
    const image = await sdkError(
      h.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'zipped', ImageUri: `${REPO}:v1` }))
    );
    expect(image.message).toBe("Please don't provide ImageUri when updating a function with packageType Zip.");
  });
});

test('a published version keeps the configuration it was published with', async () => {
  h.emu.createFunction({ name: 'fn' });
  await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Handler: 'v1.handler', Layers: [LAYER] }));
  await h.lambda.send(new PublishVersionCommand({ FunctionName: 'fn' }));
  await h.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'fn', Handler: 'v2.handler', Layers: [] }));
  expect(await config('fn', '1')).toMatchObject({ Handler: 'v1.handler', Layers: [{ Arn: LAYER }] });
  expect((await config()).Layers).toBeUndefined();
  expect(h.emu.state().functions[0]!.versions[0]).toMatchObject({
    handler: 'v1.handler',
    layers: [LAYER],
    memorySize: 128,
    timeout: 3
  });
});

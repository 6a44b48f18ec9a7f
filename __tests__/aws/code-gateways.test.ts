import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { AwsClients } from '../../src/aws/clients.js';
import { S3CodeObjectGateway } from '../../src/aws/code-object-gateway.js';
import { AccessDenied, FunctionChanged, NoAnswer, ResourceNotFound } from '../../src/aws/failures.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';

// The SDK adapters for code and configuration, over HTTP against the emulator, as the action runs them.

const FN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
const LAYER = 'arn:aws:lambda:us-east-1:123456789012:layer:deps:3';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders';
const saved = { ...process.env };
let emu: RunningEmulator;
let clients: AwsClients;

beforeAll(() => {
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
  });
});
afterAll(() => {
  process.env = saved;
});
beforeEach(async () => {
  emu = await startEmulator();
  process.env.AWS_ENDPOINT_URL = emu.url;
  clients = new AwsClients(
    { maxRetries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 1_000, region: 'us-east-1' },
    { AWS_ENDPOINT_URL: emu.url }
  );
  emu.createFunction({ name: 'orders', versions: 1, environment: { TOKEN: 'secret-value' }, layers: [LAYER] });
});
afterEach(async () => {
  clients.destroy();
  await emu.close();
});

const sha = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('base64');

describe('SdkLambdaGateway', () => {
  test('getVersionConfiguration: the compared fields of a version or $LATEST, the environment kept apart', async () => {
    const lambda = new SdkLambdaGateway(clients);
    const version = await lambda.getVersionConfiguration(FN, '1');
    expect(version).toMatchObject({
      version: '1',
      packageType: 'Zip',
      handler: 'index.handler',
      memorySize: 128,
      timeoutSeconds: 3,
      layers: [LAYER],
      architectures: ['x86_64'],
      environment: { TOKEN: 'secret-value' }
    });
    expect(Object.keys(version).sort()).toEqual(
      [
        'architectures',
        'codeSha256',
        'description',
        'environment',
        'handler',
        'layers',
        'memorySize',
        'packageType',
        'revisionId',
        'runtime',
        'timeoutSeconds',
        'version'
      ].sort()
    );
    expect((await lambda.getVersionConfiguration(FN, '$LATEST')).version).toBe('$LATEST');
  });

  test('an image function: the image as given and as resolved', async () => {
    emu.createFunction({ name: 'images', imageUri: `${REPO}:v1` });
    const image = await new SdkLambdaGateway(clients).getVersionConfiguration('images', '$LATEST');
    expect(image).toMatchObject({
      packageType: 'Image',
      imageUri: `${REPO}:v1`,
      resolvedImageUri: expect.stringMatching(/@sha256:[0-9a-f]{64}$/)
    });
    expect(image.handler).toBeUndefined();
  });

  test('the updates answer their RevisionId and status only; a stale RevisionId is FunctionChanged', async () => {
    const lambda = new SdkLambdaGateway(clients);
    const { revisionId } = await lambda.getVersionConfiguration(FN, '$LATEST');
    const configured = await lambda.updateFunctionConfiguration(
      FN,
      { memorySize: 256, environment: { TOKEN: 'other' } },
      { revisionId }
    );
    expect(configured).toEqual({
      revisionId: expect.any(String),
      codeSha256: expect.any(String),
      lastUpdateStatus: 'InProgress'
    });
    const zip = new Uint8Array([1, 2, 3]);
    const stale = lambda.updateFunctionCode(FN, { kind: 'zip', zipFile: zip }, { publish: false, revisionId });
    await expect(stale).rejects.toBeInstanceOf(FunctionChanged);
    const fresh = await lambda.getVersionConfiguration(FN, '$LATEST');
    const uploaded = await lambda.updateFunctionCode(
      FN,
      { kind: 'zip', zipFile: zip },
      { publish: false, revisionId: fresh.revisionId, architectures: ['arm64'] }
    );
    expect(uploaded.codeSha256).toBe(sha(zip));
    const published = await lambda.publishVersion(FN, {
      description: 'd',
      codeSha256: sha(zip),
      revisionId: (await lambda.getVersionConfiguration(FN, '$LATEST')).revisionId
    });
    expect(published).toMatchObject({ version: '2', codeSha256: sha(zip) });
    expect(await lambda.getVersionConfiguration(FN, '2')).toMatchObject({
      memorySize: 256,
      architectures: ['arm64'],
      environment: { TOKEN: 'other' }
    });
  });

  test('a zip upload is not cut by the request time limit meant for small calls', async () => {
    const lambda = new SdkLambdaGateway(clients);
    emu.setFaults({ latencyMs: 1_500, operations: ['UpdateFunctionCode', 'GetAlias'] });
    const uploaded = await lambda.updateFunctionCode(FN, { kind: 'zip', zipFile: new Uint8Array([9]) }, { publish: false });
    expect(uploaded.codeSha256).toBe(sha(new Uint8Array([9])));
    await expect(lambda.getAlias(FN, 'live')).rejects.toBeInstanceOf(NoAnswer);
  }, 15_000);
  test("tells its owner each configuration's variable values (secrets) and the identifiers Lambda's answers name", async () => {
    const variables: string[] = [];
    const identifiers = new Set<string>();
    const lambda = new SdkLambdaGateway(clients, {
      onVariables: (values) => variables.push(...values),
      onIdentifiers: (named) => named.forEach((identifier) => identifiers.add(identifier))
    });
    await lambda.getFunction('orders');
    expect(variables).toEqual(['secret-value']);
    expect([...identifiers]).toEqual(expect.arrayContaining(['orders', FN, 'us-east-1', '123456789012']));
    const published = await lambda.publishVersion(FN, { description: 'd' });
    await lambda.createAlias(FN, 'live', { version: published.version });
    await lambda.getAlias(FN, 'live');
    expect([...identifiers]).toEqual(expect.arrayContaining([published.version, 'live', `${FN}:live`]));
    // Never a value: identifiers are what the action prints anyway.
    expect([...identifiers]).not.toContain('secret-value');
  });
});

describe('S3CodeObjectGateway', () => {
  test('hashes the object as Lambda will: base64 SHA-256 of its bytes, a given version too', async () => {
    const bytes = Buffer.from('PK\u0003\u0004 pretend zip '.repeat(1000));
    emu.putS3Object('artifacts', 'orders/build 1.zip', bytes.toString('base64'));
    emu.putS3Object('artifacts', 'orders/build 1.zip', Buffer.from('newer').toString('base64'), 'v-new');
    const gateway = new S3CodeObjectGateway(clients);
    expect(await gateway.digest({ bucket: 'artifacts', key: 'orders/build 1.zip', objectVersion: 'v1' }, 'us-east-1')).toEqual({
      codeSha256: sha(bytes),
      size: bytes.length
    });
    expect((await gateway.digest({ bucket: 'artifacts', key: 'orders/build 1.zip' }, undefined)).codeSha256).toBe(sha('newer'));
  });

  test('a missing object is ResourceNotFound; a refused read names the S3 action', async () => {
    const gateway = new S3CodeObjectGateway(clients);
    emu.putS3Object('artifacts', 'a.zip', 'AA==');
    await expect(gateway.digest({ bucket: 'artifacts', key: 'missing.zip' }, 'us-east-1')).rejects.toBeInstanceOf(
      ResourceNotFound
    );
    emu.denyActions(['s3:GetObjectVersion']);
    const denied = await gateway
      .digest({ bucket: 'artifacts', key: 'a.zip', objectVersion: 'v1' }, 'us-east-1')
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AccessDenied);
    expect((denied as AccessDenied).action).toBe('s3:GetObjectVersion');
  });
});

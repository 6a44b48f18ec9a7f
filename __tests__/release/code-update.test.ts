import { afterAll, afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator } from '../../emulator/index.js';
import { attachToSdkMocks } from '../../emulator/sdk-mock.js';
import { AwsClients } from '../../src/aws/clients.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { SdkLambdaInventoryGateway } from '../../src/aws/sdk-lambda-inventory-gateway.js';
import { parseSettings } from '../../src/config/inputs.js';
import { SdkCodeDeployGateway } from '../../src/aws/sdk-codedeploy-gateway.js';
import { chooseEngine } from '../../src/engines/index.js';
import { Recorder } from '../../src/rollout/recorder.js';
import { CaptureLog } from '../support/capture-log.js';
import { FakeClock } from '../support/fake-clock.js';

// The engine with code and configuration inputs, over the real SDK gateway, whose Lambda client
// aws-sdk-client-mock forwards to the emulator's model in-process: no HTTP, a fake clock.

const lambdaMock = mockClient(LambdaClient);
let emu: Emulator;
let clock: FakeClock;
let dir: string;

beforeEach(() => {
  lambdaMock.reset();
  clock = new FakeClock();
  emu = new Emulator({ now: () => clock.now() });
  attachToSdkMocks(emu, { lambda: lambdaMock });
  emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' }, environment: { LOG_LEVEL: 'info' } });
  dir = mkdtempSync(join(tmpdir(), 'lsd-engine-code-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});
afterAll(() => {
  lambdaMock.restore();
});

function zip(content: string): { path: string; sha: string } {
  const bytes = zipSync({ 'index.mjs': new TextEncoder().encode(content) });
  const path = join(dir, `${createHash('md5').update(content).digest('hex')}.zip`);
  writeFileSync(path, bytes);
  return { path, sha: createHash('sha256').update(bytes).digest('base64') };
}

/** Runs the engine; `onReading` is called before each reading of $LATEST (1, 2, …) the engine makes. */
async function run(inputs: Record<string, string>, onReading?: (reading: number) => void, signal?: AbortSignal) {
  const given: Record<string, string> = { 'function-name': 'orders', ...inputs };
  const settings = parseSettings({ get: (name) => given[name] ?? '', env: {} });
  const log = new CaptureLog();
  const clients = new AwsClients({ maxRetries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 5_000, region: 'us-east-1' }, {});
  const lambda = new SdkLambdaGateway(clients);
  let readings = 0;
  const read = lambda.getVersionConfiguration.bind(lambda);
  lambda.getVersionConfiguration = (ref, version, signal) => {
    if (version === '$LATEST') onReading?.(++readings);
    return read(ref, version, signal);
  };
  const report = await chooseEngine(settings).run(
    {
      aws: { lambda, codedeploy: new SdkCodeDeployGateway(clients), inventory: new SdkLambdaInventoryGateway(clients) },
      checks: [],
      hooks: { BeforeAllowTraffic: [], AfterAllowTraffic: [] },
      clock,
      recorder: new Recorder(log, clock),
      rollbackBudgetMs: 10_000
    },
    'deploy-1',
    signal
  );
  clients.destroy();
  return { ...report, log, only: report.result.targets[0]! };
}

const orders = () => emu.state().functions.find((fn) => fn.name === 'orders')!;
const writes = () =>
  emu
    .calls()
    .filter((call) => call.mutating && call.status < 300)
    .map((call) => call.operation);

describe('code and configuration through the engine', () => {
  test('configuration, then code, then a guarded publish; the result says what was uploaded and what changed', async () => {
    const code = zip('v2');
    const { result, only, log } = await run({
      'zip-file': code.path,
      handler: 'index.main',
      'env-vars': 'LOG_LEVEL=debug\nNEW_ONE=x'
    });
    expect(result.status).toBe('succeeded');
    expect(writes()).toEqual(['UpdateFunctionConfiguration', 'UpdateFunctionCode', 'PublishVersion', 'UpdateAlias']);
    expect(only).toMatchObject({
      version: '2',
      codeSha256: code.sha,
      code: { source: `zip file ${code.path}`, files: 1, codeSha256: code.sha, upload: 'uploaded' },
      changes: ['code', 'handler', 'env-vars (LOG_LEVEL, NEW_ONE)'],
      latestChanged: 'new code and configuration'
    });
    expect(orders().versions[1]).toMatchObject({
      handler: 'index.main',
      environment: { LOG_LEVEL: 'debug', NEW_ONE: 'x' },
      codeSha256: code.sha
    });
    expect(log.groups).toEqual([
      'Preflight (read-only checks)',
      'Update the code and configuration ($LATEST)',
      'Publish a new version',
      'Promote: all traffic to the new version'
    ]);
    const publish = emu.calls().find((call) => call.operation === 'PublishVersion')!;
    expect(publish.params).toMatchObject({ CodeSha256: code.sha, RevisionId: orders().latest.revisionId });
  });

  test('code $LATEST already holds is not uploaded again; a value it already has is not sent', async () => {
    const code = zip('v2');
    emu.updateCode('orders', code.sha);
    const { result, only } = await run({ 'zip-file': code.path, 'env-vars': 'LOG_LEVEL=info' });
    expect(result.status).toBe('succeeded');
    expect(writes()).toEqual(['PublishVersion', 'UpdateAlias']);
    expect(only.code?.upload).toBe('in-latest');
    expect(only.changes).toEqual(['code']);
    expect(only.latestChanged).toBeUndefined();
  });

  test('the live version already has it all: skipped, with nothing written and no version published', async () => {
    const code = zip('v2');
    expect((await run({ 'zip-file': code.path, 'memory-size': '256' })).result.status).toBe('succeeded');
    const before = writes().length;
    const { result, only, plan } = await run({ 'zip-file': code.path, 'memory-size': '256' });
    expect(result.status).toBe('skipped');
    expect(writes().slice(before)).toEqual([]);
    expect(only).toMatchObject({ version: '2', previousVersion: '2', published: false, codeSha256: code.sha, changes: [] });
    expect(plan).toEqual(['1. Nothing else: orders:live (version 2) already has this code and configuration']);
  });

  test('a first deployment: the code is uploaded and published, and the alias created on it', async () => {
    emu.reset();
    emu.createFunction({ name: 'orders' });
    const code = zip('first');
    const { result, only } = await run({ 'zip-file': code.path });
    expect(result.status).toBe('succeeded');
    expect(writes()).toEqual(['UpdateFunctionCode', 'PublishVersion', 'CreateAlias']);
    expect(only).toMatchObject({ version: '1', codeSha256: code.sha });
    expect(only.changes).toBeUndefined();
  });

  test('a $LATEST whose last update failed is written again, even when it holds the same values', async () => {
    const code = zip('v2');
    emu.updateCode('orders', code.sha, { fail: { reason: 'Source image is not valid.', reasonCode: 'InvalidImage' } });
    const { result } = await run({ 'zip-file': code.path });
    expect(result.status).toBe('succeeded');
    expect(writes()).toEqual(['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias']);
  });

  test('another writer right before the upload: the RevisionId guard refuses the upload', async () => {
    const code = zip('v2');
    emu.concurrentUpdateBefore('UpdateFunctionCode', 'orders');
    const { result, only } = await run({ 'zip-file': code.path });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /^\$LATEST of orders had changed when this run sent its code \(PreconditionFailedException: /
    );
    // Lambda refused the upload: $LATEST holds the other writer's code, not this run's.
    expect(only.latestChanged).toBeUndefined();
    expect(only.code?.upload).toBe('not-uploaded');
    expect(orders().versions).toHaveLength(1);
  });

  test('another writer between the last update and the reading before PublishVersion: stopped, nothing published', async () => {
    const code = zip('v2');
    // Readings of $LATEST: the preflight's, then the one after the upload, before PublishVersion.
    const { result } = await run({ 'zip-file': code.path }, (reading) => {
      if (reading === 2) emu.updateCode('orders', 'c29tZW9uZSBlbHNlJ3MgY29kZQ==');
    });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toBe(
      `$LATEST of orders changed under this deployment: its code is c29tZW9uZSBlbHNlJ3MgY29kZQ==, not ${code.sha}. Another ` +
        'writer (a deployment, a person, a pipeline) updated the function meanwhile: nothing was published, and alias live still serves version 1'
    );
    expect(writes()).toEqual(['UpdateFunctionCode']);
  });

  test('another writer right before PublishVersion: its RevisionId guard refuses it, nothing published', async () => {
    const code = zip('v2');
    emu.concurrentUpdateBefore('PublishVersion', 'orders');
    const { result } = await run({ 'zip-file': code.path });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toMatch(
      /^\$LATEST of orders had changed when this run sent PublishVersion \(PreconditionFailedException: /
    );
    expect(result.failureReason).toContain('Nothing was published, and alias live still serves version 1');
    expect(orders().versions).toHaveLength(1);
  });
});

describe('an upload cut short (its answer never came): $LATEST is read back for the report', () => {
  /** Cancels the run as soon as the upload reaches Lambda (whatever Lambda then does with it). */
  function cancelAtUpload(): AbortSignal {
    const controller = new AbortController();
    const stop = emu.onCall((call) => {
      if (call.operation !== 'UpdateFunctionCode') return;
      stop();
      queueMicrotask(() => controller.abort('SIGINT'));
    });
    return controller.signal;
  }

  test('Lambda applied it: the code counts as uploaded, and $LATEST keeps it', async () => {
    const code = zip('v2');
    emu.failNext('UpdateFunctionCode', 1, 'hang-after-run');
    const { result, only, log } = await run({ 'zip-file': code.path }, undefined, cancelAtUpload());
    expect(result).toMatchObject({ status: 'failed', cancelled: true });
    expect(orders().latest.codeSha256).toBe(code.sha);
    expect(only.code).toMatchObject({ upload: 'uploaded', codeSha256: code.sha });
    expect(only.latestChanged).toBe('new code');
    expect([...log.lines, ...log.warnings].join('\n')).toContain(
      `The upload to orders got no answer, but $LATEST holds its code (CodeSha256 ${code.sha}, read back)`
    );
  });

  test('Lambda never got it: not uploaded, and $LATEST keeps nothing of this run', async () => {
    const code = zip('v2');
    emu.failNext('UpdateFunctionCode', 1, 'hang');
    const { only, log } = await run({ 'zip-file': code.path }, undefined, cancelAtUpload());
    expect(only.code?.upload).toBe('not-uploaded');
    expect(only.latestChanged).toBeUndefined();
    expect([...log.lines, ...log.warnings].join('\n')).toContain(
      'The upload to orders got no answer and was not applied: $LATEST holds the code it had (read back)'
    );
    expect([...log.lines, ...log.warnings].join('\n')).not.toContain("$LATEST of orders keeps this run's");
  });

  test('$LATEST cannot be read back either: the report says the upload is unknown, and warns that $LATEST may hold it', async () => {
    const code = zip('v2');
    emu.failNext('UpdateFunctionCode', 1, 'hang-after-run');
    const signal = cancelAtUpload();
    const stop = emu.onCall((call) => {
      if (call.operation !== 'UpdateFunctionCode') return;
      stop();
      emu.failNext('GetFunction', 5, 'hang');
    });
    const { only, log } = await run({ 'zip-file': code.path }, undefined, signal);
    expect(only.code?.upload).toBe('unknown');
    expect(only.latestChanged).toBe('new code');
    expect([...log.lines, ...log.warnings].join('\n')).toMatch(
      /The upload to orders got no answer, and \$LATEST could not be read back \(.*\): it may hold this run's new code/
    );
  });
});

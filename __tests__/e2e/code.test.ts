import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../emulator/index.js';
import type { ActionResult } from '../../emulator/runner/action-runner.js';
import { aliasUpdates, changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// The action as one step from build output to traffic: it uploads the code and configuration,
// publishes and shifts; or, when the live version already has them, writes nothing at all.
jest.setTimeout(60_000);

const world = emulatorPerTest();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-code-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'sk-live-6f1e9a0b-never-print-me';
const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders';
const base64Sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');

/** A function's files in a fresh directory under the test's temp dir. */
function codeDir(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A zip built now, as a build step would (no binary fixture in the repository). */
function zipFile(name: string, files: Record<string, string>): { path: string; bytes: Uint8Array } {
  const bytes = zipSync(
    Object.fromEntries(Object.entries(files).map(([path, content]) => [path, new TextEncoder().encode(content)]))
  );
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { path, bytes };
}

const orders = (emu: RunningEmulator) => emu.state().functions.find((fn) => fn.name === 'orders')!;
/** The writes this run made to the function, in order. */
const writes = (emu: RunningEmulator, from = 0) =>
  emu
    .calls()
    .slice(from)
    .filter((call) => call.mutating && call.status >= 200 && call.status < 300)
    .map((call) => call.operation);

function expectNoSecret(run: ActionResult): void {
  // The value reaches the log only in the runner's own ::add-mask:: command, which hides it everywhere.
  const shown = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  for (const text of [shown.join('\n'), run.stderr, run.summary, JSON.stringify(run.outputs), JSON.stringify(run.state)]) {
    expect(text).not.toContain(SECRET);
  }
}

test('a zip built earlier in the job is uploaded, published and shifted; the outputs give its CodeSha256', async () => {
  const emu = await world.start({ latestIsLive: true });
  const zip = zipFile('orders.zip', { 'index.mjs': 'export const handler = async () => ({ statusCode: 200 });' });
  const run = await deploy(emu, { 'zip-file': zip.path, strategy: 'Canary20Percent1Second', alarms: 'orders-errors' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({
    status: 'succeeded',
    version: '2',
    'previous-version': '1',
    'code-sha256': base64Sha(zip.bytes)
  });
  expect(changes(emu)).toEqual(['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias', 'UpdateAlias']);
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}]
  ]);
  expect(orders(emu).versions[1]).toMatchObject({ version: '2', codeSha256: base64Sha(zip.bytes) });
  // Nothing published from a stale view: PublishVersion carried the uploaded code's hash and a fresh RevisionId.
  const publish = emu.calls().find((call) => call.operation === 'PublishVersion')!;
  expect(publish.params).toMatchObject({ CodeSha256: base64Sha(zip.bytes), RevisionId: expect.any(String) });
  expect(run.summary).toContain(`| Code | zip file ${zip.path.replace(/_/g, '&#95;')} (1 file, `);
  expect(run.summary).toContain('| Changes from the live version | code |');
});

test('a directory is zipped and deployed; the same directory again is skipped: no write, no new version', async () => {
  const emu = await world.start({ latestIsLive: true });
  const build = codeDir('build', {
    'index.mjs': 'export const handler = async () => 1;',
    'lib/util.mjs': 'export const one = 1;'
  });
  const first = await deploy(emu, { 'code-dir': build, strategy: 'AllAtOnce' });
  expect(first.outputs).toMatchObject({ status: 'succeeded', version: '2' });
  expect(first.stdout).toMatch(/Code: directory .*build, zipped on the runner: 2 files, [\d.]+ (B|KB), CodeSha256 /);
  const before = emu.calls().length;

  const again = await deploy(emu, { 'code-dir': build, strategy: 'Canary20Percent1Second' });
  expect(again.exitCode).toBe(0);
  expect(again.outputs).toMatchObject({
    status: 'skipped',
    version: '2',
    'previous-version': '2',
    'code-sha256': first.outputs['code-sha256']
  });
  expect(writes(emu, before)).toEqual([]);
  expect(orders(emu).versions).toHaveLength(2);
  expect(again.stdout).toContain('Version 2 of orders, the live one, already has this code and configuration: nothing to deploy');
  expect(again.summary).toContain('## ⏭️ Skipped: orders:live');
  expect(again.summary).toContain('| Changes from the live version | nothing (already live) |');
});

test('a configuration-only change is deployed; variables are masked, and named but never shown', async () => {
  const emu = await world.start({ latestIsLive: true, environment: { LOG_LEVEL: 'info' } });
  const run = await deploy(emu, {
    'memory-size': '512',
    timeout: '30s',
    'env-vars': `LOG_LEVEL=debug\nAPI_KEY=${SECRET}`,
    strategy: 'AllAtOnce'
  });
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2' });
  expect(changes(emu)).toEqual(['UpdateFunctionConfiguration', 'PublishVersion', 'UpdateAlias']);
  expect(orders(emu).versions[1]).toMatchObject({
    memorySize: 512,
    timeout: 30,
    environment: { LOG_LEVEL: 'debug', API_KEY: SECRET }
  });
  expect(orders(emu).versions[1]!.codeSha256).toBe(orders(emu).versions[0]!.codeSha256);
  expect(run.stdout).toContain(`::add-mask::${SECRET}`);
  expect(run.summary).toContain(
    '| Changes from the live version | memory-size, timeout, env-vars (API&#95;KEY, LOG&#95;LEVEL) |'
  );
  expectNoSecret(run);
});

test('a dry run says what would change and writes nothing', async () => {
  const emu = await world.start({ latestIsLive: true });
  const build = codeDir('build', { 'index.mjs': 'export const handler = async () => 2;' });
  const run = await deploy(emu, { 'code-dir': build, handler: 'index.main', 'dry-run': 'true' });
  expect(run.outputs.status).toBe('skipped');
  expect(writes(emu)).toEqual([]);
  expect(run.stdout).toContain('the new version changes: code, handler');
  expect(run.stdout).toMatch(/1\. Update the configuration of orders \(\$LATEST\): handler/);
  expect(run.stdout).toMatch(/2\. Upload the code of orders \(\$LATEST, not published yet\) from directory .*build \(1 file, /);
});

test('an update that fails fails the run with its reason and leaves the alias alone; $LATEST keeps it, and the summary says so', async () => {
  const emu = await world.start({ latestIsLive: true });
  emu.failNextUpdate(
    'orders',
    'Lambda was unable to decrypt the environment variables because the KMS key was not found.',
    'KMSKeyNotFound'
  );
  const build = codeDir('build', { 'index.mjs': 'export const handler = async () => 3;' });
  const run = await deploy(emu, { 'code-dir': build, strategy: 'Canary20Percent1Second' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    'the code update of orders failed: arn:aws:lambda:us-east-1:123456789012:function:orders has a last update that failed: ' +
      'KMSKeyNotFound: Lambda was unable to decrypt the environment variables because the KMS key was not found.'
  );
  expect(run.outputs['failure-reason']).toContain('Nothing was published, and alias live still serves version 1');
  expect(changes(emu)).toEqual(['UpdateFunctionCode']);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(run.summary).toContain('| <code>$LATEST</code> | keeps the new code: the alias does not serve it');
  expect(run.stdout).toContain(
    "$LATEST of orders keeps this run's new code: alias live serves version 1, but callers that invoke the unqualified function"
  );
});

test('a split alias refuses the run before $LATEST is touched', async () => {
  const emu = await world.start();
  await emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
  const alias = liveAlias(emu)!;
  await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders',
    Name: 'live',
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } },
    RevisionId: alias.revisionId
  });
  const latest = orders(emu).latest;
  const before = emu.calls().length;
  const run = await deploy(emu, { 'code-dir': codeDir('build', { 'index.mjs': 'x' }), 'memory-size': '256' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    'preflight refused the deployment, nothing was changed: alias live is already split (70% to version 1 and 30% to version 2)'
  );
  expect(writes(emu, before)).toEqual([]);
  expect(orders(emu).latest).toMatchObject({ codeSha256: latest.codeSha256, revisionId: latest.revisionId, memorySize: 128 });
});

test('a concurrent UpdateFunctionCode between the upload and the publish fails the run without publishing', async () => {
  const emu = await world.start({ latestIsLive: true });
  emu.concurrentUpdateBefore('PublishVersion', 'orders');
  const zip = zipFile('orders.zip', { 'index.mjs': 'export const handler = async () => 4;' });
  const run = await deploy(emu, { 'zip-file': zip.path, strategy: 'Canary20Percent1Second' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^\$LATEST of orders had changed when this run sent PublishVersion \(PreconditionFailedException: .*\): another writer is at work on the function\. Nothing was published, and alias live still serves version 1$/
  );
  expect(orders(emu).versions).toHaveLength(1);
  expect(
    emu
      .calls()
      .filter((call) => call.operation === 'PublishVersion')
      .map((call) => call.status)
  ).toEqual([412]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a function busy with an earlier update is waited for before the first write', async () => {
  const emu = await world.start({ latestIsLive: true });
  // The earlier update lasts until the action has said it waits for it (however slowly the machine
  // started the action): then the emulator's clock moves past its end.
  const updateMs = 10 * 60_000;
  emu.updateCode('orders', undefined, { durationMs: updateMs });
  let waited = false;
  const run = await deploy(
    emu,
    { 'code-dir': codeDir('build', { 'index.mjs': 'export const handler = async () => 6;' }) },
    {
      onLine: (line) => {
        if (waited || !line.includes('Waiting until orders is Active and no update is in progress')) return;
        waited = true;
        emu.advanceTime(updateMs);
      }
    }
  );
  expect(waited).toBe(true);
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2' });
  expect(run.stdout).toContain('Waiting until orders is Active and no update is in progress');
  expect(
    emu
      .calls()
      .filter((call) => call.operation === 'UpdateFunctionCode')
      .map((call) => call.status)
  ).toEqual([200]);
});

test('a missing zip file is an input error, found before anything in AWS is read', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { 'zip-file': join(dir, 'missing.zip') });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toBe(
    `Input 'zip-file' has an invalid value "${join(dir, 'missing.zip')}": there is no such file. ` +
      'Expected a .zip file built earlier in the job, such as build/orders.zip (a relative path starts in the workspace).'
  );
  expect(emu.calls()).toEqual([]);
});

test('an S3 object is read and hashed first: deployed once, then skipped', async () => {
  const emu = await world.start({ latestIsLive: true });
  const zip = zipSync({ 'index.mjs': new TextEncoder().encode('export const handler = async () => 5;') });
  emu.putS3Object('artifacts-bucket', 'orders/build-42.zip', Buffer.from(zip).toString('base64'));
  const inputs = { 's3-bucket': 'artifacts-bucket', 's3-key': 'orders/build-42.zip', strategy: 'AllAtOnce' };
  const first = await deploy(emu, inputs);
  expect(first.outputs).toMatchObject({ status: 'succeeded', version: '2', 'code-sha256': base64Sha(zip) });
  expect(changes(emu)).toEqual(['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias']);
  const before = emu.calls().length;
  const again = await deploy(emu, inputs);
  expect(again.outputs).toMatchObject({ status: 'skipped', version: '2' });
  expect(writes(emu, before)).toEqual([]);
  expect(emu.calls().filter((call) => call.operation === 'GetObject')).toHaveLength(2);
});

test('a container image pinned by digest is deployed, then skipped: the digest is compared with the live image', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'images', imageUri: `${REPO}:v1`, versions: 1, alias: { name: 'live', version: '1' } });
  const image = `${REPO}@sha256:${'c'.repeat(64)}`;
  const first = await deploy(emu, { 'function-name': 'images', 'image-uri': image, 'memory-size': '1024' });
  expect(first.outputs).toMatchObject({ status: 'succeeded', version: '2', 'code-sha256': 'c'.repeat(64) });
  const before = emu.calls().length;
  const again = await deploy(emu, { 'function-name': 'images', 'image-uri': image, 'memory-size': '1024' });
  expect(again.outputs).toMatchObject({ status: 'skipped', version: '2' });
  expect(writes(emu, before)).toEqual([]);
  const refused = await deploy(emu, { 'function-name': 'images', 'zip-file': zipFile('z.zip', { a: 'b' }).path });
  expect(refused.outputs['failure-reason']).toContain('images is a container-image function: give its new code as image-uri');
});

testIamPolicyCoversCalls();

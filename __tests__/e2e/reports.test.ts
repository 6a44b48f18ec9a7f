import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../emulator/index.js';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import { FAST, deploy, emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

// Messages that say what happened: a failure with several functions names the function; after a
// cancellation or a kill during the upload, the summary and the post step say what $LATEST holds;
// with engine codedeploy the summary's deployment id is CodeDeploy's.
jest.setTimeout(60_000);

const world = emulatorPerTest();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-reports-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NAMES = ['orders-api', 'orders-worker', 'orders-cron'] as const;

/** A code directory for `name`; its zip's CodeSha256 is only known once zipped (the log says it). */
function codeDir(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  writeFileSync(join(path, 'index.mjs'), `export const handler = async () => '${name} v2';`);
  return path;
}

async function threeFunctions(): Promise<RunningEmulator> {
  const emu = await world.start();
  for (const name of NAMES) {
    emu.createFunction({ name, versions: 1, alias: { name: 'live', version: '1' } });
    emu.updateCode(name);
  }
  return emu;
}

const functionsWithCode = () => NAMES.map((name) => `- name: ${name}\n  code-dir: ${codeDir(name)}`).join('\n');

test('with several functions, a publish that fails names the function', async () => {
  const emu = await threeFunctions();
  emu.failNext('PublishVersion', 10, 'ServiceException', 'orders-worker');
  const run = await runAction({
    endpoint: emu.url,
    inputs: { functions: NAMES.map((name) => `- ${name}`).join('\n'), ...FAST, 'max-retries': '1', alarms: 'orders-errors' },
    timeoutMs: 60_000
  });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^publish stopped on orders-worker: PublishVersion failed on AWS's side \(HTTP 500/
  );
});

test('with several functions, an upload that fails names the function', async () => {
  const emu = await threeFunctions();
  emu.failNext(
    'UpdateFunctionCode',
    10,
    'InvalidParameterValueException',
    'orders-cron',
    'Unzipped size must be smaller than 262144000 bytes'
  );
  const run = await runAction({ endpoint: emu.url, inputs: { functions: functionsWithCode(), ...FAST }, timeoutMs: 60_000 });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toBe(
    'update stopped on orders-cron: InvalidParameterValueException: Unzipped size must be smaller than 262144000 bytes'
  );
  // Refused: $LATEST of orders-cron does not keep it, and the summary does not say it does.
  expect(run.stdout).not.toContain("$LATEST of orders-cron keeps this run's new code");
});

/** The `orders` world with its live code in $LATEST, and a code directory to deploy; with its CodeSha256 from the log. */
async function ordersWithNewCode(): Promise<{ emu: RunningEmulator; build: string }> {
  const emu = await world.start({ latestIsLive: true });
  return { emu, build: codeDir('orders') };
}

const codeShaIn = (stdout: string): string => /zipped on the runner: 1 file, [^,]+, CodeSha256 (\S+)/.exec(stdout)![1]!;
const latestSha = (emu: RunningEmulator) => emu.state().functions.find((fn) => fn.name === 'orders')!.latest.codeSha256;

test.each(['SIGINT', 'SIGTERM'] as const)(
  '%s while the upload waits for its answer (Lambda applied it): the summary says $LATEST holds the new code',
  async (signal) => {
    const { emu, build } = await ordersWithNewCode();
    emu.failNext('UpdateFunctionCode', 1, 'hang-after-run');
    const run = await deploy(
      emu,
      { 'code-dir': build, strategy: 'Canary20Percent30Seconds' },
      { signal: { name: signal, afterMs: 500, afterLine: 'Uploading the code of orders' } }
    );
    const sha = codeShaIn(run.stdout);
    expect(latestSha(emu)).toBe(sha);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs['failure-reason']).toBe(`the deployment was cancelled during update (${signal})`);
    expect(run.summary).toContain(`CodeSha256 <code>${sha}</code>: uploaded |`);
    expect(run.summary).not.toContain('not uploaded');
    expect(run.summary).toContain('| <code>$LATEST</code> | keeps the new code: the alias does not serve it');
    expect(run.stdout).toContain(`The upload to orders got no answer, but $LATEST holds its code (CodeSha256 ${sha}, read back)`);
  }
);

test('SIGINT while an upload that never reached Lambda waits: the summary says it was not uploaded, and $LATEST is as it was', async () => {
  const { emu, build } = await ordersWithNewCode();
  const before = latestSha(emu);
  emu.failNext('UpdateFunctionCode', 1, 'hang');
  const run = await deploy(
    emu,
    { 'code-dir': build },
    { signal: { name: 'SIGINT', afterMs: 500, afterLine: 'Uploading the code of orders' } }
  );
  expect(latestSha(emu)).toBe(before);
  expect(run.outputs['failure-reason']).toBe('the deployment was cancelled during update (SIGINT)');
  expect(run.summary).toMatch(/CodeSha256 <code>\S+<\/code>: not uploaded \|/);
  expect(run.summary).not.toContain('<code>$LATEST</code> | keeps');
  expect(run.stdout).toContain(
    'The upload to orders got no answer and was not applied: $LATEST holds the code it had (read back)'
  );
});

test('a main step killed during the upload: the post step says $LATEST holds the new code, unlike the live version', async () => {
  const { emu, build } = await ordersWithNewCode();
  emu.failNext('UpdateFunctionCode', 1, 'hang-after-run');
  const run = await deploy(
    emu,
    { 'code-dir': build },
    { signal: { name: 'SIGKILL', afterMs: 500, afterLine: 'Uploading the code of orders' } }
  );
  expect(run.exitCode).toBeNull();
  const sha = codeShaIn(run.stdout);
  // The saved state says the alias was never written, and that $LATEST gets this run's code.
  expect(JSON.parse(run.state.deployment!)).toMatchObject({
    phase: 'update',
    targets: [{ aliasTouched: false }],
    latest: [{ functionName: 'orders', alias: 'live', codeSha256: sha }]
  });
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders', 'code-dir': build },
    env: postStepEnv(run.state),
    timeoutMs: 60_000
  });
  expect(post.exitCode).toBe(0);
  expect(post.summary).toContain('was interrupted during update, before the alias was changed: nothing to undo.');
  expect(post.summary).toContain(
    `$LATEST of orders differs from version 1, which the alias live serves: this run&#39;s new code (CodeSha256 ${sha}); ` +
      'callers of the unqualified function or of $LATEST run it until a deployment replaces it.'
  );
  expect(post.stdout).toContain(
    `::warning::$LATEST of orders differs from version 1, which the alias live serves: this run's new code`
  );
});

test("engine codedeploy: the summary's deployment id is CodeDeploy's, as the deployment-id output", async () => {
  const emu = await world.start();
  emu.setCodeDeployTiming({ minuteMs: 100, hookTimeoutMs: 60_000 });
  const run = await deploy(emu, {
    engine: 'codedeploy',
    'codedeploy-service-role': 'arn:aws:iam::123456789012:role/codedeploy-lambda',
    strategy: 'Canary10Percent1Minute'
  });
  expect(run.outputs.status).toBe('succeeded');
  const id = run.outputs['deployment-id']!;
  expect(id).toMatch(/^d-[A-Z0-9]{9}$/);
  expect(run.summary).toContain(`| Deployment id | <code>${id}</code> |`);
});

testIamPolicyCoversCalls();

import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { zipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallLogEntry, RunningEmulator } from '../../emulator/index.js';
import { postStepEnv, runAction, type ActionResult, type ActionRun } from '../../emulator/runner/action-runner.js';
import { FAST, emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

// Several functions in one rollout (the `functions` input), run as the bundled action against the
// emulator: the weights move in lockstep, and every way a rollout ends puts back every alias.
jest.setTimeout(30_000);

const world = emulatorPerTest();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-functions-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NAMES = ['orders-api', 'orders-worker', 'orders-cron'] as const;
type Name = (typeof NAMES)[number];
/** `functions` naming the three, each on the default alias `live`. */
const ALL_THREE = NAMES.map((name) => `- ${name}`).join('\n');

/** The `orders` world plus three functions, each with version 1 live on `live` and a code change waiting in $LATEST. */
async function threeFunctions(options: { codeWaiting?: boolean } = {}): Promise<RunningEmulator> {
  const emu = await world.start();
  for (const name of NAMES) {
    emu.createFunction({ name, versions: 1, alias: { name: 'live', version: '1' } });
    if (options.codeWaiting ?? true) emu.updateCode(name);
  }
  return emu;
}

/** Runs the bundled action (main step) with `functions` and fast polling. */
function deployAll(
  emu: RunningEmulator,
  inputs: Record<string, string>,
  extra: Pick<ActionRun, 'signal' | 'onLine'> = {}
): Promise<ActionResult> {
  return runAction({ endpoint: emu.url, inputs: { functions: ALL_THREE, ...FAST, ...inputs }, ...extra, timeoutMs: 60_000 });
}

/** A function's plain name from the FunctionName a call sent (a name or an ARN, maybe qualified). */
function plainName(call: CallLogEntry): string {
  const sent = call.functionName ?? '';
  return (sent.includes(':function:') ? sent.split(':function:')[1]! : sent).split(':')[0]!;
}

/** An UpdateAlias call's routing, as `1` or `1 + 2@0.4`. */
function routingOf(call: CallLogEntry): string {
  const params = call.params as {
    FunctionVersion: string;
    RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
  };
  const weights = Object.entries(params.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([v, w]) => ` + ${v}@${w}`);
  return `${params.FunctionVersion}${weights.join('')}`;
}

/** The routings one function's alias was given by successful UpdateAlias calls, in order. */
function routingsOf(emu: RunningEmulator, name: Name, from = 0): string[] {
  return emu
    .calls()
    .slice(from)
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200 && plainName(call) === name)
    .map(routingOf);
}

/**
 * The call log as the rollout's moves: the successful UpdateAlias calls (`function: routing`, sorted
 * within a group, since a step's writes go out together), grouped between alarm reads. Each group is
 * what was written between one bake's reads and the next's.
 */
function writesBetweenReads(emu: RunningEmulator): string[][] {
  const groups: string[][] = [[]];
  for (const call of emu.calls()) {
    // Reads in a row end the group before them (the first ones too, so that a leading [] says reads came first).
    if (call.operation === 'DescribeAlarms' && (groups.length === 1 || groups.at(-1)!.length > 0)) groups.push([]);
    if (call.operation === 'UpdateAlias' && call.status === 200) groups.at(-1)!.push(`${plainName(call)}: ${routingOf(call)}`);
  }
  return groups.map((group) => group.sort());
}

/** Every function given the same routing, in the sorted order writesBetweenReads uses. */
const eachGiven = (routing: string): string[] => NAMES.map((name) => `${name}: ${routing}`).sort();

const aliasOf = (emu: RunningEmulator, name: Name) =>
  emu
    .state()
    .functions.find((fn) => fn.name === name)
    ?.aliases.find((alias) => alias.name === 'live');

function expectAllOn(emu: RunningEmulator, version: string): void {
  for (const name of NAMES)
    expect({ name, alias: aliasOf(emu, name) }).toEqual({
      name,
      alias: expect.objectContaining({ functionVersion: version, weights: {} })
    });
}

const byName = (value: string): Record<Name, string> =>
  Object.fromEntries(NAMES.map((name) => [name, value])) as Record<Name, string>;

test('three functions move in lockstep: each step writes every alias with the same weight before the bake reads the alarms', async () => {
  const emu = await threeFunctions();
  const run = await deployAll(emu, { strategy: 'Linear40PercentEvery1Second', alarms: 'orders-errors' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'succeeded', 'failure-reason': '', version: '', 'previous-version': '' });
  expect(JSON.parse(run.outputs.versions!)).toEqual(byName('2'));
  expect(JSON.parse(run.outputs['previous-versions']!)).toEqual(byName('1'));
  // Preflight and the look before the first shift read the alarms; then each step's three writes, then its
  // bake's reads; the promotion last (no read after it: the one right before it is not half a poll old).
  expect(writesBetweenReads(emu)).toEqual([[], eachGiven('1 + 2@0.4'), eachGiven('1 + 2@0.8'), eachGiven('2')]);
  expectAllOn(emu, '2');
  expect(run.stdout).toContain('Step 1/2: 40% of traffic on orders-api:2, orders-worker:2, orders-cron:2');
  expect(run.stdout).toContain(
    'succeeded: version 2 is live on orders-api:live; version 2 is live on orders-worker:live; version 2 is live on orders-cron:live'
  );
  expect(run.summary).toContain('## ✅ Deployed: orders-api:live, orders-worker:live, orders-cron:live');
});

test('an alarm in ALARM mid-bake puts all three aliases back on their previous versions', async () => {
  const emu = await threeFunctions();
  const run = await deployAll(
    emu,
    { strategy: 'Canary20Percent30Seconds', alarms: 'orders-errors' },
    {
      onLine: (line) =>
        line.includes('Step 1/1') && emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed: 5 errors' })
    }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toBe('alarm orders-errors is in ALARM (Threshold Crossed: 5 errors)');
  expect(JSON.parse(run.outputs.versions!)).toEqual(byName('2'));
  expect(JSON.parse(run.outputs['previous-versions']!)).toEqual(byName('1'));
  for (const name of NAMES) expect({ name, routings: routingsOf(emu, name) }).toEqual({ name, routings: ['1 + 2@0.2', '1'] });
  expectAllOn(emu, '1');
  expect(run.summary).toContain('## ↩️ Rolled back: orders-api:live, orders-worker:live, orders-cron:live');
  for (const name of NAMES)
    expect(run.stdout).toContain(`Alias ${name}:live is back: Lambda reports it routes 100% to version 1`);
});

test('UpdateAlias failing on the second function at step 2 restores all three, those written in that step too', async () => {
  const emu = await threeFunctions();
  const run = await deployAll(
    emu,
    // Two retries: the third 500 in a row is the SDK's last answer.
    { strategy: 'Linear40PercentEvery2Seconds', 'max-retries': '2' },
    // Once, on the step's own line (its progress lines, `Step 1/2 at 40%: …`, must not queue more failures).
    { onLine: (line) => line.startsWith('Step 1/2:') && emu.failNext('UpdateAlias', 3, 'ServiceException', 'orders-worker') }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toContain('ServiceException');
  // Every attempt of the worker's step-2 write failed; step 1 had gone through for all three.
  const failed = emu.calls().filter((call) => call.operation === 'UpdateAlias' && call.status !== 200);
  expect(failed.map((call) => [plainName(call), routingOf(call), call.status])).toEqual([
    ['orders-worker', '1 + 2@0.8', 500],
    ['orders-worker', '1 + 2@0.8', 500],
    ['orders-worker', '1 + 2@0.8', 500]
  ]);
  expect(routingsOf(emu, 'orders-api')).toEqual(['1 + 2@0.4', '1 + 2@0.8', '1']);
  expect(routingsOf(emu, 'orders-cron')).toEqual(['1 + 2@0.4', '1 + 2@0.8', '1']);
  expect(routingsOf(emu, 'orders-worker')).toEqual(['1 + 2@0.4', '1']);
  // The rollback came after the last failed attempt, not alongside the step's writes.
  const restores = emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200 && routingOf(call) === '1');
  expect(restores).toHaveLength(3);
  for (const restore of restores) expect(restore.seq).toBeGreaterThan(failed.at(-1)!.seq);
  expectAllOn(emu, '1');
});

test('a function whose code is already live is skipped: its alias is never written while the other two shift', async () => {
  const emu = await threeFunctions({ codeWaiting: false });
  const zip = (name: string, body: string): { path: string; sha: string } => {
    const bytes = zipSync({
      'index.mjs': new TextEncoder().encode(`export const handler = async () => ${JSON.stringify(body)};`)
    });
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return { path, sha: createHash('sha256').update(bytes).digest('base64') };
  };
  const cron = zip('cron.zip', 'cron v2');
  // An earlier run deployed this cron code: version 2 serves it.
  const earlier = await runAction({
    endpoint: emu.url,
    inputs: { 'function-name': 'orders-cron', 'zip-file': cron.path, strategy: 'AllAtOnce', ...FAST },
    timeoutMs: 60_000
  });
  expect(earlier.outputs).toMatchObject({ status: 'succeeded', version: '2', 'code-sha256': cron.sha });
  const before = emu.calls().length;

  const api = zip('api.zip', 'api v2');
  const worker = zip('worker.zip', 'worker v2');
  const functions = [
    `- name: orders-api\n  zip-file: ${api.path}`,
    `- name: orders-worker\n  zip-file: ${worker.path}`,
    `- name: orders-cron\n  zip-file: ${cron.path}`
  ].join('\n');
  const run = await deployAll(emu, { functions, strategy: 'Canary20Percent1Second', alarms: 'orders-errors' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('succeeded');
  expect(JSON.parse(run.outputs.versions!)).toEqual({ 'orders-api': '2', 'orders-worker': '2', 'orders-cron': '2' });
  expect(JSON.parse(run.outputs['previous-versions']!)).toEqual({ 'orders-api': '1', 'orders-worker': '1', 'orders-cron': '2' });

  const writesTo = (name: Name) =>
    emu
      .calls()
      .slice(before)
      .filter((call) => call.mutating && call.status >= 200 && call.status < 300 && plainName(call) === name)
      .map((call) => call.operation);
  expect(writesTo('orders-cron')).toEqual([]);
  expect(
    emu
      .calls()
      .slice(before)
      .filter((call) => plainName(call) === 'orders-cron' && call.operation === 'UpdateAlias')
  ).toEqual([]);
  for (const name of ['orders-api', 'orders-worker'] as const) {
    expect({ name, writes: writesTo(name) }).toEqual({
      name,
      writes: ['UpdateFunctionCode', 'PublishVersion', 'UpdateAlias', 'UpdateAlias']
    });
    expect({ name, routings: routingsOf(emu, name, before) }).toEqual({ name, routings: ['1 + 2@0.2', '2'] });
  }
  const fn = (name: Name) => emu.state().functions.find((f) => f.name === name)!;
  expect(fn('orders-api').versions[1]).toMatchObject({ version: '2', codeSha256: api.sha });
  expect(fn('orders-worker').versions[1]).toMatchObject({ version: '2', codeSha256: worker.sha });
  expect(fn('orders-cron').versions).toHaveLength(2);
  expectAllOn(emu, '2');

  expect(run.stdout).toContain('Step 1/1: 20% of traffic on orders-api:2, orders-worker:2, baking');
  expect(run.stdout).toContain(
    'Version 2 of orders-cron, the live one, already has this code and configuration: nothing to deploy'
  );
  expect(run.stdout).toContain('version 2 was already live on orders-cron:live; nothing was published or changed');
  expect(run.summary).toMatch(
    /\| arn:aws:lambda:[^|]*:function:orders-cron \| live \| 2 \(already live: nothing new was published\) \| 2 \|/
  );
  expect(run.summary).toMatch(/\| arn:aws:lambda:[^|]*:function:orders-api \| live \| 2 \| 1 \|/);
});

test('a main step killed mid-bake leaves three aliases split; the post step puts all three back', async () => {
  const emu = await threeFunctions();
  const run = await deployAll(
    emu,
    { strategy: 'Canary20Percent30Seconds' },
    { signal: { name: 'SIGKILL', afterMs: 300, afterLine: 'Step 1/1' } }
  );
  expect(run.exitCode).toBeNull();
  for (const name of NAMES)
    expect({ name, alias: aliasOf(emu, name) }).toEqual({
      name,
      alias: expect.objectContaining({ functionVersion: '1', weights: { '2': 0.2 } })
    });
  const saved = JSON.parse(run.state.deployment!) as { phase: string; targets: Array<Record<string, unknown>> };
  expect(saved.phase).toBe('shift');
  expect(saved.targets).toEqual(
    NAMES.map((functionName) =>
      expect.objectContaining({ functionName, alias: 'live', previousVersion: '1', targetVersion: '2', aliasTouched: true })
    )
  );

  // The runner gives the post step the same inputs and the main step's saved state.
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { functions: ALL_THREE, ...FAST },
    env: postStepEnv(run.state),
    timeoutMs: 60_000
  });
  expect(post.exitCode).toBe(0);
  for (const name of NAMES) expect({ name, routings: routingsOf(emu, name) }).toEqual({ name, routings: ['1 + 2@0.2', '1'] });
  expectAllOn(emu, '1');
  expect(post.summary).toContain('was interrupted during shift. The post step rolled it back:');
  for (const name of NAMES)
    expect(post.summary).toContain(`the alias ${name}:live routes 100% to version 1 (read back from Lambda).`);
  expect(post.stdout).toContain('::warning::');
});

testIamPolicyCoversCalls();

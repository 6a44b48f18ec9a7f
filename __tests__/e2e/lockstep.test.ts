import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallLogEntry, RunningEmulator } from '../../emulator/index.js';
import { postStepEnv, runAction, type ActionResult, type ActionRun } from '../../emulator/runner/action-runner.js';
import { changes, FAST, emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

// Several functions, one fate, run as the bundled action against the emulator: another writer on
// one alias leaves no other alias split, even if the main step is killed meanwhile; one function
// named twice is refused; functions of one name in two regions both reach the outputs.
jest.setTimeout(60_000);

const world = emulatorPerTest();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lsd-lockstep-e2e-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const NAMES = ['orders-api', 'orders-worker', 'orders-cron'] as const;
type Name = (typeof NAMES)[number];
const ALL_THREE = NAMES.map((name) => `- ${name}`).join('\n');
const ACCOUNT = '123456789012';
const arnOf = (name: string, region = 'us-east-1') => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

async function threeFunctions(): Promise<RunningEmulator> {
  const emu = await world.start();
  for (const name of NAMES) {
    emu.createFunction({ name, versions: 1, alias: { name: 'live', version: '1' } });
    emu.updateCode(name);
  }
  return emu;
}

function deployAll(emu: RunningEmulator, inputs: Record<string, string>, extra: Pick<ActionRun, 'signal' | 'onLine'> = {}) {
  return runAction({ endpoint: emu.url, inputs: { functions: ALL_THREE, ...FAST, ...inputs }, ...extra, timeoutMs: 60_000 });
}

function postStep(emu: RunningEmulator, main: ActionResult): Promise<ActionResult> {
  return runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { functions: ALL_THREE, ...FAST },
    env: postStepEnv(main.state),
    timeoutMs: 60_000
  });
}

const plainName = (call: CallLogEntry): string => {
  const sent = call.functionName ?? '';
  return (sent.includes(':function:') ? sent.split(':function:')[1]! : sent).split(':')[0]!;
};
const aliasOf = (emu: RunningEmulator, name: Name) =>
  emu
    .state()
    .functions.find((fn) => fn.name === name)
    ?.aliases.find((alias) => alias.name === 'live');

/** Someone puts orders-worker back on version 1 by hand, mid-rollout (guarded by the alias's current RevisionId). */
async function workerRolledBackByHand(emu: RunningEmulator): Promise<number> {
  await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders-worker',
    Name: 'live',
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: {} },
    RevisionId: aliasOf(emu, 'orders-worker')!.revisionId
  });
  return emu.calls().at(-1)!.seq;
}

/** The action's UpdateAlias calls to one function after `seq`: `[status, FunctionVersion, weights]`. */
function aliasWritesAfter(emu: RunningEmulator, seq: number, name: Name) {
  return emu
    .calls()
    .filter((call) => call.seq > seq && call.operation === 'UpdateAlias' && plainName(call) === name)
    .map((call) => {
      const params = call.params as { FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights?: object } };
      return [call.status, params.FunctionVersion, params.RoutingConfig?.AdditionalVersionWeights ?? {}];
    });
}

test('another writer changes one alias mid-rollout: every other alias goes back, that one is left to them, the reason names it', async () => {
  const emu = await threeFunctions();
  let handChange: Promise<number> | undefined;
  const run = await deployAll(
    emu,
    { strategy: 'Linear25PercentEvery2Seconds', alarms: 'orders-errors' },
    {
      onLine: (line) => {
        if (line.includes('Step 1/3')) handChange ??= workerRolledBackByHand(emu);
      }
    }
  );
  const handSeq = await handChange!;
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^the alias orders-worker:live was changed by someone else during the deployment \(RevisionId \S+ is stale\); it now routes 100% to version 1\. It was left as it is; the other aliases \(orders-api:live, orders-cron:live\) were put back on their previous versions$/
  );
  // Step 2's writes: the worker's refused, the other two applied, then put back; the worker never written again.
  expect(aliasWritesAfter(emu, handSeq, 'orders-worker')).toEqual([[412, '1', { '2': 0.5 }]]);
  for (const name of ['orders-api', 'orders-cron'] as const) {
    expect({ name, writes: aliasWritesAfter(emu, handSeq, name) }).toEqual({
      name,
      writes: [
        [200, '1', { '2': 0.5 }],
        [200, '1', {}]
      ]
    });
  }
  for (const name of NAMES)
    expect({ name, alias: aliasOf(emu, name) }).toMatchObject({ name, alias: { functionVersion: '1', weights: {} } });
  expect(run.stdout).toContain('Alias orders-api:live is back: Lambda reports it routes 100% to version 1');
  expect(run.summary).toContain('the alias orders-worker:live was changed by someone else');
  // Nothing is owed: the post step has nothing to do.
  expect(JSON.parse(run.state.deployment!)).toMatchObject({ phase: 'failed', rollbackOwed: false });
});

test('killed while it puts the other aliases back: the post step finishes it and leaves the changed alias alone', async () => {
  const emu = await threeFunctions();
  let handChange: Promise<number> | undefined;
  const onLine = (line: string): void => {
    if (!line.includes('Step 1/3') || handChange) return;
    handChange = workerRolledBackByHand(emu).then((seq) => {
      // Once step 2's three writes are in, every write to orders-api and orders-cron hangs: the main step's
      // rollback never lands, and the job is killed while it waits.
      const stop = emu.onCall((call) => {
        const step2 = emu.calls().filter((each) => each.seq > seq && each.operation === 'UpdateAlias');
        if (call.operation !== 'UpdateAlias' || step2.length < 3) return;
        stop();
        for (const name of ['orders-api', 'orders-cron']) emu.failNext('UpdateAlias', 100, 'hang', name);
      });
      return seq;
    });
  };
  const run = await deployAll(
    emu,
    { strategy: 'Linear25PercentEvery2Seconds' },
    { onLine, signal: { name: 'SIGKILL', afterMs: 500, afterLine: 'Rolling back every other alias' } }
  );
  await handChange;
  expect(run.exitCode).toBeNull();
  expect(aliasOf(emu, 'orders-api')).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
  expect(aliasOf(emu, 'orders-cron')).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
  const saved = JSON.parse(run.state.deployment!) as { phase: string; targets: Array<Record<string, unknown>> };
  expect(saved.phase).toBe('rollback');
  expect(saved.targets).toEqual([
    expect.objectContaining({ functionName: 'orders-api', aliasTouched: true }),
    expect.objectContaining({ functionName: 'orders-worker', aliasTouched: false, leftToOtherWriter: true }),
    expect.objectContaining({ functionName: 'orders-cron', aliasTouched: true })
  ]);

  emu.clearFailNext();
  const before = emu.calls().at(-1)!.seq;
  const post = await postStep(emu, run);
  expect(post.exitCode).toBe(0);
  for (const name of NAMES)
    expect({ name, alias: aliasOf(emu, name) }).toMatchObject({ name, alias: { functionVersion: '1', weights: {} } });
  expect(aliasWritesAfter(emu, before, 'orders-worker')).toEqual([]);
  expect(post.summary).toContain('was interrupted during rollback. The post step rolled it back:');
  expect(post.summary).toContain('the alias orders-api:live routes 100% to version 1 (read back from Lambda).');
  expect(post.summary).toContain('the alias orders-cron:live routes 100% to version 1 (read back from Lambda).');
  expect(post.summary).toContain(
    'the alias orders-worker:live was changed by someone else during the deployment, so it was left as they set it.'
  );
});

test('one function listed by name and by full ARN is refused before any write, naming both entries', async () => {
  const emu = await world.start();
  for (const sub of ['a', 'b']) {
    mkdirSync(join(dir, sub));
    writeFileSync(join(dir, sub, 'index.mjs'), `export const handler = async () => '${sub}';`);
  }
  const functions = [
    `- name: orders\n  code-dir: ${join(dir, 'a')}`,
    `- name: ${arnOf('orders')}\n  code-dir: ${join(dir, 'b')}`
  ].join('\n');
  const run = await runAction({ endpoint: emu.url, inputs: { functions, ...FAST, alarms: 'orders-errors' }, timeoutMs: 60_000 });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    `preflight refused the deployment, nothing was changed: items 1 (orders) and 2 (${arnOf('orders')}) of functions ` +
      `name the same function, ${arnOf('orders')}: each function may appear once`
  );
  expect(changes(emu)).toEqual([]);
});

test('the same function name in two regions: versions and previous-versions keep both, keyed by full ARN', async () => {
  const emu = await world.start();
  const west = arnOf('orders', 'eu-west-1');
  emu.createFunction({ name: 'orders', region: 'eu-west-1', versions: 4, alias: { name: 'live', version: '4' } });
  emu.updateCode(west);
  const functions = [`- ${arnOf('orders')}`, `- ${west}`].join('\n');
  const run = await runAction({ endpoint: emu.url, inputs: { functions, ...FAST, strategy: 'AllAtOnce' }, timeoutMs: 60_000 });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('succeeded');
  expect(JSON.parse(run.outputs.versions!)).toEqual({ [arnOf('orders')]: '2', [west]: '5' });
  expect(JSON.parse(run.outputs['previous-versions']!)).toEqual({ [arnOf('orders')]: '1', [west]: '4' });
});

testIamPolicyCoversCalls();

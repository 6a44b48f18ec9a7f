import { expect, jest, test } from '@jest/globals';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import { aliasUpdates, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Each test spawns the bundled action (and its post step) and waits for real seconds.
jest.setTimeout(30_000);

const world = emulatorPerTest();

test('SIGINT mid-bake rolls back within 5 s, says cancelled, and leaves the post step nothing to do', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', alarms: 'orders-errors' },
    { signal: { name: 'SIGINT', afterMs: 300, afterLine: 'Step 1/1' } }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toBe('the deployment was cancelled during shift (SIGINT)');
  expect(run.summary).toContain('Rolled back (cancelled): orders:live');
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['1', {}]
  ]);
  const restore = emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .at(-1)!;
  expect(restore.atMs - run.signalledAtMs!).toBeLessThan(5_000);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });

  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(run.state)
  });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain('The deployment ended rolled-back: nothing to clean up.');
  expect(aliasUpdates(emu)).toHaveLength(2);
});

test("SIGTERM (the runner's second signal) rolls back the same way", async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds' },
    { signal: { name: 'SIGTERM', afterMs: 300, afterLine: 'Step 1/1' } }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({
    status: 'rolled-back',
    'failure-reason': 'the deployment was cancelled during shift (SIGTERM)'
  });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(JSON.parse(run.state.deployment!)).toMatchObject({ phase: 'rolled-back' });
});

test('a main step killed mid-bake leaves the alias split; the post step rolls it back', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds' },
    { signal: { name: 'SIGKILL', afterMs: 300, afterLine: 'Step 1/1' } }
  );
  expect(run.exitCode).toBeNull();
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.2 } });
  expect(JSON.parse(run.state.deployment!)).toMatchObject({
    phase: 'shift',
    targets: [{ previousVersion: '1', targetVersion: '2', aliasTouched: true }]
  });

  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(run.state)
  });
  expect(post.exitCode).toBe(0);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(post.summary).toContain(
    'was interrupted during shift. The post step rolled it back: the alias live routes 100% to version 1 (read back from Lambda).'
  );
  expect(post.stdout).toContain('::warning::');
});

test('a post step for a run interrupted before any alias change does nothing to the alias', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'slow-hook' });
  emu.queueInvokeResults('slow-hook', [{ payload: { status: 'Succeeded' }, delayMs: 5_000 }]);
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', 'pre-traffic-hook': 'slow-hook' },
    { signal: { name: 'SIGKILL', afterMs: 500, afterLine: 'Published version' } }
  );
  expect(JSON.parse(run.state.deployment!)).toMatchObject({ phase: 'pre-traffic-hook', targets: [{ aliasTouched: false }] });
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(run.state)
  });
  expect(post.exitCode).toBe(0);
  expect(post.summary).toContain('before the alias was changed: nothing to undo');
  expect(aliasUpdates(emu)).toEqual([]);
});

testIamPolicyCoversCalls();

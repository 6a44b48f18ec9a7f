import { expect, jest, test } from '@jest/globals';
import { aliasUpdates, changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Each test spawns the bundled action and waits for its real, seconds-long rollout.
jest.setTimeout(30_000);

const world = emulatorPerTest();

test('AllAtOnce: one alias update, outputs and summary say succeeded', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { strategy: 'AllAtOnce', alarms: 'orders-errors' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1', 'failure-reason': '' });
  expect(run.outputs['alias-arn']).toBe('arn:aws:lambda:us-east-1:123456789012:function:orders:live');
  expect(aliasUpdates(emu)).toEqual([['2', {}]]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
  expect(run.summary).toContain('## ✅ Deployed: orders:live');
});

test('canary: 20 % for 2 s with the alarm polled, then 100 %', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { strategy: 'Canary20Percent2Seconds', alarms: 'orders-errors' });
  expect(run.exitCode).toBe(0);
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}]
  ]);
  const polls = emu.calls().filter((call) => call.operation === 'DescribeAlarms').length;
  expect(polls).toBeGreaterThanOrEqual(8); // 2 s at 200 ms, plus preflight and final check
  expect(run.durationMs).toBeGreaterThanOrEqual(2_000);
  expect(JSON.parse(run.outputs.plan!)).toEqual([
    { weightPercent: 20, bakeSeconds: 2 },
    { weightPercent: 100, bakeSeconds: 0 }
  ]);
  expect(run.summary).toContain('| orders-errors | OK |');
});

test('linear: 40 % then 80 %, one second each, then 100 %', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { strategy: 'Linear40PercentEvery1Second' });
  expect(run.exitCode).toBe(0);
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.4 }],
    ['1', { '2': 0.8 }],
    ['2', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
});

test('first deployment creates the alias on the new version', async () => {
  const emu = await world.start({ firstDeployment: true });
  const run = await deploy(emu, { strategy: 'Canary20Percent2Seconds' });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '1', 'previous-version': '' });
  expect(changes(emu)).toEqual(['PublishVersion', 'CreateAlias']);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('skipped when the version is already live: nothing but the no-op publish', async () => {
  const emu = await world.start();
  const first = await deploy(emu, { strategy: 'AllAtOnce' });
  expect(first.outputs.status).toBe('succeeded');
  const before = emu.calls().length;
  const again = await deploy(emu, { strategy: 'Canary20Percent2Seconds' });
  expect(again.exitCode).toBe(0);
  expect(again.outputs).toMatchObject({ status: 'skipped', version: '2', 'previous-version': '2' });
  const later = emu
    .calls()
    .slice(before)
    .filter((call) => call.mutating);
  expect(later.map((call) => call.operation)).toEqual(['PublishVersion']);
  expect(emu.state().functions[0]!.versions).toHaveLength(2);
});

test('throttled, failing and slow AWS calls still end in the right state', async () => {
  const emu = await world.start();
  emu.setFaults({ throttleFraction: 0.25, serverErrorFraction: 0.1, latencyMs: 20, retryAfterSeconds: 0, seed: 7 });
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', alarms: 'orders-errors' });
  const faulted = emu.calls().filter((call) => call.fault === 'throttle' || call.fault === 'server-error');
  expect(faulted.length).toBeGreaterThan(0);
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('succeeded');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
});

testIamPolicyCoversCalls();

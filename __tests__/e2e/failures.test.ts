import { expect, jest, test } from '@jest/globals';
import { aliasUpdates, changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Each test spawns the bundled action and waits for its real, seconds-long rollout.
jest.setTimeout(30_000);

const world = emulatorPerTest();

test('an alarm firing mid-bake rolls back: exit 1, alias on the previous version, summary names the alarm', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', alarms: 'orders-errors' },
    {
      onLine: (line) =>
        line.includes('Step 1/1') && emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed: 5 errors' })
    }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs).toMatchObject({ status: 'rolled-back', version: '2', 'previous-version': '1' });
  expect(run.outputs['failure-reason']).toBe('alarm orders-errors is in ALARM (Threshold Crossed: 5 errors)');
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(run.summary).toContain('## ↩️ Rolled back: orders:live');
  expect(run.summary).toContain('**Rollback reason:** alarm orders-errors is in ALARM');
  expect(run.durationMs).toBeLessThan(20_000); // well short of the 30 s bake: it did not wait it out
  expect(run.stdout).toContain('::error::rolled-back: alarm orders-errors is in ALARM');
});

test('a failing pre-traffic hook: the alias never saw the new version', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'smoke' });
  emu.queueInvokeResults('smoke', [{ payload: { status: 'Failed', reason: 'GET /health answered 503' } }]);
  const run = await deploy(emu, { strategy: 'Canary20Percent2Seconds', 'pre-traffic-hook': 'smoke' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('GET /health answered 503');
  expect(changes(emu)).toEqual(['PublishVersion', 'Invoke']);
  expect(emu.calls().some((call) => call.operation === 'UpdateAlias')).toBe(false);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  const invoke = emu.calls().find((call) => call.operation === 'Invoke')!;
  expect(JSON.parse(String(invoke.params.Payload))).toMatchObject({
    lifecycleEvent: 'BeforeAllowTraffic',
    targetVersion: '2',
    currentVersion: '1'
  });
});

test('a failing post-traffic hook rolls back after promotion', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'verify' });
  emu.queueInvokeResults('verify', [{ functionError: { errorType: 'AssertionError', errorMessage: 'orders total mismatch' } }]);
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'post-traffic-hook': 'verify' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toContain('orders total mismatch');
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(run.summary).toContain('AssertionError');
});

test('a missing alarm is refused before any change', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { strategy: 'Canary20Percent2Seconds', alarms: 'orders-errors, orders-latency' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('orders-latency');
  expect(emu.calls().filter((call) => call.mutating)).toEqual([]);
  expect(changes(emu)).toEqual([]);
});

test('a bad input is refused before any AWS call at all', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { strategy: 'Canary0Percent5Minutes' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(/^Input 'strategy' has an invalid value "Canary0Percent5Minutes"/);
  expect(emu.calls()).toEqual([]);
});

testIamPolicyCoversCalls();

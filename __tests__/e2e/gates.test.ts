import { expect, jest, test } from '@jest/globals';
import { aliasUpdates, changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Safety gates fail closed: no traffic moves on an alarm, a function that is not ready, or a hook
// answer that is not a clear pass.
jest.setTimeout(30_000);

const world = emulatorPerTest();

test('an alarm that goes off during a slow pre-traffic hook stops the rollout before any traffic moves', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'smoke' });
  emu.queueInvokeResults('smoke', [{ payload: { status: 'Succeeded' }, delayMs: 1_500 }]);
  // The alarm goes off once the preflight has passed, while the hook runs.
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', alarms: 'orders-errors', 'pre-traffic-hook': 'smoke' },
    {
      onLine: (line) =>
        line.includes('Published version') && emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed' })
    }
  );
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toBe('alarm orders-errors is in ALARM (Threshold Crossed)');
  expect(emu.calls().some((call) => call.operation === 'UpdateAlias')).toBe(false);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a function still Pending (just created, or a VPC function) is waited for, then deployed', async () => {
  const emu = await world.start();
  // Version 1 is live, and $LATEST already holds newer code while the function is Pending.
  emu.createFunction({
    name: 'fresh',
    pendingMs: 2_500,
    versions: 1,
    alias: { name: 'live', version: '1' },
    codeSha256: 'bmV3LWNvZGUtbmV3LWNvZGUtbmV3LWNvZGUtbmV3LWM='
  });
  const run = await deploy(emu, { 'function-name': 'fresh', strategy: 'AllAtOnce' });
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).toContain(
    'Waiting for fresh to be ready for a new version: State Pending (Creating: The function is being created.)'
  );
  const publishes = emu.calls().filter((call) => call.operation === 'PublishVersion');
  expect(publishes.map((call) => call.status)).toEqual([201]);
});

test.each([
  ['{"Status":"Failed"}', { Status: 'Failed' }],
  ['"Failed"', 'Failed'],
  ['{"status":"Failure"}', { status: 'Failure' }],
  ['{"statusCode":500}', { statusCode: 500 }],
  ['plain text', 'all good, probably'],
  ['{}', {}]
])('a hook answering %s fails the deployment before traffic moves, quoting the answer', async (_name, payload) => {
  const emu = await world.start();
  emu.createFunction({ name: 'smoke' });
  emu.queueInvokeResults('smoke', [{ payload }]);
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'pre-traffic-hook': 'smoke' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(`BeforeAllowTraffic hook lambda:smoke failed: it`);
  expect(changes(emu)).toEqual(['PublishVersion', 'Invoke']);
});

test.each([
  ['null', null],
  ['{"status":"SUCCEEDED"}', { status: 'SUCCEEDED' }],
  ['{"statusCode":204}', { statusCode: 204 }]
])('a hook answering %s passes', async (_name, payload) => {
  const emu = await world.start();
  emu.createFunction({ name: 'smoke' });
  emu.queueInvokeResults('smoke', [{ payload }]);
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'pre-traffic-hook': 'smoke' });
  expect(run.outputs.status).toBe('succeeded');
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}]
  ]);
});

testIamPolicyCoversCalls();

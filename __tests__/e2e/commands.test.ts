import { expect, jest, test } from '@jest/globals';
import { aliasUpdates, changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

jest.setTimeout(30_000);

const world = emulatorPerTest();

test('a pre-traffic command sees the deployment in LSD_* variables, and its failure keeps all traffic away', async () => {
  const emu = await world.start();
  const run = await deploy(emu, {
    strategy: 'Canary20Percent2Seconds',
    'pre-traffic-command':
      'echo "checking $LSD_FUNCTION_NAME:$LSD_TARGET_VERSION (was $LSD_PREVIOUS_VERSION) for $LSD_LIFECYCLE_EVENT"; exit 3'
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.stdout).toContain('| checking orders:2 (was 1) for BeforeAllowTraffic');
  expect(run.outputs['failure-reason']).toContain('the command exited with code 3');
  expect(changes(emu)).toEqual(['PublishVersion']);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('Lambda and command hooks together: both run, and a failing post-traffic command rolls back', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'smoke' });
  const run = await deploy(emu, {
    strategy: 'Canary20Percent1Second',
    'pre-traffic-hook': 'smoke',
    'pre-traffic-command': 'test "$LSD_ALIAS" = live',
    'post-traffic-command': 'echo "p99 too high" >&2; false'
  });
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toContain('p99 too high');
  expect(changes(emu)).toEqual(['PublishVersion', 'Invoke', 'UpdateAlias', 'UpdateAlias', 'UpdateAlias']);
  expect(aliasUpdates(emu).at(-1)).toEqual(['1', {}]);
  expect(run.summary).toContain('BeforeAllowTraffic | passed');
});

test('a command past command-timeout is killed and fails the hook', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { strategy: 'AllAtOnce', 'pre-traffic-command': 'sleep 30', 'command-timeout': '1s' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('the command did not finish within 1s');
  expect(run.durationMs).toBeLessThan(20_000); // well short of the 30 s sleep: it was killed
});

testIamPolicyCoversCalls();

/**
 * A hook cancelled before it runs must start nothing. Seen from outside, a process that was started
 * and killed at once can look like one never started, so here spawn itself is watched.
 */
import { expect, jest, test } from '@jest/globals';
import type { HookPayload } from '../../src/hooks/traffic-hook.js';
import { systemClock } from '../../src/core/clock.js';
import { ManualClock } from '../support/manual-clock.js';

const actual = await import('node:child_process');
const spawn = jest.fn(actual.spawn);
jest.unstable_mockModule('node:child_process', () => ({ ...actual, default: { ...actual.default, spawn }, spawn }));
const { CommandTrafficHook } = await import('../../src/hooks/command-hook.js');

const payload: HookPayload = {
  deploymentId: 'd-1',
  lifecycleEvent: 'BeforeAllowTraffic',
  functionName: 'orders',
  functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
  alias: 'live',
  aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
  currentVersion: '41',
  currentVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:41',
  targetVersion: '42',
  targetVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:42',
  strategy: 'AllAtOnce'
};

function hook(): InstanceType<typeof CommandTrafficHook> {
  return new CommandTrafficHook({
    command: 'echo hi',
    timeoutMs: 5000,
    clock: systemClock,
    timer: new ManualClock(),
    log: () => undefined
  });
}

test('an already cancelled deployment starts nothing', async () => {
  const controller = new AbortController();
  controller.abort('too late');
  await expect(hook().run(payload, controller.signal)).rejects.toMatchObject({
    name: 'AbortError',
    message: expect.stringContaining('too late')
  });
  expect(spawn).not.toHaveBeenCalled();
});

test('the watch on spawn sees a hook that does run', async () => {
  expect((await hook().run(payload)).passed).toBe(true);
  expect(spawn).toHaveBeenCalledTimes(1);
});

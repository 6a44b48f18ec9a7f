import { expect, test } from '@jest/globals';
import type { CodeDeployGateway, DeploymentView } from '../../../src/aws/codedeploy-gateway.js';
import { NoAnswer } from '../../../src/aws/failures.js';
import { stopAndSettle } from '../../../src/engines/codedeploy/stop.js';
import { FakeClock } from '../../support/fake-clock.js';

// The one stop-and-settle loop (a cancelled watch, the post step), against a plain fake CodeDeploy.

const view = (status: string): DeploymentView => ({
  deploymentId: 'd-A1B2C3D4E',
  status,
  application: 'orders',
  deploymentGroup: 'live',
  deploymentConfig: 'CodeDeployDefault.LambdaAllAtOnce'
});

/** CodeDeploy answering StopDeployment with `stop`, then GetDeployment with `statuses` in turn (the last one from then on). */
function codedeploy(stop: () => Promise<unknown>, statuses: string[]) {
  const calls: string[] = [];
  const gateway = {
    region: 'us-east-1',
    stopDeployment: async () => {
      calls.push('StopDeployment');
      return stop();
    },
    getDeployment: async () => {
      calls.push('GetDeployment');
      return view(statuses.length > 1 ? statuses.shift()! : statuses[0]!);
    },
    getLambdaTarget: async () => {
      calls.push('GetDeploymentTarget');
      return undefined;
    }
  } as unknown as CodeDeployGateway;
  return { gateway, calls };
}

test('stopped, then read every poll until it ends; each read handed on when the target is read too', async () => {
  const clock = new FakeClock();
  const { gateway, calls } = codedeploy(
    async () => ({ kind: 'stopping', status: 'Pending' }),
    ['InProgress', 'InProgress', 'Stopped']
  );
  const reads: string[] = [];
  const started = clock.now();
  const settled = await stopAndSettle({ codedeploy: gateway, clock }, 'd-A1B2C3D4E', {
    budgetMs: 8_000,
    stopCallMs: 5_000,
    pollMs: 250,
    readTarget: (deployment) => reads.push(deployment.status)
  });
  expect(settled).toMatchObject({ stopped: true, stop: { kind: 'stopping' }, ended: { status: 'Stopped' } });
  expect(reads).toEqual(['InProgress', 'InProgress', 'Stopped']);
  expect(calls.filter((call) => call === 'GetDeploymentTarget')).toHaveLength(3);
  expect(clock.now() - started).toBe(500);
});

test('a deployment that does not end within the budget is reported as last read, not as ended', async () => {
  const clock = new FakeClock();
  const { gateway, calls } = codedeploy(async () => ({ kind: 'stopping', status: 'Pending' }), ['InProgress']);
  const started = clock.now();
  const settled = await stopAndSettle({ codedeploy: gateway, clock }, 'd-A1B2C3D4E', {
    budgetMs: 3_000,
    stopCallMs: 3_000,
    pollMs: 1_000
  });
  expect(settled).toMatchObject({ stopped: true, deployment: { status: 'InProgress' } });
  expect(settled).not.toHaveProperty('ended');
  expect(calls.filter((call) => call === 'GetDeployment')).toHaveLength(3);
  expect(calls).not.toContain('GetDeploymentTarget');
  expect(clock.now() - started).toBe(3_000);
});

test('a stop that fails, or never answers within its own limit, is reported as not stopped', async () => {
  const clock = new FakeClock();
  const refused = codedeploy(async () => {
    throw new NoAnswer('no answer from CodeDeploy', 'StopDeployment');
  }, ['InProgress']);
  expect(
    await stopAndSettle({ codedeploy: refused.gateway, clock }, 'd-A1B2C3D4E', {
      budgetMs: 8_000,
      stopCallMs: 5_000,
      pollMs: 250
    })
  ).toMatchObject({
    stopped: false,
    error: { name: 'NoAnswer' }
  });
  const hung = codedeploy(() => new Promise(() => undefined), ['InProgress']);
  const started = clock.now();
  const settled = await stopAndSettle({ codedeploy: hung.gateway, clock }, 'd-A1B2C3D4E', {
    budgetMs: 8_000,
    stopCallMs: 5_000,
    pollMs: 250
  });
  expect(settled).toMatchObject({ stopped: false, error: { name: 'DeadlineExceeded' } });
  expect(clock.now() - started).toBe(5_000);
  expect(hung.calls).toEqual(['StopDeployment']);
});

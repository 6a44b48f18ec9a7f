import { expect, jest, test } from '@jest/globals';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import { aliasUpdates, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Calls that never answer, outages and signals, against the bundled action and its post step.
jest.setTimeout(60_000);

const world = emulatorPerTest();

test('an alarm read that never answers is a failed read: logged, and three in a row roll back', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', alarms: 'orders-errors', 'aws-request-timeout': '1s', 'max-retries': '0' },
    { onLine: (line) => line.includes('Step 1/1') && emu.setFaults({ hangFraction: 1, operations: ['DescribeAlarms'] }) }
  );
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /health checks could not be read 3 times in a row \(last error: NoAnswer: no answer from http:\/\/127\.0\.0\.1:\d+ to DescribeAlarms \(TimeoutError/
  );
  expect(run.stdout.match(/::warning::Could not read the health checks/g)).toHaveLength(3);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('SIGINT while the rollback call hangs: the hung call is abandoned and the alias is back within 5 s', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', alarms: 'orders-errors' },
    {
      // Mid-bake the alarm goes off, and the rollback's first UpdateAlias is accepted and never
      // answered (the default time limit is 30 s).
      onLine: (line) => {
        if (!line.includes('Step 1/1')) return;
        emu.failNext('UpdateAlias', 1, 'hang');
        emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed' });
      },
      signal: { name: 'SIGINT', afterMs: 1_000, afterLine: 'Rolling back' }
    }
  );
  const restore = emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .at(-1)!;
  expect(restore.params).toMatchObject({ FunctionVersion: '1' });
  expect(restore.atMs - run.signalledAtMs!).toBeLessThan(5_000);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(run.outputs.status).toBe('rolled-back');
});

test('a weight change whose answer never came counts as applied: the rollback reads the alias back and restores it', async () => {
  const emu = await world.start();
  // Lambda applies the first weight change, then the answer never comes; SIGTERM arrives meanwhile.
  emu.failNext('UpdateAlias', 1, 'hang-after-run');
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds' },
    { signal: { name: 'SIGTERM', afterMs: 1_000, afterLine: 'Published version' } }
  );
  expect(run.outputs.status).toBe('rolled-back');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(aliasUpdates(emu)).toEqual([['1', {}]]);
  expect(emu.calls().map((call) => call.operation)).toContain('GetAlias');
  expect(run.stdout).toContain('Alias live is back: Lambda reports it routes 100% to version 1');
});

test('a rollback that ran out of time in an outage is finished by the post step', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds' },
    {
      // every UpdateAlias after the first weight change fails (503s), and the run is cancelled
      onLine: (line) => line.includes('Step 1/1') && emu.setFaults({ serverErrorFraction: 1, operations: ['UpdateAlias'] }),
      signal: { name: 'SIGINT', afterMs: 200, afterLine: 'Step 1/1' }
    }
  );
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('The post step of this job will try again');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.2 } });
  expect(JSON.parse(run.state.deployment!)).toMatchObject({ phase: 'failed', rollbackOwed: true });

  emu.setFaults({});
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(run.state)
  });
  expect(post.exitCode).toBe(0);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(post.stdout).toContain('ended failed with its rollback unfinished');
  expect(post.summary).toContain('The post step rolled it back: the alias live routes 100% to version 1 (read back from Lambda)');
});

testIamPolicyCoversCalls();

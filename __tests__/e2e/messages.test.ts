import { expect, jest, test } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// What the user reads says what happened and what to do, never a state the action did not reach.
jest.setTimeout(30_000);

const world = emulatorPerTest();

test('a permission missing for the first weight change: failed (nothing moved), naming the permission; no rollback', async () => {
  const emu = await world.start();
  emu.denyActions(['lambda:UpdateAlias']);
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^shift stopped: these credentials may not lambda:UpdateAlias on arn:aws:lambda:us-east-1:123456789012:function:orders/
  );
  expect(run.stdout).not.toContain('Rolling back');
  expect(run.stdout).toContain('Stopped before any traffic reached a new version');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('every preflight problem is listed at once, a read that was refused among them', async () => {
  const emu = await world.start();
  emu.setProvisionedConcurrency('orders', 'live', 0);
  emu.denyActions(['cloudwatch:DescribeAlarms']);
  const run = await deploy(emu, {
    strategy: 'Canary20Percent1Second',
    alarms: 'orders-errors',
    'pre-traffic-hook': 'no-such-hook',
    alias: 'Live'
  });
  const reason = run.outputs['failure-reason']!;
  expect(reason).toContain('these credentials may not cloudwatch:DescribeAlarms');
  expect(reason).toContain('hook function no-such-hook does not exist');
  expect(reason).toContain('alias Live does not exist');
  expect(changes(emu)).toEqual([]);
});

test('a hook in another account whose policy allows only Invoke is usable: a dry-run invocation proves it', async () => {
  const emu = await world.start();
  const hook = 'arn:aws:lambda:us-east-1:222222222222:function:shared-smoke';
  emu.createFunction({ name: 'shared-smoke', accountId: '222222222222', crossAccountActions: ['lambda:InvokeFunction'] });
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'pre-traffic-hook': hook });
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).toContain(
    `hook function ${hook} may be invoked but its configuration not read (lambda:GetFunctionConfiguration is not allowed`
  );
  expect(
    emu
      .calls()
      .filter((call) => call.operation === 'Invoke')
      .map((call) => call.params.InvocationType)
  ).toEqual(['DryRun', 'RequestResponse']);
});

test('no credentials: says what to configure, before any change', async () => {
  const emu = await world.start();
  const run = await deploy(
    emu,
    {},
    { env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', HOME: mkdtempSync(join(tmpdir(), 'lsd-home-')) } }
  );
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    'no AWS credentials were found: add a step with aws-actions/configure-aws-credentials'
  );
  expect(emu.calls()).toEqual([]);
});

test('an empty AWS_REGION: says what to configure', async () => {
  const emu = await world.start();
  const run = await deploy(emu, {}, { env: { AWS_REGION: '', HOME: mkdtempSync(join(tmpdir(), 'lsd-home-')) } });
  expect(run.outputs['failure-reason']).toContain(
    'no AWS region is configured: set `aws-region` in aws-actions/configure-aws-credentials'
  );
  expect(emu.calls()).toEqual([]);
});

test('alarm names with commas are given one per line', async () => {
  const emu = await world.start();
  emu.putAlarm({ name: 'orders errors, EU', state: 'OK' });
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', alarms: 'orders errors, EU\norders-errors\n' });
  expect(run.outputs.status).toBe('succeeded');
  const asked = emu.calls().find((call) => call.operation === 'DescribeAlarms')!.params.AlarmNames;
  expect(asked).toEqual(['orders errors, EU', 'orders-errors']);
});

test('a skipped run says nothing was published; a dry run ends saying it changed nothing', async () => {
  const emu = await world.start();
  await deploy(emu, {});
  const again = await deploy(emu, {});
  expect(again.outputs.status).toBe('skipped');
  expect(again.stdout).not.toContain('Published version');
  expect(again.stdout).toContain('skipped: version 2 was already live on live; nothing was published or changed');
  expect(again.summary).toContain('| Version | 2 (already live: nothing new was published) |');
  expect(again.summary).not.toContain('New version');

  const dry = await deploy(emu, { 'dry-run': 'true' });
  expect(dry.stdout).toContain('dry run: every preflight check passed and nothing was changed (alias live serves version 2)');
  expect(dry.stdout).not.toContain('version ?');
  expect(dry.summary).toContain('none (dry run: nothing was published)');
});

test('warnings (an alarm without data) reach the job summary', async () => {
  const emu = await world.start();
  emu.putAlarm({ name: 'orders-latency', state: 'INSUFFICIENT_DATA' });
  const run = await deploy(emu, { alarms: 'orders-errors, orders-latency' });
  expect(run.outputs.status).toBe('succeeded');
  expect(run.summary).toContain('**Warnings**');
  expect(run.summary).toContain('alarm orders-latency is INSUFFICIENT&#95;DATA: it stops nothing until its metric has data');
});

testIamPolicyCoversCalls();

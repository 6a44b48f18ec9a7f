import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator } from '../../emulator/index.js';
import { changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// The resource the user named is the one read and changed: full ARNs keep their account and region.
jest.setTimeout(30_000);

const world = emulatorPerTest();
const OTHER_ACCOUNT = '111111111111';

function aliasOf(emu: RunningEmulator, arn: string) {
  return emu
    .state()
    .functions.find((fn) => fn.arn === arn)
    ?.aliases.find((alias) => alias.name === 'live');
}

test("a function ARN in another account: that account's function is published and shifted, not the namesake here", async () => {
  const emu = await world.start();
  const arn = `arn:aws:lambda:us-east-1:${OTHER_ACCOUNT}:function:orders`;
  emu.createFunction({
    name: 'orders',
    accountId: OTHER_ACCOUNT,
    versions: 1,
    alias: { name: 'live', version: '1' },
    crossAccountActions: ['lambda:*']
  });
  emu.updateCode(arn);
  const run = await deploy(emu, { 'function-name': arn, strategy: 'Canary20Percent1Second' });
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'alias-arn': `${arn}:live` });
  expect(aliasOf(emu, arn)).toMatchObject({ functionVersion: '2', weights: {} });
  // The same-named function in the caller's own account: untouched, nothing published.
  const ours = emu.state().functions.find((fn) => fn.arn === 'arn:aws:lambda:us-east-1:123456789012:function:orders')!;
  expect(ours.versions).toHaveLength(1);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  for (const call of emu.calls().filter((c) => c.service === 'lambda')) expect(call.functionName ?? arn).toContain(OTHER_ACCOUNT);
});

test('a function ARN in another region is deployed in that region, whatever region the credentials name', async () => {
  const emu = await world.start();
  const arn = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';
  emu.createFunction({ name: 'orders', region: 'eu-west-1', versions: 1, alias: { name: 'live', version: '1' } });
  emu.updateCode(arn);
  const run = await deploy(emu, { 'function-name': arn });
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2' });
  expect(aliasOf(emu, arn)).toMatchObject({ functionVersion: '2' });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1' });
  expect(
    new Set(
      emu
        .calls()
        .filter((c) => c.service === 'lambda')
        .map((c) => c.region)
    )
  ).toEqual(new Set(['eu-west-1']));
});

test('an alarm ARN is read in its own region: its namesake here, in OK, does not stand in for it', async () => {
  const emu = await world.start();
  emu.putAlarm({ name: 'orders-errors', region: 'us-west-2', state: 'ALARM', reason: 'Threshold Crossed' });
  const run = await deploy(emu, {
    strategy: 'Canary20Percent1Second',
    alarms: 'arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-errors'
  });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    'already in ALARM before the deployment: arn:aws:cloudwatch:us-west-2:123456789012:alarm:orders-errors'
  );
  expect(changes(emu)).toEqual([]);
});

test('an alarm ARN of another account is refused before anything changes: CloudWatch cannot read it', async () => {
  const emu = await world.start();
  const run = await deploy(emu, {
    strategy: 'Canary20Percent1Second',
    alarms: `arn:aws:cloudwatch:us-east-1:${OTHER_ACCOUNT}:alarm:orders-errors`
  });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    `is in account ${OTHER_ACCOUNT}, but these credentials read the alarms of account 123456789012`
  );
  expect(changes(emu)).toEqual([]);
});

test('a typo in the alias is refused, naming the aliases that exist; nothing is created', async () => {
  const emu = await world.start();
  const run = await deploy(emu, { alias: 'Live', strategy: 'AllAtOnce' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('alias Live does not exist, and orders has other aliases: live.');
  expect(run.outputs['failure-reason']).toContain("unless 'allow-new-alias' is true; did you mean live?");
  expect(changes(emu)).toEqual([]);
});

test('allow-new-alias creates another alias on purpose; the first alias of a function needs no permission', async () => {
  const emu = await world.start();
  const second = await deploy(emu, { alias: 'canary', 'allow-new-alias': 'true' });
  expect(second.outputs).toMatchObject({ status: 'succeeded', version: '2' });
  const first = await world.start({ firstDeployment: true });
  const created = await deploy(first, {});
  expect(created.outputs).toMatchObject({ status: 'succeeded', version: '1' });
  expect(liveAlias(first)).toMatchObject({ functionVersion: '1' });
});

testIamPolicyCoversCalls();

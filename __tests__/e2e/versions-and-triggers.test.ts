import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator } from '../../emulator/index.js';
import { readAliasRecord } from '../../src/alias/record.js';
import { aliasUpdates, changes, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// The trigger audit, deploying an existing version, last good and pruning, through the bundled action
// against the emulator (docs/versions-and-triggers.md).

jest.setTimeout(60_000);

const world = emulatorPerTest();
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:orders-jobs';

/** Operations called after the first `from` calls (the set-up's own), in order. */
const operations = (emu: RunningEmulator, from = 0): string[] =>
  emu
    .calls()
    .slice(from)
    .map((call) => call.operation);

/** The operations after `from` that changed something, successful ones only. */
const writesSince = (emu: RunningEmulator, from: number): string[] =>
  emu
    .calls()
    .slice(from)
    .filter((call) => call.mutating && call.status < 300)
    .map((call) => call.operation);

test('an event source mapping on $LATEST is warned about, listed in the summary, and the deployment goes on', async () => {
  const emu = await world.start();
  emu.createEventSourceMapping({ functionName: 'orders', eventSourceArn: QUEUE });
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second' });
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).toMatch(
    new RegExp(
      `::warning::a trigger does not follow alias live, so the canary and the rollback do not cover it: event source mapping ${QUEUE} on the unqualified function \\(\\$LATEST\\)`
    )
  );
  expect(run.summary).toContain('### Triggers');
  expect(run.summary).toMatch(
    /\| event source mapping arn:aws:sqs:us-east-1:123456789012:orders-jobs on the unqualified function \(\$LATEST\) \| ⚠️ runs \$LATEST/
  );
  // Every qualifier the audit reads: unqualified, $LATEST, the alias, the version it serves.
  const listed = emu
    .calls()
    .filter((call) => call.operation === 'ListEventSourceMappings')
    .map((call) => call.params.FunctionName);
  expect(listed.sort()).toEqual(['orders', 'orders:$LATEST', 'orders:1', 'orders:live']);
});

test('with on-unrouted-triggers: fail, the same function is refused before any write', async () => {
  const emu = await world.start();
  emu.createEventSourceMapping({ functionName: 'orders', eventSourceArn: QUEUE });
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'on-unrouted-triggers': 'fail' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^preflight refused the deployment, nothing was changed: a trigger does not follow alias live.*orders-jobs on the unqualified function \(\$LATEST\).*; on-unrouted-triggers is fail$/
  );
  expect(changes(emu)).toEqual([]);
});

test('a function whose triggers all use the alias is not warned about, even with fail', async () => {
  const clean = await world.start();
  clean.createEventSourceMapping({ functionName: 'orders:live', eventSourceArn: QUEUE });
  clean.createFunctionUrl({ functionName: 'orders', qualifier: 'live' });
  clean.addPermission({
    functionName: 'orders',
    qualifier: 'live',
    statementId: 'uploads',
    principal: 's3.amazonaws.com',
    sourceArn: 'arn:aws:s3:::orders-uploads'
  });
  const run = await deploy(clean, { strategy: 'Canary20Percent1Second', 'on-unrouted-triggers': 'fail' });
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).not.toMatch(/::warning::.*trigger/);
  expect(run.summary).toContain(`event source mapping ${QUEUE} on alias live | follows live`);
  expect(run.summary).toMatch(
    /function URL https:\/\/\w+\.lambda-url\.us-east-1\.on\.aws\/ \(auth AWS&#95;IAM\) on alias live \| follows live/
  );
  expect(run.summary).toContain('s3.amazonaws.com (arn:aws:s3:::orders-uploads) &#91;uploads&#93; on alias live | follows live');
});

test('version: an existing version shifts with the same strategy, without upload or publish', async () => {
  // Version 2 was published by another pipeline; $LATEST holds it too.
  const fresh = await world.start({ latestIsLive: true });
  fresh.updateCode('orders');
  await fresh.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
  const setUp = fresh.calls().length;
  const run = await deploy(fresh, { strategy: 'Canary20Percent1Second', version: '2' });
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1' });
  expect(writesSince(fresh, setUp)).toEqual(['UpdateAlias', 'UpdateAlias']);
  expect(operations(fresh, setUp)).toContain('GetFunctionConfiguration');
  expect(aliasUpdates(fresh)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}]
  ]);
  expect(run.summary).toContain('2 (existing: the version input; nothing was published)');
});

test('from-alias: what staging serves goes live, without publishing; a split staging is refused', async () => {
  const emu = await world.start({ latestIsLive: true });
  emu.updateCode('orders');
  await emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
  await emu.handleOperation('lambda', 'CreateAlias', { FunctionName: 'orders', Name: 'staging', FunctionVersion: '2' });
  const setUp = emu.calls().length;
  const run = await deploy(emu, { strategy: 'AllAtOnce', 'from-alias': 'staging' });
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1' });
  expect(writesSince(emu, setUp)).toEqual(['UpdateAlias']);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });

  const split = await world.start({ latestIsLive: true });
  split.updateCode('orders');
  await split.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
  await split.handleOperation('lambda', 'CreateAlias', {
    FunctionName: 'orders',
    Name: 'staging',
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } }
  });
  const splitSetUp = split.calls().length;
  const refused = await deploy(split, { 'from-alias': 'staging' });
  expect(refused.outputs['failure-reason']).toMatch(/alias staging of orders is split \(.*\): a rollout is in progress there/);
  expect(writesSince(split, splitSetUp)).toEqual([]);
});

test('rollback-to: last-good picks the version before the live one when the last deployment was rolled back', async () => {
  const emu = await world.start(); // version 1 live, new code waiting
  expect((await deploy(emu, { strategy: 'AllAtOnce' })).outputs).toMatchObject({ status: 'succeeded', version: '2' });
  emu.updateCode('orders');
  expect((await deploy(emu, { strategy: 'AllAtOnce' })).outputs).toMatchObject({ status: 'succeeded', version: '3' });
  // Version 4 is promoted, then its post-traffic hook fails: rolled back to 3, and 4 is not recorded as good.
  emu.updateCode('orders');
  emu.createFunction({ name: 'smoke' });
  emu.queueInvokeResults('smoke', [{ functionError: { errorType: 'Error', errorMessage: 'checkout broken' } }]);
  const bad = await deploy(emu, { strategy: 'AllAtOnce', 'post-traffic-hook': 'smoke' });
  expect(bad.outputs).toMatchObject({ status: 'rolled-back', version: '4', 'previous-version': '3' });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '3', description: 'lambda-safe-deploy/1{"g":["3","2"]}' });

  const before = emu.calls().length;
  const back = await deploy(emu, { strategy: 'Canary20Percent1Second', 'rollback-to': 'last-good' });
  expect(back.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '3' });
  const since = emu.calls().slice(before);
  expect(since.map((call) => call.operation)).not.toContain('PublishVersion');
  expect(
    since
      .filter((call) => call.operation === 'UpdateAlias')
      .map((call) => [call.params.FunctionVersion, call.params.RoutingConfig])
  ).toEqual([
    ['3', { AdditionalVersionWeights: { '2': 0.2 } }],
    ['2', { AdditionalVersionWeights: {} }]
  ]);
  // Going back to 2 forgets 3, promoted after it: a second rollback-to finds nothing older.
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', description: 'lambda-safe-deploy/1{"g":["2"]}' });
  const again = await deploy(emu, { 'rollback-to': 'last-good' });
  expect(again.outputs.status).toBe('failed');
  expect(again.outputs['failure-reason']).toMatch(
    /no good version other than the live one is recorded on live \(it records only 2/
  );
});

test('version: with a strategy that holds, the existing version is held; the promote prunes, keeping the versions the hold protects', async () => {
  const emu = await world.start({ firstDeployment: true });
  emu.reset();
  // orders has versions 1 to 8; live serves 5, beta serves 3.
  emu.createFunction({ name: 'orders', versions: 8, alias: { name: 'live', version: '5' } });
  await emu.handleOperation('lambda', 'CreateAlias', { FunctionName: 'orders', Name: 'beta', FunctionVersion: '3' });
  const hold = { strategy: '20%:300ms, 50%:hold' };
  const setUp = emu.calls().length;

  // Pruning follows a promotion, and a run that holds promotes nothing: refused before anything is read.
  const refused = await deploy(emu, { ...hold, version: '7', 'keep-versions': '1' });
  expect(refused.outputs.status).toBe('failed');
  expect(refused.outputs['failure-reason']).toMatch(/keep-versions.*the strategy holds for approval.*operation: promote/);
  expect(emu.calls().slice(setUp)).toEqual([]);

  const held = await deploy(emu, { ...hold, version: '7' });
  expect(held.outputs).toMatchObject({ status: 'held', version: '7', 'previous-version': '5', 'held-weight': '50' });
  expect(operations(emu)).not.toContain('PublishVersion');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '5', weights: { '7': 0.5 } });

  // Another alias of the same function promoted with pruning meanwhile: the held rollout's two versions stay.
  const beta = await deploy(emu, { alias: 'beta', version: '8', 'keep-versions': '1', prune: 'true' });
  expect(beta.outputs).toMatchObject({ status: 'succeeded', version: '8', 'previous-version': '3' });
  expect(emu.state().functions[0]!.versions.map((v) => v.version)).toEqual(['3', '5', '7', '8']);
  expect(beta.stdout).toContain('Keeping version 7 of orders: alias live routes 50% to it');
  expect(beta.stdout).toContain('Keeping version 5 of orders: alias live points to it');

  // The promote, a later job: ends the hold and records 7 as good in one write, then prunes.
  const promoted = await deploy(emu, { operation: 'promote', 'keep-versions': '1', prune: 'true' });
  expect(promoted.outputs).toMatchObject({ status: 'succeeded', version: '7', 'previous-version': '5' });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '7', weights: {} });
  expect(readAliasRecord(liveAlias(emu)?.description).record).toEqual({ good: ['7'] });
  // 8 (beta, and the newest), 7 (live), 5 (the rollback target); 3 is old and no alias names it any more.
  expect(emu.state().functions[0]!.versions.map((v) => v.version)).toEqual(['5', '7', '8']);
  expect(promoted.summary).toContain('- orders: deleted version 3, 3 kept');
});

test('rollback-to: last-good after a promoted hold goes back to the version before it', async () => {
  const emu = await world.start(); // version 1 live, new code waiting
  expect((await deploy(emu, { strategy: 'AllAtOnce' })).outputs).toMatchObject({ status: 'succeeded', version: '2' });
  emu.updateCode('orders');
  expect((await deploy(emu, { strategy: '20%:300ms, 50%:hold' })).outputs).toMatchObject({ status: 'held', version: '3' });
  expect((await deploy(emu, { operation: 'promote' })).outputs).toMatchObject({ status: 'succeeded', version: '3' });
  expect(readAliasRecord(liveAlias(emu)?.description).record).toEqual({ good: ['3', '2'] });
  const back = await deploy(emu, { 'rollback-to': 'last-good' });
  expect(back.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '3' });
});

test('an Inactive version is invoked once for Lambda to restore it, and shifted once Active', async () => {
  const emu = await world.start({ latestIsLive: true });
  emu.updateCode('orders');
  await emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
  emu.setVersionInactive('orders', '2', { reactivationMs: 500 });
  const run = await deploy(emu, { strategy: 'AllAtOnce', version: '2' });
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2' });
  const invokes = emu.calls().filter((call) => call.operation === 'Invoke');
  expect(invokes).toEqual([
    expect.objectContaining({ functionName: `${ARN}:2`, status: 409, errorCode: 'SnapStartNotReadyException' })
  ]);
  expect(run.stdout).toContain(
    'Version 2 of orders is Inactive (unused for a while); invoking it once so that Lambda restores it'
  );
});

test('pruning keeps every protected version over several pages; without prune: true it only lists', async () => {
  const emu = await world.start({ firstDeployment: true });
  // orders has 130 versions (three pages of ListVersionsByFunction); live serves 129, new code waits in $LATEST.
  emu.reset();
  emu.createFunction({ name: 'orders', versions: 130, alias: { name: 'live', version: '129' } });
  emu.updateCode('orders');
  await emu.handleOperation('lambda', 'CreateAlias', {
    FunctionName: 'orders',
    Name: 'staging',
    FunctionVersion: '60',
    RoutingConfig: { AdditionalVersionWeights: { '61': 0.05 } }
  });
  emu.setVersionProvisionedConcurrency('orders', '30', 2);
  emu.createEventSourceMapping({ functionName: 'orders:10', eventSourceArn: QUEUE });
  emu.addPermission({ functionName: 'orders', qualifier: '20', statementId: 'pinned', principal: 'sns.amazonaws.com' });

  const listed = await deploy(emu, { 'keep-versions': '5' });
  expect(listed.outputs).toMatchObject({ status: 'succeeded', version: '131', 'previous-version': '129' });
  expect(operations(emu)).not.toContain('DeleteFunction');
  // Kept: 127 to 131 (the newest five, 131 live, 129 the rollback target), 60 and 61 (staging), 30
  // (provisioned concurrency), 20 (a grant pinned to it), 10 (an event source mapping).
  expect(listed.summary).toMatch(
    /### Old versions\n- orders: would delete 121 versions: 1-9, 11-19, 21-29, 31-59, 62-126 \(10 kept\); nothing was deleted: set <code>prune: true<\/code>/
  );
  expect(emu.state().functions[0]!.versions).toHaveLength(131);

  emu.updateCode('orders');
  const pruned = await deploy(emu, { 'keep-versions': '5', prune: 'true' });
  expect(pruned.outputs).toMatchObject({ status: 'succeeded', version: '132', 'previous-version': '131' });
  const remaining = emu.state().functions[0]!.versions.map((v) => v.version);
  expect(remaining).toEqual(['10', '20', '30', '60', '61', '128', '129', '130', '131', '132']);
  // Every delete named one version: never the whole function.
  const deletes = emu.calls().filter((call) => call.operation === 'DeleteFunction');
  expect(deletes).toHaveLength(122);
  expect(deletes.every((call) => /^\d+$/.test(String(call.params.Qualifier)))).toBe(true);
  const pages = emu.calls().filter((call) => call.operation === 'ListVersionsByFunction');
  expect(pages.length).toBeGreaterThanOrEqual(6); // three pages in each run
  expect(pruned.summary).toContain('- orders: deleted 122 versions: 1-9, 11-19, 21-29, 31-59, 62-127, 10 kept');
});

test('a dry run prints the plan with the triggers and the pruning step, and writes nothing', async () => {
  const emu = await world.start();
  emu.createEventSourceMapping({ functionName: 'orders:live', eventSourceArn: QUEUE });
  const run = await deploy(emu, { 'dry-run': 'true', 'keep-versions': '3', prune: 'true' });
  expect(run.outputs.status).toBe('skipped');
  expect(run.stdout).toMatch(
    /After the promotion: delete the old versions of orders, keeping the 3 newest, every version an alias/
  );
  expect(run.stdout).toContain(`Triggers: event source mapping ${QUEUE} on alias live: follows live`);
  expect(emu.calls().filter((call) => call.mutating)).toEqual([]);
});

testIamPolicyCoversCalls();

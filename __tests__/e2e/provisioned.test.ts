import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator } from '../../emulator/index.js';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import { aliasUpdates, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Canaries on an alias with provisioned concurrency (PC), with the bundled action against the
// emulator: Lambda takes half a second to allocate after every change, shows its own {<old>: 1}
// weights while it allocates on a new FunctionVersion, and can fail an allocation.
jest.setTimeout(40_000);

const world = emulatorPerTest();
/** Each wait reads Lambda every second (alarm-poll-interval, kept to at least a second). */
const PC = { 'provisioned-concurrency-timeout': '20s' } as const;

/** `orders` on version 1 with 10 provisioned executions on `live`, allocations taking `allocationMs`. */
async function provisionedWorld(allocationMs = 500): Promise<RunningEmulator> {
  const emu = await world.start();
  emu.setProvisionedConcurrency('orders', 'live', 10, { allocationMs });
  return emu;
}

/** The executions each PutProvisionedConcurrencyConfig asked for, in order. */
const puts = (emu: RunningEmulator): unknown[] =>
  emu
    .calls()
    .filter((call) => call.operation === 'PutProvisionedConcurrencyConfig' && call.status === 202)
    .map((call) => call.params.ProvisionedConcurrentExecutions);

test('a canary on an alias with provisioned concurrency is promoted, and the PC ends on the new version', async () => {
  const emu = await provisionedWorld();
  emu.startTraffic({ functionName: 'orders', alias: 'live', ratePerSecond: 50, defaultVersion: latency(200) });
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', alarms: 'orders-errors', ...PC });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1' });
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({
    functionVersion: '2',
    weights: {},
    provisioned: { requested: 10, status: 'READY', versions: { '2': 10 } }
  });
  expect(run.stdout).toContain('Alias live has provisioned concurrency: 10 requested, 10 allocated, 10 available, READY');
  expect(run.stdout).toMatch(
    /Provisioned concurrency READY after the shift to 20% after [\dmsh]+: live \(10 requested, 10 allocated, 10 available, READY\); the bake starts now/
  );
  expect(run.stdout).toMatch(/Alias live is on version 2; Lambda sends its calls to version 1 until the provisioned concurrency/);
  expect(run.summary).toContain(
    '| Provisioned concurrency | 10 requested, 10 allocated, 10 available, READY before the deployment;'
  );
  expect(run.summary).toMatch(/\| Spill-over to standard concurrency \| at 20%: \d+ calls, at 100%: \d+ calls \|/);
  expect(emu.calls().filter((call) => call.operation === 'GetMetricData')).toHaveLength(1);
});

test('a FAILED allocation rolls back, quoting its StatusReason', async () => {
  const emu = await provisionedWorld();
  emu.failProvisionedConcurrency('orders', 'live', 'Function failed to initialize: <script>Runtime.ExitError</script>');
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', ...PC });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toBe(
    'Lambda could not allocate the provisioned concurrency of alias live: Function failed to initialize: ' +
      '<script>Runtime.ExitError</script> (status FAILED, 8 of 10 allocated) after the shift to 20%'
  );
  // AWS's text reaches the summary escaped.
  expect(run.summary).toContain('&lt;script&gt;Runtime.ExitError&lt;/script&gt;');
  expect(run.summary).not.toContain('<script>');
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({
    functionVersion: '1',
    weights: {},
    provisioned: { status: 'READY', versions: { '1': 10 } }
  });
});

test("Lambda's own {<old>: 1} weights are waited out: neither refused as a split nor put back", async () => {
  const emu = await provisionedWorld(1_500);
  // Another pipeline moved the alias to version 2: Lambda allocates on it and routes every call to version 1 meanwhile.
  await emu.handleOperation('lambda', 'PublishVersion', { FunctionName: 'orders' });
  emu.updateCode('orders');
  await emu.handleOperation('lambda', 'UpdateAlias', { FunctionName: 'orders', Name: 'live', FunctionVersion: '2' });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: { '1': 1 } });
  const before = aliasUpdates(emu).length;
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'on-split-alias': 'rollback', ...PC });
  expect(run.exitCode).toBe(0);
  expect(run.outputs).toMatchObject({ status: 'succeeded', version: '3', 'previous-version': '2' });
  expect(run.stdout).toContain(
    'Lambda is allocating the provisioned concurrency of alias live on version 2 and routes every call to version 1 meanwhile'
  );
  expect(aliasUpdates(emu).slice(before)).toEqual([
    ['2', { '3': 0.2 }],
    ['3', {}]
  ]);
});

test('a headroom is raised before the first weight and put back after the promotion', async () => {
  const emu = await provisionedWorld();
  const run = await deploy(emu, { strategy: 'Canary20Percent1Second', 'provisioned-concurrency-headroom': '50%', ...PC });
  expect(run.exitCode).toBe(0);
  expect(puts(emu)).toEqual([15, 10]);
  const order = emu
    .calls()
    .filter((call) => ['PutProvisionedConcurrencyConfig', 'UpdateAlias'].includes(call.operation))
    .map((call) => call.operation);
  expect(order).toEqual(['PutProvisionedConcurrencyConfig', 'UpdateAlias', 'UpdateAlias', 'PutProvisionedConcurrencyConfig']);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', provisioned: { requested: 10 } });
  expect(run.summary).toMatch(
    /\| Headroom \| 10 → 15, back to 10: 5 extra executions for [\dms]+: [\d.]+ execution-minutes, [\d.]+ GB-seconds at 128 MB/
  );
});

test('a main step killed mid-canary: the post step puts the alias and the headroom back', async () => {
  const emu = await provisionedWorld();
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds', 'provisioned-concurrency-headroom': '2', ...PC },
    { signal: { name: 'SIGKILL', afterMs: 0, afterLine: 'the bake starts now' } }
  );
  expect(run.exitCode).toBeNull();
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.2 }, provisioned: { requested: 12 } });
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders', ...PC },
    env: postStepEnv(run.state),
    timeoutMs: 30_000
  });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toMatch(/Its provisioned concurrency is READY there/);
  expect(post.stdout).toContain('The provisioned concurrency of live, raised to 12 for the deployment, is back to 10');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {}, provisioned: { requested: 10 } });
});

test('a hold on an alias with provisioned concurrency ends once READY; the promotion waits for READY and ends with the PC on the new version', async () => {
  const emu = await provisionedWorld();
  const held = await deploy(emu, { strategy: '20%:300ms, 50%:hold', ...PC });
  expect(held.exitCode).toBe(0);
  expect(held.outputs).toMatchObject({ status: 'held', 'held-weight': '50', version: '2' });
  expect(held.stdout).toMatch(
    /Provisioned concurrency READY after the shift to 50% after [\dmsh]+: live \([^)]*READY\); the hold starts now/
  );
  // The hold ends the run only after the wait: READY was read after the last UpdateAlias.
  const lastUpdate = emu.calls().findLastIndex((call) => call.operation === 'UpdateAlias');
  expect(
    emu
      .calls()
      .slice(lastUpdate)
      .some((call) => call.operation === 'GetProvisionedConcurrencyConfig')
  ).toBe(true);
  expect(liveAlias(emu)).toMatchObject({
    functionVersion: '1',
    weights: { '2': 0.5 },
    provisioned: { requested: 10, status: 'READY', versions: { '1': 5, '2': 5 } }
  });

  const promoted = await deploy(emu, { operation: 'promote', ...PC }, { env: { GITHUB_ACTOR: 'octocat' } });
  expect(promoted.exitCode).toBe(0);
  expect(promoted.outputs).toMatchObject({ status: 'succeeded', version: '2', 'previous-version': '1' });
  expect(promoted.stdout).toContain(
    'Alias orders:live has provisioned concurrency: 10 requested, 10 allocated, 10 available, READY'
  );
  expect(promoted.stdout).toMatch(/Provisioned concurrency READY after the promotion after [\dmsh]+: live/);
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['1', { '2': 0.5 }],
    ['2', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({
    functionVersion: '2',
    weights: {},
    provisioned: { requested: 10, status: 'READY', versions: { '2': 10 } }
  });
  expect(promoted.summary).toContain('| Provisioned concurrency |');
});

test('a FAILED allocation at the hold rolls the hold back instead of ending held', async () => {
  const emu = await provisionedWorld();
  emu.failProvisionedConcurrency('orders', 'live', 'Function failed to initialize');
  const run = await deploy(emu, { strategy: '50%:hold', ...PC });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^Lambda could not allocate the provisioned concurrency of alias live: Function failed to initialize .*after the shift to 50%$/
  );
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(liveAlias(emu)?.description ?? '').not.toContain('hold');
});

test('a headroom with a strategy that holds is refused before anything changes', async () => {
  const emu = await provisionedWorld();
  const run = await deploy(emu, { strategy: '50%:hold', 'provisioned-concurrency-headroom': '20%', ...PC });
  expect(run.exitCode).toBe(1);
  expect(run.stdout).toMatch(
    /::error::Input 'provisioned-concurrency-headroom' has an invalid value "20%25": a strategy that holds for approval leaves the alias weighted/
  );
  expect(aliasUpdates(emu)).toEqual([]);
  expect(puts(emu)).toEqual([]);
});

testIamPolicyCoversCalls();

function latency(medianMs: number) {
  return { errorRate: 0, latency: { medianMs, p99Ms: medianMs * 2 } };
}

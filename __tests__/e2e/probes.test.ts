import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator } from '../../emulator/index.js';
import { aliasUpdates, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Probes end to end: the bundled action invokes the new version before any traffic, and the alias
// during the rollout; the emulator answers each Invoke by the version its weights chose, with the
// behaviour the test gives that version, while its metrics arrive as late as Lambda's.
jest.setTimeout(60_000);

const world = emulatorPerTest();

/** A value of the function's environment: no log line, output or summary may show it. */
const SECRET = 'hunter2-probe-secret-value';
/** What a failing version answers: the secret, a workflow command and markup, as untrusted text can. */
const HOSTILE = `boom ${SECRET}\n::error::injected <script>alert(1)</script>`;

/** Every Invoke the action made, with its qualifier and the version that ran it. */
function invokes(emu: RunningEmulator) {
  return emu
    .calls()
    .filter((call) => call.operation === 'Invoke' && call.params.InvocationType !== 'DryRun')
    .map((call) => ({ atMs: call.atMs, qualifier: qualifierOf(call.params), status: call.status }));
}

/** The version or alias an Invoke named: its Qualifier, or the last part of a qualified name or ARN. */
function qualifierOf(params: Record<string, unknown>): string {
  if (typeof params.Qualifier === 'string') return params.Qualifier;
  const parts = String(params.FunctionName).split(':');
  const qualified = parts[0] === 'arn' ? parts.length === 8 : parts.length === 2;
  return qualified ? parts.at(-1)! : '';
}

function expectNothingLeaks(run: { stdout: string; summary: string; outputs: Record<string, string> }): void {
  for (const text of [run.stdout, run.summary, ...Object.values(run.outputs)]) expect(text).not.toContain(SECRET);
  // The summary is Markdown: the answer's markup is escaped there (the log and the outputs are plain text).
  expect(run.summary).not.toContain('<script>');
  // Untrusted text never starts a workflow command.
  for (const line of run.stdout.split('\n')) expect(line.trimStart()).not.toMatch(/^::error::injected/);
}

test('a new version that fails its probe before traffic never gets any: the answer is quoted escaped and redacted', async () => {
  const emu = await world.start({ environment: { DB_PASSWORD: SECRET } });
  emu.setInvokeBehaviour('orders', '2', { functionError: { errorType: 'Error', errorMessage: HOSTILE } });
  const run = await deploy(emu, {
    strategy: 'Canary10Percent5Minutes',
    'probe-payload': '[{"path": "/health"}, {"path": "/orders/1"}]',
    'probe-expect': '{"status": "Succeeded"}'
  });
  expect(run.exitCode).toBe(1);
  // Nothing to roll back: no weight ever changed.
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^BeforeAllowTraffic hook probe \(2 events to the new version\) failed: event 1 of 2 to version 2 failed: the function raised an error \(Unhandled\); it answered /
  );
  expect(run.outputs['failure-reason']).toContain('***');
  // No traffic moved: the alias was never written, and the probe went to version 2 itself.
  expect(aliasUpdates(emu)).toEqual([]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(invokes(emu).map((call) => call.qualifier)).toEqual(['2']);
  expectNothingLeaks(run);
});

test('the dry run prints the probe as a step before any weight changes', async () => {
  const emu = await world.start();
  const run = await deploy(emu, {
    strategy: 'Canary10Percent5Minutes',
    'probe-payload': '{"path": "/health"}',
    'probe-rate': '5',
    'dry-run': 'true'
  });
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toMatch(
    /BeforeAllowTraffic hooks: probe \(1 event to the new version\)[\s\S]*Read the checks \(probes\)[\s\S]*Step 1\/1: 10%/
  );
  expect(invokes(emu)).toEqual([]);
});

test('a version that starts failing mid-bake is rolled back within a poll of its first failed probe, its metrics unpublished', async () => {
  const emu = await world.start({ environment: { DB_PASSWORD: SECRET } });
  // Lambda's metrics arrive a minute or more late: here 40 s after their one-minute period ends.
  const metricDelayMs = 40_000;
  emu.setMetricPublication({ delayMs: metricDelayMs });
  const pollMs = 1000;
  let failingFrom = 0;
  const run = await deploy(
    emu,
    {
      strategy: 'Canary10Percent60Seconds',
      'alarm-poll-interval': `${pollMs}ms`,
      'probe-payload': '{"path": "/health"}',
      // 0.3 probes a second reach version 2 at 10 %: the statistical rule alone would need about five failed ones.
      'probe-rate': '3'
    },
    {
      onLine: (line) => {
        // Healthy for the first seconds of the step, then every call of version 2 fails.
        if (failingFrom === 0 && line.includes('Step 1/1')) {
          failingFrom = -1;
          setTimeout(() => {
            failingFrom = Date.now();
            emu.setInvokeBehaviour('orders', '2', { functionError: { errorType: 'Error', errorMessage: HOSTILE } });
          }, 3000);
        }
      }
    }
  );
  expect(failingFrom).toBeGreaterThan(0);
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  // The first failed probe was put to the test at once: the same event to both versions by their numbers.
  expect(run.outputs['failure-reason']).toMatch(
    /^probes through orders:live \(probe-failures-confirmed\): sent the failed probe's event to both versions at once: version 2 failed 10 of 10, version 1 0 of 10 /
  );
  const rollback = emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .at(-1)!;
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  const failedProbes = emu
    .invocationRecords('orders')
    .filter((record) => record.resource === 'orders:live' && record.executedVersion === '2' && record.error);
  const firstFailed = failedProbes[0]!;
  expect(firstFailed.atMs).toBeGreaterThanOrEqual(failingFrom - 50);
  // Within a poll of the first failed probe: the poll that read it sent the burst, then put the alias back (its two
  // round trips are milliseconds against the emulator; the margin is for a busy machine).
  expect(rollback.atMs - firstFailed.atMs).toBeLessThanOrEqual(pollMs + 3000);
  expect(failedProbes.filter((record) => record.atMs < rollback.atMs).length).toBeLessThanOrEqual(2);
  // The failing minute's metrics were still unpublished: its period ends on the minute, and publishes 40 s later.
  expect(rollback.atMs).toBeLessThan(Math.ceil(firstFailed.atMs / 60_000) * 60_000 + metricDelayMs);
  // The burst: ten calls to each version by its number, after the version turned bad.
  const direct = invokes(emu).filter((call) => call.atMs >= failingFrom && call.qualifier !== 'live');
  expect(direct.filter((call) => call.qualifier === '2')).toHaveLength(10);
  expect(direct.filter((call) => call.qualifier === '1')).toHaveLength(10);
  expect(run.stdout).toContain(`probes through orders:live`);
  expectNothingLeaks(run);
});

test('a version that turns bad during the final bake is put back within a poll of its first failed probe', async () => {
  const emu = await world.start({ environment: { DB_PASSWORD: SECRET } });
  emu.setMetricPublication({ delayMs: 40_000 });
  const pollMs = 1000;
  let failingFrom = 0;
  const run = await deploy(
    emu,
    {
      strategy: '20%:2s',
      'final-bake': '30s',
      'alarm-poll-interval': `${pollMs}ms`,
      'probe-payload': '{"path": "/health"}',
      'probe-rate': '2'
    },
    {
      onLine: (line) => {
        if (failingFrom === 0 && line.startsWith('Final bake: watching')) {
          failingFrom = Date.now();
          emu.setInvokeBehaviour('orders', '2', { functionError: { errorType: 'Error', errorMessage: HOSTILE } });
        }
      }
    }
  );
  expect(failingFrom).toBeGreaterThan(0);
  expect(run.outputs.status).toBe('rolled-back');
  // With all traffic on version 2, the burst still compares it with version 1, called by its number.
  expect(run.outputs['failure-reason']).toMatch(
    /probes through orders:live \(probe-failures-confirmed\): sent the failed probe's event to both versions at once: version 2 failed 10 of 10, version 1 0 of 10 /
  );
  const updates = aliasUpdates(emu);
  expect(updates.slice(-2)).toEqual([
    ['2', {}],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  const rollback = emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .at(-1)!;
  const firstFailed = emu
    .invocationRecords('orders')
    .find((record) => record.resource === 'orders:live' && record.executedVersion === '2' && record.error)!;
  expect(rollback.atMs - firstFailed.atMs).toBeLessThanOrEqual(pollMs + 3000);
  expectNothingLeaks(run);
});

test('a function with no real traffic is promoted on probe evidence alone when min-invocations is met by probes', async () => {
  const emu = await world.start({ timeout: 1 });
  emu.setMetricPublication({ delayMs: 300 });
  const run = await deploy(
    emu,
    {
      strategy: 'Canary50Percent4Seconds',
      'alarm-poll-interval': '500ms',
      'max-bake-extension': '15s',
      'max-error-rate-increase': '5%',
      'min-invocations': '5',
      'probe-payload': '{"path": "/health"}',
      'probe-rate': '10'
    },
    { env: { LSD_METRICS_PERIOD_SECONDS: '1' } }
  );
  expect(run.stderr).toBe('');
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('succeeded');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
  // Every call through the alias was a probe.
  expect(invokes(emu).filter((call) => call.qualifier === 'live').length).toBeGreaterThanOrEqual(10);
  // The summary counts the probe calls apart from real traffic.
  expect(run.summary).toMatch(
    /\| probes \| orders:live \| pass \(\d+ probe calls: version \d: 0 of \d+ failed, version \d: 0 of \d+ failed\)/
  );
  expect(run.summary).toContain('probe calls are counted apart from real traffic');
});

testIamPolicyCoversCalls();

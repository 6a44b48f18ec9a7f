import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator, VersionBehaviour } from '../../emulator/index.js';
import { aliasUpdates, deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Per-version analysis end to end: the emulator's traffic model calls `orders` through its alias,
// the bundled action reads both versions' metrics and judges. No alarm is given: analysis alone.
jest.setTimeout(60_000);

const world = emulatorPerTest();

/** One-second metric periods (emulator only), so that steps of seconds can be judged. */
const PERIOD_ENV = { LSD_METRICS_PERIOD_SECONDS: '1' };
/** A one-second timeout: a period is complete 3 s after it ends (the timeout and two periods). */
const QUICK = { timeout: 1 };
/** Datapoints reach GetMetricData this long after their second ends, as Lambda's arrive late. */
const PUBLICATION_DELAY_MS = 300;

const behaviour = (errorRate: number, medianMs = 40, p99Ms = 100): VersionBehaviour => ({
  errorRate,
  latency: { medianMs, p99Ms }
});

/** The traffic before the rollout: the 30 one-second periods the preflight reads, and the 3 s until they are complete. */
const HISTORY_MS = 35_000;

/** Traffic through `live`: version 1 behaves as `previous`, the version the deployment publishes as `next`. */
function traffic(emu: RunningEmulator, previous: VersionBehaviour, next: VersionBehaviour, ratePerSecond = 1000): void {
  emu.setMetricPublication({ delayMs: PUBLICATION_DELAY_MS });
  emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond,
    versions: { '1': previous },
    defaultVersion: next,
    historyMs: HISTORY_MS
  });
}

function analysed(emu: RunningEmulator, inputs: Record<string, string>) {
  return deploy(emu, { 'max-bake-extension': '10s', ...inputs }, { env: PERIOD_ENV });
}

/** The per-step rows of the summary's analysis table. */
function analysisRows(summary: string) {
  return [...summary.matchAll(/^\| (\d+) \| ([\d.]+)% \| (\d\d:\d\d:\d\d)–(\d\d:\d\d:\d\d) \| (.+) \|$/gm)].map((match) => {
    const cells = match[5]!.split(' | ');
    const errors = (cell: string) => Number(/^(\d+)/.exec(cell)![1]);
    return {
      step: Number(match[1]),
      weight: Number(match[2]),
      window: [match[3]!, match[4]!] as const,
      target: { calls: Number(cells[0]), errors: errors(cells[1]!) },
      previous: { calls: Number(cells[3]), errors: errors(cells[4]!) },
      verdict: cells[6]!,
      decidedBy: cells[7]!
    };
  });
}

/** An `HH:MM:SS` of the summary (UTC) as epoch milliseconds, on the day of `nearMs`. */
function clockTimeMs(time: string, nearMs: number): number {
  const [h, m, s] = time.split(':').map(Number) as [number, number, number];
  const day = new Date(nearMs);
  const candidate = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), h, m, s);
  return candidate < nearMs - 12 * 3600_000 ? candidate + 24 * 3600_000 : candidate;
}

test('a new version at 5 % errors against a 0.1 % baseline rolls back at the first step, by analysis alone', async () => {
  const emu = await world.start(QUICK);
  traffic(emu, behaviour(0.001), behaviour(0.05));
  const run = await analysed(emu, {
    strategy: 'Linear20PercentEvery4Seconds',
    'max-error-rate-increase': '1%',
    'min-invocations': '50'
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^per-version analysis of orders:live \(version 2 against 1, max-error-rate-increase\): new version: \d+ errors? in \d+ calls \(\d+\.\d %\), previous: \d+ errors? in [\d,]+ calls \(\d+\.\d+ %\) in the minutes since \d\d:\d\d:\d\d: [\d.]+ percentage points more/
  );
  // Rolled back during the first step: the second weight was never set.
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  const [row] = analysisRows(run.summary);
  expect(row).toMatchObject({ step: 1, weight: 20, verdict: '❌ fail' });
  expect(run.summary).toContain('```mermaid');
  expect(emu.calls().filter((call) => call.operation === 'DescribeAlarms')).toEqual([]);
});

test('equal error rates are promoted, and the numbers in the summary are the traffic the emulator made', async () => {
  const emu = await world.start(QUICK);
  traffic(emu, behaviour(0.03), behaviour(0.03));
  const startedAt = Date.now();
  const run = await analysed(emu, {
    strategy: 'Canary20Percent3Seconds',
    'max-error-rate-increase': '2%',
    'min-invocations': '50'
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('succeeded');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });

  const rows = analysisRows(run.summary);
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row!.verdict).toBe('✅ pass');
  expect(row!.decidedBy).toBe('max-error-rate-increase, min-invocations');
  const [from, to] = row!.window.map((time) => clockTimeMs(time, startedAt));
  const records = emu.invocationRecords('orders').filter((r) => r.atMs >= from! && r.atMs < to!);
  const count = (version: string) => {
    const mine = records.filter((r) => r.executedVersion === version);
    return { calls: mine.length, errors: mine.filter((r) => r.error).length };
  };
  expect(row!.target).toEqual(count('2'));
  expect(row!.previous).toEqual(count('1'));
  expect(row!.target.calls).toBeGreaterThanOrEqual(50);
});

test('a version with no traffic is never promoted while min-invocations is set', async () => {
  const emu = await world.start(QUICK); // nothing calls the alias
  const lines: string[] = [];
  const run = await deploy(
    emu,
    { strategy: 'Canary20Percent2Seconds', 'min-invocations': '10', 'max-bake-extension': '5s' },
    { env: PERIOD_ENV, onLine: (line) => lines.push(line) }
  );
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^stopped for want of data, with no failure seen: the step ran 7s, 5s of them held past its end \(max-bake-extension 5s\), and per-version analysis of orders:live \(version 2 against 1, min-invocations\): the new version served 0 of the 10 calls min-invocations asks for in this step \(complete through \d\d:\d\d:\d\d\), and the previous version 0$/
  );
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  // The preflight saw it coming.
  expect(lines.some((line) => line.startsWith('::warning::') && line.includes('seems not to be invoked through the alias'))).toBe(
    true
  );
  expect(analysisRows(run.summary)[0]).toMatchObject({ verdict: '⏳ not enough data', decidedBy: 'min-invocations' });
});

test('a p99 three times the baseline rolls back', async () => {
  const emu = await world.start(QUICK);
  // Its history gives the previous version's p99, read over the complete periods before the rollout.
  traffic(emu, behaviour(0, 50, 100), behaviour(0, 150, 300), 500);
  const run = await analysed(emu, {
    strategy: 'Canary20Percent3Seconds',
    'max-p99-duration-increase': '50%',
    'min-invocations': '50'
  });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^per-version analysis of orders:live \(version 2 against 1, max-p99-duration-increase\): new version: \d+ of \d+ calls slower than \d+ ms \([\d.]+ %\), previous: \d+ of [\d,]+ \([\d.]+ %\) in the minutes since \d\d:\d\d:\d\d: \d+ ms is max-p99-duration-increase 50 % above the previous version's p99 before the rollout/
  );
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('a step shorter than the metric period is refused at input time, before any AWS call', async () => {
  const emu = await world.start(QUICK);
  const run = await deploy(emu, { strategy: 'Canary10Percent30Seconds', 'max-error-rate': '1%' }); // the real 60 s period
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^Input 'strategy' has an invalid value "Canary10Percent30Seconds": the per-version analysis \(max-error-rate\) judges the new version on Lambda's metrics, one datapoint per 1m, and a step of 30s would end before its first 1m of calls is complete\. Expected steps of at least 1m each/
  );
  expect(emu.calls()).toEqual([]);
});

test('a rollout its traffic cannot feed is refused by the forecast, before anything changes', async () => {
  const emu = await world.start(QUICK);
  traffic(emu, behaviour(0.001), behaviour(0.001), 2);
  const run = await analysed(emu, { strategy: 'Canary20Percent3Seconds', 'min-invocations': '50' });
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /the traffic forecast says the per-version analysis would stop this rollout for want of data, before it could promote: orders:live served \d+ calls in the 30s before .* about [\d.]+ calls in step 1 of 1 .* against the 50 calls min-invocations asks of each step: a chance of under 0\.1 %\. Nothing was changed\./
  );
  expect(emu.calls().filter((call) => call.mutating)).toEqual([]);
});

test('a dry run checks that the alias has metrics, and warns when it has none', async () => {
  const quiet = await world.start(QUICK);
  const run = await deploy(
    quiet,
    { strategy: 'Canary20Percent2Seconds', 'min-invocations': '10', 'dry-run': 'true' },
    { env: PERIOD_ENV }
  );
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toMatch(/::warning::CloudWatch has no metrics of calls through orders:live/);
  expect(quiet.calls().map((call) => call.operation)).toContain('ListMetrics');
  expect(quiet.calls().filter((call) => call.mutating)).toEqual([]);

  const busy = await world.start(QUICK);
  traffic(busy, behaviour(0), behaviour(0), 10); // its first call is made as it starts
  const again = await deploy(
    busy,
    { strategy: 'Canary20Percent2Seconds', 'min-invocations': '10', 'dry-run': 'true' },
    { env: PERIOD_ENV }
  );
  expect(again.exitCode).toBe(0);
  expect(again.stdout).not.toMatch(/no metrics of calls through/);
});

testIamPolicyCoversCalls();

import { afterEach, describe, expect, test } from '@jest/globals';
import type { VersionBehaviour } from '../../emulator/index.js';
import type { AnalysisThresholds } from '../../src/core/analysis.js';
import { EmulatedAws } from '../support/engine-harness.js';

// The per-version analysis through the real engine, the real SDK gateways and the emulator, on a fake
// clock with Lambda's one-minute periods: each test here reproduces a defect found black-box in the
// analysis (issue 18), and fails on the code before it.

let aws: EmulatedAws;
afterEach(() => aws.restore());

const MINUTE = 60_000;
const analysis = (overrides: Partial<AnalysisThresholds> = {}): AnalysisThresholds => ({
  failedChecksLimit: 1,
  periodSeconds: 60,
  ...overrides
});
const behaviour = (errorRate: number, medianMs = 40, p99Ms = 100): VersionBehaviour => ({
  errorRate,
  latency: { medianMs, p99Ms }
});

/** Calls through `live`: version 1 as `previous`, the version the deployment publishes as `next`. */
function traffic(ratePerSecond: number, previous: VersionBehaviour, next: VersionBehaviour = previous, seed = 1): void {
  aws.emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond,
    versions: { '1': previous },
    defaultVersion: next,
    seed
  });
}

/** When each weight was set, from the alias writes the emulator answered. */
function weightChanges(): number[] {
  return aws
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .map((call) => call.atMs);
}

describe('a healthy version ships', () => {
  // The defect: the "error guard" rolled back 62 % to 99 % of healthy Linear rollouts.
  test.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    'identical versions at 0.5 %% errors, Linear10PercentEvery1Minute, seed %i: promoted',
    async (seed) => {
      aws = new EmulatedAws().orders({ live: '1' });
      aws.emu.setMetricPublication({ delayMs: 45_000 });
      traffic(5, behaviour(0.005), behaviour(0.005), seed);
      const run = await aws.deploy({
        strategy: 'Linear10PercentEvery1Minute',
        analysis: analysis({ maxErrorRateIncrease: 0.005 })
      });
      expect(run.result).toMatchObject({ status: 'succeeded' });
      expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: {} });
    }
  );

  // The defect: each step's wait for its last minute ate the next steps' time, and a version with no
  // errors was rolled back at 15m00s in step 5 of 9 "for not enough data".
  test('metrics two minutes late: each step waits for its last minute, and that wait moves the later steps instead of eating them', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    aws.emu.setMetricPublication({ delayMs: 2 * MINUTE });
    traffic(5, behaviour(0));
    const run = await aws.deploy({ strategy: 'Linear10PercentEvery1Minute', analysis: analysis({ minInvocations: 5 }) });
    expect(run.result).toMatchObject({ status: 'succeeded' });
    const writes = weightChanges();
    expect(writes).toHaveLength(10); // 9 steps and the promotion
    for (let i = 1; i < writes.length; i++) expect(writes[i]! - writes[i - 1]!).toBeGreaterThanOrEqual(MINUTE);
    // Each step after its bake held only for its own last minute: no step ran into max-bake-extension.
    for (let i = 1; i < writes.length; i++) expect(writes[i]! - writes[i - 1]!).toBeLessThan(MINUTE + 4 * MINUTE);
  });

  // The defect the bench showed: with 100 calls asked of every step, 44 % of healthy
  // Linear10PercentEvery1Minute rollouts at 2 calls a second stopped for want of data.
  test('2 calls a second, Linear10PercentEvery1Minute, no min-invocations: no step holds for calls, and the rollout ships on its total', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    traffic(2, behaviour(0.001));
    aws.clock.advance(60 * MINUTE); // the hour before the rollout: its traffic forecast
    const run = await aws.deploy({
      strategy: 'Linear10PercentEvery1Minute',
      analysis: analysis({ maxErrorRateIncrease: 0.01 })
    });
    expect(run.result).toMatchObject({ status: 'succeeded' });
    expect(run.log.lines.filter((line) => line.includes('each step needs'))).toEqual([]);
    const passes = run.analysis.filter((point) => point.outcome === 'pass');
    // The first steps passed on far fewer than 100 calls of their own; the last on the rollout's total.
    expect(Math.min(...passes.map((point) => point.target.invocations))).toBeLessThan(100);
    expect(passes.at(-1)!.rollout.target.invocations).toBeGreaterThanOrEqual(100);
  });

  // The defect: one bad minute was counted again at each later look, so failed-checks-limit 2 tolerated nothing.
  test('failed-checks-limit 2: one bad minute is one failed check, and the rollout goes on', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    const good = behaviour(0.001);
    traffic(20, good);
    const t0 = aws.clock.now();
    aws.clock.at(t0 + 2 * MINUTE, () => traffic(20, good, { ...good, errorRate: 0.5 }));
    aws.clock.at(t0 + 3 * MINUTE, () => traffic(20, good));
    const run = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      analysis: analysis({ maxErrorRateIncrease: 0.01, failedChecksLimit: 2 })
    });
    expect(run.result).toMatchObject({ status: 'succeeded' });
    expect(run.log.lines.some((line) => line.includes('not enough data [failed-checks-limit]'))).toBe(true);
  });
});

describe('thin evidence never promotes', () => {
  // The defect: with a threshold and no min-invocations, a version that served no calls was promoted.
  test('no calls at all: the rollout stops for want of data, with the step’s true figures', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    const run = await aws.deploy({ strategy: 'Canary10Percent5Minutes', analysis: analysis({ maxErrorRate: 0.01 }) });
    expect(run.result.status).toBe('rolled-back');
    expect(run.result.failureReason).toMatch(
      /^stopped for want of data, with no failure seen: the step ran 15m, 10m of them held past its end \(max-bake-extension 10m\), and per-version analysis of orders:live \(version 2 against 1, min-invocations\): the new version served 0 of the 1 call each step needs \(complete through \d\d:\d\d:00\), and the previous version 0: a step passes only on calls at its own weight$/
    );
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
    expect(run.log.warnings.some((w) => w.includes('the first step is held up to max-bake-extension (10m)'))).toBe(true);
  });

  // The defect: the run warned that it "will stop for want of calls", then went to 100 % at once.
  test('a first deployment with min-invocations says it judges nothing, and creates the alias at once', async () => {
    aws = new EmulatedAws().orders();
    const run = await aws.deploy({ strategy: 'Canary10Percent5Minutes', analysis: analysis({ minInvocations: 50 }) });
    expect(run.result.status).toBe('succeeded');
    expect(run.log.warnings).toContain(
      'orders:live does not exist yet: this first deployment creates the alias on the new version at once, with no previous ' +
        'version to share the traffic with, so the per-version analysis judges nothing this time (min-invocations included); ' +
        'the next deployment is judged'
    );
    expect(run.log.warnings.join('\n')).not.toMatch(/want of calls/);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });
});

describe('the traffic forecast: a rollout that would stop for want of data is refused before anything changes', () => {
  test('a canary at 0.2 calls a second cannot gather 100 calls: refused, nothing written, the ways out named', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    traffic(0.2, behaviour(0.001));
    aws.clock.advance(60 * MINUTE);
    const run = await aws.deploy({ strategy: 'Canary10Percent5Minutes', analysis: analysis({ maxErrorRateIncrease: 0.01 }) });
    expect(run.result.status).toBe('failed');
    expect(run.result.failureReason).toMatch(
      /the traffic forecast says the per-version analysis would stop this rollout for want of data, before it could promote: orders:live served \d+ calls in the 1h before \(\d\d:\d\d:00–\d\d:\d\d:00 UTC\), 0\.\d+ calls a second: Canary10Percent5Minutes would give the new version about \d+ calls across the rollout .* Nothing was changed\. Ways out: longer steps or larger weights, or a longer max-bake-extension/
    );
    expect(aws.mutatingOps()).toEqual([]);
    expect(aws.calls().filter((call) => call.operation === 'GetMetricData')).toHaveLength(1);
  });

  test('min-invocations 100 with one-minute steps at 0.2 calls a second: refused, naming step 1 of 9', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    traffic(0.2, behaviour(0.001));
    aws.clock.advance(60 * MINUTE);
    const run = await aws.deploy({
      strategy: 'Linear10PercentEvery1Minute',
      analysis: analysis({ maxErrorRateIncrease: 0.01, minInvocations: 100 })
    });
    expect(run.result.status).toBe('failed');
    expect(run.result.failureReason).toMatch(
      /would give the new version about \d+ calls in step 1 of 9 \(10 % of the traffic for its 1m bake and max-bake-extension 10m, less the 2m3s until a minute's metrics are complete\), against the 100 calls min-invocations asks of each step/
    );
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('the same without min-invocations gathers its 100 across the rollout: it ships', async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    traffic(0.2, behaviour(0.001));
    aws.clock.advance(60 * MINUTE);
    const run = await aws.deploy({ strategy: 'Linear10PercentEvery1Minute', analysis: analysis({ maxErrorRateIncrease: 0.01 }) });
    expect(run.result.status).toBe('succeeded');
    expect(run.log.warnings.filter((warning) => warning.includes('traffic forecast'))).toEqual([]);
  });
});

describe('how long it takes, said up front', () => {
  test("Linear10PercentEvery1Minute with analysis: the plan says about 36m with each step's wait for its last minute, and the run takes that", async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    traffic(20, behaviour(0.001));
    aws.clock.advance(60 * MINUTE);
    const settings = { strategy: 'Linear10PercentEvery1Minute', analysis: analysis({ maxErrorRateIncrease: 0.01 }) };
    const dry = await aws.deploy({ ...settings, dryRun: true });
    expect(dry.report.plan).toContain(
      "3. Step 1/9: 10% of orders:live's traffic to the new version (the 9 steps take about 36m with the waits, 9m of bake " +
        "without them: each step also waits for the analysis's last minute of metrics (up to 1m for the minute to end, the " +
        "function's 3s timeout, 2m for CloudWatch))"
    );
    const run = await aws.deploy(settings);
    expect(run.result.status).toBe('succeeded');
    expect(run.log.lines).toContain(
      "Step 1/9: 10% of traffic on version 2, baking for 1m, then up to 3m3s for the analysis's last minute of metrics (up to " +
        "1m for the minute to end, the function's 3s timeout, 2m for CloudWatch)"
    );
    const writes = weightChanges();
    const took = writes.at(-1)! - writes[0]!;
    expect(Math.abs(took - 36 * MINUTE)).toBeLessThan(MINUTE);
  });
});

describe('the numbers are true', () => {
  // The defect: per-minute p99s were averaged with calls as weights; a canary minute of 30 calls has its slowest as "p99".
  test("a step's p99 is CloudWatch's over the whole step window, not an average of the minutes'", async () => {
    aws = new EmulatedAws().orders({ live: '1' });
    traffic(5, behaviour(0, 40, 100));
    aws.clock.advance(60 * MINUTE); // the hour before the rollout gives the previous version's p99
    const run = await aws.deploy({
      strategy: 'Canary10Percent5Minutes',
      analysis: analysis({ maxP99DurationIncrease: 0.25, minInvocations: 20 })
    });
    expect(run.result).toMatchObject({ status: 'succeeded' });
    const last = run.analysis.at(-1)!;
    expect(last.windowEndMs - last.windowStartMs).toBeGreaterThanOrEqual(5 * MINUTE); // the whole step, 30 calls a minute on the new version
    const durations = aws.emu
      .invocationRecords('orders')
      .filter((r) => r.executedVersion === '2' && r.atMs >= last.windowStartMs && r.atMs < last.windowEndMs)
      .map((r) => r.durationMs!)
      .sort((a, b) => a - b);
    expect(durations.length).toBe(last.target.invocations);
    expect(last.target.p99Ms).toBe(durations[Math.ceil(0.99 * durations.length) - 1]);
  });

  // The defect: a minute was judged as soon as it had data, before calls stamped in it had ended.
  test('a version whose failed calls run to a 5-minute timeout is judged once its minutes are complete, and rolled back', async () => {
    aws = new EmulatedAws().orders({ live: '1', timeout: 300 });
    aws.emu.setMetricPublication({ delayMs: 30_000 });
    traffic(10, behaviour(0.001), { ...behaviour(0.1), errorDurationMs: 280_000 });
    const run = await aws.deploy({ strategy: '10%:2m', analysis: analysis({ maxErrorRateIncrease: 0.01 }) });
    expect(run.result.status).toBe('rolled-back');
    expect(run.result.failureReason).toMatch(
      /^per-version analysis of orders:live \(version 2 against 1, max-error-rate-increase\): new version: \d+ errors in/
    );
    // It was judged only after the step's minutes were complete: more than the timeout after the step ended.
    expect(run.elapsedMs).toBeGreaterThan(2 * MINUTE + 5 * MINUTE);
  });
});

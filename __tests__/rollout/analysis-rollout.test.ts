import { afterEach, expect, test } from '@jest/globals';
import { EmulatedAws } from '../support/engine-harness.js';
import type { AnalysisThresholds } from '../../src/core/analysis.js';

let aws: EmulatedAws;
afterEach(() => aws.restore());

const MINUTE = 60_000;
const analysis = (overrides: Partial<AnalysisThresholds> = {}): AnalysisThresholds => ({
  failedChecksLimit: 1,
  periodSeconds: 60,
  ...overrides
});

test('drift: Linear10PercentEvery1Minute, metrics two minutes late, no errors: promoted', async () => {
  aws = new EmulatedAws().orders({ live: '1' });
  aws.emu.setMetricPublication({ delayMs: 2 * MINUTE });
  aws.emu.startTraffic({ functionName: 'orders', alias: 'live', ratePerSecond: 5 });
  const run = await aws.deploy({ strategy: 'Linear10PercentEvery1Minute', analysis: analysis({ minInvocations: 5 }) });
  console.log(run.result.status, run.result.failureReason, run.elapsedMs / MINUTE);
  console.log(run.log.lines.join("\n"), run.log.warnings);
  expect(run.result.status).toBe('succeeded');
});

test('long timeout: a version whose failures run to the 5-minute timeout is judged on complete minutes', async () => {
  aws = new EmulatedAws().orders({ live: '1', timeout: 300 });
  aws.emu.setMetricPublication({ delayMs: 30_000 });
  aws.emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond: 10,
    versions: { '1': { errorRate: 0.001, latency: { medianMs: 40, p99Ms: 100 } } },
    defaultVersion: { errorRate: 0.1, latency: { medianMs: 40, p99Ms: 100 }, errorDurationMs: 280_000 }
  });
  const run = await aws.deploy({ strategy: '10%:2m', analysis: analysis({ maxErrorRateIncrease: 0.01 }) });
  console.log(run.result.status, run.result.failureReason, run.elapsedMs / MINUTE);
  console.log(run.log.lines.join('\n'), run.log.warnings);
});

test('failed-checks-limit 2: one bad minute is one failed check', async () => {
  aws = new EmulatedAws().orders({ live: '1' });
  const good = { errorRate: 0.001, latency: { medianMs: 40, p99Ms: 100 } };
  const start = (bad: boolean) =>
    aws.emu.startTraffic({
      functionName: 'orders',
      alias: 'live',
      ratePerSecond: 20,
      versions: { '1': good },
      defaultVersion: bad ? { ...good, errorRate: 0.5 } : good
    });
  start(false);
  const t0 = aws.clock.now();
  aws.clock.at(t0 + 2 * MINUTE, () => start(true));
  aws.clock.at(t0 + 3 * MINUTE, () => start(false));
  const run = await aws.deploy({ strategy: 'Canary10Percent5Minutes', analysis: analysis({ maxErrorRateIncrease: 0.01, failedChecksLimit: 2 }) });
  console.log(run.result.status, run.result.failureReason, run.elapsedMs / MINUTE);
  console.log(run.log.lines.join('\n'), run.log.warnings);
});

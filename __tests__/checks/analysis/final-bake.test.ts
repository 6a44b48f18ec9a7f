import { describe, expect, test } from '@jest/globals';
import type { MetricsGateway, PeriodPoint, VersionMetricsQuery, VersionSeries } from '../../../src/aws/metrics-gateway.js';
import { AnalysisCheck } from '../../../src/checks/analysis/analysis-check.js';
import { rateUpperBound } from '../../../src/checks/analysis/final-bake.js';
import { alphaPerRule } from '../../../src/checks/analysis/judge.js';
import type { CheckContext } from '../../../src/checks/checks.js';
import { parseStrategy } from '../../../src/config/strategy.js';
import type { AnalysisThresholds } from '../../../src/core/analysis.js';

// The final bake's analysis: the new version with all traffic, against the previous version's own
// figures from the hour before the first shift.

const MINUTE = 60_000;
/** The first shift, on a minute boundary; the promotion (and the final bake) 10 minutes later. */
const FIRST_SHIFT = Date.UTC(2026, 10, 25, 10, 0, 0);
const PROMOTED = FIRST_SHIFT + 10 * MINUTE;
const FINAL_BAKE_MS = 10 * MINUTE;
/** A minute is complete 2 minutes and the function's 3 s timeout after it ends: this long after it starts. */
const COMPLETE_AFTER = 3 * MINUTE + 3_000;

/** Per version, per minute: what CloudWatch holds. */
class Metrics implements MetricsGateway {
  readonly queries: VersionMetricsQuery[] = [];
  constructor(private readonly perMinute: (version: string, startMs: number) => PeriodPoint | undefined) {}

  async versionMetrics(query: VersionMetricsQuery): Promise<VersionSeries[]> {
    this.queries.push(query);
    return query.versions.map((version) => {
      const periods: PeriodPoint[] = [];
      for (let start = query.startMs; start < query.endMs; start += MINUTE) {
        const point = this.perMinute(version, start);
        if (point) periods.push(point);
      }
      return { version, periods, ...(version === '1' && periods.length > 0 ? { windowP99Ms: 200 } : {}) };
    });
  }

  async aliasTraffic(): Promise<never> {
    throw new Error('not read by the final bake');
  }

  async aliasHasMetrics(): Promise<boolean> {
    return true;
  }
}

/** The previous version before the first shift at `baseline` per minute; the new one after the promotion at `next`. */
function world(baseline: { calls: number; errors: number }, next: { calls: number; errors: number }): Metrics {
  return new Metrics((version, startMs) => {
    const counts = version === '1' ? (startMs < FIRST_SHIFT ? baseline : undefined) : startMs >= PROMOTED ? next : undefined;
    if (!counts || counts.calls === 0) return undefined;
    return { startMs, invocations: counts.calls, ...(counts.errors > 0 ? { errors: counts.errors } : {}) };
  });
}

function check(gateway: Metrics, thresholds: Partial<AnalysisThresholds> = {}) {
  return new AnalysisCheck({
    gateway,
    alias: { functionName: 'orders', alias: 'live' },
    thresholds: { maxErrorRateIncrease: 0.01, failedChecksLimit: 1, periodSeconds: 60, ...thresholds },
    fn: { live: async () => ({ version: '1', timeoutSeconds: 3 }), newTimeoutSeconds: async () => 3 },
    rollout: { kind: 'deployment', strategy: parseStrategy('Canary10Percent5Minutes') },
    clock: { now: () => FIRST_SHIFT },
    functions: 1,
    maxBakeExtensionMs: 10 * MINUTE,
    pollIntervalMs: 10_000,
    finalBake: true
  });
}

const at = (now: number): CheckContext => ({
  now,
  weightPercent: 100,
  stepStartedAt: PROMOTED,
  stepEndsAt: PROMOTED + FINAL_BAKE_MS,
  versions: [{ functionName: 'orders', alias: 'live', target: '2', previous: '1' }],
  finalBake: { startedAt: PROMOTED, endsAt: PROMOTED + FINAL_BAKE_MS, baselineEndsAt: FIRST_SHIFT }
});

/** Polls every 10 s from the promotion until a verdict other than "not enough data", or `until`. */
async function bakeUntilDecided(analysis: AnalysisCheck, until: number) {
  for (let now = PROMOTED + 10_000; ; now += 10_000) {
    const verdict = await analysis.evaluate(at(now));
    if (verdict.kind !== 'inconclusive' || now >= until) return { verdict, now };
  }
}

describe('the final bake against the baseline', () => {
  test('a version that fails far more calls than the previous one did before fails within minutes, naming both', async () => {
    const gateway = world({ calls: 100, errors: 1 }, { calls: 100, errors: 20 });
    const { verdict, now } = await bakeUntilDecided(check(gateway), PROMOTED + 20 * MINUTE);
    expect(verdict.kind).toBe('unhealthy');
    // Its first minute is complete 3m3s after the promotion: one minute of 20 % errors is enough.
    expect(now).toBeLessThanOrEqual(PROMOTED + COMPLETE_AFTER + 10_000);
    expect(verdict.kind === 'unhealthy' && verdict.reason).toMatch(
      /^final bake: per-version analysis of orders:live \(version 2 with all traffic, against version 1's own figures from before the rollout, max-error-rate-increase\): new version: 20 errors in 100 calls \(20\.0 %\).*previous version before the rollout: 60 errors in 6,000 calls \(1\.0 %\)/
    );
    // The baseline is the hour before the first shift, read once.
    const baseline = gateway.queries.filter((query) => query.versions.includes('1'));
    expect(baseline).toEqual([
      expect.objectContaining({ startMs: FIRST_SHIFT - 60 * MINUTE, endMs: FIRST_SHIFT, versions: ['1'] })
    ]);
  });

  test('a version as good as the previous one passes once the final bake ended and its last minute is complete', async () => {
    const { verdict, now } = await bakeUntilDecided(
      check(world({ calls: 100, errors: 1 }, { calls: 100, errors: 1 })),
      PROMOTED + 30 * MINUTE
    );
    expect(verdict.kind).toBe('healthy');
    const lastMinute = PROMOTED + FINAL_BAKE_MS - MINUTE;
    expect(now).toBeGreaterThanOrEqual(lastMinute + COMPLETE_AFTER);
    expect(verdict.observations[0]!.state).toMatch(
      /^pass \(new 2: 10\/1,000 calls failed \(1\.0 %\); before the rollout 1: 60\/6,000 calls failed \(1\.0 %\)\)$/
    );
  });

  test('no calls on the new version is never a pass: the final bake stays inconclusive, saying why', async () => {
    const { verdict } = await bakeUntilDecided(
      check(world({ calls: 100, errors: 1 }, { calls: 0, errors: 0 })),
      PROMOTED + 25 * MINUTE
    );
    expect(verdict.kind).toBe('inconclusive');
    expect(verdict.kind === 'inconclusive' && verdict.reason).toContain('min-invocations');
  });

  test('a previous version with too few calls before the rollout cannot be compared with: inconclusive, never a pass', async () => {
    const { verdict } = await bakeUntilDecided(
      check(world({ calls: 1, errors: 0 }, { calls: 100, errors: 1 })),
      PROMOTED + 25 * MINUTE
    );
    expect(verdict.kind).toBe('inconclusive');
    expect(verdict.kind === 'inconclusive' && verdict.reason).toContain('served 60 calls');
  });

  test('max-error-rate judges the new version on its own calls, with no baseline needed', async () => {
    const { verdict } = await bakeUntilDecided(
      check(world({ calls: 0, errors: 0 }, { calls: 100, errors: 30 }), { maxErrorRateIncrease: undefined, maxErrorRate: 0.05 }),
      PROMOTED + 20 * MINUTE
    );
    expect(verdict.kind).toBe('unhealthy');
    expect(verdict.kind === 'unhealthy' && verdict.reason).toContain('max-error-rate)');
  });

  test('with a final bake, the steps and the final bake share the rollout budget, half each', async () => {
    const gateway = world({ calls: 100, errors: 1 }, { calls: 100, errors: 20 });
    await bakeUntilDecided(check(gateway), PROMOTED + 20 * MINUTE);
    const analysis = check(gateway);
    const verdict = await analysis.evaluate(at(PROMOTED + 5 * MINUTE));
    expect(verdict.kind).toBe('unhealthy');
    expect(verdict.kind === 'unhealthy' && verdict.reason).toContain(
      `past the bar of ${(2 / (alphaPerRule(1, 1) / 2)).toLocaleString('en-US')}`
    );
  });
});

describe('rateUpperBound', () => {
  test('is above the observed rate, tighter with more calls, and 1 without calls', () => {
    expect(rateUpperBound(0, 0, 0.005)).toBe(1);
    const zero = rateUpperBound(0, 100, 0.005);
    expect(zero).toBeCloseTo(1 - Math.exp(-Math.log(200) / 100), 6);
    const few = rateUpperBound(10, 1_000, 0.005);
    const many = rateUpperBound(100, 10_000, 0.005);
    expect(few).toBeGreaterThan(0.01);
    expect(many).toBeGreaterThan(0.01);
    expect(many).toBeLessThan(few);
  });
});

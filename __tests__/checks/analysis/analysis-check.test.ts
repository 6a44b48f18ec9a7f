import { describe, expect, test } from '@jest/globals';
import type { MetricsGateway, PeriodPoint, VersionMetricsQuery, VersionSeries } from '../../../src/aws/metrics-gateway.js';
import { AnalysisCheck } from '../../../src/checks/analysis/analysis-check.js';
import type { CheckContext } from '../../../src/checks/checks.js';
import type { AnalysisThresholds } from '../../../src/core/analysis.js';

const MINUTE = 60_000;
const BOUNDARY = 1_700_000_040_000; // a minute boundary
const T0 = BOUNDARY + 20_000; // the step began 20 s into that minute

/** A gateway that answers what the test sets, and remembers what it was asked. */
class FakeMetrics implements MetricsGateway {
  readonly queries: VersionMetricsQuery[] = [];
  periods: Record<string, PeriodPoint[]> = {};
  hasMetrics = true;
  failWith?: Error;

  async versionMetrics(query: VersionMetricsQuery): Promise<VersionSeries[]> {
    this.queries.push(query);
    if (this.failWith) throw this.failWith;
    return query.versions.map((version) => ({ version, periods: this.periods[version] ?? [] }));
  }

  async aliasHasMetrics(): Promise<boolean> {
    return this.hasMetrics;
  }
}

const versions = [{ functionName: 'orders', alias: 'live', target: '2', previous: '1' }];
const stepStart = T0;
const context = (overrides: Partial<CheckContext> = {}): CheckContext => ({
  now: T0 + 2 * MINUTE,
  weightPercent: 10,
  stepStartedAt: stepStart,
  stepEndsAt: T0 + 5 * MINUTE,
  versions,
  ...overrides
});

function setUp(thresholds: Partial<AnalysisThresholds> = {}) {
  const gateway = new FakeMetrics();
  const check = new AnalysisCheck(
    gateway,
    { functionName: 'orders', alias: 'live', region: 'eu-west-1' },
    { maxErrorRateIncrease: 0.01, minInvocations: 50, failedChecksLimit: 1, periodSeconds: 60, ...thresholds }
  );
  return { gateway, check };
}

/** One minute of data for each version: new version's calls and errors, then the previous one's. */
const minute = (start: number, calls: number, errors: number): PeriodPoint => ({
  startMs: start,
  invocations: calls,
  errors,
  p99Ms: 100
});

describe('what it reads', () => {
  test("one read per poll: both versions, from the start of the step's minute to the end of the current one", async () => {
    const { gateway, check } = setUp();
    await check.evaluate(context());
    expect(gateway.queries).toEqual([
      {
        functionName: 'orders',
        alias: 'live',
        region: 'eu-west-1',
        versions: ['2', '1'],
        startMs: BOUNDARY,
        endMs: BOUNDARY + 3 * MINUTE,
        periodSeconds: 60
      }
    ]);
  });

  test.each([
    ['before the first shift', { weightPercent: 0 }, 'the new version has no traffic yet'],
    ['after promotion', { weightPercent: 100 }, 'all traffic is on the new version: nothing to compare it with'],
    ['on a first deployment', { versions: [] }, 'no previous version to compare the new one with']
  ])('%s it does not judge, and says so', async (_, overrides, detail) => {
    const { gateway, check } = setUp();
    const verdict = await check.evaluate(context(overrides));
    expect(verdict).toEqual({
      kind: 'healthy',
      observations: [{ check: 'analysis', subject: 'orders:live', state: 'not judged', detail }]
    });
    expect(gateway.queries).toEqual([]);
  });

  test('a read that throws is a check error for the bake loop, not a failed analysis', async () => {
    const { gateway, check } = setUp();
    gateway.failWith = new Error('Throttling: slow down');
    await expect(check.evaluate(context())).rejects.toThrow('Throttling');
  });
});

describe('verdicts', () => {
  test('a pass is healthy and carries the numbers for the summary', async () => {
    const { gateway, check } = setUp();
    gateway.periods = { '2': [minute(BOUNDARY, 60, 0)], '1': [minute(BOUNDARY, 540, 2)] };
    const verdict = await check.evaluate(context());
    expect(verdict.kind).toBe('healthy');
    expect(verdict.observations[0]).toMatchObject({
      check: 'analysis',
      subject: 'orders:live',
      state: 'pass (new 2: 0/60 errors (0.0 %), p99 100 ms; previous 1: 2/540 errors (0.4 %), p99 100 ms)',
      metrics: {
        functionName: 'orders',
        alias: 'live',
        weightPercent: 10,
        stepStartedAt: T0,
        windowStartMs: BOUNDARY,
        windowEndMs: BOUNDARY + MINUTE,
        target: { version: '2', invocations: 60, errors: 0, p99Ms: 100 },
        previous: { version: '1', invocations: 540, errors: 2, p99Ms: 100 },
        outcome: 'pass'
      }
    });
  });

  test('too few calls hold the step: inconclusive, with the reason', async () => {
    const { gateway, check } = setUp();
    gateway.periods = { '2': [minute(BOUNDARY, 12, 0)], '1': [minute(BOUNDARY, 108, 0)] };
    const verdict = await check.evaluate(context());
    expect(verdict).toMatchObject({
      kind: 'inconclusive',
      reason:
        'per-version analysis of orders:live (version 2 against 1, min-invocations): the new version served 12 of the 50 calls min-invocations asks for in this step'
    });
  });

  test('a failure rolls back with the numbers', async () => {
    const { gateway, check } = setUp();
    gateway.periods = { '2': [minute(BOUNDARY, 50, 5)], '1': [minute(BOUNDARY, 450, 1)] };
    const verdict = await check.evaluate(context());
    expect(verdict.kind).toBe('unhealthy');
    expect(verdict.kind === 'unhealthy' && verdict.reason).toContain(
      'per-version analysis of orders:live (version 2 against 1, max-error-rate-increase): new version: 5 errors in 50 calls (10.0 %), previous: 1 in 450 (0.2 %)'
    );
  });

  test('failed-checks-limit: failures in a row hold the step until the limit; the same data read again is no new failure; a pass resets', async () => {
    const { gateway, check } = setUp({ failedChecksLimit: 2 });
    const bad = (calls: number) => ({ '2': [minute(BOUNDARY, calls, 5)], '1': [minute(BOUNDARY, 450, 1)] });
    gateway.periods = bad(50);
    const first = await check.evaluate(context());
    expect(first).toMatchObject({ kind: 'inconclusive' });
    expect(first.kind === 'inconclusive' && first.reason).toMatch(
      /^failed analysis 1 of the 2 in a row that roll back \(failed-checks-limit\): /
    );
    expect((await check.evaluate(context())).kind).toBe('inconclusive'); // same numbers: still 1
    gateway.periods = { '2': [minute(BOUNDARY, 60, 0)], '1': [minute(BOUNDARY, 540, 2)] };
    expect((await check.evaluate(context())).kind).toBe('healthy'); // resets the count
    gateway.periods = bad(51);
    expect((await check.evaluate(context())).kind).toBe('inconclusive');
    gateway.periods = bad(52);
    expect((await check.evaluate(context())).kind).toBe('unhealthy');
  });

  test("at the step's end it waits for the last minute's metrics before it passes", async () => {
    const { gateway, check } = setUp();
    const ended = { now: T0 + 5 * MINUTE + 10_000 }; // the last minute is [T0 + 4m40s, T0 + 5m40s)
    const lastMinute = BOUNDARY + 5 * MINUTE;
    gateway.periods = { '2': [minute(BOUNDARY, 60, 0)], '1': [minute(BOUNDARY, 540, 2)] };
    expect(await check.evaluate(context(ended))).toMatchObject({
      kind: 'inconclusive',
      observations: [{ metrics: { decidedBy: 'metric delay', outcome: 'not-enough-data' } }]
    });
    gateway.periods['1']!.push(minute(lastMinute, 90, 0));
    expect((await check.evaluate(context(ended))).kind).toBe('healthy');
  });
});

describe('preflight', () => {
  test('no metrics through the alias: a warning that the function seems not invoked through it', async () => {
    const { gateway, check } = setUp();
    gateway.hasMetrics = false;
    const findings = await check.preflight();
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toHaveLength(1);
    expect(findings.warnings[0]).toMatch(/no metrics of calls through orders:live .* seems not to be invoked through the alias/);
    expect(findings.warnings[0]).toContain('with min-invocations set the rollout will stop for want of calls');
  });

  test('metrics found: nothing to say', async () => {
    expect(await setUp().check.preflight()).toEqual({ problems: [], warnings: [] });
  });

  test('no metrics, and the trigger audit found triggers that bypass the alias: the warning names them', async () => {
    const gateway = new FakeMetrics();
    gateway.hasMetrics = false;
    const culprit =
      'event source mapping arn:aws:sqs:us-east-1:123456789012:jobs on the unqualified function ($LATEST) (runs $LATEST)';
    const check = new AnalysisCheck(
      gateway,
      { functionName: 'orders', alias: 'live' },
      { maxErrorRateIncrease: 0.01, failedChecksLimit: 1, periodSeconds: 60 },
      async () => [culprit]
    );
    const [warning] = (await check.preflight()).warnings;
    expect(warning).toMatch(/seems not to be invoked through the alias/);
    expect(warning).toContain(`these call it without the alias: ${culprit}`);
    expect(warning).not.toContain('docs/troubleshooting.md');
  });
});

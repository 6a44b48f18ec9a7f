import { describe, expect, test } from '@jest/globals';
import type {
  AliasTraffic,
  AliasTrafficQuery,
  MetricsGateway,
  PeriodPoint,
  VersionMetricsQuery,
  VersionSeries
} from '../../../src/aws/metrics-gateway.js';
import { parseStrategy } from '../../../src/config/strategy.js';
import { AnalysisCheck, type AnalysisCheckOptions } from '../../../src/checks/analysis/analysis-check.js';
import { AnalysisLog } from '../../../src/checks/analysis/analysis-log.js';
import type { CheckContext } from '../../../src/checks/checks.js';
import type { AnalysisThresholds } from '../../../src/core/analysis.js';

const MINUTE = 60_000;
const BOUNDARY = Date.UTC(2026, 10, 25, 10, 0, 0); // a minute boundary
const T0 = BOUNDARY + 20_000; // the step began 20 s into that minute
/** A minute is complete 2 minutes and the function's 3 s timeout after it ends. */
const COMPLETE_AFTER = 3 * MINUTE + 3_000;

/** A gateway that answers what the test sets (per version, per minute), and remembers what it was asked. */
class FakeMetrics implements MetricsGateway {
  readonly queries: VersionMetricsQuery[] = [];
  readonly trafficQueries: AliasTrafficQuery[] = [];
  periods: Record<string, PeriodPoint[]> = {};
  windowP99: Record<string, number> = {};
  hasMetrics = true;
  failWith?: Error;

  async versionMetrics(query: VersionMetricsQuery): Promise<VersionSeries[]> {
    this.queries.push(query);
    if (this.failWith) throw this.failWith;
    return query.versions.map((version) => ({
      version,
      periods: (this.periods[version] ?? []).filter((p) => p.startMs >= query.startMs && p.startMs < query.endMs),
      ...(this.windowP99[version] !== undefined ? { windowP99Ms: this.windowP99[version] } : {})
    }));
  }

  /** The alias's calls: every version's periods in the window; the version's p99 from `windowP99`. */
  async aliasTraffic(query: AliasTrafficQuery): Promise<AliasTraffic> {
    this.trafficQueries.push(query);
    if (this.failWith) throw this.failWith;
    const calls = (version: string): number =>
      (this.periods[version] ?? [])
        .filter((p) => p.startMs >= query.startMs && p.startMs < query.endMs)
        .reduce((sum, p) => sum + (p.invocations ?? 0), 0);
    const own = calls(query.version);
    const p99Ms = this.windowP99[query.version];
    return {
      calls: Object.keys(this.periods).reduce((sum, version) => sum + calls(version), 0),
      version: { calls: own, ...(own > 0 && p99Ms !== undefined ? { p99Ms } : {}) }
    };
  }

  async aliasHasMetrics(): Promise<boolean> {
    return this.hasMetrics;
  }
}

const versions = [{ functionName: 'orders', alias: 'live', target: '2', previous: '1' }];
const context = (overrides: Partial<CheckContext> = {}): CheckContext => ({
  now: T0 + 2 * MINUTE,
  weightPercent: 10,
  stepStartedAt: T0,
  stepEndsAt: T0 + 5 * MINUTE,
  versions,
  ...overrides
});

function setUp(thresholds: Partial<AnalysisThresholds> = {}, options: Partial<AnalysisCheckOptions> = {}) {
  const gateway = new FakeMetrics();
  const log = new AnalysisLog();
  const timeouts = { alias: 3 as number | undefined, next: 3 };
  /** The preflight's time: right before the step (the tests of evaluate give theirs in the context). */
  const clock = { now: () => T0 };
  const check = new AnalysisCheck({
    gateway,
    alias: { functionName: 'orders', alias: 'live', region: 'eu-west-1' },
    thresholds: { maxErrorRateIncrease: 0.01, failedChecksLimit: 1, periodSeconds: 60, ...thresholds },
    fn: {
      live: async () => (timeouts.alias === undefined ? undefined : { version: '1', timeoutSeconds: timeouts.alias }),
      newTimeoutSeconds: async () => timeouts.next
    },
    rollout: { kind: 'deployment', strategy: parseStrategy('Canary10Percent5Minutes') },
    clock,
    functions: 1,
    maxBakeExtensionMs: 10 * MINUTE,
    pollIntervalMs: 10_000,
    sink: log,
    ...options
  });
  return { gateway, check, log, timeouts, clock };
}

/** Minute `i` of the step (from its boundary): calls and errors. */
const at = (i: number, calls: number, errors = 0, extra: Partial<PeriodPoint> = {}): PeriodPoint => ({
  startMs: BOUNDARY + i * MINUTE,
  invocations: calls,
  ...(errors > 0 ? { errors } : {}),
  ...extra
});

/** Both versions, minute by minute: [new calls, new errors, previous calls, previous errors]. */
function traffic(gateway: FakeMetrics, minutes: Array<[number, number, number, number]>): void {
  gateway.periods = {
    '2': minutes.map(([calls, errors], i) => at(i, calls, errors)),
    '1': minutes.map(([, , calls, errors], i) => at(i, calls, errors))
  };
}

describe('what it reads, and when', () => {
  test('one read when a minute becomes complete (its end, the timeout, 2 minutes), none at the polls between', async () => {
    const { gateway, check } = setUp();
    traffic(gateway, [[30, 0, 270, 1]]);
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER - 1 }));
    expect(gateway.queries).toEqual([]); // the first minute is not complete yet
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER + 10_000 }));
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER + 20_000 }));
    expect(gateway.queries).toEqual([
      {
        functionName: 'orders',
        alias: 'live',
        region: 'eu-west-1',
        versions: ['2', '1'],
        startMs: BOUNDARY,
        endMs: BOUNDARY + MINUTE,
        periodSeconds: 60
      }
    ]);
    await check.evaluate(context({ now: BOUNDARY + MINUTE + COMPLETE_AFTER }));
    expect(gateway.queries.map((q) => [q.startMs, q.endMs])).toEqual([
      [BOUNDARY, BOUNDARY + MINUTE],
      [BOUNDARY, BOUNDARY + 2 * MINUTE] // from the step's first minute: its p99 is over the whole window
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

  test('a read that throws is a check error for the bake loop, not a failed analysis; the minute is read again', async () => {
    const { gateway, check } = setUp();
    traffic(gateway, [[30, 0, 270, 1]]);
    gateway.failWith = new Error('Throttling: slow down');
    await expect(check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }))).rejects.toThrow('Throttling');
    gateway.failWith = undefined;
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER + 10_000 }));
    expect(gateway.queries).toHaveLength(2);
  });

  test("the function's longest timeout decides when a minute is complete", async () => {
    const { gateway, check, timeouts } = setUp();
    timeouts.next = 300; // the new version may run five minutes
    traffic(gateway, [[30, 0, 270, 1]]);
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    expect(gateway.queries).toEqual([]);
    await check.evaluate(context({ now: BOUNDARY + 3 * MINUTE + 300_000 }));
    expect(gateway.queries).toHaveLength(1);
  });
});

describe('verdicts', () => {
  /** The step's five minutes and its last partial one, all complete. */
  const ended = { now: BOUNDARY + 5 * MINUTE + COMPLETE_AFTER };

  test('a step whose minutes are complete, with enough calls and no failure, passes; the Checks table does not say it twice', async () => {
    const { gateway, check } = setUp();
    traffic(
      gateway,
      Array.from({ length: 6 }, () => [30, 0, 270, 1])
    );
    gateway.windowP99 = { '2': 88, '1': 91 };
    const verdict = await check.evaluate(context(ended));
    expect(verdict).toEqual({
      kind: 'healthy',
      observations: [
        {
          check: 'analysis',
          subject: 'orders:live',
          state: 'pass (new 2: 0/180 calls failed (0.0 %), p99 88 ms; previous 1: 6/1,620 calls failed (0.4 %), p99 91 ms)',
          detail: 'no rule failed (max-error-rate-increase, min-invocations)'
        }
      ]
    });
  });

  // The defect: the "error guard" rolled back 4 of 6 identical versions on numbers such as these.
  test('identical versions at 0.5 %: 2 errors in 443 calls against 0 in 157 is no failure', async () => {
    const { gateway, check } = setUp();
    traffic(gateway, [
      [200, 1, 80, 0],
      [243, 1, 77, 0]
    ]);
    const verdict = await check.evaluate(context({ now: BOUNDARY + MINUTE + COMPLETE_AFTER, stepEndsAt: BOUNDARY + 2 * MINUTE }));
    expect(verdict.kind).toBe('healthy');
  });

  test('too few calls hold the step, with the figures of its complete minutes', async () => {
    const { gateway, check } = setUp({ minInvocations: 50 });
    traffic(
      gateway,
      Array.from({ length: 6 }, () => [2, 0, 18, 0])
    );
    expect(await check.evaluate(context(ended))).toMatchObject({
      kind: 'inconclusive',
      reason:
        'per-version analysis of orders:live (version 2 against 1, min-invocations): the new version served 12 of the 50 calls ' +
        'min-invocations asks for in this step (complete through 10:06:00), and the previous version 108'
    });
  });

  // The defect: with a threshold and no min-invocations, a version that served nothing passed.
  test('without min-invocations, zero calls never pass a step', async () => {
    const { check } = setUp();
    const verdict = await check.evaluate(context({ ...ended, step: { number: 1, of: 9 } }));
    expect(verdict).toMatchObject({ kind: 'inconclusive' });
    expect(verdict.kind === 'inconclusive' && verdict.reason).toContain(
      'the new version served 0 of the 1 call each step needs (complete through 10:06:00), and the previous version 0'
    );
  });

  test('without min-invocations, a step before the last passes on few calls; the last holds for 100 across the rollout', async () => {
    const { gateway, check } = setUp();
    traffic(
      gateway,
      Array.from({ length: 6 }, () => [2, 0, 18, 0])
    );
    expect((await check.evaluate(context({ ...ended, step: { number: 1, of: 2 } }))).kind).toBe('healthy');
    const last = await check.evaluate(context({ ...ended, step: { number: 2, of: 2 } }));
    expect(last).toMatchObject({ kind: 'inconclusive' });
    expect(last.kind === 'inconclusive' && last.reason).toContain(
      'the new version served 12 of the 100 calls the rollout needs before the promotion (min-invocations is not set: ' +
        '100 across the rollout by default), 12 of them in this last step'
    );
    // Not told which step it judges: as the last one, so that the rollout's minimum still holds.
    expect((await check.evaluate(context(ended))).kind).toBe('inconclusive');
  });

  test('a clearly bad version fails before the step ends, with the numbers that failed it', async () => {
    const { gateway, check } = setUp();
    traffic(gateway, [
      [50, 5, 450, 1],
      [50, 6, 450, 0]
    ]);
    // The first minute alone is enough: the version fails at its first complete minute, mid-step.
    const verdict = await check.evaluate(context({ now: BOUNDARY + MINUTE + COMPLETE_AFTER }));
    expect(verdict.kind).toBe('unhealthy');
    expect(verdict.kind === 'unhealthy' && verdict.reason).toMatch(
      /^per-version analysis of orders:live \(version 2 against 1, max-error-rate-increase\): new version: 5 errors in 50 calls \(10\.0 %\), previous: 1 error in 450 calls \(0\.2 %\) in the minutes since 10:00:00: 9\.78 percentage points more, minute by minute, above max-error-rate-increase 1 %; the evidence against it reached [\d,]+, past the bar of 100 \(/
    );
    expect(verdict.observations[0]).toMatchObject({
      state: expect.stringMatching(/^FAIL \[max-error-rate-increase\] \(new 2: 5\/50/)
    });
  });

  test('failed-checks-limit 2: a bad minute is one failed check, read again it is no second one; a new bad minute is', async () => {
    const { gateway, check } = setUp({ failedChecksLimit: 2 });
    traffic(gateway, [
      [50, 20, 450, 0],
      [50, 0, 450, 0],
      [50, 0, 450, 0]
    ]);
    const held = await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    expect(held.kind === 'inconclusive' && held.reason).toMatch(
      /^per-version analysis of orders:live \(version 2 against 1, failed-checks-limit\): failed check 1 of the 2 that roll back \(failed-checks-limit\), on max-error-rate-increase: /
    );
    // The next reads cover the bad minute again (from the step's first minute): it is not counted twice.
    expect((await check.evaluate(context({ now: BOUNDARY + MINUTE + COMPLETE_AFTER }))).kind).toBe('inconclusive');
    expect((await check.evaluate(context({ now: BOUNDARY + 2 * MINUTE + COMPLETE_AFTER }))).kind).toBe('inconclusive');
    gateway.periods['2']!.push(at(3, 50, 20));
    gateway.periods['1']!.push(at(3, 450, 0));
    const failed = await check.evaluate(context({ now: BOUNDARY + 3 * MINUTE + COMPLETE_AFTER }));
    expect(failed.kind === 'unhealthy' && failed.reason).toMatch(
      /in the minutes since 10:01:00: .*; failed check 2 of 2, each on minutes no earlier one counted$/
    );
  });

  test('every analysis goes to the sink, with the rollout’s totals beside the step’s', async () => {
    const { gateway, check, log } = setUp();
    traffic(gateway, [
      [30, 0, 270, 1],
      [30, 1, 270, 0]
    ]);
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    await check.evaluate(
      context({ now: BOUNDARY + MINUTE + COMPLETE_AFTER, stepStartedAt: BOUNDARY + MINUTE, weightPercent: 20 })
    );
    expect(
      log.points.map((p) => [p.weightPercent, p.target.invocations, p.rollout.target.invocations, p.rollout.target.errors])
    ).toEqual([
      [10, 30, 30, 0],
      [20, 30, 60, 1]
    ]);
    expect(log.points[1]).toMatchObject({ outcome: 'not-enough-data', decidedBy: 'step in progress', metric: 'errors' });
  });
});

describe('latency', () => {
  test('max-p99-duration-increase: the previous p99 over the hour of complete minutes before the first shift, read once, sets the slow-call threshold', async () => {
    const { gateway, check } = setUp({ maxErrorRateIncrease: undefined, maxP99DurationIncrease: 0.25 });
    gateway.periods = { '1': [{ startMs: BOUNDARY - 30 * MINUTE, invocations: 5_000 }] };
    gateway.windowP99 = { '1': 400 };
    await check.evaluate(context({ now: T0 + 10_000 }));
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    // Read 10 s into the step: the last complete minute then is the one that ended 2m3s earlier.
    expect(gateway.trafficQueries.map(({ version, startMs, endMs }) => ({ version, startMs, endMs }))).toEqual([
      { version: '1', startMs: BOUNDARY - 62 * MINUTE, endMs: BOUNDARY - 2 * MINUTE }
    ]);
    expect(gateway.queries.map(({ versions: v, startMs, endMs, slowerThanMs }) => ({ v, startMs, endMs, slowerThanMs }))).toEqual(
      [{ v: ['2', '1'], startMs: BOUNDARY, endMs: BOUNDARY + MINUTE, slowerThanMs: [500] }]
    );
  });

  test("the preflight's read of the traffic before the rollout is the baseline: no second read", async () => {
    const { gateway, check } = setUp({ maxErrorRateIncrease: undefined, maxP99DurationIncrease: 0.25 });
    gateway.periods = { '1': [{ startMs: BOUNDARY - 30 * MINUTE, invocations: 50_000 }] };
    gateway.windowP99 = { '1': 400 };
    expect(await check.preflight()).toEqual({ problems: [], warnings: [] });
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    expect(gateway.trafficQueries).toHaveLength(1);
    expect(gateway.queries.map((q) => q.slowerThanMs)).toEqual([[500]]);
  });

  test('a new version with many calls above the threshold fails, quoting the baseline', async () => {
    const { gateway, check } = setUp({ maxErrorRateIncrease: undefined, maxP99DurationIncrease: 0.25 });
    gateway.periods = {
      '1': [
        { startMs: BOUNDARY - 30 * MINUTE, invocations: 5_000 },
        at(0, 900, 0, { slowCalls: [2] }),
        at(1, 900, 0, { slowCalls: [1] })
      ],
      '2': [at(0, 100, 0, { slowCalls: [9] }), at(1, 100, 0, { slowCalls: [8] })]
    };
    gateway.windowP99 = { '1': 400 };
    const verdict = await check.evaluate(context({ now: BOUNDARY + MINUTE + COMPLETE_AFTER }));
    expect(verdict.kind === 'unhealthy' && verdict.reason).toMatch(
      /^per-version analysis of orders:live \(version 2 against 1, max-p99-duration-increase\): new version: 9 of 100 calls slower than 500 ms \(9\.0 %\), previous: 2 of 900 \(0\.2 %\) in the minutes since 10:00:00: 500 ms is max-p99-duration-increase 25 % above the previous version's p99 before the rollout \(400 ms\)/
    );
  });

  test('too few calls before the rollout: that rule holds every step and says why, the error rules judge on', async () => {
    const { gateway, check } = setUp({ maxP99DurationIncrease: 0.25 });
    gateway.periods = { '1': [{ startMs: BOUNDARY - 30 * MINUTE, invocations: 40 }] };
    const held = await check.evaluate(context({ now: BOUNDARY + 5 * MINUTE + COMPLETE_AFTER }));
    expect(held.kind === 'inconclusive' && held.reason).toBe(
      'per-version analysis of orders:live (version 2 against 1, p99 baseline): version 1 served 40 calls through orders:live ' +
        'in the 1h before (09:00:00–10:00:00 UTC), too few for its p99 (100 at least): max-p99-duration-increase has no ' +
        'threshold to judge the new version by, and would hold every step until the rollout stops for want of data'
    );
    gateway.periods['2'] = [at(6, 50, 20)];
    gateway.periods['1']!.push(at(6, 450, 0));
    expect((await check.evaluate(context({ now: BOUNDARY + 6 * MINUTE + COMPLETE_AFTER }))).kind).toBe('unhealthy');
  });

  test('max-p99-duration: slow calls above the limit, read per minute', async () => {
    const { gateway, check } = setUp({ maxErrorRateIncrease: undefined, maxP99DurationMs: 800 });
    traffic(gateway, [[30, 0, 270, 0]]);
    await check.evaluate(context({ now: BOUNDARY + COMPLETE_AFTER }));
    expect(gateway.queries.map((q) => q.slowerThanMs)).toEqual([[800]]);
  });
});

describe('preflight', () => {
  /** The hour before the preflight (at T0): `callsPerSecond` through the alias, all on version 1. */
  const busy = (gateway: FakeMetrics, callsPerSecond: number): void => {
    gateway.periods = {
      '1': Array.from({ length: 60 }, (_, i) => ({
        startMs: BOUNDARY - 62 * MINUTE + i * MINUTE,
        invocations: callsPerSecond * 60
      }))
    };
  };

  test('the alias serves enough calls for the strategy: nothing to say, after one read of the hour before', async () => {
    const { gateway, check } = setUp();
    busy(gateway, 5);
    expect(await check.preflight()).toEqual({ problems: [], warnings: [] });
    expect(gateway.trafficQueries).toEqual([
      {
        functionName: 'orders',
        alias: 'live',
        region: 'eu-west-1',
        version: '1',
        startMs: BOUNDARY - 62 * MINUTE,
        endMs: BOUNDARY - 2 * MINUTE,
        periodSeconds: 60
      }
    ]);
  });

  test('too few calls for the strategy: refused before anything changes, naming the step, the expected calls and the ways out', async () => {
    const { gateway, check } = setUp();
    busy(gateway, 0.2); // 720 calls in the hour
    expect(await check.preflight()).toEqual({
      problems: [
        'the traffic forecast says the per-version analysis would stop this rollout for want of data, before it could promote: ' +
          'orders:live served 720 calls in the 1h before (08:58:00–09:58:00 UTC), 0.2 calls a second: Canary10Percent5Minutes ' +
          "would give the new version about 16 calls across the rollout by the end of the last step's max-bake-extension 10m " +
          "(less the 2m3s until a minute's metrics are complete), against the 100 calls the promotion needs (min-invocations " +
          'is not set: 100 across the rollout): a chance of under 0.1 %. Nothing was changed. Ways out: longer steps or larger weights, ' +
          'or a longer max-bake-extension; or min-invocations below 100 (it then applies to each step); fewer calls detect less ' +
          '(docs/analysis-method.md, operating characteristics).'
      ],
      warnings: []
    });
  });

  test('min-invocations given: each step must be able to gather it; a marginal one is a warning', async () => {
    const { gateway, check } = setUp({ minInvocations: 100 });
    busy(gateway, 1.35); // about 105 calls expected on the new version: a chance of 70 % to reach 100
    const findings = await check.preflight();
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toEqual([
      expect.stringMatching(
        /^the traffic forecast gives this rollout a chance of 69\.7 % to gather the calls the per-version analysis needs, and otherwise it stops for want of data and rolls back: orders:live served 4,860 calls .* Canary10Percent5Minutes would give the new version about 105 calls in step 1 of 1 \(10 % of the traffic for its 5m bake and max-bake-extension 10m, less the 2m3s until a minute's metrics are complete\), against the 100 calls min-invocations asks of each step: a chance of 69\.7 %\. Ways out: .*a lower min-invocations, or none/
      )
    ]);
  });

  test('no calls in the hour before, though the alias had some earlier: nothing to forecast from, said as a warning', async () => {
    const { check } = setUp();
    expect(await check.preflight()).toEqual({
      problems: [],
      warnings: [
        'orders:live served no calls in the 1h before (08:58:00–09:58:00 UTC), though CloudWatch has metrics of earlier calls ' +
          'through it: the traffic forecast has nothing to go on. The per-version analysis holds each step for calls of the new ' +
          'version (it never promotes without them): if none come, the first step is held up to max-bake-extension (10m) past ' +
          'its end, then the rollout stops for want of calls and the alias goes back to the previous version'
      ]
    });
  });

  test('max-p99-duration-increase with too few calls of the previous version before: refused, pointing at max-p99-duration', async () => {
    const { gateway, check } = setUp({ maxP99DurationIncrease: 0.25 });
    busy(gateway, 5);
    gateway.periods['1'] = [{ startMs: BOUNDARY - 30 * MINUTE, invocations: 40 }];
    gateway.periods['2'] = [{ startMs: BOUNDARY - 30 * MINUTE, invocations: 20_000 }]; // the alias is busy on another version
    expect((await check.preflight()).problems).toEqual([
      'version 1 served 40 calls through orders:live in the 1h before (08:58:00–09:58:00 UTC), too few for its p99 (100 at ' +
        'least): max-p99-duration-increase has no threshold to judge the new version by, and would hold every step until the ' +
        'rollout stops for want of data; give max-p99-duration (a fixed limit) instead, or deploy when the alias is busier'
    ]);
  });

  test("once the preflight read the function's timeout, each step's wait for its last minute is known, for the plan", async () => {
    const { gateway, check, timeouts } = setUp();
    busy(gateway, 5);
    timeouts.next = 30;
    expect(check.dataDelay()).toBeUndefined();
    await check.preflight();
    expect(check.dataDelay()).toEqual({
      periodMs: MINUTE,
      completeAfterMs: 30_000 + 2 * MINUTE,
      what: "the analysis's last minute of metrics (up to 1m for the minute to end, the function's 30s timeout, 2m for CloudWatch)"
    });
  });

  test('no metrics through the alias: the run will hold its first step, then stop for want of calls', async () => {
    const { gateway, check } = setUp();
    gateway.hasMetrics = false;
    const findings = await check.preflight();
    expect(findings.problems).toEqual([]);
    expect(findings.warnings).toEqual([
      expect.stringMatching(
        /^CloudWatch has no metrics of calls through orders:live .* the first step is held up to max-bake-extension \(10m\) past its end, then the rollout stops for want of calls and the alias goes back to the previous version/
      )
    ]);
  });

  // The defect: the warning said the rollout "will stop for want of calls", then it went to 100 % at once.
  test('a first deployment: the alias is created on the new version at once, and the analysis says it judges nothing', async () => {
    const { gateway, check, timeouts } = setUp({ minInvocations: 50 });
    timeouts.alias = undefined;
    gateway.hasMetrics = false;
    expect(await check.preflight()).toEqual({
      problems: [],
      warnings: [
        'orders:live does not exist yet: this first deployment creates the alias on the new version at once, with no previous ' +
          'version to share the traffic with, so the per-version analysis judges nothing this time (min-invocations included); ' +
          'the next deployment is judged'
      ]
    });
  });

  test('a max-bake-extension too short to wait for a long-running function’s last minute is refused before anything changes', async () => {
    const { check, timeouts } = setUp();
    timeouts.next = 900;
    expect((await check.preflight()).problems).toEqual([
      "max-bake-extension 10m is too short for the per-version analysis of orders:live: a step's last minute of metrics is " +
        "complete only after the minute itself, the function's 15m timeout (Lambda reports a call once it ends) and 2m for " +
        'CloudWatch, then a poll; set max-bake-extension to at least 19m'
    ]);
  });

  test('no metrics, and the trigger audit found triggers that bypass the alias: the warning names them', async () => {
    const culprit =
      'event source mapping arn:aws:sqs:us-east-1:123456789012:jobs on the unqualified function ($LATEST) (runs $LATEST)';
    const { gateway, check } = setUp({}, { bypassing: async () => [culprit] });
    gateway.hasMetrics = false;
    const [warning] = (await check.preflight()).warnings;
    expect(warning).toMatch(/seems not to be invoked through the alias/);
    expect(warning).toContain(`these call it without the alias: ${culprit}`);
    expect(warning).not.toContain('docs/troubleshooting.md');
  });
});

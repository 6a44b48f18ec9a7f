import {
  GetMetricDataCommand,
  ListMetricsCommand,
  type ListMetricsCommandInput,
  type MetricDataQuery
} from '@aws-sdk/client-cloudwatch';
import { UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { EmulatorClient, type VersionBehaviour } from '../../emulator/index.js';
import { startHarness, T0, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(async () => {
  await h.close();
});

const MINUTE = 60_000;
const BUCKET = Math.floor(T0 / MINUTE) * MINUTE;
const steady = (errorRate: number, medianMs: number, p99Ms: number): VersionBehaviour => ({
  errorRate,
  latency: { medianMs, p99Ms }
});
const shift = (weight: number) =>
  h.lambda.send(
    new UpdateAliasCommand({
      FunctionName: 'fn',
      Name: 'live',
      RoutingConfig: { AdditionalVersionWeights: weight > 0 ? { '2': weight } : {} }
    })
  );

function query(id: string, version: string, metric: string, stat: string, period = 60): MetricDataQuery {
  const dims = { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: version };
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value }))
      },
      Period: period,
      Stat: stat
    }
  };
}

async function metricData(queries: MetricDataQuery[], startMs = BUCKET - MINUTE, endMs = BUCKET + 10 * MINUTE) {
  const out = await h.cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(startMs),
      EndTime: new Date(endMs),
      MetricDataQueries: queries,
      ScanBy: 'TimestampAscending'
    })
  );
  return Object.fromEntries(
    out.MetricDataResults!.map((r) => [r.Id!, { at: r.Timestamps!.map((t) => t.getTime()), values: r.Values! }])
  );
}

describe('the traffic model', () => {
  test('calls at the configured rate, evenly spaced, made lazily up to the emulator clock', () => {
    const started = h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 4 });
    expect(started).toEqual({ functionName: 'fn', alias: 'live', ratePerSecond: 4, startedAtMs: T0 });
    h.advance(1_000);
    expect(h.emu.invocationRecords('fn').map((r) => r.atMs - T0)).toEqual([0, 250, 500, 750, 1000]);
    expect(h.emu.state().functions[0]!.invocations).toEqual({ '1': 5 });
  });

  test('historyMs: the traffic began that long ago, and its past calls are there at once', () => {
    const started = h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 4, historyMs: 1_000 });
    expect(started.startedAtMs).toBe(T0 - 1_000);
    expect(h.emu.invocationRecords('fn').map((r) => r.atMs - T0)).toEqual([-1000, -750, -500, -250, 0]);
    expect(() => h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 1, historyMs: -1 })).toThrow(/historyMs/);
  });

  test('each call goes by the weights in force at its moment, with the real dimension sets', async () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 100 });
    h.advance(10_000);
    await shift(0.3);
    h.advance(10_000);
    const records = h.emu.invocationRecords('fn');
    const before = records.filter((r) => r.atMs <= T0 + 10_000);
    const after = records.filter((r) => r.atMs > T0 + 10_000);
    expect(before).toHaveLength(1001);
    expect(before.every((r) => r.executedVersion === '1')).toBe(true);
    const share = after.filter((r) => r.executedVersion === '2').length / after.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    expect(records[0]).toMatchObject({
      functionName: 'fn',
      resource: 'fn:live',
      executedVersion: '1',
      accountId: '123456789012',
      region: 'us-east-1'
    });
  });

  test('each version fails and takes as long as its behaviour says', () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 1000, versions: { '1': steady(0.05, 40, 120) } });
    h.advance(20_000);
    const records = h.emu.invocationRecords('fn');
    const errors = records.filter((r) => r.error).length / records.length;
    expect(errors).toBeGreaterThan(0.045);
    expect(errors).toBeLessThan(0.055);
    const durations = records.map((r) => r.durationMs!).sort((a, b) => a - b);
    const at = (q: number) => durations[Math.floor(q * durations.length)]!;
    expect(at(0.5)).toBeGreaterThan(38);
    expect(at(0.5)).toBeLessThan(42);
    expect(at(0.99)).toBeGreaterThan(110);
    expect(at(0.99)).toBeLessThan(130);
  });

  test('deterministic: the same seed and the same moments give the same calls', async () => {
    const run = async (seed: number) => {
      const other = await startHarness();
      try {
        other.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
        other.emu.updateCode('fn');
        other.emu.startTraffic({
          functionName: 'fn',
          alias: 'live',
          ratePerSecond: 50,
          seed,
          defaultVersion: steady(0.1, 10, 30)
        });
        other.advance(3_000);
        return other.emu.invocationRecords('fn').map((r) => [r.atMs, r.executedVersion, r.error, r.durationMs]);
      } finally {
        await other.close();
      }
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });

  test('stopTraffic makes the calls due so far and then stops; reset forgets the traffic', () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 10 });
    h.advance(1_000);
    h.emu.stopTraffic('fn');
    h.advance(5_000);
    expect(h.emu.invocationRecords('fn')).toHaveLength(11);
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 10 });
    h.emu.reset();
    h.emu.createFunction({ name: 'fn', versions: 1, alias: { name: 'live', version: '1' } });
    h.advance(1_000);
    expect(h.emu.invocationRecords('fn')).toEqual([]);
  });

  test('a bad spec is refused in its own words', () => {
    expect(() => h.emu.startTraffic({ functionName: 'fn', alias: 'staging', ratePerSecond: 1 })).toThrow(
      'no alias staging on fn'
    );
    expect(() => h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 0 })).toThrow(/ratePerSecond/);
    expect(() =>
      h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 1, versions: { '1': steady(2, 1, 2) } })
    ).toThrow(/errorRate/);
    expect(() => h.emu.startTraffic({ functionName: 'nope', alias: 'live', ratePerSecond: 1 })).toThrow(/Function not found/);
  });

  test('over HTTP, with the same control methods', async () => {
    const client = new EmulatorClient(h.emu.url);
    await client.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 2 });
    h.advance(2_000);
    expect(await client.invocationRecords('fn')).toHaveLength(5);
    await client.setMetricPublication({ delayMs: 1_000 });
    await client.stopTraffic();
  });
});

describe('GetMetricData over the traffic', () => {
  test('Sum of Invocations and Errors, p99 and p50 of Duration, per version and period', async () => {
    h.emu.startTraffic({
      functionName: 'fn',
      alias: 'live',
      ratePerSecond: 50,
      versions: { '1': steady(0.01, 50, 100), '2': steady(0.2, 150, 300) }
    });
    await shift(0.5);
    h.advance(2 * MINUTE);
    const data = await metricData([
      query('i2', '2', 'Invocations', 'Sum'),
      query('e2', '2', 'Errors', 'Sum'),
      query('d2', '2', 'Duration', 'p99'),
      query('m2', '2', 'Duration', 'p50'),
      query('d1', '1', 'Duration', 'p99.9')
    ]);
    const records = h.emu.invocationRecords('fn').filter((r) => r.executedVersion === '2');
    const inBucket = (start: number) => records.filter((r) => r.atMs >= start && r.atMs < start + MINUTE);
    expect(data.i2!.at).toEqual([BUCKET, BUCKET + MINUTE, BUCKET + 2 * MINUTE]);
    expect(data.i2!.values).toEqual(data.i2!.at.map((start) => inBucket(start).length));
    expect(data.e2!.values).toEqual(data.i2!.at.map((start) => inBucket(start).filter((r) => r.error).length));
    const nearestRank = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.ceil(q * values.length) - 1];
    expect(data.d2!.values[1]).toBe(
      nearestRank(
        inBucket(BUCKET + MINUTE).map((r) => r.durationMs!),
        0.99
      )
    );
    expect(data.m2!.values[1]).toBeGreaterThan(130);
    expect(data.m2!.values[1]).toBeLessThan(170);
    expect(data.d1!.values.length).toBe(3);
  });

  test('high-resolution periods: one datapoint per second with calls, none for seconds without', async () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 2 });
    h.advance(3_000);
    const data = await metricData([query('i1', '1', 'Invocations', 'Sum', 1)], T0 - 1_000, T0 + 10_000);
    expect(data.i1!.at).toEqual([T0, T0 + 1_000, T0 + 2_000, T0 + 3_000]);
    expect(data.i1!.values).toEqual([2, 2, 2, 1]);
  });

  test('with a publication delay, a period appears only that long after it ends', async () => {
    h.emu.setMetricPublication({ delayMs: 500 });
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 10 });
    h.advance(1_400); // [T0, T0+1s) ended 400 ms ago
    const read = async () => (await metricData([query('i1', '1', 'Invocations', 'Sum', 1)], T0, T0 + 10_000)).i1!.at;
    expect(await read()).toEqual([]);
    h.advance(100);
    expect(await read()).toEqual([T0]);
    h.emu.setMetricPublication({});
    expect(await read()).toEqual([T0, T0 + 1_000]); // without a delay, the current period too
  });
  test('percentile rank PR(:T) is the share (in %) of calls at or under T; PR(a:b) above a and at or under b', async () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 50, versions: { '1': steady(0, 50, 200) } });
    h.advance(2 * MINUTE);
    const data = await metricData([
      query('r', '1', 'Duration', 'PR(:80)'),
      query('b', '1', 'Duration', 'PR(40:80)'),
      query('n', '1', 'Duration', 'SampleCount')
    ]);
    const durations = h.emu
      .invocationRecords('fn')
      .filter((r) => r.atMs >= BUCKET + MINUTE && r.atMs < BUCKET + 2 * MINUTE)
      .map((r) => r.durationMs!);
    const share = (keep: (ms: number) => boolean) => (100 * durations.filter(keep).length) / durations.length;
    expect(data.n!.values[1]).toBe(durations.length);
    expect(data.r!.values[1]).toBeCloseTo(
      share((ms) => ms <= 80),
      10
    );
    expect(data.b!.values[1]).toBeCloseTo(
      share((ms) => ms > 40 && ms <= 80),
      10
    );
    expect(data.r!.values[1]).toBeGreaterThan(70);
  });

  test('one period spanning a window: its p99 is the p99 of every call in it, counted from StartTime', async () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 20, versions: { '1': steady(0, 50, 200) } });
    h.advance(4 * MINUTE);
    const from = BUCKET + MINUTE;
    const data = await metricData(
      [query('p', '1', 'Duration', 'p99', 180), query('n', '1', 'Invocations', 'Sum', 180)],
      from,
      from + 3 * MINUTE
    );
    const durations = h.emu
      .invocationRecords('fn')
      .filter((r) => r.atMs >= from && r.atMs < from + 3 * MINUTE)
      .map((r) => r.durationMs!)
      .sort((a, b) => a - b);
    expect(data.p!.at).toEqual([from]);
    expect(data.n!.values).toEqual([durations.length]);
    expect(data.p!.values).toEqual([durations[Math.ceil(0.99 * durations.length) - 1]]);
  });

  test("with a publication delay, a call is counted in its start's period only once it has ended", async () => {
    h.emu.setMetricPublication({ delayMs: 0 });
    h.emu.startTraffic({
      functionName: 'fn',
      alias: 'live',
      ratePerSecond: 1,
      versions: { '1': { errorRate: 0.5, latency: { medianMs: 10, p99Ms: 20 }, errorDurationMs: 5 * MINUTE } }
    });
    h.advance(MINUTE - 1);
    const window = BUCKET + MINUTE; // the first whole minute of traffic
    const read = async () => {
      const data = await metricData(
        [query('i', '1', 'Invocations', 'Sum'), query('e', '1', 'Errors', 'Sum')],
        window,
        window + MINUTE
      );
      return { calls: data.i!.values[0], errors: data.e!.values[0] };
    };
    h.advance(MINUTE + 2 * MINUTE); // the minute ended two minutes ago: its failed calls still run
    const early = await read();
    const inWindow = h.emu.invocationRecords('fn').filter((r) => r.atMs >= window && r.atMs < window + MINUTE);
    expect(early).toEqual({ calls: inWindow.filter((r) => !r.error).length, errors: 0 });
    h.advance(5 * MINUTE);
    expect(await read()).toEqual({ calls: inWindow.length, errors: inWindow.filter((r) => r.error).length });
    expect(inWindow.filter((r) => r.error).length).toBeGreaterThan(10);
  });
});

describe('ListMetrics', () => {
  test('a dimension filter matches every metric that has the dimension, whatever else it has', async () => {
    h.emu.startTraffic({ functionName: 'fn', alias: 'live', ratePerSecond: 1 });
    await shift(0.5);
    h.advance(10_000);
    const list = async (input: ListMetricsCommandInput) =>
      ((await h.cw.send(new ListMetricsCommand(input))).Metrics ?? []).map((m) => [
        m.MetricName,
        m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(',')
      ]);
    expect(
      await list({
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [
          { Name: 'FunctionName', Value: 'fn' },
          { Name: 'Resource', Value: 'fn:live' }
        ]
      })
    ).toEqual([
      ['Invocations', 'ExecutedVersion=1,FunctionName=fn,Resource=fn:live'],
      ['Invocations', 'ExecutedVersion=2,FunctionName=fn,Resource=fn:live'],
      ['Invocations', 'FunctionName=fn,Resource=fn:live']
    ]);
    expect(await list({ MetricName: 'Duration', Dimensions: [{ Name: 'ExecutedVersion' }] })).toHaveLength(2);
    expect(await list({ Dimensions: [{ Name: 'Resource', Value: 'fn:staging' }] })).toEqual([]);
    expect(await list({ Namespace: 'AWS/Lambda', RecentlyActive: 'PT3H' })).not.toEqual([]);
    h.advance(4 * 60 * MINUTE);
    expect(
      await list({
        Namespace: 'AWS/Lambda',
        RecentlyActive: 'PT3H',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'Resource', Value: 'fn:live' }]
      })
    ).toHaveLength(3);
  });
});

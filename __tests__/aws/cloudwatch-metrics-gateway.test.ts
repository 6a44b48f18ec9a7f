import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { Emulator } from '../../emulator/index.js';
import { attachToSdkMocks } from '../../emulator/sdk-mock.js';
import { AwsClients } from '../../src/aws/clients.js';
import { CloudWatchMetricsGateway } from '../../src/aws/cloudwatch-metrics-gateway.js';
import { AccessDenied } from '../../src/aws/failures.js';

const MINUTE = 60_000;
const T0 = 1_700_000_040_000; // a minute boundary
const cloudwatch = mockClient(CloudWatchClient);
const lambda = mockClient(LambdaClient);
let now = T0;
let emu: Emulator;
let clients: AwsClients;
let gateway: CloudWatchMetricsGateway;

beforeEach(() => {
  now = T0;
  cloudwatch.reset();
  lambda.reset();
  emu = new Emulator({ now: () => now });
  attachToSdkMocks(emu, { cloudwatch, lambda });
  clients = new AwsClients({ maxRetries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 5_000, region: 'us-east-1' }, {});
  gateway = new CloudWatchMetricsGateway(clients);
  emu.createFunction({ name: 'orders', versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(() => clients.destroy());

const ref = { functionName: 'orders', alias: 'live' };

test("both versions' Invocations, Errors and slow calls per period and p99 over the window, in one GetMetricData call, as the emulator's calls made them", async () => {
  emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond: 10,
    versions: {
      '1': { errorRate: 0.01, latency: { medianMs: 50, p99Ms: 100 } },
      '2': { errorRate: 0.2, latency: { medianMs: 150, p99Ms: 300 } }
    }
  });
  now += MINUTE;
  await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders',
    Name: 'live',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } }
  });
  now += 2 * MINUTE;
  const series = await gateway.versionMetrics({
    ...ref,
    versions: ['2', '1'],
    startMs: T0,
    endMs: T0 + 3 * MINUTE,
    periodSeconds: 60,
    slowerThanMs: [200, 100]
  });
  expect(emu.calls().filter((call) => call.operation === 'GetMetricData')).toHaveLength(1);

  const records = emu.invocationRecords('orders');
  const count = (version: string, start: number, filter: (r: (typeof records)[number]) => boolean = () => true) =>
    records.filter((r) => r.executedVersion === version && r.atMs >= start && r.atMs < start + MINUTE && filter(r)).length;
  const [v2, v1] = series;
  expect(v2!.version).toBe('2');
  // Version 2 had no calls in the first minute: no datapoint, not a zero.
  expect(v2!.periods.map((p) => p.startMs)).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
  for (const period of v2!.periods) {
    expect(period.invocations).toBe(count('2', period.startMs));
    expect(period.errors).toBe(count('2', period.startMs, (r) => r.error));
    expect(period.slowCalls).toEqual([
      count('2', period.startMs, (r) => r.durationMs! > 200),
      count('2', period.startMs, (r) => r.durationMs! > 100)
    ]);
  }
  expect(v1!.periods.map((p) => p.invocations)).toEqual([count('1', T0), count('1', T0 + MINUTE), count('1', T0 + 2 * MINUTE)]);
  expect(v1!.periods[0]!.invocations).toBe(600);
  // The window's p99 is over all its calls (one period spanning it), not an average of the minutes'.
  const durations = records
    .filter((r) => r.executedVersion === '2')
    .map((r) => r.durationMs!)
    .sort((a, b) => a - b);
  expect(v2!.windowP99Ms).toBe(durations[Math.ceil(0.99 * durations.length) - 1]);
  expect(v1!.windowP99Ms).toBeLessThan(200);
  const sent = cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries!;
  expect(sent.map((q) => [q.Id, q.MetricStat!.Stat, q.MetricStat!.Period])).toEqual([
    ['i0', 'Sum', 60],
    ['e0', 'Sum', 60],
    ['n0', 'SampleCount', 60],
    ['r0_0', 'PR(:200)', 60],
    ['r0_1', 'PR(:100)', 60],
    ['w0', 'p99', 180],
    ['i1', 'Sum', 60],
    ['e1', 'Sum', 60],
    ['n1', 'SampleCount', 60],
    ['r1_0', 'PR(:200)', 60],
    ['r1_1', 'PR(:100)', 60],
    ['w1', 'p99', 180]
  ]);
});

test('slow calls are the share above the threshold that PR(:T) leaves, times the calls, rounded', async () => {
  const at = new Date(T0);
  cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'r0_0', Timestamps: [at], Values: [98.76] },
      { Id: 'n0', Timestamps: [at], Values: [400] }
    ]
  });
  const [series] = await gateway.versionMetrics({
    ...ref,
    versions: ['2'],
    startMs: T0,
    endMs: T0 + MINUTE,
    periodSeconds: 60,
    slowerThanMs: [812.5]
  });
  expect(series!.periods).toEqual([{ startMs: T0, slowCalls: [5] }]);
  expect(cloudwatch.commandCalls(GetMetricDataCommand)[0]!.args[0].input.MetricDataQueries![3]!.MetricStat!.Stat).toBe(
    'PR(:812.5)'
  );
});

test('ListMetrics tells an alias with calls from one without', async () => {
  expect(await gateway.aliasHasMetrics(ref)).toBe(false);
  emu.startTraffic({ functionName: 'orders', alias: 'live', ratePerSecond: 1 });
  now += 5_000;
  expect(await gateway.aliasHasMetrics(ref)).toBe(true);
  expect(await gateway.aliasHasMetrics({ ...ref, alias: 'staging' })).toBe(false);
});

test('a refused read is a domain failure naming the permission', async () => {
  emu.denyActions(['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics']);
  const read = gateway.versionMetrics({ ...ref, versions: ['2', '1'], startMs: T0, endMs: T0 + MINUTE, periodSeconds: 60 });
  await expect(read).rejects.toBeInstanceOf(AccessDenied);
  await expect(read).rejects.toMatchObject({ action: 'cloudwatch:GetMetricData' });
  await expect(gateway.aliasHasMetrics(ref)).rejects.toMatchObject({ action: 'cloudwatch:ListMetrics' });
});

test('pages of an answer are followed and merged', async () => {
  const at = (ms: number) => new Date(ms);
  cloudwatch
    .on(GetMetricDataCommand)
    .resolvesOnce({
      MetricDataResults: [{ Id: 'i0', Timestamps: [at(T0)], Values: [5] }],
      NextToken: 'more'
    })
    .resolvesOnce({
      MetricDataResults: [
        { Id: 'i0', Timestamps: [at(T0 + MINUTE)], Values: [7] },
        { Id: 'e0', Timestamps: [at(T0 + MINUTE)], Values: [1] },
        { Id: 'w0', Timestamps: [at(T0)], Values: [80] }
      ]
    });
  const [series] = await gateway.versionMetrics({
    ...ref,
    versions: ['2'],
    startMs: T0,
    endMs: T0 + 2 * MINUTE,
    periodSeconds: 60
  });
  expect(series).toEqual({
    version: '2',
    periods: [
      { startMs: T0, invocations: 5 },
      { startMs: T0 + MINUTE, invocations: 7, errors: 1 }
    ],
    windowP99Ms: 80
  });
  expect(cloudwatch.commandCalls(GetMetricDataCommand)[1]!.args[0].input.NextToken).toBe('more');
});

test("an alias's traffic over a window: every call through it whichever version served it, and one version's calls and p99, in one read", async () => {
  emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond: 10,
    versions: {
      '1': { errorRate: 0, latency: { medianMs: 50, p99Ms: 100 } },
      '2': { errorRate: 0, latency: { medianMs: 150, p99Ms: 300 } }
    }
  });
  now += 2 * MINUTE;
  await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders',
    Name: 'live',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } }
  });
  now += 2 * MINUTE;
  const traffic = await gateway.aliasTraffic({ ...ref, version: '1', startMs: T0, endMs: T0 + 4 * MINUTE, periodSeconds: 60 });
  expect(emu.calls().filter((call) => call.operation === 'GetMetricData')).toHaveLength(1);
  const records = emu.invocationRecords('orders').filter((r) => r.atMs >= T0 && r.atMs < T0 + 4 * MINUTE);
  const ofOne = records.filter((r) => r.executedVersion === '1');
  const durations = ofOne.map((r) => r.durationMs!).sort((a, b) => a - b);
  expect(traffic).toEqual({
    calls: records.length,
    version: { calls: ofOne.length, p99Ms: durations[Math.ceil(0.99 * durations.length) - 1] }
  });
  expect(ofOne.length).toBeLessThan(records.length); // version 2 served some of them
});

test('an alias with no calls in the window has no traffic, and no p99', async () => {
  now += 10 * MINUTE;
  expect(await gateway.aliasTraffic({ ...ref, version: '1', startMs: T0, endMs: T0 + 5 * MINUTE, periodSeconds: 60 })).toEqual({
    calls: 0,
    version: { calls: 0 }
  });
});

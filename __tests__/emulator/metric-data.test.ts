import { getMetricData } from '../../emulator/cloudwatch/metric-data.js';
import { InvocationMetrics } from '../../emulator/cloudwatch/metrics.js';
import { Clock } from '../../emulator/shared/clock.js';

// GetMetricData answers as of one instant: a period is published for every query of a request or
// for none, even when the emulator's time moves on while the request is being answered.
test('a period crossing its publication time during one request is in every query or in none', () => {
  const T0 = 1_800_000_000_000;
  let readings = 0;
  // Each reading of the clock is 100 ms later: the request takes time, as under load.
  const clock = new Clock(() => T0 + 1_250 + 100 * readings++);
  const metrics = new InvocationMetrics(clock);
  metrics.setPublication({ delayMs: 300 }); // [T0, T0+1s) is published at T0 + 1 300 ms
  const ns = { accountId: '123456789012', region: 'us-east-1' };
  for (const version of ['1', '2']) {
    metrics.record({
      ...ns,
      atMs: T0 + 10,
      functionName: 'fn',
      resource: 'fn:live',
      executedVersion: version,
      error: false,
      source: 'traffic'
    });
  }
  const query = (version: string) => ({
    Id: `v${version}`,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Invocations',
        Dimensions: [
          { Name: 'FunctionName', Value: 'fn' },
          { Name: 'Resource', Value: 'fn:live' },
          { Name: 'ExecutedVersion', Value: version }
        ]
      },
      Period: 1,
      Stat: 'Sum'
    }
  });
  const answer = (): number[] => {
    const { MetricDataResults } = getMetricData(
      { StartTime: new Date(T0), EndTime: new Date(T0 + 5_000), MetricDataQueries: [query('1'), query('2')] },
      metrics,
      ns
    ) as { MetricDataResults: Array<{ Values: number[] }> };
    return MetricDataResults.map((result) => result.Values.length);
  };
  expect(answer()).toEqual([0, 0]); // answered at T0 + 1 250 ms: not yet published, for both
  expect(answer()).toEqual([1, 1]); // later: published, for both
});

import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricAlarmCommand,
  type MetricDataQuery
} from '@aws-sdk/client-cloudwatch';
import { InvokeCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { sdkError, startHarness, T0, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const describeAlarms = (input: ConstructorParameters<typeof DescribeAlarmsCommand>[0] = {}) =>
  h.cw.send(new DescribeAlarmsCommand(input));

describe('DescribeAlarms', () => {
  test('returns requested alarms with ARN, state, reason and timestamps; unknown names are simply absent', async () => {
    h.emu.putAlarm({ name: 'errors', state: 'OK', reason: 'all good' });
    const out = await describeAlarms({ AlarmNames: ['errors', 'no-such-alarm'] });
    expect(out.MetricAlarms).toHaveLength(1);
    expect(out.MetricAlarms![0]).toMatchObject({
      AlarmName: 'errors',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:errors',
      StateValue: 'OK',
      StateReason: 'all good'
    });
    expect(out.MetricAlarms![0]!.StateUpdatedTimestamp).toEqual(new Date(T0));
    expect(out.CompositeAlarms ?? []).toEqual([]);
  });

  test('more than 100 AlarmNames is a ValidationError (SDK: ValidationException, 400)', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `a${i}`);
    const err = await sdkError(describeAlarms({ AlarmNames: names }));
    expect(err.name).toBe('ValidationException');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    expect((err as unknown as { Code?: string }).Code).toBe('ValidationError');
    await expect(describeAlarms({ AlarmNames: names.slice(0, 100) })).resolves.toBeDefined();
  });

  test('composite alarms are returned only when AlarmTypes asks for them', async () => {
    h.emu.putAlarm({ name: 'metric', state: 'OK' });
    h.emu.putAlarm({ name: 'composite', state: 'ALARM', composite: true });
    const defaults = await describeAlarms({ AlarmNames: ['metric', 'composite'] });
    expect(defaults.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['metric']);
    expect(defaults.CompositeAlarms ?? []).toEqual([]);
    const both = await describeAlarms({ AlarmNames: ['metric', 'composite'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    expect(both.CompositeAlarms?.map((a) => [a.AlarmName, a.StateValue])).toEqual([['composite', 'ALARM']]);
    expect(both.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['metric']);
  });

  test('StateValue filters by state', async () => {
    h.emu.putAlarm({ name: 'a', state: 'OK' });
    h.emu.putAlarm({ name: 'b', state: 'ALARM' });
    const out = await describeAlarms({ StateValue: 'ALARM' });
    expect(out.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['b']);
  });

  test('a scheduled state change takes effect only when emulator time reaches it', async () => {
    h.emu.putAlarm({ name: 'errors', state: 'OK' });
    h.emu.setAlarmState('errors', 'ALARM', { reason: 'Threshold Crossed', afterMs: 30_000 });
    const state = async () => (await describeAlarms({ AlarmNames: ['errors'] })).MetricAlarms![0]!;
    h.advance(29_999);
    expect((await state()).StateValue).toBe('OK');
    h.advance(1);
    const after = await state();
    expect(after).toMatchObject({ StateValue: 'ALARM', StateReason: 'Threshold Crossed' });
    expect(after.StateUpdatedTimestamp).toEqual(new Date(T0 + 30_000));
  });

  test('pagination: MaxRecords and NextToken', async () => {
    for (const n of ['a', 'b', 'c']) h.emu.putAlarm({ name: n, state: 'OK' });
    const p1 = await describeAlarms({ MaxRecords: 2 });
    expect(p1.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a', 'b']);
    const p2 = await describeAlarms({ MaxRecords: 2, NextToken: p1.NextToken! });
    expect(p2.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['c']);
    expect(p2.NextToken).toBeUndefined();
  });
});

describe('GetMetricData (from recorded invocations)', () => {
  const query = (id: string, dims: Record<string, string>, metric = 'Invocations', stat = 'Sum'): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value }))
      },
      Period: 60,
      Stat: stat
    }
  });

  test('per-version Invocations and Errors for alias invocations, bucketed per period, newest first', async () => {
    h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
    await h.lambda.send(
      new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } })
    );
    h.emu.queueInvokeResults('fn', [{ functionError: { errorType: 'E', errorMessage: 'boom' } }]);
    const executed: string[] = [];
    for (let i = 0; i < 10; i++)
      executed.push((await h.lambda.send(new InvokeCommand({ FunctionName: 'fn:live' }))).ExecutedVersion!);
    h.advance(60_000);
    await h.lambda.send(new InvokeCommand({ FunctionName: 'fn', Qualifier: '2' })); // direct version call: no ExecutedVersion dimension
    const count = (v: string) => executed.filter((e) => e === v).length;

    const out = await h.cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0 - 60_000),
        EndTime: new Date(T0 + 120_000),
        MetricDataQueries: [
          query('v1', { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: '1' }),
          query('v2', { FunctionName: 'fn', Resource: 'fn:live', ExecutedVersion: '2' }),
          query('all', { FunctionName: 'fn' }),
          query('errors', { FunctionName: 'fn', Resource: 'fn:live' }, 'Errors'),
          query('absent', { FunctionName: 'other' })
        ]
      })
    );
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]));
    const bucket0 = new Date(Math.floor(T0 / 60_000) * 60_000);
    expect(byId.v1!.Values).toEqual([count('1')]);
    expect(byId.v2!.Values).toEqual([count('2')]);
    expect(byId.v1!.Timestamps).toEqual([bucket0]);
    expect(byId.all!.Values).toEqual([1, 10]);
    expect(byId.all!.Timestamps).toEqual([new Date(bucket0.getTime() + 60_000), bucket0]);
    expect(byId.errors!.Values).toEqual([1]);
    expect(byId.absent!.Values).toEqual([]);
    expect(byId.v1!.StatusCode).toBe('Complete');
  });

  test('metric math is refused rather than faked', async () => {
    const err = await sdkError(
      h.cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(T0),
          EndTime: new Date(T0 + 60_000),
          MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }]
        })
      )
    );
    expect(err.name).toBe('InvalidParameterValueException');
  });
});

describe('unsupported CloudWatch operations', () => {
  test('answer an AWS-shaped error naming the operation', async () => {
    const err = await sdkError(
      h.cw.send(new PutMetricAlarmCommand({ AlarmName: 'x', EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' }))
    );
    expect(err.name).toBe('UnknownOperationException');
    expect(err.message).toContain('PutMetricAlarm');
  });
});

import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  UpdateAliasCommand
} from '@aws-sdk/client-lambda';
import { ACCOUNT, principal, sdkError, startHarness, T0, type Harness } from './harness.js';

const B = '222222222222';
const WEST = 'us-west-2';
const arn = (account: string, region: string, name: string) => `arn:aws:lambda:${region}:${account}:function:${name}`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.setAccessKeyAccount('AKIDB', B);
});
afterEach(async () => {
  await h.close();
});

/** Clients signing for another region and/or with account B's access key. */
const west = () => h.lambdaWith({ region: WEST });
const asB = (region = 'us-east-1') => h.lambdaWith({ region, credentials: { accessKeyId: 'AKIDB', secretAccessKey: 'x' } });
const config = (client: ReturnType<typeof west>, FunctionName: string) =>
  client.send(new GetFunctionConfigurationCommand({ FunctionName }));

describe('namespaces: the same name in several accounts and regions', () => {
  beforeEach(() => {
    h.emu.createFunction({ name: 'fn', description: 'east' });
    h.emu.createFunction({ name: 'fn', description: 'west', region: WEST });
    h.emu.createFunction({ name: 'fn', description: 'b', accountId: B });
  });

  test('state() lists every function with its account, region and ARN', () => {
    expect(h.emu.state().functions.map((f) => [f.latest.description, f.accountId, f.region, f.arn])).toEqual([
      ['east', ACCOUNT, 'us-east-1', arn(ACCOUNT, 'us-east-1', 'fn')],
      ['west', ACCOUNT, WEST, arn(ACCOUNT, WEST, 'fn')],
      ['b', B, 'us-east-1', arn(B, 'us-east-1', 'fn')]
    ]);
    expect(() => h.emu.createFunction({ name: 'fn', region: WEST })).toThrow(/already exists/);
    expect(() => h.emu.createFunction({ name: 'x', region: 'mars' })).toThrow(/invalid region/);
  });

  test("a plain name resolves in the caller's account and the request's region", async () => {
    expect((await config(h.lambda, 'fn')).Description).toBe('east');
    const w = await config(west(), 'fn');
    expect(w.Description).toBe('west');
    expect(w.FunctionArn).toBe(arn(ACCOUNT, WEST, 'fn'));
    expect(w.Role).toBe(`arn:aws:iam::${ACCOUNT}:role/fn-role`);
    const b = await config(asB(), 'fn');
    expect(b).toMatchObject({ Description: 'b', FunctionArn: arn(B, 'us-east-1', 'fn'), Role: `arn:aws:iam::${B}:role/fn-role` });
    const got = await asB().send(new GetFunctionCommand({ FunctionName: 'fn' }));
    expect(got.Code?.Location).toContain(`/snapshots/${B}/fn`);
    expect((await sdkError(config(asB(WEST), 'fn'))).name).toBe('ResourceNotFoundException');
  });

  test('a full ARN for another region is not reachable from this one', async () => {
    const err = await sdkError(config(h.lambda, arn(ACCOUNT, WEST, 'fn')));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(err.message).toBe("Functions from 'us-west-2' are not reachable in this region ('us-east-1')");
    expect((await config(west(), arn(ACCOUNT, WEST, 'fn'))).Description).toBe('west');
  });

  test('a partial ARN resolves in its account and the request region', async () => {
    expect((await config(west(), `${ACCOUNT}:function:fn`)).Description).toBe('west');
    expect((await config(asB(), `${B}:function:fn`)).Description).toBe('b');
  });

  test('the call log records each call with its region and account', async () => {
    await config(west(), 'fn');
    await config(asB(), 'fn');
    expect(h.emu.calls().map((c) => [c.region, c.accountId])).toEqual([
      [WEST, ACCOUNT],
      ['us-east-1', B]
    ]);
  });

  test('control methods take a full or partial ARN where they take a name', async () => {
    h.emu.queueInvokeResults(arn(ACCOUNT, WEST, 'fn'), [{ payload: 'from the west' }]);
    const out = await west().send(new InvokeCommand({ FunctionName: 'fn' }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toBe('from the west');
    const updated = h.emu.updateCode(`${B}:function:fn`, 'sha-b');
    expect(updated).toMatchObject({ accountId: B, latest: { codeSha256: 'sha-b' } });
    expect(h.emu.state().functions.find((f) => f.accountId === B)!.latest.codeSha256).toBe('sha-b');
    expect(() => h.emu.updateCode('fn:1')).toThrow(/not a version or alias/);
  });
});

describe('cross-account access through the resource-based policy', () => {
  beforeEach(() => {
    h.emu.createFunction({
      name: 'shared',
      accountId: B,
      versions: 1,
      alias: { name: 'live', version: '1' },
      crossAccountActions: ['lambda:InvokeFunction']
    });
    h.emu.createFunction({ name: 'private', accountId: B });
  });

  test('a granted action is allowed: invocations and metrics land in the owner account', async () => {
    const out = await h.lambda.send(new InvokeCommand({ FunctionName: `${arn(B, 'us-east-1', 'shared')}:live` }));
    expect(out.ExecutedVersion).toBe('1');
    expect(h.emu.state().functions.find((f) => f.name === 'shared')!.invocations).toEqual({ '1': 1 });
    const metric = (client: typeof h.cw) =>
      client.send(
        new GetMetricDataCommand({
          StartTime: new Date(T0 - 60_000),
          EndTime: new Date(T0 + 60_000),
          MetricDataQueries: [
            {
              Id: 'inv',
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/Lambda',
                  MetricName: 'Invocations',
                  Dimensions: [{ Name: 'FunctionName', Value: 'shared' }]
                },
                Period: 60,
                Stat: 'Sum'
              }
            }
          ]
        })
      );
    expect((await metric(h.cw)).MetricDataResults![0]!.Values).toEqual([]);
    const ownerCw = h.cwWith({ credentials: { accessKeyId: 'AKIDB', secretAccessKey: 'x' } });
    expect((await metric(ownerCw)).MetricDataResults![0]!.Values).toEqual([1]);
  });

  test('an action the policy does not grant is 403 AccessDeniedException', async () => {
    const err = await sdkError(config(h.lambda, arn(B, 'us-east-1', 'shared')));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      `User: ${principal(ACCOUNT)} is not authorized to perform: lambda:GetFunctionConfiguration on resource: ${arn(B, 'us-east-1', 'shared')} because no resource-based policy allows the lambda:GetFunctionConfiguration action`
    );
    expect(h.emu.calls().at(-1)).toMatchObject({ status: 403, errorCode: 'AccessDeniedException', accountId: ACCOUNT });
  });

  test('no policy at all, or no such function: 403 as well (existence is not revealed)', async () => {
    for (const name of ['private', 'missing']) {
      const err = await sdkError(h.lambda.send(new InvokeCommand({ FunctionName: `${B}:function:${name}` })));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).toContain(
        `lambda:InvokeFunction on resource: ${arn(B, 'us-east-1', name)} because no resource-based policy`
      );
    }
  });

  test('the qualifier is part of the resource; the owner account is not restricted', async () => {
    const err = await sdkError(h.lambda.send(new GetAliasCommand({ FunctionName: arn(B, 'us-east-1', 'shared'), Name: 'live' })));
    expect(err.message).toContain(`perform: lambda:GetAlias on resource: ${arn(B, 'us-east-1', 'shared')} because`);
    const q = await sdkError(
      h.lambda.send(new GetFunctionCommand({ FunctionName: arn(B, 'us-east-1', 'shared'), Qualifier: '1' }))
    );
    expect(q.message).toContain(`on resource: ${arn(B, 'us-east-1', 'shared')}:1 because`);
    expect((await asB().send(new GetAliasCommand({ FunctionName: 'shared', Name: 'live' }))).FunctionVersion).toBe('1');
  });
});

describe('CloudWatch namespaces', () => {
  beforeEach(() => {
    h.emu.putAlarm({ name: 'errors', state: 'OK' });
    h.emu.putAlarm({ name: 'errors', state: 'ALARM', region: WEST });
    h.emu.putAlarm({ name: 'composite', state: 'OK', composite: true, region: WEST });
    h.emu.putAlarm({ name: 'errors', state: 'INSUFFICIENT_DATA', accountId: B });
  });
  const describeAll = (client = h.cw) =>
    client.send(new DescribeAlarmsCommand({ AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));

  test("DescribeAlarms answers the caller's account in the request's region, with AlarmArn", async () => {
    const east = await describeAll();
    expect(east.MetricAlarms?.map((a) => [a.AlarmName, a.StateValue, a.AlarmArn])).toEqual([
      ['errors', 'OK', `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:errors`]
    ]);
    expect(east.CompositeAlarms ?? []).toEqual([]);
    const w = await describeAll(h.cwWith({ region: WEST }));
    expect(w.MetricAlarms?.map((a) => [a.StateValue, a.AlarmArn])).toEqual([
      ['ALARM', `arn:aws:cloudwatch:${WEST}:${ACCOUNT}:alarm:errors`]
    ]);
    expect(w.CompositeAlarms?.map((a) => a.AlarmArn)).toEqual([`arn:aws:cloudwatch:${WEST}:${ACCOUNT}:alarm:composite`]);
    const b = await describeAll(h.cwWith({ credentials: { accessKeyId: 'AKIDB', secretAccessKey: 'x' } }));
    expect(b.MetricAlarms?.map((a) => [a.StateValue, a.AlarmArn])).toEqual([
      ['INSUFFICIENT_DATA', `arn:aws:cloudwatch:us-east-1:${B}:alarm:errors`]
    ]);
  });

  test('state() lists every alarm; setAlarmState takes an alarm ARN', async () => {
    expect(h.emu.state().alarms.map((a) => [a.name, a.accountId, a.region])).toEqual([
      ['composite', ACCOUNT, WEST],
      ['errors', ACCOUNT, 'us-east-1'],
      ['errors', ACCOUNT, WEST],
      ['errors', B, 'us-east-1']
    ]);
    const snap = h.emu.setAlarmState(`arn:aws:cloudwatch:${WEST}:${ACCOUNT}:alarm:errors`, 'OK', { reason: 'recovered' });
    expect(snap).toMatchObject({ region: WEST, state: 'OK', arn: `arn:aws:cloudwatch:${WEST}:${ACCOUNT}:alarm:errors` });
    expect((await describeAll()).MetricAlarms![0]!.StateValue).toBe('OK');
    expect(() => h.emu.setAlarmState(`arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:errors`, 'OK')).toThrow(/no such alarm/);
  });
});

describe('denyActions: caller-wide denials', () => {
  beforeEach(() => {
    h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
  });

  test('a denied Lambda action is 403 AccessDeniedException naming the identity-based policy; nothing changes', async () => {
    h.emu.denyActions(['lambda:UpdateAlias', 'cloudwatch:DescribeAlarms']);
    const err = await sdkError(h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.$fault).toBe('client');
    expect(err.message).toBe(
      `User: ${principal(ACCOUNT)} is not authorized to perform: lambda:UpdateAlias on resource: ${arn(ACCOUNT, 'us-east-1', 'fn')} because no identity-based policy allows the lambda:UpdateAlias action`
    );
    expect(h.emu.state().functions[0]!.aliases[0]!.functionVersion).toBe('1');
    expect((await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).FunctionVersion).toBe('1');
  });

  test('a denied CloudWatch action is 403 AccessDenied (the awsQuery code the SDK names the error after)', async () => {
    h.emu.denyActions(['cloudwatch:DescribeAlarms']);
    const err = await sdkError(h.cw.send(new DescribeAlarmsCommand({})));
    expect(err.name).toBe('AccessDenied');
    expect(err.Code).toBe('AccessDenied');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      `User: ${principal(ACCOUNT)} is not authorized to perform: cloudwatch:DescribeAlarms on resource: arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:* because no identity-based policy allows the cloudwatch:DescribeAlarms action`
    );
    expect(h.emu.calls().at(-1)).toMatchObject({ service: 'cloudwatch', status: 403, errorCode: 'AccessDenied' });
  });

  test('GetMetricData has no resource in the message; wildcards match; [] clears', async () => {
    h.emu.denyActions(['cloudwatch:Get*', 'lambda:*Alias']);
    const err = await sdkError(
      h.cw.send(
        new GetMetricDataCommand({
          StartTime: new Date(T0 - 1),
          EndTime: new Date(T0),
          MetricDataQueries: [{ Id: 'a', Expression: '1' }]
        })
      )
    );
    expect(err.message).toBe(
      `User: ${principal(ACCOUNT)} is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action`
    );
    expect((await sdkError(h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })))).name).toBe(
      'AccessDeniedException'
    );
    expect((await h.lambda.send(new GetFunctionCommand({ FunctionName: 'fn' }))).Configuration?.FunctionName).toBe('fn');
    h.emu.denyActions([]);
    expect((await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).Name).toBe('live');
    expect(() => h.emu.denyActions(['UpdateAlias'])).toThrow(/invalid IAM action/);
  });

  test('the invoke action is lambda:InvokeFunction; a denial refuses before the function is looked up', async () => {
    h.emu.denyActions(['lambda:InvokeFunction']);
    const err = await sdkError(h.lambda.send(new InvokeCommand({ FunctionName: 'missing' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.message).toContain(`lambda:InvokeFunction on resource: ${arn(ACCOUNT, 'us-east-1', 'missing')}`);
  });

  test('reset clears access keys and denials', async () => {
    h.emu.denyActions(['lambda:GetFunction']);
    h.emu.reset();
    h.emu.createFunction({ name: 'fn' });
    expect((await asB().send(new GetFunctionCommand({ FunctionName: 'fn' }))).Configuration?.FunctionArn).toBe(
      arn(ACCOUNT, 'us-east-1', 'fn')
    );
  });
});

import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetFunctionCommand, PublishVersionCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { ACCOUNT, principal, sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(async () => {
  await h.close();
});

const getFunction = (client = h.lambda) => client.send(new GetFunctionCommand({ FunctionName: 'fn' }));

describe("failNext 'html-502': a proxy's error page instead of an AWS answer", () => {
  test('the answer is a 502 text/html page without an AWS request id', async () => {
    h.emu.failNext('GetFunction', 1, 'html-502');
    const res = await fetch(`${h.emu.url}/2015-03-31/functions/fn`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('x-amzn-requestid')).toBeNull();
    expect(await res.text()).toContain('<title>502 Bad Gateway</title>');
    expect(h.emu.calls()[0]).toMatchObject({ operation: 'GetFunction', status: 502, fault: 'html-502' });
    expect(h.emu.calls()[0]!.errorCode).toBeUndefined();
  });

  test('the SDK fails to parse it: a SyntaxError carrying HTTP status 502 (Lambda and CloudWatch alike)', async () => {
    h.emu.failNext('GetFunction', 1, 'html-502');
    h.emu.failNext('DescribeAlarms', 1, 'html-502');
    for (const err of [await sdkError(getFunction()), await sdkError(h.cw.send(new DescribeAlarmsCommand({})))]) {
      expect(err.name).toBe('SyntaxError');
      expect(err.message).toMatch(
        /^Unexpected token '<', .* is not valid JSON\n\s+Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.$/s
      );
      expect(err.$metadata?.httpStatusCode).toBe(502);
      expect(err.$metadata?.attempts).toBe(1);
      expect(err.$fault).toBeUndefined();
      expect((err.$response as { statusCode?: number } | undefined)?.statusCode).toBe(502);
    }
  });

  test('the SDK retries it as a transient error (HTTP 502), and nothing ran', async () => {
    h.emu.updateCode('fn');
    h.emu.failNext('PublishVersion', 1, 'html-502');
    const client = h.lambdaWith({ retryStrategy: new ConfiguredRetryStrategy(3, 0) });
    const out = await client.send(new PublishVersionCommand({ FunctionName: 'fn' }));
    expect(out.Version).toBe('3');
    expect(out.$metadata.attempts).toBe(2);
    expect(h.emu.calls().map((c) => c.status)).toEqual([502, 201]);
  });
});

describe("failNext 'AccessDeniedException'", () => {
  test('Lambda: 403 AccessDeniedException with IAM wording, and the change is not made', async () => {
    h.emu.failNext('UpdateAlias', 1, 'AccessDeniedException');
    const err = await sdkError(h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', FunctionVersion: '2' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
    expect(err.message).toBe(
      `User: ${principal(ACCOUNT)} is not authorized to perform: lambda:UpdateAlias on resource: arn:aws:lambda:us-east-1:${ACCOUNT}:function:fn because no identity-based policy allows the lambda:UpdateAlias action`
    );
    expect(h.emu.state().functions[0]!.aliases[0]!.functionVersion).toBe('1');
    expect(h.emu.calls()[0]).toMatchObject({ status: 403, errorCode: 'AccessDeniedException' });
  });

  test('CloudWatch: 403 AccessDenied (either name works in failNext)', async () => {
    h.emu.failNext('DescribeAlarms', 1, 'AccessDeniedException');
    h.emu.failNext('DescribeAlarms', 1, 'AccessDenied');
    for (let i = 0; i < 2; i++) {
      const err = await sdkError(h.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['x'] })));
      expect(err.name).toBe('AccessDenied');
      expect(err.$metadata?.httpStatusCode).toBe(403);
      expect(err.message).toContain(
        'is not authorized to perform: cloudwatch:DescribeAlarms on resource: arn:aws:cloudwatch:us-east-1:123456789012:alarm:*'
      );
    }
    await expect(h.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['x'] }))).resolves.toBeDefined();
  });
});

import {
  AddPermissionCommand,
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  ListEventSourceMappingsCommand,
  ListFunctionUrlConfigsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand
} from '@aws-sdk/client-lambda';
import { sdkError, startHarness, type Harness } from './harness.js';

// What invokes a function besides its callers' Invoke, and a function's versions as a whole, over the
// real SDK and HTTP: the wire formats (paths, query members, markers) must be the ones the SDK speaks.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fn';

describe('event source mappings', () => {
  test('each is listed under the function ARN it was created with, qualifier and all, paged at 100', async () => {
    h.emu.createFunction({ name: 'fn', versions: 3, alias: { name: 'live', version: '3' } });
    for (let i = 0; i < 130; i++)
      h.emu.createEventSourceMapping({ functionName: 'fn', eventSourceArn: `arn:aws:sqs:us-east-1:123456789012:q${i}` });
    h.emu.createEventSourceMapping({ functionName: 'fn:live', eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:live-queue' });
    h.emu.createEventSourceMapping({
      functionName: `${ARN}:2`,
      eventSourceArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/s'
    });

    const first = await h.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'fn', MaxItems: 500 }));
    expect(first.EventSourceMappings).toHaveLength(100);
    expect(first.NextMarker).toBeDefined();
    const second = await h.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'fn', Marker: first.NextMarker }));
    expect(second.EventSourceMappings).toHaveLength(30);
    expect(second.NextMarker).toBeUndefined();
    expect(second.EventSourceMappings![0]).toMatchObject({ FunctionArn: ARN, State: 'Enabled' });

    const live = await h.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: `${ARN}:live` }));
    expect(live.EventSourceMappings!.map((m) => m.FunctionArn)).toEqual([`${ARN}:live`]);
    const pinned = await h.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: 'fn:2' }));
    expect(pinned.EventSourceMappings!.map((m) => m.EventSourceArn)).toEqual(['arn:aws:kinesis:us-east-1:123456789012:stream/s']);
  });

  test('a mapping on a qualifier that does not exist is refused', () => {
    h.emu.createFunction({ name: 'fn', versions: 1 });
    expect(() =>
      h.emu.createEventSourceMapping({ functionName: 'fn:staging', eventSourceArn: 'arn:aws:sqs:us-east-1:123456789012:q' })
    ).toThrow(/not found/i);
  });
});

describe('function URLs and resource-based policies', () => {
  test('ListFunctionUrlConfigs lists the unqualified URL and the alias URLs', async () => {
    h.emu.createFunction({ name: 'fn', versions: 1, alias: { name: 'live', version: '1' } });
    h.emu.createFunctionUrl({ functionName: 'fn', authType: 'NONE' });
    h.emu.createFunctionUrl({ functionName: 'fn', qualifier: 'live' });
    const { FunctionUrlConfigs } = await h.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'fn' }));
    expect(FunctionUrlConfigs!.map((u) => [u.FunctionArn, u.AuthType])).toEqual([
      [ARN, 'NONE'],
      [`${ARN}:live`, 'AWS_IAM']
    ]);
    expect(FunctionUrlConfigs![0]!.FunctionUrl).toMatch(/^https:\/\/\w+\.lambda-url\.us-east-1\.on\.aws\/$/);
  });

  test('GetPolicy answers each qualifier its own policy, and 404 where there is none', async () => {
    h.emu.createFunction({ name: 'fn', versions: 1, alias: { name: 'live', version: '1' } });
    await h.lambda.send(
      new AddPermissionCommand({
        FunctionName: 'fn',
        StatementId: 's3',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::uploads'
      })
    );
    h.emu.addPermission({ functionName: 'fn', qualifier: 'live', statementId: 'api', principal: 'apigateway.amazonaws.com' });
    const unqualified = await h.lambda.send(new GetPolicyCommand({ FunctionName: 'fn' }));
    expect(JSON.parse(unqualified.Policy!).Statement).toEqual([
      {
        Sid: 's3',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'lambda:InvokeFunction',
        Resource: ARN,
        Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' } }
      }
    ]);
    const live = await h.lambda.send(new GetPolicyCommand({ FunctionName: 'fn', Qualifier: 'live' }));
    expect(JSON.parse(live.Policy!).Statement[0]).toMatchObject({ Sid: 'api', Resource: `${ARN}:live` });
    const none = await sdkError(h.lambda.send(new GetPolicyCommand({ FunctionName: 'fn', Qualifier: '1' })));
    expect(none).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});

describe('versions as a whole', () => {
  test('ListVersionsByFunction answers 50 at most a page, $LATEST first, with a marker to the rest', async () => {
    h.emu.createFunction({ name: 'fn', versions: 120 });
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await h.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'fn', MaxItems: 1000, Marker: marker }));
      expect(page.Versions!.length).toBeLessThanOrEqual(50);
      seen.push(...page.Versions!.map((v) => v.Version!));
      marker = page.NextMarker;
    } while (marker);
    expect(seen).toEqual(['$LATEST', ...Array.from({ length: 120 }, (_, i) => String(i + 1))]);
  });

  test('DeleteFunction with a version deletes it, refuses one an alias points or routes to, and $LATEST', async () => {
    h.emu.createFunction({ name: 'fn', versions: 4, alias: { name: 'live', version: '3', weights: { '4': 0.1 } } });
    await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn', Qualifier: '1' }));
    await h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn:2' }));
    expect(h.emu.state().functions[0]!.versions.map((v) => v.version)).toEqual(['3', '4']);
    for (const version of ['3', '4']) {
      const refused = await sdkError(h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn', Qualifier: version })));
      expect(refused).toMatchObject({ name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } });
      expect(refused.message).toContain('[live]');
    }
    const latest = await sdkError(h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn', Qualifier: '$LATEST' })));
    expect(latest).toMatchObject({ name: 'InvalidParameterValueException' });
    const gone = await sdkError(h.lambda.send(new DeleteFunctionCommand({ FunctionName: 'fn', Qualifier: '1' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('ListProvisionedConcurrencyConfigs lists the configurations of aliases and versions', async () => {
    h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '2' } });
    h.emu.setProvisionedConcurrency('fn', 'live', 5);
    h.emu.setVersionProvisionedConcurrency('fn', '1', 2);
    const { ProvisionedConcurrencyConfigs } = await h.lambda.send(
      new ListProvisionedConcurrencyConfigsCommand({ FunctionName: 'fn' })
    );
    expect(ProvisionedConcurrencyConfigs!.map((c) => [c.FunctionArn, c.RequestedProvisionedConcurrentExecutions])).toEqual([
      [`${ARN}:live`, 5],
      [`${ARN}:1`, 2]
    ]);
  });

  test('an Inactive version says so; its first invocation fails and wakes it: Pending, then Active', async () => {
    h.emu.createFunction({ name: 'fn', versions: 2 });
    h.emu.setVersionInactive('fn', '1', { reactivationMs: 5_000 });
    const state = async () =>
      (await h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'fn', Qualifier: '1' }))).State;
    expect(await state()).toBe('Inactive');
    await h.lambda.send(new InvokeCommand({ FunctionName: 'fn:1', InvocationType: 'DryRun' }));
    expect(await state()).toBe('Inactive');
    const woken = await sdkError(h.lambda.send(new InvokeCommand({ FunctionName: 'fn:1' })));
    expect(woken).toMatchObject({ name: 'SnapStartNotReadyException', $metadata: { httpStatusCode: 409 } });
    expect(await state()).toBe('Pending');
    h.advance(5_000);
    expect(await state()).toBe('Active');
    expect((await h.lambda.send(new InvokeCommand({ FunctionName: 'fn:1' }))).StatusCode).toBe(200);
  });
});

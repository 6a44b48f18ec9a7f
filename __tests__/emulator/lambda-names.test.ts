import { GetAliasCommand, GetFunctionConfigurationCommand, InvokeCommand, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 2, alias: { name: 'live', version: '2' } });
});
afterEach(async () => {
  await h.close();
});

const config = (FunctionName: string, Qualifier?: string) =>
  h.lambda.send(new GetFunctionConfigurationCommand({ FunctionName, ...(Qualifier ? { Qualifier } : {}) }));

describe('FunctionName forms', () => {
  test.each([
    ['plain name', 'fn'],
    ['partial ARN', '123456789012:function:fn'],
    ['full ARN', 'arn:aws:lambda:us-east-1:123456789012:function:fn']
  ])('%s resolves to the function (unqualified ARN, $LATEST)', async (_label, name) => {
    const out = await config(name);
    expect(out.FunctionName).toBe('fn');
    expect(out.Version).toBe('$LATEST');
    expect(out.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn');
  });

  test.each([
    ['name:version', 'fn:1', '1', 'fn:1'],
    ['partial ARN:alias', '123456789012:function:fn:live', '2', 'fn:live'],
    ['full ARN:version', 'arn:aws:lambda:us-east-1:123456789012:function:fn:2', '2', 'fn:2']
  ])('%s carries the qualifier in the path', async (_label, name, version, arnSuffix) => {
    const out = await config(name);
    expect(out.Version).toBe(version);
    expect(out.FunctionArn).toBe(`arn:aws:lambda:us-east-1:123456789012:function:${arnSuffix}`);
  });

  test('Qualifier parameter: an alias reports its version with the alias ARN', async () => {
    const out = await config('fn', 'live');
    expect(out.Version).toBe('2');
    expect(out.FunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn:live');
  });

  test('a qualifier in the name that contradicts ?Qualifier= is refused', async () => {
    const err = await sdkError(config('fn:1', '2'));
    expect(err.name).toBe('InvalidParameterValueException');
  });

  test('an ARN from another account is refused: no resource-based policy lets this account in (see accounts.test.ts)', async () => {
    const err = await sdkError(config('arn:aws:lambda:us-east-1:999999999999:function:fn'));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  test('an ARN from another region is not reachable from this one (see accounts.test.ts)', async () => {
    const err = await sdkError(config('arn:aws:lambda:eu-west-1:123456789012:function:fn'));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toBe("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
  });

  test('a malformed name is refused with 400', async () => {
    const err = await sdkError(config('bad name!'));
    expect(err.name).toBe('InvalidParameterValueException');
  });

  test('ARN forms work for alias and version operations too', async () => {
    const alias = await h.lambda.send(
      new GetAliasCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn', Name: 'live' })
    );
    expect(alias.FunctionVersion).toBe('2');
    h.emu.updateCode('fn');
    const v = await h.lambda.send(new PublishVersionCommand({ FunctionName: '123456789012:function:fn' }));
    expect(v.Version).toBe('3');
    const inv = await h.lambda.send(
      new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:fn:live' })
    );
    expect(inv.ExecutedVersion).toBe('2');
  });

  test('an unknown qualifier is 404', async () => {
    const err = await sdkError(config('fn', 'nope'));
    expect(err.name).toBe('ResourceNotFoundException');
  });
});

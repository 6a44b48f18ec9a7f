import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetProvisionedConcurrencyConfigCommand,
  ListAliasesCommand,
  UpdateAliasCommand,
  type UpdateAliasCommandInput
} from '@aws-sdk/client-lambda';
import { sdkError, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
  h.emu.createFunction({ name: 'fn', versions: 3, alias: { name: 'live', version: '1' } });
});
afterEach(async () => {
  await h.close();
});

const update = (input: Omit<UpdateAliasCommandInput, 'FunctionName' | 'Name'>) =>
  h.lambda.send(new UpdateAliasCommand({ FunctionName: 'fn', Name: 'live', ...input }));
const weights = (w: Record<string, number>) => ({ RoutingConfig: { AdditionalVersionWeights: w } });

async function expectInvalid(p: Promise<unknown>, message?: RegExp): Promise<void> {
  const err = await sdkError(p);
  expect(err.name).toBe('InvalidParameterValueException');
  expect(err.$metadata?.httpStatusCode).toBe(400);
  if (message) expect(err.message).toMatch(message);
  // the refused update changed nothing
  expect(h.emu.state().functions[0]!.aliases.find((a) => a.name === 'live')).toMatchObject({ functionVersion: '1', weights: {} });
}

test('createFunction can leave its alias split, as an interrupted deployment does; the routing rules apply', async () => {
  h.emu.createFunction({ name: 'split', versions: 2, alias: { name: 'live', version: '1', weights: { '2': 0.25 } } });
  const alias = await h.lambda.send(new GetAliasCommand({ FunctionName: 'split', Name: 'live' }));
  expect(alias).toMatchObject({ FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } } });
  expect(() =>
    h.emu.createFunction({ name: 'bad', versions: 1, alias: { name: 'live', version: '1', weights: { '2': 0.25 } } })
  ).toThrow(/not found/i);
  expect(h.emu.state().functions.map((fn) => fn.name)).not.toContain('bad');
});

describe('alias routing rules', () => {
  test('a valid canary split is stored and returned', async () => {
    const out = await update(weights({ '2': 0.1 }));
    expect(out.FunctionVersion).toBe('1');
    expect(out.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    expect(out.AliasArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:fn:live');
  });

  test('$LATEST is refused as an additional version', async () => {
    await expectInvalid(update(weights({ $LATEST: 0.1 })), /\$LATEST is not supported/);
  });

  test('$LATEST is refused as FunctionVersion of a weighted alias', async () => {
    await expectInvalid(update({ FunctionVersion: '$LATEST', ...weights({ '2': 0.1 }) }), /\$LATEST is not supported/);
  });

  test('an unpublished additional version is refused with 404', async () => {
    const err = await sdkError(update(weights({ '9': 0.1 })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
  });

  test('an unpublished FunctionVersion is refused with 404', async () => {
    const err = await sdkError(update({ FunctionVersion: '9' }));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  test('two additional versions are refused', async () => {
    await expectInvalid(update(weights({ '2': 0.1, '3': 0.1 })));
  });

  test('weight 0 is refused', async () => {
    await expectInvalid(update(weights({ '2': 0 })));
  });

  test('weight 1 is refused', async () => {
    await expectInvalid(update(weights({ '2': 1 })));
  });

  test('the additional version must differ from FunctionVersion', async () => {
    await expectInvalid(update(weights({ '1': 0.5 })));
  });

  test('moving FunctionVersion onto the canary version while keeping routing is refused', async () => {
    await update(weights({ '2': 0.1 }));
    const err = await sdkError(update({ FunctionVersion: '2' }));
    expect(err.name).toBe('InvalidParameterValueException');
  });
});

describe('alias RevisionId', () => {
  test('changes on every update, even an identical one', async () => {
    const r0 = (await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }))).RevisionId;
    const r1 = (await update({ FunctionVersion: '1' })).RevisionId;
    const r2 = (await update({ FunctionVersion: '1' })).RevisionId;
    expect(new Set([r0, r1, r2]).size).toBe(3);
  });

  test('a stale RevisionId is refused with 412 PreconditionFailedException', async () => {
    const { RevisionId } = await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    await update(weights({ '2': 0.1 }));
    const err = await sdkError(update({ ...weights({ '2': 0.5 }), RevisionId: RevisionId! }));
    expect(err.name).toBe('PreconditionFailedException');
    expect(err.$metadata?.httpStatusCode).toBe(412);
    const current = await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    expect(current.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.1 });
    const ok = await update({ ...weights({ '2': 0.5 }), RevisionId: current.RevisionId! });
    expect(ok.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.5 });
  });
});

describe('UpdateAlias routing semantics', () => {
  test('an empty AdditionalVersionWeights map clears routing', async () => {
    await update(weights({ '2': 0.3 }));
    const out = await update({ FunctionVersion: '2', ...weights({}) });
    expect(out.FunctionVersion).toBe('2');
    expect(out.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
    const got = await h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    expect(got.RoutingConfig?.AdditionalVersionWeights ?? {}).toEqual({});
  });

  test('a description of up to 256 characters is kept with the routing; a longer one is refused, changing nothing', async () => {
    const out = await update({ ...weights({ '2': 0.3 }), Description: 'd'.repeat(256) });
    expect(out).toMatchObject({ Description: 'd'.repeat(256), RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } } });
    const err = await sdkError(update({ FunctionVersion: '2', ...weights({}), Description: 'd'.repeat(257) }));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toContain('Member must have length less than or equal to 256');
    expect(h.emu.state().functions[0]!.aliases.find((a) => a.name === 'live')).toMatchObject({
      functionVersion: '1',
      weights: { '2': 0.3 },
      description: 'd'.repeat(256)
    });
    await expect(
      h.lambda.send(
        new CreateAliasCommand({ FunctionName: 'fn', Name: 'beta', FunctionVersion: '2', Description: 'd'.repeat(257) })
      )
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  test('an omitted RoutingConfig keeps the current routing', async () => {
    await update(weights({ '2': 0.3 }));
    const out = await update({ Description: 'still canary' });
    expect(out.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.3 });
    expect(out.Description).toBe('still canary');
  });
});

describe('alias lifecycle', () => {
  test('CreateAlias returns the alias; a duplicate name is 409 ResourceConflictException', async () => {
    const created = await h.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'beta', FunctionVersion: '2' }));
    expect(created).toMatchObject({ Name: 'beta', FunctionVersion: '2' });
    expect(created.$metadata.httpStatusCode).toBe(201);
    const err = await sdkError(h.lambda.send(new CreateAliasCommand({ FunctionName: 'fn', Name: 'beta', FunctionVersion: '1' })));
    expect(err.name).toBe('ResourceConflictException');
    expect(err.$metadata?.httpStatusCode).toBe(409);
  });

  test('CreateAlias with weights follows the same rules', async () => {
    const err = await sdkError(
      h.lambda.send(
        new CreateAliasCommand({ FunctionName: 'fn', Name: 'beta', FunctionVersion: '1', ...weights({ $LATEST: 0.2 }) })
      )
    );
    expect(err.name).toBe('InvalidParameterValueException');
  });

  test('DeleteAlias answers 204, then GetAlias is 404 and ListAliases no longer shows it', async () => {
    const del = await h.lambda.send(new DeleteAliasCommand({ FunctionName: 'fn', Name: 'live' }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    const err = await sdkError(h.lambda.send(new GetAliasCommand({ FunctionName: 'fn', Name: 'live' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect((await h.lambda.send(new ListAliasesCommand({ FunctionName: 'fn' }))).Aliases).toEqual([]);
  });

  test('a missing function is 404 ResourceNotFoundException', async () => {
    const err = await sdkError(h.lambda.send(new GetAliasCommand({ FunctionName: 'nope', Name: 'live' })));
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.message).toContain('Function not found');
  });
});

describe('provisioned concurrency', () => {
  test('GetProvisionedConcurrencyConfig: 404 until set via the control API', async () => {
    const get = () => h.lambda.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: 'fn', Qualifier: 'live' }));
    const err = await sdkError(get());
    expect(err.name).toBe('ProvisionedConcurrencyConfigNotFoundException');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    h.emu.setProvisionedConcurrency('fn', 'live', 5);
    expect(await get()).toMatchObject({ RequestedProvisionedConcurrentExecutions: 5, Status: 'READY' });
  });

  test('weights on an alias with provisioned concurrency are allowed: Lambda splits it by weight', async () => {
    h.emu.setProvisionedConcurrency('fn', 'live', 5);
    const out = await update(weights({ '2': 0.2 }));
    expect(out.RoutingConfig?.AdditionalVersionWeights).toEqual({ '2': 0.2 });
    const alias = h.emu.state().functions[0]!.aliases.find((a) => a.name === 'live');
    expect(alias?.provisioned).toMatchObject({ requested: 5, status: 'READY', versions: { '1': 4, '2': 1 } });
  });
});

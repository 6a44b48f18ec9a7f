import { describe, expect, test } from '@jest/globals';
import { parseSettings } from '../../src/config/inputs.js';
import { Inputs } from '../../src/config/keys.js';
import { InputError } from '../../src/core/input-error.js';

// version, from-alias, rollback-to (an existing version instead of a new one), on-unrouted-triggers,
// and keep-versions / keep-days / prune: parsed into one choice each, refused before AWS is read.

function settings(inputs: Record<string, string>) {
  return parseSettings({ get: (name) => inputs[name] ?? '', env: {} });
}

function refusal(inputs: Record<string, string>): InputError {
  try {
    settings(inputs);
  } catch (error: unknown) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

const ORDERS = { [Inputs.FunctionName]: 'orders' };

describe('the release source', () => {
  test('publish by default; version, from-alias and rollback-to choose an existing version', () => {
    expect(settings(ORDERS).release).toEqual({ kind: 'publish' });
    expect(settings({ ...ORDERS, [Inputs.Version]: '42' }).release).toEqual({ kind: 'version', versions: ['42'] });
    expect(settings({ ...ORDERS, [Inputs.FromAlias]: 'staging' }).release).toEqual({ kind: 'from-alias', alias: 'staging' });
    expect(settings({ ...ORDERS, [Inputs.RollbackTo]: 'last-good' }).release).toEqual({ kind: 'last-good' });
  });

  test('at most one of them', () => {
    const error = refusal({ ...ORDERS, [Inputs.Version]: '42', [Inputs.FromAlias]: 'staging' });
    expect(error.input).toBe(Inputs.FromAlias);
    expect(error.message).toMatch(/version is given too.*one of version, from-alias or rollback-to/);
  });

  test.each([
    [Inputs.CodeDir, 'build'],
    [Inputs.ZipFile, 'orders.zip'],
    [Inputs.ImageUri, '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders:v2'],
    [Inputs.MemorySize, '512'],
    [Inputs.EnvVars, 'A=1'],
    [Inputs.CodeSha256, 'a'.repeat(43) + '='],
    [Inputs.VersionDescription, 'hotfix']
  ])('none of them with %s, which makes a new version', (input, value) => {
    const error = refusal({ ...ORDERS, [Inputs.Version]: '42', [input]: value });
    expect(error.input).toBe(input);
    expect(error.message).toContain('version deploys a version that exists already');
  });

  test('a version is a published number: not $LATEST, not a name', () => {
    expect(refusal({ ...ORDERS, [Inputs.Version]: '$LATEST' }).message).toMatch(/\$LATEST is not a published version/);
    expect(refusal({ ...ORDERS, [Inputs.Version]: 'v2' }).message).toMatch(/not a version number.*such as 42/);
    expect(refusal({ ...ORDERS, [Inputs.Version]: '0' }).input).toBe(Inputs.Version);
  });

  test('from-alias names another alias; rollback-to knows last-good only', () => {
    expect(refusal({ ...ORDERS, [Inputs.FromAlias]: 'live' }).message).toMatch(/the alias being deployed \(orders:live\)/);
    expect(refusal({ ...ORDERS, [Inputs.FromAlias]: '7' }).message).toMatch(/a number names a version/);
    expect(refusal({ ...ORDERS, [Inputs.RollbackTo]: 'previous' }).message).toMatch(/Expected last-good/);
  });

  test('with functions: version in every item, or in none; from-alias and rollback-to apply to all', () => {
    const functions = '- name: orders\n  version: 4\n- name: billing\n  version: "9"';
    expect(settings({ [Inputs.Functions]: functions }).release).toEqual({ kind: 'version', versions: ['4', '9'] });
    const mixed = refusal({ [Inputs.Functions]: '- name: orders\n  version: 4\n- billing' });
    expect(mixed.message).toMatch(/item 2 \(billing\) names no version.*all published or all existing/);
    expect(refusal({ [Inputs.Functions]: '- orders\n- billing', [Inputs.Version]: '4' }).message).toMatch(
      /version inside each item of functions/
    );
    expect(settings({ [Inputs.Functions]: '- orders\n- billing', [Inputs.FromAlias]: 'staging' }).release).toEqual({
      kind: 'from-alias',
      alias: 'staging'
    });
    const withCode = refusal({
      [Inputs.Functions]: '- name: orders\n  code-dir: build\n- billing',
      [Inputs.RollbackTo]: 'last-good'
    });
    expect(withCode.message).toMatch(/the code source of orders/);
  });
});

describe('triggers and pruning', () => {
  test('on-unrouted-triggers is warn or fail', () => {
    expect(settings(ORDERS).onUnroutedTriggers).toBe('warn');
    expect(settings({ ...ORDERS, [Inputs.OnUnroutedTriggers]: 'fail' }).onUnroutedTriggers).toBe('fail');
    expect(refusal({ ...ORDERS, [Inputs.OnUnroutedTriggers]: 'ignore' }).input).toBe(Inputs.OnUnroutedTriggers);
  });

  test('pruning is off without a keep input, lists only without prune: true', () => {
    expect(settings(ORDERS).pruning).toEqual({ kind: 'off' });
    expect(settings({ ...ORDERS, [Inputs.KeepVersions]: '10' }).pruning).toEqual({
      kind: 'prune',
      delete: false,
      keepVersions: 10
    });
    expect(settings({ ...ORDERS, [Inputs.KeepDays]: '30', [Inputs.Prune]: 'true' }).pruning).toEqual({
      kind: 'prune',
      delete: true,
      keepDays: 30
    });
    expect(refusal({ ...ORDERS, [Inputs.Prune]: 'true' }).message).toMatch(/nothing says which versions to keep/);
    expect(refusal({ ...ORDERS, [Inputs.KeepVersions]: '0' }).message).toMatch(/from 1 to 10000/);
    expect(refusal({ ...ORDERS, [Inputs.KeepDays]: '2.5' }).input).toBe(Inputs.KeepDays);
  });
});

describe('with holds for approval (operation)', () => {
  const HOLDS = { ...ORDERS, [Inputs.Strategy]: '10%:5m, 50%:hold' };

  test('an existing version may be held like a new one', () => {
    expect(settings({ ...HOLDS, [Inputs.Version]: '7' }).release).toEqual({ kind: 'version', versions: ['7'] });
    expect(settings({ ...HOLDS, [Inputs.RollbackTo]: 'last-good' }).release).toEqual({ kind: 'last-good' });
  });

  test('a deployment that holds promotes nothing, so it refuses pruning: the promote step prunes', () => {
    const refused = refusal({ ...HOLDS, [Inputs.KeepVersions]: '5' });
    expect(refused.input).toBe(Inputs.KeepVersions);
    expect(refused.message).toMatch(/the strategy holds for approval.*operation: promote/);
    expect(refusal({ ...HOLDS, [Inputs.KeepDays]: '30' }).input).toBe(Inputs.KeepDays);
    const promote = settings({ ...ORDERS, [Inputs.Operation]: 'promote', [Inputs.KeepVersions]: '5', [Inputs.Prune]: 'true' });
    expect(promote.pruning).toEqual({ kind: 'prune', delete: true, keepVersions: 5 });
  });

  test('promote, abort and guard take no version of their own: the alias record names it', () => {
    for (const operation of ['promote', 'abort', 'guard']) {
      expect(refusal({ ...ORDERS, [Inputs.Operation]: operation, [Inputs.Version]: '7' }).input).toBe(Inputs.Version);
      expect(refusal({ ...ORDERS, [Inputs.Operation]: operation, [Inputs.RollbackTo]: 'last-good' }).input).toBe(
        Inputs.RollbackTo
      );
    }
    expect(refusal({ ...ORDERS, [Inputs.Operation]: 'abort', [Inputs.KeepVersions]: '5' }).input).toBe(Inputs.KeepVersions);
    const items = '- name: orders\n  version: 7\n- name: billing\n  version: 3';
    const byItem = refusal({ [Inputs.Functions]: items, [Inputs.Operation]: 'promote' });
    expect(byItem.input).toBe(Inputs.Functions);
    expect(byItem.message).toMatch(/no version in the items of functions with operation: promote/);
  });
});

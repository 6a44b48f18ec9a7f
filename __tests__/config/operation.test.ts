import { describe, expect, test } from '@jest/globals';
import { parseSettings } from '../../src/config/inputs.js';
import { Inputs } from '../../src/config/keys.js';
import { InputError } from '../../src/core/input-error.js';

// The operation is chosen once; each reads its own inputs and refuses the others, before anything in AWS is read.

/** The settings from these inputs; every other input empty, as the runner passes an input nobody gave. */
function settingsOf(inputs: Record<string, string>) {
  return parseSettings({ get: (name) => inputs[name] ?? '', env: {} });
}

function refusal(inputs: Record<string, string>): InputError {
  try {
    settingsOf(inputs);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected ${JSON.stringify(inputs)} to be refused`);
}

const ORDERS = { [Inputs.FunctionName]: 'orders' };

describe('operation', () => {
  test('deploy by default; a strategy that holds gets hold-max-age (a day by default)', () => {
    expect(settingsOf(ORDERS)).toMatchObject({ operation: { kind: 'deploy' }, holdMaxAgeMs: 86_400_000 });
    expect(settingsOf({ ...ORDERS, [Inputs.Strategy]: '10%:5m, 50%:hold', [Inputs.HoldMaxAge]: '2h' })).toMatchObject({
      strategy: { hold: { weightPercent: 50 } },
      holdMaxAgeMs: 7_200_000
    });
  });

  test('each operation with its own inputs', () => {
    expect(
      settingsOf({
        ...ORDERS,
        [Inputs.Operation]: 'promote',
        [Inputs.Expedite]: 'INC-42',
        [Inputs.DeploymentId]: '12345678901-1-abcdef12',
        [Inputs.Alarms]: 'errors',
        [Inputs.MaxErrorRate]: '1%',
        [Inputs.PostTrafficHook]: 'verify',
        [Inputs.DeployWindow]: 'Mon-Fri 09:00-16:00 Europe/Berlin',
        [Inputs.DeployWindowOverride]: 'the fix cannot wait'
      })
    ).toMatchObject({
      operation: {
        kind: 'promote',
        expedite: 'INC-42',
        deploymentId: '12345678901-1-abcdef12',
        window: { window: { text: 'Mon-Fri 09:00-16:00 Europe/Berlin' }, override: 'the fix cannot wait' }
      },
      // A promotion's steps come from the hold's record: the analysis is not checked against the default AllAtOnce.
      analysis: { maxErrorRate: 0.01 }
    });
    expect(settingsOf({ ...ORDERS, [Inputs.Operation]: 'abort', [Inputs.Reason]: 'wrong build' }).operation).toEqual({
      kind: 'abort',
      reason: 'wrong build'
    });
    expect(settingsOf({ ...ORDERS, [Inputs.Operation]: 'guard', [Inputs.Alarms]: 'errors' }).operation).toEqual({
      kind: 'guard'
    });
  });

  test.each([
    [{ [Inputs.Operation]: 'rollback' }, Inputs.Operation, 'it is not one of the choices'],
    [{ [Inputs.Operation]: 'promote', [Inputs.ZipFile]: 'build.zip' }, Inputs.ZipFile, 'it publishes nothing'],
    [{ [Inputs.Operation]: 'promote', [Inputs.Strategy]: '10%:5m' }, Inputs.Strategy, 'as its record on the alias keeps it'],
    [{ [Inputs.Operation]: 'promote', [Inputs.PreTrafficHook]: 'smoke' }, Inputs.PreTrafficHook, 'runs no pre-traffic hook'],
    [{ [Inputs.Operation]: 'promote', [Inputs.HoldMaxAge]: '2h' }, Inputs.HoldMaxAge, 'operation promote'],
    [{ [Inputs.Operation]: 'promote', [Inputs.Engine]: 'codedeploy' }, Inputs.Engine, 'operation promote'],
    [{ [Inputs.Operation]: 'abort', [Inputs.Alarms]: 'errors' }, Inputs.Alarms, 'only puts each held alias back'],
    [{ [Inputs.Operation]: 'abort', [Inputs.Expedite]: 'now' }, Inputs.Expedite, 'only puts each held alias back'],
    [{ [Inputs.Operation]: 'guard', [Inputs.MaxErrorRate]: '1%' }, Inputs.MaxErrorRate, 'aborts a hold past its age'],
    [{ [Inputs.Operation]: 'guard', [Inputs.DeployWindow]: 'daily 09:00-10:00 UTC' }, Inputs.DeployWindow, 'operation guard'],
    [{ [Inputs.Expedite]: 'now' }, Inputs.Expedite, 'it belongs to operation promote, abort or guard'],
    [{ [Inputs.Reason]: 'why not' }, Inputs.Reason, 'it belongs to operation promote, abort or guard'],
    [{ [Inputs.HoldMaxAge]: '2h' }, Inputs.HoldMaxAge, 'the strategy does not hold'],
    [{ [Inputs.Strategy]: '50%:hold', [Inputs.HoldMaxAge]: '337h' }, Inputs.HoldMaxAge, 'at most 336h'],
    [{ [Inputs.Strategy]: '50%:hold', [Inputs.HoldMaxAge]: '30s' }, Inputs.HoldMaxAge, 'at least 1m'],
    [{ [Inputs.DeployWindowOverride]: 'urgent' }, Inputs.DeployWindowOverride, 'none is given'],
    [
      { [Inputs.Operation]: 'promote', [Inputs.Expedite]: 'x'.repeat(201) },
      Inputs.Expedite,
      'one line of at most 200 characters'
    ],
    [{ [Inputs.Operation]: 'abort', [Inputs.DeploymentId]: 'not an id!' }, Inputs.DeploymentId, 'not a deployment id']
  ])('refuses %j, naming %s', (inputs, input, problem) => {
    const error = refusal({ ...ORDERS, ...inputs });
    expect(error.input).toBe(input);
    expect(error.message).toContain(problem);
  });

  test('an item of functions that brings code or a hook an operation would not run', () => {
    const functions = '- name: orders-api\n  code-dir: build/api\n- orders-worker';
    expect(refusal({ [Inputs.Functions]: functions, [Inputs.Operation]: 'promote' }).message).toContain(
      'orders-api with a code source'
    );
    const hooks = '- name: orders-api\n  post-traffic-hook: verify\n- orders-worker';
    expect(settingsOf({ [Inputs.Functions]: hooks, [Inputs.Operation]: 'promote' }).targets[0]).toMatchObject({
      postTrafficHook: 'verify'
    });
    expect(refusal({ [Inputs.Functions]: hooks, [Inputs.Operation]: 'abort' }).input).toBe(Inputs.PostTrafficHook);
  });

  test('the defaults action.yml passes for every input are not taken as given', () => {
    const defaults = {
      [Inputs.Strategy]: 'AllAtOnce',
      [Inputs.AlarmPollInterval]: '10s',
      [Inputs.HoldMaxAge]: '24h',
      [Inputs.Engine]: 'runner',
      [Inputs.Wait]: 'true',
      [Inputs.DryRun]: 'false',
      [Inputs.OnSplitAlias]: 'fail'
    };
    for (const operation of ['promote', 'abort', 'guard']) {
      expect(settingsOf({ ...ORDERS, ...defaults, [Inputs.Operation]: operation }).operation.kind).toBe(operation);
    }
  });
});

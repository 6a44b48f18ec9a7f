import { describe, expect, test } from '@jest/globals';
import { parseSettings } from '../../src/config/inputs.js';
import { InputError } from '../../src/core/input-error.js';
import { acceptHandOver } from '../../src/engines/codedeploy/refusals.js';
import { chooseEngine } from '../../src/engines/index.js';

// The engine inputs (config/engine.ts), and what each engine refuses of the other inputs when it is
// chosen (src/engines/), both before anything in AWS is read.

/** Settings from a table of inputs, as parseSettings reads them. */
const settingsOf = (inputs: Record<string, string>) => parseSettings({ get: (name) => inputs[name] ?? '', env: {} });

/** The InputError a table of inputs is refused with, as main refuses it: reading the inputs, then choosing the engine. */
function refusal(inputs: Record<string, string>): InputError {
  try {
    chooseEngine(settingsOf(inputs));
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error(`not refused: ${JSON.stringify(inputs)}`);
}

const CD = { 'function-name': 'orders', engine: 'codedeploy' };

describe('engine and the inputs of engine codedeploy', () => {
  test('runner by default: no CodeDeploy settings', () => {
    expect(settingsOf({ 'function-name': 'orders' }).engine).toEqual({ kind: 'runner' });
  });

  test('codedeploy: the application is the function, the group the alias, wait true, the strategy a configuration', () => {
    const settings = settingsOf({
      ...CD,
      'function-name': 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      alias: 'prod',
      strategy: 'Canary10Percent5Minutes'
    });
    expect(settings.engine).toEqual({
      kind: 'codedeploy',
      application: 'orders',
      deploymentGroup: 'prod',
      wait: true,
      pollIntervalMs: 10_000
    });
    expect(acceptHandOver(settings)).toEqual({
      ok: true,
      config: {
        name: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
        routing: { type: 'TimeBasedCanary', percentage: 10, intervalMinutes: 5 },
        predefined: true
      }
    });
  });

  test('names, the service role, wait and a deployment id to watch', () => {
    const settings = settingsOf({
      ...CD,
      'codedeploy-application': 'shop',
      'codedeploy-deployment-group': 'orders-live',
      'codedeploy-service-role': 'arn:aws:iam::123456789012:role/service-role/codedeploy',
      wait: 'false'
    });
    expect(settings.engine).toMatchObject({
      kind: 'codedeploy',
      application: 'shop',
      deploymentGroup: 'orders-live',
      serviceRoleArn: 'arn:aws:iam::123456789012:role/service-role/codedeploy',
      wait: false
    });
    const watch = settingsOf({ ...CD, 'codedeploy-deployment-id': 'd-A1B2C3D4E', strategy: '5%:1m' });
    expect(watch.engine).toEqual({
      kind: 'codedeploy-watch',
      application: 'orders',
      deploymentGroup: 'live',
      deploymentId: 'd-A1B2C3D4E',
      pollIntervalMs: 10_000
    });
  });

  test.each([
    ['an unknown engine', { ...CD, engine: 'lambda' }, 'engine', /runner .* or codedeploy/],
    [
      'a service role that is no role ARN',
      { ...CD, 'codedeploy-service-role': 'codedeploy' },
      'codedeploy-service-role',
      /IAM role ARN/
    ],
    ['a deployment id of another shape', { ...CD, 'codedeploy-deployment-id': '42' }, 'codedeploy-deployment-id', /d- and nine/],
    ['wait that is no boolean', { ...CD, wait: 'later' }, 'wait', /true or false/],
    [
      'a step list',
      { ...CD, strategy: '5%:2m, 25%:5m' },
      'strategy',
      /with engine codedeploy, a step list cannot be handed to CodeDeploy.*'engine: runner'/
    ],
    ['seconds', { ...CD, strategy: 'Canary10Percent30Seconds' }, 'strategy', /whole minutes.*Canary10Percent1Minute/],
    [
      'a pre-traffic command',
      { ...CD, 'pre-traffic-command': 'npm test' },
      'pre-traffic-command',
      /nothing may run on the runner.*pre-traffic-hook/
    ],
    [
      'a post-traffic command',
      { ...CD, 'post-traffic-command': 'npm test' },
      'post-traffic-command',
      /nothing may run on the runner/
    ],
    [
      'eleven alarms',
      { ...CD, alarms: Array.from({ length: 11 }, (_, i) => `a${i}`).join('\n') },
      'alarms',
      /names 11 alarms, and CodeDeploy watches at most 10/
    ],
    [
      'allow-alarm-at-start',
      { ...CD, 'allow-alarm-at-start': 'true' },
      'allow-alarm-at-start',
      /CodeDeploy fails a deployment whose alarm is in ALARM/
    ],
    [
      'wait false for a watching step',
      { ...CD, 'codedeploy-deployment-id': 'd-A1B2C3D4E', wait: 'false' },
      'wait',
      /does nothing but watch/
    ],
    [
      'a dry run of a watching step',
      { ...CD, 'codedeploy-deployment-id': 'd-A1B2C3D4E', 'dry-run': 'true' },
      'dry-run',
      /changes nothing anyway/
    ],
    [
      'a deployment id with the runner engine',
      { 'function-name': 'orders', 'codedeploy-deployment-id': 'd-A1B2C3D4E' },
      'codedeploy-deployment-id',
      /only with engine: codedeploy/
    ],
    [
      'an application with the runner engine',
      { 'function-name': 'orders', 'codedeploy-application': 'shop' },
      'codedeploy-application',
      /only with engine: codedeploy/
    ],
    [
      'a CodeDeploy poll interval with the runner engine',
      { 'function-name': 'orders', 'codedeploy-poll-interval': '30s' },
      'codedeploy-poll-interval',
      /only with engine: codedeploy/
    ],
    [
      'a CodeDeploy poll interval that is no duration',
      { ...CD, 'codedeploy-poll-interval': '30' },
      'codedeploy-poll-interval',
      /no unit/
    ],
    [
      'wait false with the runner engine',
      { 'function-name': 'orders', wait: 'false' },
      'wait',
      /cannot leave it to run on after the job/
    ]
  ])('refuses %s, naming the input, the value, why and what instead', (_, inputs, input, problem) => {
    const error = refusal(inputs);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(problem);
    expect(error.message).toMatch(new RegExp(`^Input '${input}' has an invalid value ".*": .+\\. Expected .+\\.$`, 's'));
  });

  test('the watch reads the deployment every codedeploy-poll-interval; empty, every alarm-poll-interval', () => {
    expect(settingsOf({ ...CD, 'alarm-poll-interval': '30s' }).engine).toMatchObject({ pollIntervalMs: 30_000 });
    expect(settingsOf({ ...CD, 'alarm-poll-interval': '30s', 'codedeploy-poll-interval': '1m' }).engine).toMatchObject({
      pollIntervalMs: 60_000
    });
    expect(
      settingsOf({ ...CD, 'codedeploy-deployment-id': 'd-A1B2C3D4E', 'codedeploy-poll-interval': '5s' }).engine
    ).toMatchObject({
      kind: 'codedeploy-watch',
      pollIntervalMs: 5_000
    });
  });

  test('ten alarms, a canary in hours and Lambda hooks are fine', () => {
    const settings = settingsOf({
      ...CD,
      alarms: Array.from({ length: 10 }, (_, i) => `a${i}`).join('\n'),
      strategy: 'Linear50PercentEvery2Hours',
      'pre-traffic-hook': 'CodeDeployHook_smoke'
    });
    expect(() => chooseEngine(settings)).not.toThrow();
    expect(acceptHandOver(settings)).toMatchObject({
      ok: true,
      config: { name: 'LambdaSafeDeploy.Linear50PercentEvery120Minutes' }
    });
  });
});

describe('a hold with engine codedeploy', () => {
  test('is refused in that engine’s own refusals, saying why, and only the hold is named', () => {
    const error = refusal({ ...CD, strategy: '10%:5m, 50%:hold' });
    expect(error.input).toBe('strategy');
    expect(error.message).toContain('CodeDeploy for Lambda cannot pause a traffic shift or continue one later');
    expect(error.message).toContain('engine: runner to hold at a weight until operation: promote or abort');
    const accepted = acceptHandOver(settingsOf({ ...CD, strategy: '10%:5m, 50%:hold' }));
    expect(accepted.ok === false && accepted.refusals).toHaveLength(1);
  });
});

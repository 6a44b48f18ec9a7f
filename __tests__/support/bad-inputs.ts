import { expect } from '@jest/globals';
import type { Emulator } from '../../emulator/index.js';

/**
 * The bad-input table: malformed inputs (and AWS states the action must refuse before changing
 * anything), run in-process by __tests__/action/bad-input.test.ts, a few of them end to end by
 * __tests__/e2e/bad-input.test.ts.
 */

/**
 * One malformed input (or one AWS state the action must refuse): what is given, the input the
 * message must name (or the preflight problem it must state), and a pattern of the expected form.
 */
export interface BadInputCase {
  readonly name: string;
  readonly inputs: Record<string, string>;
  /** The input named by the message; undefined for preflight refusals. */
  readonly input?: string;
  readonly expected: RegExp;
}

const FN = { 'function-name': 'orders' };
const badInput = (name: string, input: string, value: string, expected: RegExp): BadInputCase => ({
  name,
  inputs: { ...FN, [input]: value },
  input,
  expected
});

export const BAD_INPUTS: readonly BadInputCase[] = [
  // strategy
  badInput('canary of 0 %', 'strategy', 'Canary0Percent5Minutes', /between 1 and 99/),
  badInput('canary of 100 %', 'strategy', 'Canary100Percent5Minutes', /AllAtOnce/),
  badInput('linear of 0 %', 'strategy', 'Linear0PercentEvery1Minute', /between 1 and 99/),
  badInput('zero interval', 'strategy', 'Linear10PercentEvery0Minutes', /interval/),
  badInput('unknown unit', 'strategy', 'Canary10Percent5Fortnights', /Second\(s\), Minute\(s\) or Hour\(s\)/),
  badInput('unknown word', 'strategy', 'BlueGreen', /Canary10Percent5Minutes/),
  badInput('typo of a predefined name', 'strategy', 'LinearTenPercentEvery1Minute', /Linear10PercentEvery1Minute/),
  badInput('weights that fall', 'strategy', '50%:1m, 20%:1m', /increas/),
  badInput('a zero bake', 'strategy', '5%:0s', /./),
  badInput('a 100 % step', 'strategy', '100%:1m', /100/),
  badInput('more than 2880 minutes in all', 'strategy', 'Linear1PercentEvery1Hour', /2880/),
  badInput('a step without %', 'strategy', '5:2m', /%/),
  badInput('a step without unit', 'strategy', '5%:2', /./),
  badInput('a huge percentage', 'strategy', `Canary${'9'.repeat(400)}Percent5Minutes`, /./),
  // durations
  badInput('poll interval without unit', 'alarm-poll-interval', '10', /30s/),
  badInput('poll interval of zero', 'alarm-poll-interval', '0s', /./),
  badInput('negative poll interval', 'alarm-poll-interval', '-5s', /./),
  badInput('fractional poll interval', 'alarm-poll-interval', '1.5s', /1s500ms|whole/),
  badInput('poll interval over an hour', 'alarm-poll-interval', '2h', /./),
  badInput('poll interval in words', 'alarm-poll-interval', 'soon', /30s/),
  badInput('command timeout of zero', 'command-timeout', '0s', /./),
  badInput('command timeout in days', 'command-timeout', '1d', /./),
  // function names and ARNs
  badInput('function name with a space', 'function-name', 'my function', /function name/),
  badInput('function name too long', 'function-name', 'f'.repeat(65), /function name/),
  badInput('function ARN of another service', 'function-name', 'arn:aws:s3:::bucket', /function name/),
  badInput('function ARN with a short account', 'function-name', 'arn:aws:lambda:us-east-1:123:function:orders', /function name/),
  badInput('function with an alias qualifier', 'function-name', 'orders:live', /qualifier/),
  badInput('huge function name', 'function-name', 'x'.repeat(5000), /function name/),
  badInput('empty function name', 'function-name', '', /required/),
  badInput('whitespace function name', 'function-name', '  \n ', /required/),
  // alias
  badInput('numeric alias', 'alias', '42', /version/),
  badInput('$LATEST as alias', 'alias', '$LATEST', /alias name/),
  badInput('alias with a space', 'alias', 'my alias', /alias name/),
  badInput('alias too long', 'alias', 'a'.repeat(129), /alias name/),
  // alarm lists
  badInput('alarm name too long', 'alarms', 'a'.repeat(256), /255/),
  badInput('more than 100 alarms', 'alarms', Array.from({ length: 101 }, (_, i) => `alarm-${i}`).join('\n'), /100/),
  badInput('alarm name with a control character', 'alarms', 'errors\u0001', /255 printable/),
  // booleans and choices
  badInput('yes as a boolean', 'dry-run', 'yes', /true or false/),
  badInput('1 as a boolean', 'allow-alarm-at-start', '1', /true or false/),
  badInput('on as a boolean', 'dry-run', 'on', /true or false/),
  badInput('unknown on-split-alias', 'on-split-alias', 'ignore', /fail or rollback/),
  // hooks, numbers, hashes, descriptions, environment
  badInput('hook that is no function name', 'pre-traffic-hook', 'not a function!', /function name/),
  badInput(
    'post hook ARN without a name',
    'post-traffic-hook',
    'arn:aws:lambda:us-east-1:123456789012:function:',
    /function name/
  ),
  badInput('negative retries', 'max-retries', '-1', /0 to 20/),
  badInput('too many retries', 'max-retries', '1000', /0 to 20/),
  badInput('code hash that is no base64 digest', 'code-sha256', 'abc', /44 base64/),
  badInput('description over 256 characters', 'version-description', 'd'.repeat(300), /256/),
  badInput('deployment-environment over 255 characters', 'deployment-environment', 'e'.repeat(300), /environment name/),
  // The name means the function's variables in aws-actions/aws-lambda-deploy: such values are refused, unquoted.
  badInput(
    'function variables as JSON in deployment-environment',
    'deployment-environment',
    '{"STAGE":"prod","DB_PASSWORD":"hunter22"}',
    /"a JSON value \(not shown: it may hold secrets\)".*looks like the function's environment variables.*env-vars/
  ),
  badInput(
    'KEY=VALUE in deployment-environment',
    'deployment-environment',
    'STAGE=prod',
    /"KEY=VALUE text \(not shown: it may hold secrets\)".*env-vars/
  ),
  // The input's name before the first release: refused with the new name, whatever it holds.
  badInput('the retired environment input, with a name', 'environment', 'production', /renamed deployment-environment.*env-vars/),
  badInput(
    'the retired environment input, with JSON',
    'environment',
    '{"DB_PASSWORD":"hunter22"}',
    /"a JSON value \(not shown: it may hold secrets\)": this action has no input named environment/
  ),
  // states of AWS the action must refuse before changing anything
  {
    name: 'unknown function',
    inputs: { 'function-name': 'no-such-function' },
    expected: /function no-such-function was not found/
  },
  {
    name: 'hook with an unknown alias qualifier',
    inputs: { ...FN, 'pre-traffic-hook': 'smoke:no-such-alias' },
    expected: /hook function smoke:no-such-alias does not exist/
  },
  { name: 'unknown alarm', inputs: { ...FN, alarms: 'no-such-alarm' }, expected: /CloudWatch alarm not found: no-such-alarm/ },
  {
    name: 'alias on $LATEST with a weighted strategy',
    inputs: { 'function-name': 'on-latest', strategy: 'Canary10Percent5Minutes' },
    expected: /points at \$LATEST/
  },
  {
    name: 'provisioned concurrency on the alias of a function that publishes with SnapStart',
    inputs: { 'function-name': 'snapstarted', strategy: 'Canary10Percent5Minutes' },
    expected: /provisioned concurrency \(5\), and snapstarted publishes its versions with SnapStart/
  },
  // provisioned concurrency
  badInput(
    'a headroom that is neither a share nor a number',
    'provisioned-concurrency-headroom',
    'lots',
    /neither a percentage nor a whole number/
  ),
  badInput('a headroom of 0 %', 'provisioned-concurrency-headroom', '0%', /from 1% to 1000%/),
  badInput('a provisioned-concurrency-timeout under a second', 'provisioned-concurrency-timeout', '500ms', /at least 1s/),
  {
    name: 'a headroom with engine codedeploy',
    inputs: { ...FN, engine: 'codedeploy', 'provisioned-concurrency-headroom': '20%' },
    input: 'provisioned-concurrency-headroom',
    expected: /CodeDeploy owns the rollout in this mode/
  },
  {
    name: 'a headroom with a strategy that holds',
    inputs: { ...FN, strategy: '10%:1m, 50%:hold', 'provisioned-concurrency-headroom': '20%' },
    input: 'provisioned-concurrency-headroom',
    expected: /a strategy that holds for approval leaves the alias weighted/
  },
  // engine: codedeploy
  badInput('unknown engine', 'engine', 'lambda', /runner .* or codedeploy/),
  {
    name: 'a step list with engine codedeploy',
    inputs: { ...FN, engine: 'codedeploy', strategy: '5%:2m, 25%:5m' },
    input: 'strategy',
    expected: /a step list cannot be handed to CodeDeploy/
  },
  {
    name: 'a runner command with engine codedeploy',
    inputs: { ...FN, engine: 'codedeploy', 'post-traffic-command': 'npm test' },
    input: 'post-traffic-command',
    expected: /nothing may run on the runner/
  },
  {
    name: 'eleven alarms with engine codedeploy',
    inputs: { ...FN, engine: 'codedeploy', alarms: Array.from({ length: 11 }, (_, i) => `alarm-${i}`).join('\n') },
    input: 'alarms',
    expected: /at most 10/
  },
  {
    name: 'engine codedeploy without a service role for an application that does not exist',
    inputs: { ...FN, engine: 'codedeploy' },
    expected: /CodeDeploy application orders does not exist, and codedeploy-service-role is empty/
  }
];

/** The case of that name (for the few run end to end). */
export function badInputCase(name: string): BadInputCase {
  const found = BAD_INPUTS.find((c) => c.name === name);
  if (!found) throw new Error(`no bad-input case named ${name}`);
  return found;
}

/** The AWS the table runs against: `orders` with new code waiting, a hook function, and the functions the preflight must refuse. */
export function seedBadInputWorld(emu: Emulator): void {
  emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
  emu.updateCode('orders');
  emu.createFunction({ name: 'smoke', versions: 1 });
  emu.createFunction({ name: 'on-latest', versions: 1, alias: { name: 'live', version: '$LATEST' } });
  emu.updateCode('on-latest');
  emu.createFunction({ name: 'snapstarted', versions: 1, snapStart: true, alias: { name: 'live', version: '1' } });
  emu.updateCode('snapstarted');
  emu.setProvisionedConcurrency('snapstarted', 'live', 5);
}

/** What a run left that the refusal shows in. */
export interface RefusedRun {
  readonly exitCode: number | string | null | undefined;
  readonly outputs: Record<string, string>;
  readonly stdout: string;
}

/** The run failed, said why in one sentence that names the input, the value's problem and the expected form (or the preflight problem), and annotated the error. */
export function expectRefused(run: RefusedRun, c: BadInputCase): void {
  const reason = run.outputs['failure-reason'] ?? '';
  expect(run.exitCode).toBe(1);
  expect(run.outputs.status).toBe('failed');
  expect(reason).toMatch(c.expected);
  if (c.input !== undefined) {
    expect(reason).toMatch(new RegExp(`^Input '${c.input}' has an invalid value ".*": .+\\. Expected .+\\.$`, 's'));
  } else {
    expect(reason).toContain('nothing was changed');
  }
  expect(run.stdout).toContain('::error::');
}

/** The calls that would have changed something or run a hook: none is allowed before a refusal. */
export function changesOrInvocations(emu: Emulator) {
  return emu.calls().filter((call) => call.mutating || call.operation === 'Invoke');
}

import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { parseSettings } from '../../src/config/inputs.js';
import { InputError } from '../../src/core/input-error.js';
import { Inputs } from '../../src/config/keys.js';

/** The runner passes inputs as INPUT_<NAME> variables (name upper-cased, hyphens kept). */
function setInputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}

/** The settings from the INPUT_* variables, as the runner passes them. */
function getInputs() {
  return parseSettings({ get: (name) => process.env[`INPUT_${name.toUpperCase()}`] ?? '', env: process.env });
}

let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key];
  delete process.env.GITHUB_REPOSITORY;
});
afterEach(() => {
  process.env = saved;
});

describe('getInputs', () => {
  test('applies the defaults when only the function is given', () => {
    setInputs({ [Inputs.FunctionName]: 'orders' });
    const settings = getInputs();
    expect(settings).toMatchObject({
      targets: [{ functionName: 'orders', alias: 'live' }],
      alarms: [],
      alarmPollIntervalMs: 10_000,
      allowAlarmAtStart: false,
      aws: { maxRetries: 5 },
      dryRun: false,
      versionDescription: 'Deployed by lambda-safe-deploy'
    });
    expect(settings.strategy.kind).toBe('all-at-once');
  });

  test('reads every input', () => {
    setInputs({
      [Inputs.FunctionName]: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      [Inputs.Alias]: 'prod',
      [Inputs.Strategy]: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      [Inputs.Alarms]: 'errors, latency\narn:aws:cloudwatch:eu-west-1:123456789012:alarm:throttles\nerrors',
      [Inputs.PreTrafficHook]: 'smoke:live',
      [Inputs.PostTrafficHook]: '123456789012:function:verify',
      [Inputs.AlarmPollInterval]: '30s',
      [Inputs.AllowAlarmAtStart]: 'TRUE',
      [Inputs.VersionDescription]: 'release 1.2',
      [Inputs.CodeSha256]: 'a'.repeat(43) + '=',
      [Inputs.MaxRetries]: '0',
      [Inputs.DryRun]: 'true'
    });
    expect(getInputs()).toMatchObject({
      targets: [
        {
          functionName: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
          functionRegion: 'eu-west-1',
          alias: 'prod',
          preTrafficHook: 'smoke:live',
          postTrafficHook: '123456789012:function:verify'
        }
      ],
      aws: { region: 'eu-west-1', maxRetries: 0 },
      strategy: { name: 'Canary10Percent5Minutes' },
      alarms: [
        { name: 'errors, latency' },
        {
          name: 'throttles',
          arn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:throttles',
          region: 'eu-west-1',
          accountId: '123456789012'
        },
        { name: 'errors' }
      ],
      alarmPollIntervalMs: 30_000,
      allowAlarmAtStart: true,
      versionDescription: 'release 1.2',
      codeSha256: 'a'.repeat(43) + '=',
      dryRun: true
    });
  });

  test('alarms on one line are split on commas; on several lines, on line breaks only', () => {
    setInputs({ [Inputs.FunctionName]: 'orders', [Inputs.Alarms]: 'errors, latency ,throttles' });
    expect(getInputs().alarms).toEqual([{ name: 'errors' }, { name: 'latency' }, { name: 'throttles' }]);
    setInputs({ [Inputs.Alarms]: 'orders errors, EU\n  latency  \n\n' });
    expect(getInputs().alarms).toEqual([{ name: 'orders errors, EU' }, { name: 'latency' }]);
  });

  test('functions: several functions, each with its alias, code and hooks; the rest shared', () => {
    setInputs({
      [Inputs.Functions]: [
        '- name: orders-api',
        '  code-dir: build/api',
        '  pre-traffic-hook: api-smoke',
        '- name: arn:aws:lambda:us-east-1:123456789012:function:orders-worker',
        '  alias: prod',
        '  zip-file: build/worker.zip',
        '- orders-cron'
      ].join('\n'),
      [Inputs.Strategy]: 'Canary10Percent5Minutes'
    });
    expect(getInputs()).toMatchObject({
      targets: [
        { functionName: 'orders-api', alias: 'live', code: { kind: 'code-dir', path: 'build/api' }, preTrafficHook: 'api-smoke' },
        {
          functionName: 'arn:aws:lambda:us-east-1:123456789012:function:orders-worker',
          alias: 'prod',
          code: { kind: 'zip-file', path: 'build/worker.zip' }
        },
        { functionName: 'orders-cron', alias: 'live' }
      ],
      strategy: { name: 'Canary10Percent5Minutes' }
    });
  });

  test('the AWS time limits and allow-new-alias are read', () => {
    setInputs({
      [Inputs.FunctionName]: 'orders',
      [Inputs.AwsConnectTimeout]: '2s',
      [Inputs.AwsRequestTimeout]: '1m',
      [Inputs.AllowNewAlias]: 'true'
    });
    expect(getInputs()).toMatchObject({ aws: { connectTimeoutMs: 2_000, requestTimeoutMs: 60_000 }, allowNewAlias: true });
  });

  test('the default description names the repository, commit and run', () => {
    setInputs({ [Inputs.FunctionName]: 'orders' });
    process.env.GITHUB_REPOSITORY = 'acme/orders';
    process.env.GITHUB_SHA = '0123456789abcdef0123';
    process.env.GITHUB_RUN_ID = '77';
    process.env.GITHUB_SERVER_URL = 'https://github.com';
    expect(getInputs().versionDescription).toBe('acme/orders@0123456789ab https://github.com/acme/orders/actions/runs/77');
  });
});

const refusals: Array<[string, Record<string, string>, string, RegExp]> = [
  ['missing function', { [Inputs.FunctionName]: '' }, Inputs.FunctionName, /it is required/],
  [
    'function-name beside functions',
    { [Inputs.Functions]: '- orders' },
    Inputs.FunctionName,
    /either function-name \(one function\) or functions/
  ],
  [
    'functions that are not a list',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: 'orders: live' },
    Inputs.Functions,
    /not a list/
  ],
  ['functions that are not YAML', { [Inputs.FunctionName]: '', [Inputs.Functions]: '- [orders' }, Inputs.Functions, /not YAML/],
  [
    'an unknown key in a function',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: '- name: a\n  strategy: AllAtOnce' },
    Inputs.Functions,
    /unknown key strategy/
  ],
  [
    'a function without a name',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: '- alias: live' },
    Inputs.Functions,
    /item 1 has no name/
  ],
  [
    'a function twice',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: '- a\n- b\n- a' },
    Inputs.Functions,
    /items 1 and 3 both name a/
  ],
  [
    'a bad alias in a function',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: '- name: a\n  alias: "42"' },
    Inputs.Functions,
    /item 1 \(a\): alias a number names a version/
  ],
  [
    'two code sources in a function',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: '- name: a\n  zip-file: a.zip\n  code-dir: a/' },
    Inputs.Functions,
    /only one code source/
  ],
  [
    '21 functions',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: Array.from({ length: 21 }, (_, i) => `- f${i}`).join('\n') },
    Inputs.Functions,
    /it names 21 functions/
  ],
  [
    'a code source beside functions',
    { [Inputs.FunctionName]: '', [Inputs.Functions]: '- a', [Inputs.CodeDir]: 'build/' },
    Inputs.CodeDir,
    /inside each item of functions/
  ],
  ['whitespace function', { [Inputs.FunctionName]: '  \n ' }, Inputs.FunctionName, /it is required/],
  ['function with spaces', { [Inputs.FunctionName]: 'my function' }, Inputs.FunctionName, /not a Lambda function name or ARN/],
  ['function with qualifier', { [Inputs.FunctionName]: 'orders:live' }, Inputs.FunctionName, /has a qualifier \(:live\)/],
  [
    'function ARN of another service',
    { [Inputs.FunctionName]: 'arn:aws:s3:::bucket' },
    Inputs.FunctionName,
    /not a Lambda function/
  ],
  ['numeric alias', { [Inputs.Alias]: '42' }, Inputs.Alias, /a number names a version/],
  ['$LATEST alias', { [Inputs.Alias]: '$LATEST' }, Inputs.Alias, /not a valid alias name/],
  ['alias too long', { [Inputs.Alias]: 'a'.repeat(129) }, Inputs.Alias, /not a valid alias name/],
  ['unknown strategy', { [Inputs.Strategy]: 'Blue/Green' }, Inputs.Strategy, /Canary10Percent5Minutes/],
  ['100 % canary', { [Inputs.Strategy]: 'Canary100Percent5Minutes' }, Inputs.Strategy, /AllAtOnce/],
  ['bare number interval', { [Inputs.AlarmPollInterval]: '10' }, Inputs.AlarmPollInterval, /30s/],
  ['zero interval', { [Inputs.AlarmPollInterval]: '0s' }, Inputs.AlarmPollInterval, /./],
  ['interval too long', { [Inputs.AlarmPollInterval]: '2h' }, Inputs.AlarmPollInterval, /./],
  ['yes as boolean', { [Inputs.DryRun]: 'yes' }, Inputs.DryRun, /true or false/],
  ['1 as boolean', { [Inputs.AllowAlarmAtStart]: '1' }, Inputs.AllowAlarmAtStart, /true or false/],
  ['negative retries', { [Inputs.MaxRetries]: '-1' }, Inputs.MaxRetries, /0 to 20/],
  ['too many retries', { [Inputs.MaxRetries]: '1000' }, Inputs.MaxRetries, /0 to 20/],
  ['fractional retries', { [Inputs.MaxRetries]: '2.5' }, Inputs.MaxRetries, /whole number/],
  ['bad hook', { [Inputs.PreTrafficHook]: 'not a function!' }, Inputs.PreTrafficHook, /optionally with :alias/],
  ['bad post hook', { [Inputs.PostTrafficHook]: 'arn:aws:lambda:::' }, Inputs.PostTrafficHook, /function name/],
  ['code hash not base64', { [Inputs.CodeSha256]: 'abc' }, Inputs.CodeSha256, /44 base64 characters/],
  ['description too long', { [Inputs.VersionDescription]: 'x'.repeat(300) }, Inputs.VersionDescription, /at most 256/],
  ['alarm name too long', { [Inputs.Alarms]: 'a'.repeat(256) }, Inputs.Alarms, /1 to 255/],
  [
    'alarm ARN of another service',
    { [Inputs.Alarms]: 'arn:aws:sns:us-east-1:123456789012:topic' },
    Inputs.Alarms,
    /arn:aws:cloudwatch:<region>:<account>:alarm:<name>/
  ],
  ['connect time limit too short', { [Inputs.AwsConnectTimeout]: '10ms' }, Inputs.AwsConnectTimeout, /./],
  ['request time limit with no unit', { [Inputs.AwsRequestTimeout]: '30' }, Inputs.AwsRequestTimeout, /has no unit/],
  ['maybe as boolean', { [Inputs.AllowNewAlias]: 'maybe' }, Inputs.AllowNewAlias, /true or false/],
  [
    'too many alarms',
    { [Inputs.Alarms]: Array.from({ length: 101 }, (_, i) => `alarm-${i}`).join(',') },
    Inputs.Alarms,
    /up to 100/
  ]
];

test.each(refusals)('refuses %s, naming the input, the value and the expected form', (_name, values, input, expected) => {
  setInputs({ [Inputs.FunctionName]: 'orders', ...values });
  let caught: unknown;
  try {
    getInputs();
  } catch (error: unknown) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InputError);
  const error = caught as InputError;
  expect(error.input).toBe(input);
  expect(error.message).toContain(`Input '${input}'`);
  expect(error.message).toMatch(/Expected .+\.$/);
  expect(error.message).toMatch(expected);
});

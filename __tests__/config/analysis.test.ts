import { describe, expect, test } from '@jest/globals';
import { METRICS_PERIOD_VARIABLE } from '../../src/config/analysis.js';
import { parseSettings } from '../../src/config/inputs.js';
import { Inputs } from '../../src/config/keys.js';
import { InputError } from '../../src/core/input-error.js';

const EMULATOR = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' };

function settings(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const values: Record<string, string> = {
    [Inputs.FunctionName]: 'orders',
    [Inputs.Strategy]: 'Canary10Percent5Minutes',
    ...inputs
  };
  return parseSettings({ get: (name) => values[name] ?? '', env });
}

function refusal(inputs: Record<string, string>, env: Record<string, string> = {}): InputError {
  try {
    settings(inputs, env);
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('the analysis inputs', () => {
  test('without any, analysis is off and nothing changes', () => {
    expect(settings({}).analysis).toBeUndefined();
    expect(settings({ [Inputs.FailedChecksLimit]: '3' }).analysis).toBeUndefined();
  });

  test('each is read, as shares, milliseconds and counts; the metric period is the minute', () => {
    expect(
      settings({
        [Inputs.MaxErrorRate]: '1%',
        [Inputs.MaxErrorRateIncrease]: '0.5%',
        [Inputs.MaxP99Duration]: '800ms',
        [Inputs.MaxP99DurationIncrease]: '25%',
        [Inputs.MinInvocations]: '50',
        [Inputs.FailedChecksLimit]: '2'
      }).analysis
    ).toEqual({
      maxErrorRate: 0.01,
      maxErrorRateIncrease: 0.005,
      maxP99DurationMs: 800,
      maxP99DurationIncrease: 0.25,
      minInvocations: 50,
      failedChecksLimit: 2,
      periodSeconds: 60
    });
  });

  test('any one turns it on, with failed-checks-limit 1 by default', () => {
    expect(settings({ [Inputs.MinInvocations]: '10' }).analysis).toEqual({
      minInvocations: 10,
      failedChecksLimit: 1,
      periodSeconds: 60
    });
  });

  test.each([
    [Inputs.MaxErrorRate, '1', /percentage/],
    [Inputs.MaxErrorRate, '0%', /above 0 and below 100/],
    [Inputs.MaxErrorRate, '100%', /above 0 and below 100/],
    [Inputs.MaxErrorRate, '0.125%', /two decimals/],
    [Inputs.MaxErrorRateIncrease, 'half a point', /0\.5%/],
    [Inputs.MaxP99Duration, '800', /no unit/],
    [Inputs.MaxP99Duration, '1h', /at most 15m/],
    [Inputs.MaxP99DurationIncrease, '0%', /above 0/],
    [Inputs.MaxP99DurationIncrease, '2000%', /at most 1000/],
    [Inputs.MinInvocations, '0', /from 1 to 1000000/],
    [Inputs.MinInvocations, '12.5', /whole number/],
    [Inputs.FailedChecksLimit, '0', /from 1 to 100/]
  ])('%s: %p is refused, naming the input and the form', (input, value, expected) => {
    const error = refusal({ [Inputs.MaxErrorRate]: '1%', [input]: value });
    expect(error.input).toBe(input);
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.message).toMatch(expected);
  });
});

describe('what analysis needs of the rest', () => {
  test('a step shorter than the metric period is refused, saying why and what to use', () => {
    const error = refusal({ [Inputs.Strategy]: 'Canary10Percent30Seconds', [Inputs.MaxErrorRate]: '1%' });
    expect(error.input).toBe(Inputs.Strategy);
    expect(error.message).toBe(
      `Input 'strategy' has an invalid value "Canary10Percent30Seconds": the per-version analysis (max-error-rate) judges the ` +
        `new version on Lambda's metrics, one datapoint per 1m, and a step of 30s would end before its first 1m of calls is ` +
        `complete. Expected steps of at least 1m each, such as Canary10Percent5Minutes or Linear10PercentEvery1Minute.`
    );
  });

  test('without analysis the same strategy is fine', () => {
    expect(settings({ [Inputs.Strategy]: 'Canary10Percent30Seconds' }).strategy.steps).toHaveLength(1);
  });

  test('AllAtOnce has no step where both versions share the alias: refused', () => {
    expect(refusal({ [Inputs.Strategy]: 'AllAtOnce', [Inputs.MinInvocations]: '50' }).message).toMatch(
      /min-invocations.*AllAtOnce has no such step.*canary, linear or step-list/
    );
  });

  test("max-bake-extension must leave time for a step's last minute of metrics", () => {
    const error = refusal({ [Inputs.MaxBakeExtension]: '2m', [Inputs.MaxErrorRate]: '1%' });
    expect(error.input).toBe(Inputs.MaxBakeExtension);
    expect(error.message).toMatch(/Expected at least 3m\./);
    expect(settings({ [Inputs.MaxBakeExtension]: '3m', [Inputs.MaxErrorRate]: '1%' }).maxBakeExtensionMs).toBe(180_000);
  });
});

describe(`${METRICS_PERIOD_VARIABLE}: the emulator-only metric period`, () => {
  test('honoured against an emulator: shorter steps and extensions then pass', () => {
    const parsed = settings(
      { [Inputs.Strategy]: 'Canary20Percent3Seconds', [Inputs.MaxErrorRate]: '1%', [Inputs.MaxBakeExtension]: '3s' },
      { ...EMULATOR, [METRICS_PERIOD_VARIABLE]: '1' }
    );
    expect(parsed.analysis?.periodSeconds).toBe(1);
    expect(
      settings({ [Inputs.MinInvocations]: '5' }, { AWS_ENDPOINT_URL_CLOUDWATCH: 'http://x', [METRICS_PERIOD_VARIABLE]: '10' })
        .analysis?.periodSeconds
    ).toBe(10);
  });

  test('the rules follow the period in force', () => {
    expect(
      refusal(
        { [Inputs.Strategy]: 'Canary20Percent3Seconds', [Inputs.MaxErrorRate]: '1%' },
        { ...EMULATOR, [METRICS_PERIOD_VARIABLE]: '5' }
      ).message
    ).toMatch(/a step of 3s would end before its first 5s of calls/);
  });

  test('refused against AWS, where Lambda publishes per minute', () => {
    const error = refusal({ [Inputs.MaxErrorRate]: '1%' }, { [METRICS_PERIOD_VARIABLE]: '1' });
    expect(error.message).toMatch(/LSD_METRICS_PERIOD_SECONDS.*honoured only against an AWS emulator/);
  });

  test('only CloudWatch periods', () => {
    expect(refusal({ [Inputs.MaxErrorRate]: '1%' }, { ...EMULATOR, [METRICS_PERIOD_VARIABLE]: '7' }).message).toMatch(
      /1, 5, 10, 30, 60/
    );
  });

  test('ignored without analysis', () => {
    expect(settings({}, { [METRICS_PERIOD_VARIABLE]: 'anything' }).analysis).toBeUndefined();
  });
});

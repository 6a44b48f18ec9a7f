import { InputError } from '../../src/core/input-error.js';
import {
  closestPredefined,
  linearSteps,
  MAX_STEPS,
  MAX_TOTAL_BAKE_MS,
  parseStrategy,
  PREDEFINED_STRATEGIES
} from '../../src/config/strategy.js';
import type { ScheduleStep, Strategy } from '../../src/core/schedule.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** Linear weights P, 2P, … below 100, each baked `bakeMs`, written out literally. */
function steps(weights: number[], bakeMs: number): ScheduleStep[] {
  return weights.map((weightPercent) => ({ weightPercent, bakeMs }));
}

const TENS = [10, 20, 30, 40, 50, 60, 70, 80, 90];

const PREDEFINED: [string, Strategy][] = [
  ['AllAtOnce', { name: 'AllAtOnce', kind: 'all-at-once', steps: [] }],
  ['Canary10Percent5Minutes', { name: 'Canary10Percent5Minutes', kind: 'canary', steps: [{ weightPercent: 10, bakeMs: 5 * M }] }],
  [
    'Canary10Percent10Minutes',
    { name: 'Canary10Percent10Minutes', kind: 'canary', steps: [{ weightPercent: 10, bakeMs: 10 * M }] }
  ],
  [
    'Canary10Percent15Minutes',
    { name: 'Canary10Percent15Minutes', kind: 'canary', steps: [{ weightPercent: 10, bakeMs: 15 * M }] }
  ],
  [
    'Canary10Percent30Minutes',
    { name: 'Canary10Percent30Minutes', kind: 'canary', steps: [{ weightPercent: 10, bakeMs: 30 * M }] }
  ],
  ['Linear10PercentEvery1Minute', { name: 'Linear10PercentEvery1Minute', kind: 'linear', steps: steps(TENS, M) }],
  ['Linear10PercentEvery2Minutes', { name: 'Linear10PercentEvery2Minutes', kind: 'linear', steps: steps(TENS, 2 * M) }],
  ['Linear10PercentEvery3Minutes', { name: 'Linear10PercentEvery3Minutes', kind: 'linear', steps: steps(TENS, 3 * M) }],
  ['Linear10PercentEvery10Minutes', { name: 'Linear10PercentEvery10Minutes', kind: 'linear', steps: steps(TENS, 10 * M) }]
];

/** Runs `parse` expecting an InputError and returns it, so the message can be asserted on. */
function refusal(value: string, input?: string): InputError {
  try {
    parseStrategy(value, input);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('predefined CodeDeploy configurations', () => {
  test('the table covers all nine names', () => {
    expect(PREDEFINED.map(([name]) => name).sort()).toEqual([...PREDEFINED_STRATEGIES].sort());
  });

  test.each(PREDEFINED)('%s', (name, expected) => {
    expect(parseStrategy(name)).toEqual(expected);
  });

  test.each(PREDEFINED)('CodeDeployDefault.Lambda%s', (name, expected) => {
    expect(parseStrategy(`CodeDeployDefault.Lambda${name}`)).toEqual(expected);
  });

  test.each(PREDEFINED)('%s in other casing and with whitespace', (name, expected) => {
    expect(parseStrategy(`  codedeploydefault.lambda${name.toUpperCase()}\n`)).toEqual(expected);
    expect(parseStrategy(` ${name.toLowerCase()} `)).toEqual(expected);
  });

  test('Linear10PercentEvery1Minute is 9 steps, 9 minutes, like CodeDeploy', () => {
    const { steps: linear } = parseStrategy('Linear10PercentEvery1Minute');
    expect(linear).toHaveLength(9);
    expect(linear.reduce((sum, step) => sum + step.bakeMs, 0)).toBe(9 * M);
  });
});

describe('custom canary', () => {
  test.each([
    ['Canary25Percent2Minutes', 'Canary25Percent2Minutes', 25, 2 * M],
    ['Canary20Percent2Seconds', 'Canary20Percent2Seconds', 20, 2 * S],
    ['Canary20Percent1Second', 'Canary20Percent1Second', 20, S],
    ['Canary20Percent1Seconds', 'Canary20Percent1Second', 20, S],
    ['Canary5Percent1Minute', 'Canary5Percent1Minute', 5, M],
    ['Canary5Percent3Minute', 'Canary5Percent3Minutes', 5, 3 * M],
    ['Canary50Percent1Hour', 'Canary50Percent1Hour', 50, H],
    ['Canary50Percent2Hours', 'Canary50Percent2Hours', 50, 2 * H],
    ['Canary1Percent48Hours', 'Canary1Percent48Hours', 1, 48 * H],
    ['Canary99Percent1Minute', 'Canary99Percent1Minute', 99, M],
    ['canary007percent05minutes', 'Canary7Percent5Minutes', 7, 5 * M],
    ['CodeDeployDefault.LambdaCanary30Percent45Seconds', 'Canary30Percent45Seconds', 30, 45 * S]
  ])('%s', (value, name, weightPercent, bakeMs) => {
    expect(parseStrategy(value)).toEqual({ name, kind: 'canary', steps: [{ weightPercent, bakeMs }] });
  });
});

describe('custom linear', () => {
  test.each([
    ['Linear20PercentEvery5Minutes', 'Linear20PercentEvery5Minutes', [20, 40, 60, 80], 5 * M],
    ['Linear25PercentEvery30Seconds', 'Linear25PercentEvery30Seconds', [25, 50, 75], 30 * S],
    ['Linear25PercentEvery1Second', 'Linear25PercentEvery1Second', [25, 50, 75], S],
    ['Linear50PercentEvery1Hour', 'Linear50PercentEvery1Hour', [50], H],
    ['Linear50PercentEvery2Hours', 'Linear50PercentEvery2Hours', [50], 2 * H],
    ['Linear30PercentEvery1Minute', 'Linear30PercentEvery1Minute', [30, 60, 90], M],
    ['Linear33PercentEvery1Minute', 'Linear33PercentEvery1Minute', [33, 66, 99], M],
    ['Linear99PercentEvery1Minute', 'Linear99PercentEvery1Minute', [99], M],
    ['linear40percentevery2minute', 'Linear40PercentEvery2Minutes', [40, 80], 2 * M]
  ])('%s', (value, name, weights, bakeMs) => {
    expect(parseStrategy(value)).toEqual({ name, kind: 'linear', steps: steps(weights, bakeMs) });
  });

  test('Linear1PercentEvery… is 99 steps, 1 % apart, and within the step cap', () => {
    const { steps: linear } = parseStrategy('Linear1PercentEvery1Minute');
    expect(linear).toHaveLength(99);
    expect(linear.map((step) => step.weightPercent)).toEqual(Array.from({ length: 99 }, (_, i) => i + 1));
    expect(linear.length).toBeLessThanOrEqual(MAX_STEPS);
  });

  test.each([0, -10, Number.NaN])('linearSteps refuses %d instead of looping forever', (percent) => {
    expect(() => linearSteps(percent, 1)).toThrow(RangeError);
  });

  test('linearSteps stops below 100 for a non-dividing percentage', () => {
    expect(linearSteps(30, 7)).toEqual(steps([30, 60, 90], 7));
  });
});

describe('step lists', () => {
  test.each([
    [
      '5%:2m, 25%:5m, 50%:10m',
      '5%:2m, 25%:5m, 50%:10m',
      [
        [5, 2 * M],
        [25, 5 * M],
        [50, 10 * M]
      ]
    ],
    [
      '5%:2m,25%:5m,50%:10m',
      '5%:2m, 25%:5m, 50%:10m',
      [
        [5, 2 * M],
        [25, 5 * M],
        [50, 10 * M]
      ]
    ],
    [
      '5%:2m\n25%:5m\n50%:10m\n',
      '5%:2m, 25%:5m, 50%:10m',
      [
        [5, 2 * M],
        [25, 5 * M],
        [50, 10 * M]
      ]
    ],
    [
      '  5 % : 2m \r\n 25%: 5M  ',
      '5%:2m, 25%:5m',
      [
        [5, 2 * M],
        [25, 5 * M]
      ]
    ],
    ['10%:90s', '10%:1m30s', [[10, 90 * S]]],
    [
      '2.5%:1m, 10.25%:1h 30m',
      '2.5%:1m, 10.25%:1h30m',
      [
        [2.5, M],
        [10.25, 90 * M]
      ]
    ],
    [
      '0.01%:500ms, 50%:1s, 99.99%:1s',
      '0.01%:500ms, 50%:1s, 99.99%:1s',
      [
        [0.01, 500],
        [50, S],
        [99.99, S]
      ]
    ],
    ['99%:1m', '99%:1m', [[99, M]]],
    ['1%:1m,', '1%:1m', [[1, M]]],
    [
      '10%:24h, 20%:24h',
      '10%:24h, 20%:24h',
      [
        [10, 24 * H],
        [20, 24 * H]
      ]
    ]
  ] as [string, string, [number, number][]][])('%j', (value, name, expected) => {
    expect(parseStrategy(value)).toEqual({
      name,
      kind: 'steps',
      steps: expected.map(([weightPercent, bakeMs]) => ({ weightPercent, bakeMs }))
    });
  });

  test(`${MAX_STEPS} steps are accepted`, () => {
    const list = Array.from({ length: MAX_STEPS }, (_, i) => `${(i + 1) * 0.5}%:1s`).join(',');
    expect(parseStrategy(list).steps).toHaveLength(MAX_STEPS);
  });

  test('the normalized name parses back to the same steps', () => {
    const first = parseStrategy('5%:120s,\n25%:300000ms');
    expect(parseStrategy(first.name)).toEqual(first);
  });
});

const STEP_LIST_OF_101 = Array.from({ length: MAX_STEPS + 1 }, (_, i) => `${(i + 1) * 0.5}%:1s`).join(', ');

describe('refusals', () => {
  test.each([
    // empty
    ['', /^the strategy is empty$/],
    ['  \n ', /^the strategy is empty$/],
    // unknown words, with a suggestion for obvious typos
    ['Canary', /^'Canary' is not a known strategy$/],
    ['x'.repeat(300), /^'x{40}…' is not a known strategy$/],
    ['blue-green', /^'blue-green' is not a known strategy$/],
    ['AllAtOnse', /^'AllAtOnse' is not a known strategy; did you mean AllAtOnce\?$/],
    ['All-At-Once', /did you mean AllAtOnce\?$/],
    ['CodeDeployDefault.LambdaAllAtOnse', /^'AllAtOnse' is not a known strategy; did you mean AllAtOnce\?$/],
    ['Canary10Percent5Minuts', /^unknown interval unit 'Minuts'.*; did you mean Canary10Percent5Minutes\?$/],
    ['Linear10PercentEvery1Minit', /unknown interval unit 'Minit'.*did you mean Linear10PercentEvery1Minute\?$/],
    ['Canary10Percent5Days', /^unknown interval unit 'Days' \(use Second\(s\), Minute\(s\) or Hour\(s\)\)$/],
    ['Linear10Percent5Minutes', /^a linear name needs 'Every', write Linear<P>PercentEvery<N><Unit>$/],
    ['Canary10PercentEvery5Minutes', /^a canary name has no 'Every', write Canary<P>Percent<N><Unit>$/],
    ['CodeDeployDefault.ECSAllAtOnce', /^'CodeDeployDefault.ECSAllAtOnce' is not a known strategy/],
    // canary / linear percentages
    ['Canary0Percent5Minutes', /^the canary percentage must be between 1 and 99, got 0$/],
    ['Canary-10Percent5Minutes', /^the canary percentage must be between 1 and 99, got -10$/],
    ['Canary100Percent5Minutes', /^the canary percentage must be between 1 and 99, got 100 \(100 % at once is AllAtOnce\)$/],
    ['Canary150Percent5Minutes', /^the canary percentage must be between 1 and 99, got 150/],
    ['Canary1000000000Percent5Minutes', /^the canary percentage must be between 1 and 99, got 1000000000/],
    ['Canary2.5Percent5Minutes', /^the canary percentage must be a whole number between 1 and 99, got 2.5$/],
    ['Linear0PercentEvery1Minute', /^the linear percentage must be between 1 and 99, got 0$/],
    ['Linear100PercentEvery1Minute', /^the linear percentage must be between 1 and 99, got 100 \(100 % at once is AllAtOnce\)$/],
    // canary / linear intervals
    ['Canary10Percent0Minutes', /^the canary interval must be at least 1 minute, got 0$/],
    ['Canary10Percent-5Minutes', /^the canary interval must be at least 1 minute, got -5$/],
    ['Canary10Percent1.5Minutes', /^the canary interval must be a whole number, got 1.5$/],
    ['Linear10PercentEvery0Seconds', /^the linear interval must be at least 1 second, got 0$/],
    // total bake time
    ['Canary10Percent2881Minutes', /^the canary interval must be at most 2880 minutes \(48h\), got 2881 minutes$/],
    ['Canary10Percent49Hours', /^the canary interval must be at most 2880 minutes \(48h\), got 49 hours$/],
    ['Canary10Percent99999999Hours', /^the canary interval must be at most 2880 minutes \(48h\), got 99999999 hours$/],
    ['Linear50PercentEvery172801Seconds', /^the linear interval must be at most 2880 minutes \(48h\), got 172801 seconds$/],
    ['Linear40PercentEvery25Hours', /^the total bake time would be 50h, longer than CodeDeploy's limit of 2880 minutes \(48h\)$/],
    ['Linear10PercentEvery6Hours', /^the total bake time would be 54h, longer than/],
    ['Linear1PercentEvery30Minutes', /^the total bake time would be 49h30m, longer than/],
    ['10%:24h, 20%:24h, 30%:1s', /^the total bake time would be 48h1s, longer than/],
    // step-list shape
    ['5:2m', /^step 1 "5:2m" is not of the form <percent>%:<duration>, such as 5%:2m$/],
    ['5%', /^step 1 "5%" is not of the form <percent>%:<duration>/],
    ['5%:2m; 25%:5m', /^step 1: it is not a number followed by a unit$/],
    ['5%:2m, 25%', /^step 2 "25%" is not of the form/],
    // step-list percentages
    ['0%:2m', /^step 1: the percentage must be greater than 0, got 0$/],
    ['0.00%:2m', /^step 1: the percentage must be greater than 0, got 0.00$/],
    ['-5%:2m', /^step 1: the percentage must be a number with at most two decimals, got "-5"$/],
    ['2.555%:2m', /^step 1: the percentage must be a number with at most two decimals, got "2.555"$/],
    ['abc%:2m', /^step 1: the percentage must be a number with at most two decimals, got "abc"$/],
    ['1e9%:2m', /^step 1: the percentage must be a number with at most two decimals, got "1e9"$/],
    ['1000000000%:2m', /^step 1: the percentage must be below 100, got 1000000000/],
    [
      '50%:2m, 100%:5m',
      /^step 2: the percentage must be below 100, got 100 \(100 % always follows the last step, so leave it out; for 100 % at once use AllAtOnce\)$/
    ],
    ['50%:2m, 25%:5m', /^the percentages must strictly increase, but step 2 \(25%\) is not above step 1 \(50%\)$/],
    ['5%:1m, 25%:2m, 25%:3m', /^the percentages must strictly increase, but step 3 \(25%\) is not above step 2 \(25%\)$/],
    ['0.01%:1s, 99.99%:1s', /^step 2 would shift 99.98 percentage points at once, at most 99 are allowed/],
    ['99.5%:1m', /^step 1 would shift 99.5 percentage points at once, at most 99 are allowed \(a bigger jump is AllAtOnce\)$/],
    // step-list durations
    ['5%:0m', /^step 1: the duration must be at least 1ms, got 0m$/],
    ['5%:2m, 25%:-5m', /^step 2: the duration must not be negative$/],
    ['5%:2', /^step 1: the number 2 has no unit$/],
    ['5%:', /^step 1: the duration is empty$/],
    ['5%:1.5m', /^step 1: decimals are not accepted/],
    ['5%:2 weeks', /^step 1: unknown unit 'weeks'/],
    ['5%:49h', /^step 1: the duration must be at most 48h, got 49h$/],
    ['5%:99999999h', /^step 1: the duration must be at most 48h, got 99999999h$/],
    [`5%:${'9'.repeat(400)}h`, /^step 1: the duration must be at most 48h, got 9{40}…$/],
    [`5%:2m, ${'y'.repeat(300)}`, /^step 2 "y{40}…" is not of the form/],
    // step count cap
    [STEP_LIST_OF_101, /^a step list may have at most 100 steps, got 101$/]
  ])('%j', (value, problem) => {
    const error = refusal(value);
    expect(error.input).toBe('strategy');
    expect(error.value).toBe(value);
    expect(error.problem).toMatch(problem);
    expect(error.message).toContain(
      `Input 'strategy' has an invalid value ${JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value)}`
    );
    for (const form of [
      'Canary10Percent5Minutes',
      'Linear10PercentEvery10Minutes',
      'AllAtOnce',
      'CodeDeployDefault.Lambda',
      'Canary<P>Percent<N><Unit>',
      'Linear<P>PercentEvery<N><Unit>',
      '"5%:2m, 25%:5m, 50%:10m"'
    ]) {
      expect(error.message).toContain(form);
    }
  });

  test('the error names a custom input', () => {
    const error = refusal('nope', 'rollout');
    expect(error.input).toBe('rollout');
    expect(error.message).toMatch(/^Input 'rollout' has an invalid value "nope": /);
  });

  test('the bake limit is exactly 2880 minutes and is inclusive', () => {
    expect(MAX_TOTAL_BAKE_MS).toBe(2880 * 60_000);
    expect(parseStrategy('Canary10Percent2880Minutes').steps[0]!.bakeMs).toBe(MAX_TOTAL_BAKE_MS);
    expect(parseStrategy('Linear10PercentEvery320Minutes').steps).toHaveLength(9);
  });
});

describe('closestPredefined', () => {
  test.each([
    ['allatonce', 'AllAtOnce'],
    ['Canary10Percent5Minute', 'Canary10Percent5Minutes'],
    ['Linear10PercentEvery1Minutes', 'Linear10PercentEvery1Minute'],
    ['Linear10PercentEvry2Minutes', 'Linear10PercentEvery2Minutes'],
    ['AllAtOnceXYZ', 'AllAtOnce']
  ])('%s → %s', (typo, expected) => {
    expect(closestPredefined(typo)).toBe(expected);
  });

  test.each(['blue-green', 'Canary', 'AllAtOnceWXYZ', 'x'.repeat(500)])('no suggestion for %s', (text) => {
    expect(closestPredefined(text)).toBeUndefined();
  });
});

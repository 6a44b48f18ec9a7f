import { parseStrategy } from '../../src/config/strategy.js';
import { describeSchedule, planEntries, planJson, totalBakeMs } from '../../src/strategy/plan.js';
import type { Strategy } from '../../src/core/schedule.js';

const M = 60_000;

describe('totalBakeMs', () => {
  test.each([
    ['AllAtOnce', 0],
    ['Canary10Percent5Minutes', 5 * M],
    ['Linear10PercentEvery1Minute', 9 * M],
    ['Linear10PercentEvery10Minutes', 90 * M],
    ['Linear30PercentEvery2Minutes', 6 * M],
    ['5%:2m, 25%:5m, 50%:10m', 17 * M],
    ['1%:500ms, 2%:1s', 1500]
  ])('%s → %d ms', (value, expected) => {
    expect(totalBakeMs(parseStrategy(value))).toBe(expected);
  });
});

describe('planJson', () => {
  test.each([
    ['AllAtOnce', '[{"weightPercent":100,"bakeSeconds":0}]'],
    ['Canary10Percent5Minutes', '[{"weightPercent":10,"bakeSeconds":300},{"weightPercent":100,"bakeSeconds":0}]'],
    [
      'Linear30PercentEvery1Minute',
      '[{"weightPercent":30,"bakeSeconds":60},{"weightPercent":60,"bakeSeconds":60},' +
        '{"weightPercent":90,"bakeSeconds":60},{"weightPercent":100,"bakeSeconds":0}]'
    ],
    [
      '2.5%:1m30s, 50%:500ms',
      '[{"weightPercent":2.5,"bakeSeconds":90},{"weightPercent":50,"bakeSeconds":0.5},{"weightPercent":100,"bakeSeconds":0}]'
    ]
  ])('%s', (value, expected) => {
    expect(planJson(parseStrategy(value))).toBe(expected);
  });

  test('Linear10PercentEvery1Minute lists 10 entries ending at 100 % with no bake', () => {
    const entries = JSON.parse(planJson(parseStrategy('Linear10PercentEvery1Minute'))) as unknown[];
    expect(entries).toHaveLength(10);
    expect(entries).toEqual(planEntries(parseStrategy('Linear10PercentEvery1Minute')));
    expect(entries[9]).toEqual({ weightPercent: 100, bakeSeconds: 0 });
    expect(entries[0]).toEqual({ weightPercent: 10, bakeSeconds: 60 });
  });
});

describe('describeSchedule', () => {
  test.each([
    ['AllAtOnce', '100% at once'],
    ['Canary10Percent5Minutes', '10% for 5m, then 100%'],
    ['Canary20Percent90Seconds', '20% for 1m30s, then 100%'],
    ['Linear25PercentEvery2Minutes', '25%, 50%, 75% for 2m each (6m in total), then 100%'],
    ['Linear20PercentEvery1Minute', '20%, 40%, 60%, 80% for 1m each (4m in total), then 100%'],
    ['Linear17PercentEvery1Minute', '17%, 34%, 51%, 68%, 85% for 1m each (5m in total), then 100%'],
    ['Linear15PercentEvery1Minute', '15%, 30%, …, 90% for 1m each (6m in total), then 100%'],
    ['Linear10PercentEvery1Minute', '10%, 20%, …, 90% for 1m each (9m in total), then 100%'],
    ['Linear1PercentEvery1Second', '1%, 2%, …, 99% for 1s each (1m39s in total), then 100%'],
    ['5%:2m, 25%:5m, 50%:10m', '5% for 2m, 25% for 5m, 50% for 10m, then 100%'],
    ['5%:2m, 25%:2m', '5%, 25% for 2m each (4m in total), then 100%']
  ])('%s → %s', (value, expected) => {
    expect(describeSchedule(parseStrategy(value))).toBe(expected);
  });

  test('works on a hand-built strategy too', () => {
    const strategy: Strategy = { name: 'x', kind: 'steps', steps: [{ weightPercent: 1.5, bakeMs: 1 }] };
    expect(describeSchedule(strategy)).toBe('1.5% for 1ms, then 100%');
  });
});

import { describe, expect, test } from '@jest/globals';
import { formatAfterHold, MAX_AFTER_HOLD_CHARS, parseAfterHold, parseStrategy } from '../../src/config/strategy.js';
import { InputError } from '../../src/core/input-error.js';
import { describeSchedule, isWeighted, planJson, totalBakeMs } from '../../src/strategy/plan.js';

// A step list that holds at a weight for a person's approval: `10%:5m, 50%:hold`.

const M = 60_000;

function refusal(value: string): string {
  try {
    parseStrategy(value);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('a hold in a step list', () => {
  test('the steps before it, the held weight, and the steps a promotion takes after it', () => {
    expect(parseStrategy('10%:5m, 50%:hold')).toEqual({
      name: '10%:5m, 50%:hold',
      kind: 'steps',
      steps: [{ weightPercent: 10, bakeMs: 5 * M }],
      hold: { weightPercent: 50, then: [] }
    });
    expect(parseStrategy('10%:5m\n 50% : HOLD \n75%:10m')).toEqual({
      name: '10%:5m, 50%:hold, 75%:10m',
      kind: 'steps',
      steps: [{ weightPercent: 10, bakeMs: 5 * M }],
      hold: { weightPercent: 50, then: [{ weightPercent: 75, bakeMs: 10 * M }] }
    });
    // A hold may be the first step: the run shifts there at once, after its pre-traffic hooks.
    expect(parseStrategy('25%:hold')).toMatchObject({ steps: [], hold: { weightPercent: 25, then: [] } });
  });

  test('a step list holds once, the weights rise through the hold, and the hold stays below 100 %', () => {
    expect(refusal('10%:hold, 50%:hold')).toContain('a step list holds for approval once, but steps 1 and 2 both hold');
    expect(refusal('50%:5m, 40%:hold')).toContain('step 2 (40%) is not above step 1 (50%)');
    expect(refusal('10%:5m, 50%:hold, 50%:5m')).toContain('step 3 (50%) is not above step 2 (50%)');
    expect(refusal('100%:hold')).toContain('the percentage must be below 100');
    expect(refusal('10%:holding')).toContain('step 1');
  });

  test('the steps after a hold must fit in the alias record', () => {
    const after = Array.from({ length: 12 }, (_, i) => `${60 + i * 3}%:10m`).join(', ');
    expect(refusal(`50%:hold, ${after}`)).toContain(`take 112 characters`);
    expect(refusal(`50%:hold, ${after}`)).toContain(`has room for ${MAX_AFTER_HOLD_CHARS}`);
    // What fits is kept whole: six steps of `NN%:10m` and the promotion.
    const fits = Array.from({ length: 6 }, (_, i) => `${60 + i * 3}%:10m`).join(', ');
    expect(formatAfterHold(parseStrategy(`50%:hold, ${fits}`).hold!.then).length).toBeLessThanOrEqual(MAX_AFTER_HOLD_CHARS);
  });

  test('a named strategy cannot hold: only a step list says where', () => {
    expect(refusal('Canary10Percent5Minuteshold')).toContain("unknown interval unit 'Minuteshold'");
    expect(parseStrategy('Canary10Percent5Minutes').hold).toBeUndefined();
  });

  test('the record keeps the steps after the hold, and reads them back', () => {
    const { hold } = parseStrategy('10%:5m, 50%:hold, 75%:10m, 90%:1m30s');
    const text = formatAfterHold(hold!.then);
    expect(text).toBe('75%:10m, 90%:1m30s, 100%');
    expect(parseAfterHold(text, 50)).toEqual(hold!.then);
    expect(formatAfterHold([])).toBe('100%');
    expect(parseAfterHold('100%', 50)).toEqual([]);
  });

  test('a record edited by someone is not trusted: steps below the hold, a second hold, no promotion', () => {
    for (const text of ['40%:5m, 100%', '75%:hold, 100%', '75%:10m', '', 'x, 100%', `${'75%:10m, '.repeat(20)}100%`]) {
      expect(parseAfterHold(text, 50)).toBeUndefined();
    }
  });

  test('described, and in the plan output', () => {
    expect(describeSchedule(parseStrategy('10%:5m, 50%:hold'))).toBe(
      '10% for 5m, then hold at 50% for approval; a promotion goes on with 100%'
    );
    expect(describeSchedule(parseStrategy('50%:hold, 75%:10m'))).toBe(
      'Hold at 50% for approval; a promotion goes on with 75% for 10m, then 100%'
    );
    expect(planJson(parseStrategy('10%:5m, 50%:hold, 75%:10m'))).toBe(
      '[{"weightPercent":10,"bakeSeconds":300},{"weightPercent":50,"bakeSeconds":0,"hold":true},' +
        '{"weightPercent":75,"bakeSeconds":600},{"weightPercent":100,"bakeSeconds":0}]'
    );
    // The automatic part of a run that holds ends at the hold: its bakes are those before it.
    expect(totalBakeMs(parseStrategy('10%:5m, 50%:hold, 75%:10m'))).toBe(5 * M);
    expect(isWeighted(parseStrategy('50%:hold'))).toBe(true);
    expect(isWeighted(parseStrategy('AllAtOnce'))).toBe(false);
  });
});

import { describe, expect, test } from '@jest/globals';
import { summaryTable, type Cell, type Tally } from '../../bench/analysis/operating-characteristics.js';

const tally = (rolledBack: number, refused = 0): Tally => ({
  rolledBack,
  refused,
  wantOfData: 0,
  promoted: 100 - rolledBack - refused
});

const cell = (baseErrorRate: number, identical: Tally, errors: Tally, latency: Tally): Cell => ({
  strategy: 'Canary10Percent5Minutes',
  baseErrorRate,
  callsPerSecond: 2,
  firstStepCalls: 60,
  rollouts: 100,
  identical,
  errors,
  latency
});

describe("the README's short table of the operating characteristics", () => {
  test('one row per strategy and traffic, showing the worst of the base error rates for each column', () => {
    const rows = summaryTable([
      cell(0.001, tally(1), tally(90), tally(40, 3)),
      cell(0.01, tally(0, 5), tally(70), tally(60))
    ]).split('\n');
    expect(rows).toHaveLength(3);
    // Most healthy rollouts rolled back (1 %), fewest bad ones caught (70 %, 40 %), most refused (5 %).
    expect(rows[2]).toBe('| Canary10Percent5Minutes | 2 | 1.0 % | 70.0 % | 40.0 % | 5.0 % |');
  });
});

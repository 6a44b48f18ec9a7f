import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { RATIO_GRID } from '../../src/checks/analysis/evidence.js';
import { REFUSE_BELOW, WARN_BELOW } from '../../src/checks/analysis/forecast.js';
import {
  alphaPerRule,
  DEFAULT_MIN_CALLS,
  DEFAULT_MIN_CALLS_PER_STEP,
  ROLLOUT_FALSE_ROLLBACK_RATE
} from '../../src/checks/analysis/judge.js';
import { INGESTION_ALLOWANCE_PERIODS } from '../../src/checks/analysis/minutes.js';
import { CALLS_PER_SECOND, BASE_ERROR_RATES, STRATEGIES } from '../../bench/analysis/operating-characteristics.js';

// docs/analysis-method.md states the analysis's constants and publishes its measured error rates:
// both must stay what the code and the bench say.

const ROOT = new URL('../../', import.meta.url);
const doc = readFileSync(new URL('docs/analysis-method.md', ROOT), 'utf8');
const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
const analysisPage = readFileSync(new URL('docs/analysis.md', ROOT), 'utf8');
/** The prose with its line breaks as spaces, so that a sentence is found wherever it wraps. */
const prose = doc.replace(/\s+/g, ' ');

describe('docs/analysis-method.md', () => {
  test('the README and the analysis page link to it, the analysis page to its table', () => {
    expect(readme).toContain('](docs/analysis-method.md)');
    expect(analysisPage).toContain('](analysis-method.md)');
    expect(analysisPage).toContain('](analysis-method.md#operating-characteristics)');
  });

  test("it states the code's constants", () => {
    expect(ROLLOUT_FALSE_ROLLBACK_RATE).toBe(0.01);
    expect(prose).toContain('in at most **1 % of rollouts**');
    expect(prose).toContain(`at least **${DEFAULT_MIN_CALLS_PER_STEP}** in the step's own minutes`);
    expect(prose).toContain(`for the last step also **${DEFAULT_MIN_CALLS}** across the rollout`);
    expect(prose).toContain(`Below **${REFUSE_BELOW * 100} %** (the rollout would more likely stop than not)`);
    expect(prose).toContain(`Below **${WARN_BELOW * 100} %** the preflight **warns**`);
    expect(INGESTION_ALLOWANCE_PERIODS).toBe(2);
    expect(prose).toContain('an ingestion allowance of **2 minutes**');
    const grid = RATIO_GRID.map(String);
    expect(prose).toContain(`(${grid.slice(0, -1).join(', ')} and ${grid.at(-1)}, equal weights)`);
  });

  test('its table of α per rule is the one the code uses', () => {
    for (const rules of [1, 2, 3, 4]) {
      const alpha = alphaPerRule(rules, 1);
      const row = `| ${rules} | ${Number((alpha * 100).toFixed(2))} % | ${Math.round(1 / alpha)} |`;
      expect(doc).toContain(row);
    }
  });

  test('its operating characteristics are a whole table from `npm run bench`, and they meet the target', () => {
    const table = /<!-- operating-characteristics:start -->\n([\s\S]*?)<!-- operating-characteristics:end -->/.exec(doc)?.[1];
    expect(table).toBeDefined();
    expect(table).toMatch(/^\d+ simulated rollouts per cell and column/);
    const rows = table!.split('\n').filter((line) => /^\| [^-|]/.test(line) && !line.startsWith('| Strategy'));
    expect(rows).toHaveLength(STRATEGIES.length * BASE_ERROR_RATES.length * CALLS_PER_SECOND.length);
    const rollouts = Number(/^(\d+) simulated/.exec(table!)![1]);
    expect(rollouts).toBeGreaterThanOrEqual(2000);
    for (const row of rows) {
      const cells = row.split('|').map((cell) => cell.trim());
      // A healthy version rolled back in at most 1 % of rollouts, in every cell.
      expect(Number(/^([\d.]+) %$/.exec(cells[5]!)![1])).toBeLessThanOrEqual(1);
    }
  });
});

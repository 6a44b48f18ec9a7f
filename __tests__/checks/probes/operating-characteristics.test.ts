import { describe, expect, test } from '@jest/globals';
import { probeCharacteristics } from '../../../bench/probes/simulate.js';
import { PROBE_FALSE_ROLLBACK_RATE } from '../../../src/checks/probes/judge.js';

// The probes' error rates by simulation with the real judge (bench/probes/simulate.ts; the bench
// runs many more rollouts and writes the table into docs/probes.md). Seeded: the same every run.
const ROLLOUTS = 150;

describe('the probes rule, simulated', () => {
  const cells = probeCharacteristics(ROLLOUTS);

  test('healthy versions (alike, even when both fail probes, or through a shared outage) are rarely rolled back', () => {
    const healthy = cells.filter((cell) => !cell.bad);
    expect(healthy.length).toBeGreaterThanOrEqual(4);
    // α is 0.5 % a rollout: at 150 rollouts, more than 5 false rollbacks has a chance near 1e-4.
    for (const cell of healthy) expect(cell.rolledBack).toBeLessThanOrEqual(5);
    expect(PROBE_FALSE_ROLLBACK_RATE).toBe(0.005);
  });

  test('a version that fails every probe is rolled back every time, within a few failed probes', () => {
    for (const cell of cells.filter((each) => each.bad && each.scenario.includes('every probe'))) {
      expect(cell.rolledBack).toBe(ROLLOUTS);
      expect(cell.medianFailures).toBeLessThanOrEqual(20);
      expect(cell.medianSeconds).toBeLessThanOrEqual(10);
    }
  });

  test('a version failing 20 % of probes against 1 % is rolled back in nearly every rollout', () => {
    const cell = cells.find((each) => each.scenario.startsWith('bad: 20 %'))!;
    expect(cell.rolledBack / ROLLOUTS).toBeGreaterThan(0.95);
  });
});

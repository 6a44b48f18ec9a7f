import { describe, expect, test } from '@jest/globals';
import { DEFAULT_ROLLOUT, probeCharacteristics } from '../../../bench/probes/simulate.js';
import { PROBE_FALSE_ROLLBACK_RATE } from '../../../src/checks/probes/judge.js';

// The probes' error rates by simulation with the real judge (bench/probes/simulate.ts; the bench
// runs many more rollouts and writes the table into docs/probes.md). Seeded: the same every run.
const ROLLOUTS = 150;

describe('the probes rule, simulated', () => {
  const cells = probeCharacteristics(ROLLOUTS);

  test('healthy versions (alike, even when both fail probes, or through a shared outage) are rarely rolled back', () => {
    const healthy = cells.filter((cell) => !cell.bad);
    expect(healthy.length).toBeGreaterThanOrEqual(5);
    // α is 0.5 % a rollout: at 150 rollouts, more than 5 false rollbacks has a chance near 1e-4.
    for (const cell of healthy) expect(cell.rolledBack).toBeLessThanOrEqual(5);
    expect(PROBE_FALSE_ROLLBACK_RATE).toBe(0.005);
  });

  test('a version that fails every probe is rolled back every time, at the first poll after its first failed probe', () => {
    const broken = cells.filter((each) => each.bad && each.scenario.includes('every probe'));
    expect(broken.length).toBe(3);
    for (const cell of broken) {
      expect(cell.rolledBack).toBe(ROLLOUTS);
      // The confirmation burst of that poll decides: one failed probe, and at most one poll (1 s) after it was sent.
      expect(cell.medianFailures).toBe(1);
      expect(cell.maxSeconds).toBeLessThanOrEqual(DEFAULT_ROLLOUT.pollSeconds);
    }
  });

  test('a version failing 20 % of probes against 1 % is rolled back in nearly every rollout', () => {
    const cell = cells.find((each) => each.scenario.startsWith('bad: 20 %'))!;
    expect(cell.rolledBack / ROLLOUTS).toBeGreaterThan(0.95);
  });
});

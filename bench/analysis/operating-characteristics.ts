/**
 * The per-version analysis's operating characteristics, measured by simulation with the real judge
 * (rollout.ts): for each strategy, base error rate and traffic level, how often a version identical
 * to the previous one is rolled back (and how often the rollout stops for want of data instead),
 * and how often and how fast a version with 5 percentage points more errors, or a p99 1.5 times
 * the previous one's, is rolled back before it reaches 100 %.
 */
import jStat from 'jstat';
import type { AnalysisThresholds } from '../../src/core/analysis.js';
import { parseStrategy } from '../../src/strategy/parse.js';
import { simulateRollout, type RolloutOutcome, type RolloutSettings } from './rollout.js';
import { seededRandom, SimulatedAlias, type Behaviour } from './world.js';

export const STRATEGIES = ['Canary10Percent5Minutes', 'Linear10PercentEvery1Minute', '10%:5m, 30%:5m, 60%:5m'] as const;
export const BASE_ERROR_RATES = [0.001, 0.01] as const;
export const CALLS_PER_SECOND = [0.2, 2, 20] as const;

/** The inputs every simulated rollout uses (the others at their defaults). */
export const THRESHOLDS: AnalysisThresholds = {
  maxErrorRateIncrease: 0.01,
  maxP99DurationIncrease: 0.25,
  failedChecksLimit: 1,
  periodSeconds: 60
};
const POLL_INTERVAL_MS = 10_000;
const MAX_BAKE_EXTENSION_MS = 10 * 60_000;
const TIMEOUT_SECONDS = 3;
/** The previous version's latency: median 100 ms, p99 250 ms. */
const LATENCY = { medianMs: 100, p99Ms: 250 };
/** A moment on a minute boundary, two hours into the simulated day (room for the latency baseline). */
const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

type Scenario = 'identical' | 'errors' | 'latency';

/** One row of the table. */
export interface Cell {
  readonly strategy: string;
  readonly baseErrorRate: number;
  readonly callsPerSecond: number;
  /** Calls the new version gets in the first step, before any hold (rate × weight × bake). */
  readonly firstStepCalls: number;
  readonly rollouts: number;
  readonly identical: Tally;
  readonly errors: Tally;
  readonly latency: Tally;
}

/** How a scenario's rollouts ended. */
export interface Tally {
  readonly rolledBack: number;
  readonly wantOfData: number;
  readonly promoted: number;
  /** Median time from the first shift to the rollback, of the rollouts rolled back. */
  readonly medianRollbackMs?: number;
}

function behaviours(scenario: Scenario, base: number): { previous: Behaviour; next: Behaviour } {
  const previous = { errorRate: base, ...LATENCY };
  if (scenario === 'errors') return { previous, next: { ...previous, errorRate: base + 0.05 } };
  if (scenario === 'latency')
    return { previous, next: { ...previous, medianMs: LATENCY.medianMs * 1.5, p99Ms: LATENCY.p99Ms * 1.5 } };
  return { previous, next: previous };
}

async function runScenario(
  scenario: Scenario,
  strategyName: string,
  base: number,
  rate: number,
  rollouts: number,
  seed: number
): Promise<Tally> {
  const random = seededRandom(seed);
  jStat.setRandom(random);
  const settings: RolloutSettings = {
    strategy: parseStrategy(strategyName),
    thresholds: THRESHOLDS,
    pollIntervalMs: POLL_INTERVAL_MS,
    maxBakeExtensionMs: MAX_BAKE_EXTENSION_MS,
    timeoutSeconds: TIMEOUT_SECONDS
  };
  const { previous, next } = behaviours(scenario, base);
  const outcomes: RolloutOutcome[] = [];
  for (let i = 0; i < rollouts; i++) {
    const alias = new SimulatedAlias(random, rate, previous, next);
    // The first shift falls anywhere in a minute, and on any poll phase.
    outcomes.push(await simulateRollout(alias, settings, T0 + Math.floor(random() * 60_000)));
  }
  const times = outcomes.flatMap((o) => (o.kind === 'rolled-back' ? [o.atMs] : [])).sort((a, b) => a - b);
  return {
    rolledBack: times.length,
    wantOfData: outcomes.filter((o) => o.kind === 'want-of-data').length,
    promoted: outcomes.filter((o) => o.kind === 'promoted').length,
    ...(times.length > 0 ? { medianRollbackMs: times[Math.floor((times.length - 1) / 2)]! } : {})
  };
}

/** Every cell, `rollouts` rollouts per scenario; `onCell` sees each as it is done. */
export async function operatingCharacteristics(rollouts: number, onCell?: (cell: Cell) => void): Promise<Cell[]> {
  const cells: Cell[] = [];
  let seed = 1;
  for (const strategy of STRATEGIES) {
    const first = parseStrategy(strategy).steps[0]!;
    for (const base of BASE_ERROR_RATES) {
      for (const rate of CALLS_PER_SECOND) {
        const cell: Cell = {
          strategy,
          baseErrorRate: base,
          callsPerSecond: rate,
          firstStepCalls: (rate * first.bakeMs * first.weightPercent) / 100_000,
          rollouts,
          identical: await runScenario('identical', strategy, base, rate, rollouts, seed++),
          errors: await runScenario('errors', strategy, base, rate, rollouts, seed++),
          latency: await runScenario('latency', strategy, base, rate, rollouts, seed++)
        };
        onCell?.(cell);
        cells.push(cell);
      }
    }
  }
  return cells;
}

const percent = (count: number, of: number): string => `${((100 * count) / of).toFixed(count > 0 && count < of / 100 ? 2 : 1)} %`;
const minutes = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 60_000).toFixed(1)} min`);

/** The table, as the docs show it. */
export function characteristicsTable(cells: readonly Cell[]): string {
  const header =
    '| Strategy | Base error rate | Calls/s | New-version calls in step 1 | Identical: rolled back | Identical: stopped for want of data | ' +
    '+5 points of errors: rolled back | … median time to rollback | p99 × 1.5: rolled back | … median time to rollback |';
  const rows = cells.map((c) =>
    [
      c.strategy,
      `${c.baseErrorRate * 100} %`,
      String(c.callsPerSecond),
      String(Math.round(c.firstStepCalls)),
      percent(c.identical.rolledBack, c.rollouts),
      percent(c.identical.wantOfData, c.rollouts),
      `${percent(c.errors.rolledBack, c.rollouts)}${c.errors.wantOfData > 0 ? ` (${percent(c.errors.wantOfData, c.rollouts)} stopped)` : ''}`,
      minutes(c.errors.medianRollbackMs),
      `${percent(c.latency.rolledBack, c.rollouts)}${c.latency.wantOfData > 0 ? ` (${percent(c.latency.wantOfData, c.rollouts)} stopped)` : ''}`,
      minutes(c.latency.medianRollbackMs)
    ].join(' | ')
  );
  return [header, `|${'---|'.repeat(10)}`, ...rows.map((row) => `| ${row} |`)].join('\n');
}

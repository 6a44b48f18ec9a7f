/**
 * The per-version analysis's operating characteristics, measured by simulation with the real judge
 * (rollout.ts): for each strategy, base error rate and traffic level, how often a version identical
 * to the previous one is rolled back (and how often the rollout stops for want of data instead),
 * and how often and how fast a version with 5 percentage points more errors, or a p99 1.5 times
 * the previous one's, is rolled back before it reaches 100 %.
 */
import jStat from 'jstat';
import type { AnalysisThresholds } from '../../src/core/analysis.js';
import { parseStrategy } from '../../src/config/strategy.js';
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
  /** Refused by the preflight's traffic forecast, before any traffic moved. */
  readonly refused: number;
  /** Rolled back by a rule of the analysis. */
  readonly rolledBack: number;
  /** Stopped for want of data (and rolled back), with no rule failed. */
  readonly wantOfData: number;
  readonly promoted: number;
  /** Median time from the first shift to the rollback, of the rollouts rolled back. */
  readonly medianRollbackMs?: number;
  /** The latest rollback, and the shortest promotion (how much room a detection had). */
  readonly latestRollbackMs?: number;
  readonly shortestPromotionMs?: number;
}

function behaviours(scenario: Scenario, base: number): { previous: Behaviour; next: Behaviour } {
  const previous = { errorRate: base, ...LATENCY };
  if (scenario === 'errors') return { previous, next: { ...previous, errorRate: base + 0.05 } };
  if (scenario === 'latency')
    return { previous, next: { ...previous, medianMs: LATENCY.medianMs * 1.5, p99Ms: LATENCY.p99Ms * 1.5 } };
  return { previous, next: previous };
}

/** One configuration of simulated rollouts. */
export interface Simulation {
  readonly settings: RolloutSettings;
  readonly callsPerSecond: number;
  readonly previous: Behaviour;
  readonly next: Behaviour;
  readonly rollouts: number;
  readonly seed: number;
}

/** Runs a configuration's rollouts and tallies how they ended. */
export async function simulate(simulation: Simulation): Promise<Tally> {
  const { settings, callsPerSecond, previous, next, rollouts, seed } = simulation;
  const random = seededRandom(seed);
  jStat.setRandom(random);
  // jStat's Poisson sampler for large means reads Math.random itself: seed that too, for the run.
  const mathRandom = Math.random;
  Math.random = random;
  const periodMs = settings.thresholds.periodSeconds * 1000;
  const outcomes: RolloutOutcome[] = [];
  try {
    for (let i = 0; i < rollouts; i++) {
      const alias = new SimulatedAlias(random, callsPerSecond, previous, next, periodMs);
      // The first shift falls anywhere in a period, and on any poll phase.
      outcomes.push(await simulateRollout(alias, settings, T0 + Math.floor(random() * periodMs)));
    }
  } finally {
    Math.random = mathRandom;
  }
  const times = outcomes.flatMap((o) => (o.kind === 'rolled-back' ? [o.atMs] : [])).sort((a, b) => a - b);
  const promotions = outcomes.flatMap((o) => (o.kind === 'promoted' ? [o.atMs] : []));
  return {
    refused: outcomes.filter((o) => o.kind === 'refused').length,
    rolledBack: times.length,
    wantOfData: outcomes.filter((o) => o.kind === 'want-of-data').length,
    promoted: promotions.length,
    ...(times.length > 0
      ? { medianRollbackMs: times[Math.floor((times.length - 1) / 2)]!, latestRollbackMs: times.at(-1)! }
      : {}),
    ...(promotions.length > 0 ? { shortestPromotionMs: Math.min(...promotions) } : {})
  };
}

function runScenario(
  scenario: Scenario,
  strategyName: string,
  base: number,
  rate: number,
  rollouts: number,
  seed: number
): Promise<Tally> {
  return simulate({
    settings: {
      strategy: parseStrategy(strategyName),
      thresholds: THRESHOLDS,
      pollIntervalMs: POLL_INTERVAL_MS,
      maxBakeExtensionMs: MAX_BAKE_EXTENSION_MS,
      timeoutSeconds: TIMEOUT_SECONDS
    },
    callsPerSecond: rate,
    ...behaviours(scenario, base),
    rollouts,
    seed
  });
}

/**
 * The end-to-end test's configuration (__tests__/e2e/analysis-runs.test.ts), simulated: one-second
 * periods, Linear10PercentEvery1Second, 400 calls a second, a one-second timeout, a poll every
 * 200 ms, max-error-rate-increase 1 %, min-invocations 20, failed-checks-limit 3,
 * max-bake-extension 30s; the previous version at 0.5 % errors, the new one at 0.5 % (it must
 * promote) or 5 % (it must roll back).
 */
export async function endToEndConfiguration(rollouts: number): Promise<{ identical: Tally; bad: Tally }> {
  const settings: RolloutSettings = {
    strategy: parseStrategy('Linear10PercentEvery1Second'),
    thresholds: { maxErrorRateIncrease: 0.01, minInvocations: 20, failedChecksLimit: 3, periodSeconds: 1 },
    pollIntervalMs: 200,
    maxBakeExtensionMs: 30_000,
    timeoutSeconds: 1
  };
  const previous = { errorRate: 0.005, ...LATENCY };
  const common = { settings, callsPerSecond: 400, previous, rollouts };
  return {
    identical: await simulate({ ...common, next: previous, seed: 1_000 }),
    bad: await simulate({ ...common, next: { ...previous, errorRate: 0.05 }, seed: 2_000 })
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

/** `12.3 %`; two decimals near the ends (`0.05 %`, `99.95 %`), so that neither reads as 0 or 100 when it is not. */
export const percent = (count: number, of: number): string => {
  const share = (100 * count) / of;
  return `${share.toFixed(share > 0 && (share < 1 || share > 99) && share < 100 ? 2 : 1)} %`;
};
const minutes = (ms: number | undefined): string => (ms === undefined ? '–' : `${(ms / 60_000).toFixed(1)} min`);

/** The table, as the docs show it. */
export function characteristicsTable(cells: readonly Cell[]): string {
  const header =
    '| Strategy | Base error rate | Calls/s | New-version calls in step 1 | Identical: rolled back by a rule | ' +
    'Identical: stopped for want of data | Identical: refused by the forecast | ' +
    '+5 points of errors: rolled back by a rule | … stopped or refused | … median time to rollback | ' +
    'p99 × 1.5: rolled back by a rule | … stopped or refused | … median time to rollback |';
  const bad = (tally: Tally, rollouts: number): string[] => [
    percent(tally.rolledBack, rollouts),
    `${percent(tally.wantOfData, rollouts)} / ${percent(tally.refused, rollouts)}`,
    minutes(tally.medianRollbackMs)
  ];
  const rows = cells.map((c) =>
    [
      c.strategy,
      `${c.baseErrorRate * 100} %`,
      String(c.callsPerSecond),
      String(Math.round(c.firstStepCalls)),
      percent(c.identical.rolledBack, c.rollouts),
      percent(c.identical.wantOfData, c.rollouts),
      percent(c.identical.refused, c.rollouts),
      ...bad(c.errors, c.rollouts),
      ...bad(c.latency, c.rollouts)
    ].join(' | ')
  );
  return [header, `|${'---|'.repeat(13)}`, ...rows.map((row) => `| ${row} |`)].join('\n');
}

/**
 * The README's short form: per strategy and traffic, the worst of both base error rates (the most
 * healthy rollouts rolled back, the fewest bad ones caught), and the rollouts refused by the forecast.
 */
export function summaryTable(cells: readonly Cell[]): string {
  const header =
    '| Strategy | Calls/s | A healthy version rolled back | +5 points of errors caught | p99 × 1.5 caught | Refused before any traffic moved |';
  const groups = new Map<string, Cell[]>();
  for (const cell of cells) {
    const key = `${cell.strategy} | ${cell.callsPerSecond}`;
    groups.set(key, [...(groups.get(key) ?? []), cell]);
  }
  const worst = (group: readonly Cell[], share: (c: Cell) => number, pick: (...n: number[]) => number): Cell =>
    group.reduce((a, b) => (pick(share(a), share(b)) === share(a) ? a : b));
  const rows = [...groups].map(([key, group]) => {
    const falseAlarm = worst(group, (c) => c.identical.rolledBack / c.rollouts, Math.max);
    const errors = worst(group, (c) => c.errors.rolledBack / c.rollouts, Math.min);
    const latency = worst(group, (c) => c.latency.rolledBack / c.rollouts, Math.min);
    const refused = worst(group, (c) => c.identical.refused / c.rollouts, Math.max);
    return [
      key,
      percent(falseAlarm.identical.rolledBack, falseAlarm.rollouts),
      percent(errors.errors.rolledBack, errors.rollouts),
      percent(latency.latency.rolledBack, latency.rollouts),
      percent(refused.identical.refused, refused.rollouts)
    ].join(' | ');
  });
  return [header, `|${'---|'.repeat(6)}`, ...rows.map((row) => `| ${row} |`)].join('\n');
}

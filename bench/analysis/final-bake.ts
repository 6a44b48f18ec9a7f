/**
 * The final bake's operating characteristics, judged by the real code: the real AnalysisCheck (its
 * final-bake judgement, src/checks/analysis/final-bake.ts) over a SimulatedAlias whose previous
 * version had all the traffic before the promotion and the new one all of it after, and the real
 * bake loop's rule (decideBake) on a simulated clock. Only the waiting is skipped.
 */
import jStat from 'jstat';
import { AnalysisCheck } from '../../src/checks/analysis/analysis-check.js';
import type { AnalysisThresholds } from '../../src/core/analysis.js';
import { decideBake, type BakeState } from '../../src/rollout/bake.js';
import { parseStrategy } from '../../src/config/strategy.js';
import { percent } from './operating-characteristics.js';
import { SimulatedAlias, seededRandom, type Behaviour } from './world.js';

/** The inputs every simulated final bake uses: the comparative rules, against the baseline. */
export const FINAL_BAKE_THRESHOLDS: AnalysisThresholds = {
  maxErrorRateIncrease: 0.01,
  maxP99DurationIncrease: 0.25,
  failedChecksLimit: 1,
  periodSeconds: 60
};
export const FINAL_BAKE_MS = 15 * 60_000;
export const FINAL_BAKE_CALLS_PER_SECOND = [0.2, 2, 20] as const;
export const FINAL_BAKE_BASE_ERROR_RATES = [0.001, 0.01] as const;
const POLL_INTERVAL_MS = 10_000;
const MAX_BAKE_EXTENSION_MS = 10 * 60_000;
const TIMEOUT_SECONDS = 3;
const LATENCY = { medianMs: 100, p99Ms: 250 };
/** Two hours into the simulated day: room for the baseline hour before the promotion. */
const T0 = Date.UTC(2026, 0, 1, 2, 0, 0);

/** How a simulated final bake ended. */
export type FinalBakeOutcome = 'passed' | 'failed' | 'inconclusive';

/** One scenario's tally. */
export interface FinalBakeTally {
  readonly passed: number;
  readonly failed: number;
  readonly inconclusive: number;
}

/** One row of the table: a base error rate and a traffic. */
export interface FinalBakeCell {
  readonly baseErrorRate: number;
  readonly callsPerSecond: number;
  readonly runs: number;
  readonly identical: FinalBakeTally;
  readonly errors: FinalBakeTally;
  readonly latency: FinalBakeTally;
}

/** One final bake of `durationMs` right after an all-at-once promotion at `promotedAt`. */
export async function simulateFinalBake(
  alias: SimulatedAlias,
  promotedAt: number,
  durationMs = FINAL_BAKE_MS
): Promise<FinalBakeOutcome> {
  const check = new AnalysisCheck({
    gateway: alias,
    alias: alias.ref,
    thresholds: FINAL_BAKE_THRESHOLDS,
    fn: {
      live: async () => ({ version: alias.previousVersion, timeoutSeconds: TIMEOUT_SECONDS }),
      newTimeoutSeconds: async () => TIMEOUT_SECONDS
    },
    rollout: { kind: 'deployment', strategy: parseStrategy('Canary10Percent5Minutes') },
    clock: { now: () => alias.now },
    functions: 1,
    maxBakeExtensionMs: MAX_BAKE_EXTENSION_MS,
    pollIntervalMs: POLL_INTERVAL_MS,
    finalBake: true
  });
  // No preflight: its traffic forecast judges the steps, which this simulation skips (all at once).
  alias.now = promotedAt;
  alias.setWeight(promotedAt, 1);
  const finalBake = { startedAt: promotedAt, endsAt: promotedAt + durationMs, baselineEndsAt: promotedAt };
  const versions = [{ ...alias.ref, target: alias.targetVersion, previous: alias.previousVersion }];
  let state: BakeState = {
    stepStart: promotedAt,
    deadline: finalBake.endsAt,
    intervalMs: POLL_INTERVAL_MS,
    checkErrors: 0,
    maxCheckErrors: 3,
    maxExtensionMs: MAX_BAKE_EXTENSION_MS
  };
  let pollAt = promotedAt + POLL_INTERVAL_MS;
  for (;;) {
    alias.now = pollAt;
    const verdict = await check.evaluate({
      now: pollAt,
      weightPercent: 100,
      stepStartedAt: promotedAt,
      stepEndsAt: finalBake.endsAt,
      versions,
      finalBake
    });
    const next = decideBake(state, { kind: 'verdict', verdict }, pollAt);
    state = next.state;
    if (next.decision.kind === 'rollback') return verdict.kind === 'unhealthy' ? 'failed' : 'inconclusive';
    if (next.decision.kind === 'advance') return 'passed';
    pollAt = next.decision.until;
  }
}

type Scenario = 'identical' | 'errors' | 'latency';

function behaviours(scenario: Scenario, base: number): { previous: Behaviour; next: Behaviour } {
  const previous = { errorRate: base, ...LATENCY };
  if (scenario === 'errors') return { previous, next: { ...previous, errorRate: base + 0.05 } };
  if (scenario === 'latency')
    return { previous, next: { ...previous, medianMs: LATENCY.medianMs * 1.5, p99Ms: LATENCY.p99Ms * 1.5 } };
  return { previous, next: previous };
}

/** `runs` final bakes of one scenario, seeded. */
export async function finalBakeScenario(
  scenario: Scenario,
  base: number,
  callsPerSecond: number,
  runs: number,
  seed: number
): Promise<FinalBakeTally> {
  const random = seededRandom(seed);
  jStat.setRandom(random);
  const mathRandom = Math.random;
  Math.random = random;
  const tally = { passed: 0, failed: 0, inconclusive: 0 };
  try {
    const { previous, next } = behaviours(scenario, base);
    for (let i = 0; i < runs; i++) {
      const alias = new SimulatedAlias(random, callsPerSecond, previous, next);
      tally[await simulateFinalBake(alias, T0 + Math.floor(random() * 60_000))]++;
    }
  } finally {
    Math.random = mathRandom;
  }
  return tally;
}

/** Every cell, `runs` final bakes per scenario. */
export async function finalBakeCharacteristics(runs: number, onCell?: (cell: FinalBakeCell) => void): Promise<FinalBakeCell[]> {
  const cells: FinalBakeCell[] = [];
  let seed = 1_000;
  for (const base of FINAL_BAKE_BASE_ERROR_RATES) {
    for (const rate of FINAL_BAKE_CALLS_PER_SECOND) {
      const cell = {
        baseErrorRate: base,
        callsPerSecond: rate,
        runs,
        identical: await finalBakeScenario('identical', base, rate, runs, seed++),
        errors: await finalBakeScenario('errors', base, rate, runs, seed++),
        latency: await finalBakeScenario('latency', base, rate, runs, seed++)
      };
      onCell?.(cell);
      cells.push(cell);
    }
  }
  return cells;
}

/** The table, as docs/analysis-method.md shows it. */
export function finalBakeTable(cells: readonly FinalBakeCell[]): string {
  const header =
    '| Base error rate | Calls/s | Identical: failed by a rule | Identical: inconclusive | ' +
    '+5 points of errors: failed | … inconclusive | p99 × 1.5: failed | … inconclusive |';
  const rows = cells.map((c) =>
    [
      `${c.baseErrorRate * 100} %`,
      String(c.callsPerSecond),
      percent(c.identical.failed, c.runs),
      percent(c.identical.inconclusive, c.runs),
      percent(c.errors.failed, c.runs),
      percent(c.errors.inconclusive, c.runs),
      percent(c.latency.failed, c.runs),
      percent(c.latency.inconclusive, c.runs)
    ].join(' | ')
  );
  return [header, `|${'---|'.repeat(8)}`, ...rows.map((row) => `| ${row} |`)].join('\n');
}

import type { ScheduleStep } from '../../core/schedule.js';
import type { CallMinimum } from './judge.js';

/**
 * The traffic forecast, pure: from the calls through the alias before the rollout, how many calls
 * each step can give the new version by the end of its `max-bake-extension`, and the chance (calls
 * as a Poisson process at that rate) that the rollout gathers the minimum it needs. The preflight
 * refuses a rollout that would more likely stop for want of data than not, before anything changes.
 *
 * The Poisson tail is summed by hand: a dozen lines, where jStat, the maintained package that ships
 * it, is kept out of the action's bundle (only the simulation in bench/ uses it), and its Poisson
 * CDF overflows past about 170 calls.
 */

/** Below this chance of gathering its minimum a rollout is refused: it would more likely stop than not. */
export const REFUSE_BELOW = 0.5;
/** Below this chance the preflight warns that the rollout may stop for want of data. */
export const WARN_BELOW = 0.9;

/** What a forecast is made from. */
export interface ForecastInput {
  /** Calls through the alias per millisecond, over the window read before the rollout. */
  readonly callsPerMs: number;
  readonly steps: readonly ScheduleStep[];
  readonly maxBakeExtensionMs: number;
  /** How long after a minute ends its metrics are complete (the function's timeout and CloudWatch's allowance). */
  readonly completionDelayMs: number;
  readonly minimum: CallMinimum;
  /** Whether a rule compares the versions: then each step needs a call on the previous version too. */
  readonly comparative: boolean;
}

/** One requirement the rollout must meet, its expected calls and the chance it is met. */
export interface Need {
  /** The step it is about (1-based), or undefined for the rollout's total. */
  readonly step?: number;
  readonly version: 'new' | 'previous';
  /** Calls the version is expected to serve where this need counts them. */
  readonly expected: number;
  readonly needed: number;
  readonly chance: number;
}

/** The forecast: every need, the weakest one, and the chance that all are met. */
export interface Forecast {
  readonly needs: readonly Need[];
  /** The need least likely to be met. */
  readonly weakest: Need;
  /** The chance that every need is met (taken as independent). */
  readonly chance: number;
}

/**
 * Each step's calls are those of its complete minutes by the end of its extension: it may hold
 * `max-bake-extension` past its bake, and the minutes of its last `completionDelayMs` are not
 * complete by then. Without `min-invocations`, a step before the last passes once its last minute is
 * complete, so it lasts its bake and about `completionDelayMs`, and its calls all count towards the
 * rollout's total by the end of the last step's extension.
 */
export function forecastCalls(input: ForecastInput): Forecast {
  const { callsPerMs, steps, maxBakeExtensionMs, completionDelayMs, minimum, comparative } = input;
  const counted = (step: ScheduleStep): number => Math.max(0, step.bakeMs + maxBakeExtensionMs - completionDelayMs);
  const need = (version: Need['version'], expected: number, needed: number, step?: number): Need => ({
    ...(step !== undefined ? { step } : {}),
    version,
    expected,
    needed,
    chance: poissonAtLeast(needed, expected)
  });
  const needs: Need[] = [];
  const perStep = minimum.kind === 'per-step' ? minimum.calls : minimum.perStep;
  steps.forEach((step, index) => {
    const share = step.weightPercent / 100;
    needs.push(need('new', share * callsPerMs * counted(step), perStep, index + 1));
    if (comparative) needs.push(need('previous', (1 - share) * callsPerMs * counted(step), 1, index + 1));
  });
  if (minimum.kind === 'rollout') {
    const last = steps.length - 1;
    const exposure = steps.reduce(
      (sum, step, index) => sum + (step.weightPercent / 100) * (index === last ? counted(step) : step.bakeMs + completionDelayMs),
      0
    );
    needs.push(need('new', callsPerMs * exposure, minimum.calls));
  }
  const weakest = needs.reduce((a, b) => (b.chance < a.chance ? b : a));
  return { needs, weakest, chance: needs.reduce((product, n) => product * n.chance, 1) };
}

/** P(X ≥ k) for X ~ Poisson(mean): one minus the terms below k, summed in log space (no overflow at large means). */
export function poissonAtLeast(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (!(mean > 0)) return 0;
  const logMean = Math.log(mean);
  let logTerm = -mean;
  let logBelow = logTerm;
  for (let j = 1; j < k; j++) {
    logTerm += logMean - Math.log(j);
    const high = Math.max(logBelow, logTerm);
    logBelow = high + Math.log(Math.exp(logBelow - high) + Math.exp(logTerm - high));
  }
  return Math.min(1, Math.max(0, -Math.expm1(logBelow)));
}

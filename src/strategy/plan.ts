import { formatDuration } from '../core/duration.js';
import type { ScheduleStep, Strategy } from '../core/schedule.js';

/** One entry of the `plan` output. */
export interface PlanEntry {
  readonly weightPercent: number;
  readonly bakeSeconds: number;
}

/** Uniform schedules longer than this are described with the middle weights elided. */
const MAX_LISTED_WEIGHTS = 5;

/** Sum of all bake intervals, in milliseconds; 0 for AllAtOnce. */
export function totalBakeMs(strategy: Strategy): number {
  return strategy.steps.reduce((sum, step) => sum + step.bakeMs, 0);
}

/** Every step the rollout will take, ending with the implicit promotion to 100 % (no bake). */
export function planEntries(strategy: Strategy): PlanEntry[] {
  const weighted = strategy.steps.map((step) => ({ weightPercent: step.weightPercent, bakeSeconds: step.bakeMs / 1000 }));
  return [...weighted, { weightPercent: 100, bakeSeconds: 0 }];
}

/**
 * The `plan` output: a JSON array of `{"weightPercent": n, "bakeSeconds": n}` for every step,
 * including the final `{"weightPercent":100,"bakeSeconds":0}`, so users see exactly what will happen.
 */
export function planJson(strategy: Strategy): string {
  return JSON.stringify(planEntries(strategy));
}

/**
 * One line for logs and summaries: `10% for 5m, then 100%`; uniform schedules are condensed to
 * `10%, 20%, …, 90% for 1m each (9m in total), then 100%`; AllAtOnce is `100% at once`.
 */
export function describeSchedule(strategy: Strategy): string {
  const { steps } = strategy;
  if (steps.length === 0) return '100% at once';
  if (steps.length > 1 && hasUniformBake(steps)) {
    const each = formatDuration(steps[0]!.bakeMs);
    return `${listWeights(steps)} for ${each} each (${formatDuration(totalBakeMs(strategy))} in total), then 100%`;
  }
  const listed = steps.map((step) => `${step.weightPercent}% for ${formatDuration(step.bakeMs)}`);
  return `${listed.join(', ')}, then 100%`;
}

function hasUniformBake(steps: readonly ScheduleStep[]): boolean {
  return steps.every((step) => step.bakeMs === steps[0]!.bakeMs);
}

/** `10%, 20%, 30%` or, for long lists, `1%, 2%, …, 99%` so the line stays readable. */
function listWeights(steps: readonly ScheduleStep[]): string {
  const weights = steps.map((step) => `${step.weightPercent}%`);
  if (weights.length <= MAX_LISTED_WEIGHTS) return weights.join(', ');
  return `${weights[0]}, ${weights[1]}, …, ${weights[weights.length - 1]}`;
}

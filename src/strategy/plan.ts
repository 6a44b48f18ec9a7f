import { formatDuration } from '../core/duration.js';
import type { ScheduleStep, Strategy } from '../core/schedule.js';

/** One entry of the `plan` output; `hold`: the rollout stops there for approval (it bakes nothing). */
export interface PlanEntry {
  readonly weightPercent: number;
  readonly bakeSeconds: number;
  readonly hold?: true;
}

/** Uniform schedules longer than this are described with the middle weights elided. */
const MAX_LISTED_WEIGHTS = 5;

/** Sum of the bake intervals before 100 % or the hold, in milliseconds; 0 for AllAtOnce. */
export function totalBakeMs(strategy: Strategy): number {
  return strategy.steps.reduce((sum, step) => sum + step.bakeMs, 0);
}

/** Whether the alias is ever split: a weighted step, or a hold. */
export function isWeighted(strategy: Strategy): boolean {
  return strategy.steps.length > 0 || strategy.hold !== undefined;
}

/**
 * Every step the rollout will take, ending with the implicit promotion to 100 % (no bake); a hold
 * is an entry of its own, then the steps a promotion takes after it.
 */
export function planEntries(strategy: Strategy): PlanEntry[] {
  const entries = (steps: readonly ScheduleStep[]): PlanEntry[] =>
    steps.map((step) => ({ weightPercent: step.weightPercent, bakeSeconds: step.bakeMs / 1000 }));
  const { hold } = strategy;
  return [
    ...entries(strategy.steps),
    ...(hold ? [{ weightPercent: hold.weightPercent, bakeSeconds: 0, hold: true } as const, ...entries(hold.then)] : []),
    { weightPercent: 100, bakeSeconds: 0 }
  ];
}

/**
 * The `plan` output: a JSON array of `{"weightPercent": n, "bakeSeconds": n}` for every step,
 * including the final `{"weightPercent":100,"bakeSeconds":0}`, so users see exactly what will happen
 * (a hold is `{"weightPercent": n, "bakeSeconds": 0, "hold": true}`).
 */
export function planJson(strategy: Strategy): string {
  return JSON.stringify(planEntries(strategy));
}

/**
 * One line for logs and summaries: `10% for 5m, then 100%`; uniform schedules are condensed to
 * `10%, 20%, …, 90% for 1m each (9m in total), then 100%`; AllAtOnce is `100% at once`; a hold
 * reads `10% for 5m, then hold at 50% for approval; a promotion goes on with 100%`.
 */
export function describeSchedule(strategy: Strategy): string {
  const { steps, hold } = strategy;
  if (hold) {
    const before = steps.length > 0 ? `${describeSteps(steps)}, then hold` : 'Hold';
    const after = hold.then.length > 0 ? `${describeSteps(hold.then)}, then 100%` : '100%';
    return `${before} at ${hold.weightPercent}% for approval; a promotion goes on with ${after}`;
  }
  if (steps.length === 0) return '100% at once';
  return `${describeSteps(steps)}, then 100%`;
}

/** `10% for 5m, 50% for 10m`, or `10%, 20%, 30% for 1m each (3m in total)`. */
function describeSteps(steps: readonly ScheduleStep[]): string {
  if (steps.length > 1 && hasUniformBake(steps)) {
    const total = steps.reduce((sum, step) => sum + step.bakeMs, 0);
    return `${listWeights(steps)} for ${formatDuration(steps[0]!.bakeMs)} each (${formatDuration(total)} in total)`;
  }
  return steps.map((step) => `${step.weightPercent}% for ${formatDuration(step.bakeMs)}`).join(', ');
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

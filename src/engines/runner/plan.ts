import type { DataDelay } from '../../checks/checks.js';
import type { LifecycleEvent } from '../../core/lifecycle.js';
import { formatDuration } from '../../core/duration.js';
import type { ScheduleStep, Strategy } from '../../core/schedule.js';

/**
 * The runner's part of the plan, after the publish: the pre-traffic hooks, one look at the checks
 * right before any traffic moves, each weight and its bake, the promotion, the post-traffic hooks,
 * a last look at the checks. Pure data, each step carrying its own facts, so that a step can be
 * described, applied or resumed from itself alone.
 */

/** One step of the runner's plan. */
export type RunnerStep =
  /** Run the hooks of one lifecycle event, in order, by label. */
  | { readonly kind: 'hooks'; readonly event: LifecycleEvent; readonly hooks: readonly string[] }
  /** Read every check once; any failure stops the rollout (before traffic moves, or after promotion). */
  | { readonly kind: 'check'; readonly moment: 'before-first-shift' | 'after-promotion'; readonly checks: readonly string[] }
  /** Give the new versions `weightPercent` of their aliases' traffic, all aliases together. */
  | {
      readonly kind: 'shift';
      readonly number: number;
      readonly of: number;
      readonly weightPercent: number;
      readonly bakeMs: number;
      /** The aliases, `function:alias`. */
      readonly aliases: readonly string[];
      /** What a check makes the step wait for after its bake; undefined: nothing. */
      readonly wait?: DataDelay;
      /** On the first step, when the steps wait: how long they all take, their bakes alone and about with the waits. */
      readonly duration?: { readonly bakeMs: number; readonly aboutMs: number };
    }
  /** Watch the checks until `untilMs` after the first shift (absolute, so that drift cannot add up). */
  | {
      readonly kind: 'bake';
      /** The weighted step it bakes, of how many (the last leads to the promotion). */
      readonly number: number;
      readonly of: number;
      readonly untilMs: number;
      readonly weightPercent: number;
      readonly checks: readonly string[];
      readonly pollIntervalMs: number;
      /** What a check makes the step wait for after its bake; undefined: nothing. */
      readonly wait?: DataDelay;
    }
  /** All traffic to the new versions; an alias that does not exist yet is created on its new version. */
  | { readonly kind: 'promote'; readonly aliases: readonly string[]; readonly firstDeployment: boolean };

/** What the runner's plan is made from. */
export interface RunnerPlanFacts {
  /** Every function of the rollout; `liveVersion` undefined when its alias does not exist yet. */
  readonly targets: ReadonlyArray<{ readonly name: string; readonly alias: string; readonly liveVersion?: string }>;
  readonly strategy: Strategy;
  /** The hooks of each lifecycle event, by label (`lambda:smoke`, `command:npm test`), in order. */
  readonly hooks: { readonly [event in LifecycleEvent]: readonly string[] };
  /** What watches the new version while it bakes, by name (`alarms`); empty: nothing does. */
  readonly checks: readonly string[];
  /** How often the checks are read during a bake. */
  readonly pollIntervalMs: number;
  /** The longest a check holds each step past its bake for its data (the analysis's last minute); undefined: none. */
  readonly wait?: DataDelay;
}

/** The runner's phases, and their log group titles (no '%': the runner escapes it in group titles). */
export const RUNNER_PHASE_TITLES = {
  'pre-traffic-hook': 'Pre-traffic hook',
  shift: 'Shift traffic',
  promote: 'Promote: all traffic to the new version',
  'post-traffic-hook': 'Post-traffic hook',
  rollback: 'Roll back'
} as const;

export type RunnerPhase = keyof typeof RUNNER_PHASE_TITLES;

/** The runner's steps, from the preflight's facts alone. */
export function planShifting(facts: RunnerPlanFacts): RunnerStep[] {
  const steps: RunnerStep[] = [];
  const { checks, pollIntervalMs } = facts;
  const aliases = facts.targets.map((target) => `${target.name}:${target.alias}`);
  if (facts.hooks.BeforeAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'BeforeAllowTraffic', hooks: facts.hooks.BeforeAllowTraffic });
  }
  const watched = checks.length > 0;
  if (watched) steps.push({ kind: 'check', moment: 'before-first-shift', checks });
  // Weights need a version to shift from: a rollout whose aliases are all new goes straight to 100 %.
  if (facts.targets.some((target) => target.liveVersion !== undefined)) {
    const schedule = facts.strategy.steps;
    const { wait } = facts;
    // Each step: its bake, then about the check's wait and half a poll until the read that sees it done.
    const bakeMs = schedule.reduce((sum, step) => sum + step.bakeMs, 0);
    const duration = wait
      ? { bakeMs, aboutMs: bakeMs + expectedWaits(schedule, wait, pollIntervalMs).reduce((a, b) => a + b, 0) }
      : undefined;
    let untilMs = 0;
    schedule.forEach((step, index) => {
      untilMs += step.bakeMs;
      steps.push({
        kind: 'shift',
        number: index + 1,
        of: schedule.length,
        weightPercent: step.weightPercent,
        bakeMs: step.bakeMs,
        aliases,
        ...(wait ? { wait } : {}),
        ...(duration && index === 0 ? { duration } : {})
      });
      steps.push({
        kind: 'bake',
        number: index + 1,
        of: schedule.length,
        untilMs,
        weightPercent: step.weightPercent,
        checks,
        pollIntervalMs,
        ...(wait ? { wait } : {})
      });
    });
  }
  steps.push({ kind: 'promote', aliases, firstDeployment: facts.targets.every((target) => target.liveVersion === undefined) });
  if (facts.hooks.AfterAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'AfterAllowTraffic', hooks: facts.hooks.AfterAllowTraffic });
  }
  if (watched) steps.push({ kind: 'check', moment: 'after-promotion', checks });
  return steps;
}

/** A step as the plan's numbered lines say it. */
export function describeRunnerStep(step: RunnerStep): string {
  switch (step.kind) {
    case 'hooks':
      return `Run the ${step.event} hooks: ${step.hooks.join(', ')}`;
    case 'check':
      return step.moment === 'before-first-shift'
        ? `Read the checks (${step.checks.join(', ')}) once more; stop if one fails, before any traffic moves`
        : `Read the checks once more with all traffic on the new version (unless the last read is under half a poll interval old)`;
    case 'shift':
      return (
        `Step ${step.number}/${step.of}: ${step.weightPercent}% of ${step.aliases.join(', ')}'s traffic to the new version` +
        (step.duration && step.wait
          ? ` (the ${step.of === 1 ? 'step takes' : `${step.of} steps take`} about ${aboutDuration(step.duration.aboutMs)} ` +
            `with the waits, ${formatDuration(step.duration.bakeMs)} of bake without them: each step also waits ` +
            `for ${step.wait.what})`
          : '')
      );
    case 'bake':
      return (
        `Bake until ${formatDuration(step.untilMs)} after the first shift` +
        // A step held for its data or for want of it moves the later steps' ends by as long.
        (step.checks.includes('analysis') ? ' (later by as long as earlier steps waited or were held)' : '') +
        (step.checks.length > 0 ? `, reading the checks every ${formatDuration(step.pollIntervalMs)}` : ', watched by nothing') +
        (step.wait ? `; then wait up to ${formatDuration(longestWait(step.wait))} for ${step.wait.what}` : '')
      );
    case 'promote':
      return step.firstDeployment
        ? `Create ${step.aliases.join(', ')} on the new version (first deployment: nothing to shift from)`
        : `Promote: ${step.aliases.join(', ')} sends 100% of its traffic to the new version`;
  }
}

/** The longest a step waits after its bake: a whole period for the one its bake ends in, then until that period is complete. */
export function longestWait(wait: DataDelay): number {
  return wait.periodMs + wait.completeAfterMs;
}

/**
 * About how long each step waits after its bake, the read that sees its data complete included.
 * A step waits for the period its bake ends in to end and be complete, then for the next poll
 * (half a poll on average). The first step's bake ends anywhere in a period (half a period, on
 * average); each later step begins right after a period became complete, so its bake ends at a
 * known point of a period: with bakes of whole minutes, just after one began, and it waits for
 * almost a whole period.
 */
export function expectedWaits(schedule: readonly ScheduleStep[], wait: DataDelay, pollIntervalMs: number): number[] {
  const { periodMs, completeAfterMs } = wait;
  const afterComplete = completeAfterMs + pollIntervalMs / 2;
  // Where in its period the next step begins: this long after a period's start.
  const startPhase = afterComplete % periodMs;
  return schedule.map((step, index) => {
    if (index === 0) return periodMs / 2 + afterComplete;
    const endPhase = (startPhase + step.bakeMs) % periodMs;
    return (endPhase === 0 ? 0 : periodMs - endPhase) + afterComplete;
  });
}

/** `33m`: whole minutes from two minutes up, whole seconds below. */
function aboutDuration(ms: number): string {
  const unit = ms >= 2 * 60_000 ? 60_000 : 1_000;
  return formatDuration(Math.round(ms / unit) * unit);
}

/** The phase a step runs in; undefined for the last check, which keeps the phase it follows. */
export function phaseOfStep(step: RunnerStep): RunnerPhase | undefined {
  switch (step.kind) {
    case 'hooks':
      return step.event === 'BeforeAllowTraffic' ? 'pre-traffic-hook' : 'post-traffic-hook';
    case 'check':
      return step.moment === 'before-first-shift' ? 'shift' : undefined;
    case 'shift':
    case 'bake':
      return 'shift';
    case 'promote':
      return 'promote';
  }
}

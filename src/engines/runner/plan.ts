import type { DataDelay } from '../../checks/checks.js';
import type { LifecycleEvent } from '../../core/lifecycle.js';
import { formatDuration } from '../../core/duration.js';
import type { ScheduleStep, Strategy } from '../../core/schedule.js';
import { formatAfterHold } from '../../config/strategy.js';
import {
  describeProvisionedStep,
  placeProvisioned,
  type ProvisionedPlacement,
  type ProvisionedPlanFacts,
  type ProvisionedStep
} from './provisioned/steps.js';

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
  | { readonly kind: 'promote'; readonly aliases: readonly string[]; readonly firstDeployment: boolean }
  /**
   * Give the new versions `weightPercent` and end the run there, the aliases deliberately split: each
   * alias's record says so in the same UpdateAlias, with what a promotion needs (`afterHold`).
   */
  | {
      readonly kind: 'hold';
      readonly weightPercent: number;
      /** The steps a promotion takes, as the record keeps them (`75%:10m, 100%`). */
      readonly afterHold: string;
      /** How long the hold may last before `promote` refuses it and `guard` aborts it. */
      readonly maxAgeMs: number;
      readonly aliases: readonly string[];
      /** Aliases with provisioned concurrency: the wait for Lambda's allocation after the shift, before the run ends. */
      readonly settle: readonly ProvisionedStep[];
    }
  /**
   * A promotion's first step: judge the hold's whole window with the checks, as the final read of a
   * bake that began when the hold did (CloudWatch kept the minutes nobody watched).
   */
  | {
      readonly kind: 'judge-hold';
      readonly heldAtMs: number;
      readonly weightPercent: number;
      readonly checks: readonly string[];
      readonly pollIntervalMs: number;
    }
  /** Aliases with provisioned concurrency: the check, the headroom, the waits for Lambda's allocation, the spill-over. */
  | ProvisionedStep;

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
  /** The aliases with provisioned concurrency and what to do about it; undefined: none has any. */
  readonly provisioned?: ProvisionedPlanFacts;
  /** The longest a check holds each step past its bake for its data (the analysis's last minute); undefined: none. */
  readonly wait?: DataDelay;
  /** How long a hold of the strategy may last (`hold-max-age`). */
  readonly holdMaxAgeMs: number;
}

/** The runner's phases, and their log group titles (no '%': the runner escapes it in group titles). */
export const RUNNER_PHASE_TITLES = {
  'pre-traffic-hook': 'Pre-traffic hook',
  shift: 'Shift traffic',
  promote: 'Promote: all traffic to the new version',
  'post-traffic-hook': 'Post-traffic hook',
  rollback: 'Roll back',
  'provisioned-concurrency': 'Provisioned concurrency',
  'judge-hold': 'Judge the hold: the checks over its whole window'
} as const;

export type RunnerPhase = keyof typeof RUNNER_PHASE_TITLES;

/**
 * The runner's steps, from the preflight's facts alone. A strategy that holds ends with the hold:
 * the promotion's steps are planned by the job that promotes (planPromotion).
 */
export function planShifting(facts: RunnerPlanFacts): RunnerStep[] {
  const steps: RunnerStep[] = [];
  const { checks, pollIntervalMs, strategy } = facts;
  const aliases = facts.targets.map((target) => `${target.name}:${target.alias}`);
  const provisioned = placeProvisioned(facts.provisioned);
  steps.push(...provisioned.before);
  if (facts.hooks.BeforeAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'BeforeAllowTraffic', hooks: facts.hooks.BeforeAllowTraffic });
  }
  steps.push(...provisioned.beforeFirstShift);
  const watched = checks.length > 0;
  if (watched) steps.push({ kind: 'check', moment: 'before-first-shift', checks });
  // Weights need a version to shift from: a rollout whose aliases are all new goes straight to 100 %.
  const firstDeployment = facts.targets.every((target) => target.liveVersion === undefined);
  if (!firstDeployment) {
    steps.push(...weightSteps(strategy.steps, aliases, checks, pollIntervalMs, facts.wait, provisioned));
    if (strategy.hold) {
      const { weightPercent, then } = strategy.hold;
      steps.push({
        kind: 'hold',
        weightPercent,
        afterHold: formatAfterHold(then),
        maxAgeMs: facts.holdMaxAgeMs,
        aliases,
        settle: provisioned.afterWrite('hold', weightPercent)
      });
      return steps;
    }
  }
  return [
    ...steps,
    ...promotionSteps(aliases, firstDeployment, facts.hooks.AfterAllowTraffic, checks, provisioned),
    ...provisioned.after
  ];
}

/** What a promotion of a hold is planned from. */
export interface PromotionFacts {
  /** The held aliases, `function:alias`. */
  readonly aliases: readonly string[];
  /** The weight held, and since when. */
  readonly weightPercent: number;
  readonly heldAtMs: number;
  /** The steps after the hold (none when expedited: straight to 100 %). */
  readonly then: readonly ScheduleStep[];
  /** The post-traffic hooks, by label, in order. */
  readonly afterAllowTraffic: readonly string[];
  readonly checks: readonly string[];
  readonly pollIntervalMs: number;
  /** The held aliases with provisioned concurrency (no headroom: a hold has none); undefined: none has any. */
  readonly provisioned?: ProvisionedPlanFacts;
  /** What a check holds each step for after its bake; undefined: nothing. */
  readonly wait?: DataDelay;
}

/**
 * The steps of a promotion, in the job that continues a hold: judge the hold's window, the steps
 * after the hold, 100 %, the post-traffic hooks, a last look at the checks; on aliases with
 * provisioned concurrency, a wait for Lambda's allocation after each weight change.
 */
export function planPromotion(facts: PromotionFacts): RunnerStep[] {
  const { checks, pollIntervalMs, aliases } = facts;
  const provisioned = placeProvisioned(facts.provisioned);
  return [
    ...(checks.length > 0
      ? [{ kind: 'judge-hold', heldAtMs: facts.heldAtMs, weightPercent: facts.weightPercent, checks, pollIntervalMs } as const]
      : []),
    ...weightSteps(facts.then, aliases, checks, pollIntervalMs, facts.wait, provisioned),
    ...promotionSteps(aliases, false, facts.afterAllowTraffic, checks, provisioned),
    ...provisioned.after
  ];
}

/**
 * Each weight, the wait for provisioned concurrency after it, and its bake; the bakes end at
 * absolute times after the first shift, so that drift cannot add up. `wait`: what a check holds
 * each step for after its bake (the first step says how long the steps take with it).
 */
function weightSteps(
  schedule: readonly ScheduleStep[],
  aliases: readonly string[],
  checks: readonly string[],
  pollIntervalMs: number,
  wait: DataDelay | undefined,
  provisioned: ProvisionedPlacement
): RunnerStep[] {
  // Each step: its bake, then about the check's wait and half a poll until the read that sees it done.
  const bakeMs = schedule.reduce((sum, step) => sum + step.bakeMs, 0);
  const duration = wait
    ? { bakeMs, aboutMs: bakeMs + expectedWaits(schedule, wait, pollIntervalMs).reduce((a, b) => a + b, 0) }
    : undefined;
  const waits = wait ? { wait } : {};
  let untilMs = 0;
  return schedule.flatMap((step, index): RunnerStep[] => {
    untilMs += step.bakeMs;
    const position = { number: index + 1, of: schedule.length };
    return [
      {
        kind: 'shift',
        ...position,
        weightPercent: step.weightPercent,
        bakeMs: step.bakeMs,
        aliases,
        ...waits,
        ...(duration && index === 0 ? { duration } : {})
      },
      ...provisioned.afterWrite('shift', step.weightPercent),
      { kind: 'bake', ...position, untilMs, weightPercent: step.weightPercent, checks, pollIntervalMs, ...waits }
    ];
  });
}

/** 100 % (and the wait for provisioned concurrency), the post-traffic hooks, and a last look at the checks. */
function promotionSteps(
  aliases: readonly string[],
  firstDeployment: boolean,
  afterAllowTraffic: readonly string[],
  checks: readonly string[],
  provisioned: ProvisionedPlacement
): RunnerStep[] {
  return [
    { kind: 'promote', aliases, firstDeployment },
    ...provisioned.afterWrite('promote', 100),
    ...(afterAllowTraffic.length > 0 ? [{ kind: 'hooks', event: 'AfterAllowTraffic', hooks: afterAllowTraffic } as const] : []),
    ...(checks.length > 0 ? [{ kind: 'check', moment: 'after-promotion', checks } as const] : [])
  ];
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
    case 'hold':
      return (
        `Hold: ${step.weightPercent}% of ${step.aliases.join(', ')}'s traffic to the new version, the hold written on the ` +
        `alias; the run ends there, and a later job promotes (then ${step.afterHold}) or aborts, within ${formatDuration(step.maxAgeMs)}` +
        step.settle.map((settle) => `; first, ${describeProvisionedStep(settle)}`).join('')
      );
    case 'judge-hold':
      return `Judge the hold: read the checks (${step.checks.join(', ')}) over its whole window, at ${step.weightPercent}%; roll back if they fail`;
    default:
      return describeProvisionedStep(step);
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
    case 'hold':
      return 'shift';
    case 'promote':
      return 'promote';
    case 'judge-hold':
      return 'judge-hold';
    case 'provisioned-check':
    case 'headroom':
    case 'headroom-restore':
      return 'provisioned-concurrency';
    case 'provisioned-wait':
      return step.after === 'headroom' ? 'provisioned-concurrency' : undefined;
    case 'spillover':
      return undefined;
  }
}

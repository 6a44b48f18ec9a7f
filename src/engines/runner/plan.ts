import type { LifecycleEvent } from '../../core/lifecycle.js';
import { formatDuration } from '../../core/duration.js';
import type { Strategy } from '../../core/schedule.js';
import {
  describeProvisionedStep,
  placeProvisioned,
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
    }
  /** Watch the checks until `untilMs` after the first shift (absolute, so that drift cannot add up). */
  | {
      readonly kind: 'bake';
      readonly untilMs: number;
      readonly weightPercent: number;
      readonly checks: readonly string[];
      readonly pollIntervalMs: number;
    }
  /** All traffic to the new versions; an alias that does not exist yet is created on its new version. */
  | { readonly kind: 'promote'; readonly aliases: readonly string[]; readonly firstDeployment: boolean }
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
}

/** The runner's phases, and their log group titles (no '%': the runner escapes it in group titles). */
export const RUNNER_PHASE_TITLES = {
  'pre-traffic-hook': 'Pre-traffic hook',
  shift: 'Shift traffic',
  promote: 'Promote: all traffic to the new version',
  'post-traffic-hook': 'Post-traffic hook',
  rollback: 'Roll back',
  'provisioned-concurrency': 'Provisioned concurrency'
} as const;

export type RunnerPhase = keyof typeof RUNNER_PHASE_TITLES;

/** The runner's steps, from the preflight's facts alone. */
export function planShifting(facts: RunnerPlanFacts): RunnerStep[] {
  const steps: RunnerStep[] = [];
  const { checks, pollIntervalMs } = facts;
  const aliases = facts.targets.map((target) => `${target.name}:${target.alias}`);
  const provisioned = facts.provisioned ? placeProvisioned(facts.provisioned) : undefined;
  steps.push(...(provisioned?.before ?? []));
  if (facts.hooks.BeforeAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'BeforeAllowTraffic', hooks: facts.hooks.BeforeAllowTraffic });
  }
  steps.push(...(provisioned?.beforeFirstShift ?? []));
  const watched = checks.length > 0;
  if (watched) steps.push({ kind: 'check', moment: 'before-first-shift', checks });
  // Weights need a version to shift from: a rollout whose aliases are all new goes straight to 100 %.
  if (facts.targets.some((target) => target.liveVersion !== undefined)) {
    const schedule = facts.strategy.steps;
    let untilMs = 0;
    schedule.forEach((step, index) => {
      untilMs += step.bakeMs;
      steps.push({
        kind: 'shift',
        number: index + 1,
        of: schedule.length,
        weightPercent: step.weightPercent,
        bakeMs: step.bakeMs,
        aliases
      });
      steps.push(...(provisioned?.afterWrite('shift', step.weightPercent) ?? []));
      steps.push({ kind: 'bake', untilMs, weightPercent: step.weightPercent, checks, pollIntervalMs });
    });
  }
  steps.push({ kind: 'promote', aliases, firstDeployment: facts.targets.every((target) => target.liveVersion === undefined) });
  steps.push(...(provisioned?.afterWrite('promote', 100) ?? []));
  if (facts.hooks.AfterAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'AfterAllowTraffic', hooks: facts.hooks.AfterAllowTraffic });
  }
  if (watched) steps.push({ kind: 'check', moment: 'after-promotion', checks });
  steps.push(...(provisioned?.after ?? []));
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
      return `Step ${step.number}/${step.of}: ${step.weightPercent}% of ${step.aliases.join(', ')}'s traffic to the new version`;
    case 'bake':
      return (
        `Bake until ${formatDuration(step.untilMs)} after the first shift` +
        (step.checks.length > 0 ? `, reading the checks every ${formatDuration(step.pollIntervalMs)}` : ', watched by nothing')
      );
    case 'promote':
      return step.firstDeployment
        ? `Create ${step.aliases.join(', ')} on the new version (first deployment: nothing to shift from)`
        : `Promote: ${step.aliases.join(', ')} sends 100% of its traffic to the new version`;
    default:
      return describeProvisionedStep(step);
  }
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

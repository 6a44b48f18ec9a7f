import type { Headroom } from '../../../config/settings.js';
import { formatDuration } from '../../../core/duration.js';

/**
 * The runner's steps for aliases with provisioned concurrency (PC), as data: before any change, a
 * check that no new version carries PC of its own; the optional headroom, raised before the first
 * weight (Lambda takes a change of the setting only while the alias has no weights) and put back at
 * the end; after every weight change, a wait until Lambda reports the PC READY, so that a step's
 * bake (and its analysis window) starts on warm executions; at the end, one read of the calls that
 * spilled over to standard concurrency.
 */

/** An alias with PC, as a step names it. */
export interface ProvisionedAlias {
  /** Which function: its index among the rollout's functions. */
  readonly target: number;
  /** `function:alias`, for the plan's lines. */
  readonly label: string;
  /** The executions the alias carries. */
  readonly requested: number;
  /** With a headroom: the executions raised to for the rollout. */
  readonly raisedTo?: number;
}

/** A moment the rollout waits for Lambda's allocation. */
export type WaitMoment = 'headroom' | 'shift' | 'hold' | 'promote';

/** One provisioned-concurrency step of the runner's plan. */
export type ProvisionedStep =
  /** Read each new version's own PC: Lambda allows one configuration per version, and the alias carries one. */
  | { readonly kind: 'provisioned-check'; readonly aliases: readonly ProvisionedAlias[] }
  /** Raise each alias's PC to `raisedTo`, before any weight. */
  | { readonly kind: 'headroom'; readonly aliases: readonly ProvisionedAlias[] }
  /** Wait (at most `timeoutMs`, reading every `pollIntervalMs`) until Lambda reports each alias's PC READY. */
  | {
      readonly kind: 'provisioned-wait';
      readonly after: WaitMoment;
      /** The new version's share then (0 before the first shift). */
      readonly weightPercent: number;
      readonly aliases: readonly ProvisionedAlias[];
      readonly timeoutMs: number;
      readonly pollIntervalMs: number;
    }
  /** Put each alias's PC back at `requested`. */
  | { readonly kind: 'headroom-restore'; readonly aliases: readonly ProvisionedAlias[] }
  /** One CloudWatch read of the calls that spilled over to standard concurrency, per step. */
  | { readonly kind: 'spillover'; readonly aliases: readonly ProvisionedAlias[]; readonly periodSeconds: number };

/** What the PC steps are planned from. */
export interface ProvisionedPlanFacts {
  /** The aliases that have PC (none: no step at all). */
  readonly aliases: ReadonlyArray<Omit<ProvisionedAlias, 'raisedTo'>>;
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly headroom?: Headroom;
  /** The metric period of the spill-over read. */
  readonly periodSeconds: number;
}

/** The executions a headroom raises `requested` to: a share (rounded up), or a number added. */
export function raisedTo(requested: number, headroom: Headroom): number {
  return headroom.kind === 'percent'
    ? requested + Math.ceil((requested * headroom.percent) / 100)
    : requested + headroom.executions;
}

/** The PC steps' places in the runner's plan, around the steps it already has. */
export interface ProvisionedPlacement {
  /** First of all: the check, and the headroom's raise. */
  readonly before: ProvisionedStep[];
  /** After the pre-traffic hooks, before the last look at the checks: the wait for the headroom. */
  readonly beforeFirstShift: ProvisionedStep[];
  /** After the weight change of a step (by its share), or the promotion (100). */
  afterWrite(moment: 'shift' | 'hold' | 'promote', weightPercent: number): ProvisionedStep[];
  /** Last of all: the headroom put back, and the spill-over read. */
  readonly after: ProvisionedStep[];
}

/** Where the PC steps go; nothing at all when no alias has PC. */
export function placeProvisioned(facts: ProvisionedPlanFacts | undefined): ProvisionedPlacement {
  if (!facts || facts.aliases.length === 0) return { before: [], beforeFirstShift: [], afterWrite: () => [], after: [] };
  const { headroom, timeoutMs, pollIntervalMs } = facts;
  const aliases = facts.aliases.map((alias) => (headroom ? { ...alias, raisedTo: raisedTo(alias.requested, headroom) } : alias));
  const wait = (after: WaitMoment, weightPercent: number): ProvisionedStep => ({
    kind: 'provisioned-wait',
    after,
    weightPercent,
    aliases,
    timeoutMs,
    pollIntervalMs
  });
  return {
    before: [{ kind: 'provisioned-check', aliases }, ...(headroom ? [{ kind: 'headroom' as const, aliases }] : [])],
    beforeFirstShift: headroom ? [wait('headroom', 0)] : [],
    afterWrite: (moment, weightPercent) => [wait(moment, weightPercent)],
    after: [
      ...(headroom ? [{ kind: 'headroom-restore' as const, aliases }] : []),
      { kind: 'spillover', aliases, periodSeconds: facts.periodSeconds }
    ]
  };
}

/** A PC step as the plan's numbered lines say it. */
export function describeProvisionedStep(step: ProvisionedStep): string {
  const names = (aliases: readonly ProvisionedAlias[]): string => aliases.map((alias) => alias.label).join(', ');
  switch (step.kind) {
    case 'provisioned-check':
      return (
        `Check that the new version carries no provisioned concurrency of its own: ` +
        `${step.aliases.map((alias) => `${alias.label} carries ${alias.requested} executions`).join(', ')}, ` +
        'and Lambda allows one configuration per version'
      );
    case 'headroom':
      return `Raise the provisioned concurrency of ${step.aliases.map((alias) => `${alias.label} from ${alias.requested} to ${alias.raisedTo}`).join(', ')} (headroom, before any weight)`;
    case 'provisioned-wait': {
      const when =
        step.after === 'headroom'
          ? 'the raise'
          : step.after === 'promote'
            ? 'the promotion'
            : `the shift to ${step.weightPercent}%`;
      // A hold's run ends once the allocation is READY: the hold's window (judged by the promotion) starts on warm executions.
      const then =
        step.after === 'shift'
          ? "; the step's bake starts then, the time waited counts in no bake"
          : step.after === 'promote'
            ? '; Lambda sends the calls to the old version until then'
            : step.after === 'hold'
              ? '; the run ends held then'
              : '';
      return (
        `Wait until Lambda reports the provisioned concurrency of ${names(step.aliases)} READY after ${when} ` +
        `(at most ${formatDuration(step.timeoutMs)}${then})`
      );
    }
    case 'headroom-restore':
      return `Put the provisioned concurrency of ${step.aliases.map((alias) => `${alias.label} back to ${alias.requested}`).join(', ')}`;
    case 'spillover':
      return `Read the calls that spilled over to standard concurrency on ${names(step.aliases)}, per step (ProvisionedConcurrencySpilloverInvocations)`;
  }
}

/** The AWS CLI command that sets an alias's provisioned concurrency back. */
export function putBackCommand(functionRef: string, alias: string, executions: number): string {
  return (
    `aws lambda put-provisioned-concurrency-config --function-name ${functionRef} --qualifier ${alias} ` +
    `--provisioned-concurrent-executions ${executions}`
  );
}

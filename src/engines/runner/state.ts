import type { AliasState } from '../../aws/lambda-gateway.js';
import { planRollback, type RollbackAction } from '../../alias/rollback-plan.js';

/**
 * The runner's state: a plain value, saved whole at every change (it is the runner's part of the
 * snapshot), from which a later process can undo the rollout (the post step) or go on with it.
 * Functions here are pure: each change makes a new state.
 */

/** One alias the runner moves: what it served before, the version it gets, what our writes may have done. */
export interface RunnerTarget {
  /** The function as messages name it. */
  readonly functionName: string;
  /** The function as every call names it: its full ARN. */
  readonly functionRef: string;
  readonly alias: string;
  /** The version the alias served before; undefined on a first deployment (the alias is created). */
  readonly previousVersion?: string;
  /** The version it gets, once released; undefined before. */
  readonly targetVersion?: string;
  /** The released version was live already: this function drops out of the rollout. */
  readonly alreadyLive: boolean;
  /** A write to the alias was sent that may have been applied: an interruption needs a rollback. */
  readonly aliasTouched: boolean;
  /** This deployment created the alias (or sent its creation and heard nothing back). */
  readonly aliasCreated: boolean;
  /** A write to the alias was confirmed applied. */
  readonly aliasWritten: boolean;
  /**
   * Another writer changed the alias during the deployment (a refused write showed it): it is
   * theirs, never written or undone again, by this process or the post step.
   */
  readonly leftToOtherWriter?: boolean;
  /**
   * The alias as Lambda last confirmed it: its RevisionId guards the next write. Undefined when it
   * does not exist, or when a write's outcome is unknown (it must be read again first).
   */
  readonly confirmed?: AliasState;
  /** The alias's provisioned concurrency, when it has some: what the rollout must wait for, and put back. */
  readonly provisioned?: ProvisionedTarget;
}

/** An alias's provisioned concurrency as the runner handles it (see provisioned/). */
export interface ProvisionedTarget {
  /** The executions the alias carried before the deployment: what a headroom is put back to. */
  readonly requested: number;
  /** The headroom: the executions asked for once the raise was sent (it may have been applied). */
  readonly raisedTo?: number;
  /** When the raise was sent. */
  readonly raisedAt?: number;
  /** When the setting was confirmed back at `requested` (undefined: still owed, if raised). */
  readonly restoredAt?: number;
}

/** The runner's whole state: its part of the snapshot (tagged `engine: runner`). */
export interface RunnerState {
  readonly engine: 'runner';
  /** Every function of the rollout, in order; empty until the preflight found them. */
  readonly targets: readonly RunnerTarget[];
  /** When the first weight was set: bake deadlines count from here, so that drift cannot add up. */
  readonly firstShiftAt?: number;
  /**
   * How long earlier steps were held past their end for want of data: later deadlines move by as
   * much (see bake-schedule.ts). Undefined: none was.
   */
  readonly heldMs?: number;
  /** When the checks were last read (the end of the last bake or check). */
  readonly checkedAt?: number;
  /** How many steps of the runner's plan were applied: a runner that resumes goes on from there. */
  readonly applied: number;
  /** Time spent since the first shift waiting for Lambda to allocate provisioned concurrency: bakes end that much later. */
  readonly waitedMs?: number;
}

/** A target in the rollout: released, and not live already. */
export type ActiveTarget = RunnerTarget & { readonly targetVersion: string };

/** A target that shifts: in the rollout, with a version to shift from. */
export type ShiftingTarget = ActiveTarget & { readonly previousVersion: string };

/** The state before the preflight found anything. */
export const INITIAL_STATE: RunnerState = { engine: 'runner', targets: [], applied: 0 };

/** The targets still in the rollout, with their index. */
export function activeTargets(state: RunnerState): Array<{ index: number; target: ActiveTarget }> {
  return state.targets.flatMap((target, index) => (isActive(target) ? [{ index, target }] : []));
}

export function isActive(target: RunnerTarget): target is ActiveTarget {
  return target.targetVersion !== undefined && !target.alreadyLive;
}

export function isShifting(target: ActiveTarget): target is ShiftingTarget {
  return target.previousVersion !== undefined;
}

/** The state with target `index` changed. */
export function withTarget(state: RunnerState, index: number, change: Partial<RunnerTarget>): RunnerState {
  return { ...state, targets: state.targets.map((target, i) => (i === index ? { ...target, ...change } : target)) };
}

/** A write to the alias is about to be sent: from now on an interruption must undo it. */
export function writing(creates: boolean): Partial<RunnerTarget> {
  return { aliasTouched: true, ...(creates ? { aliasCreated: true } : {}) };
}

/** The write was applied: Lambda answered with the alias as it is now. */
export function written(alias: AliasState): Partial<RunnerTarget> {
  return { confirmed: alias, aliasWritten: true };
}

/**
 * The write failed. A write AWS refused changed nothing (and, when nothing was written before,
 * nothing needs undoing); a write whose answer never came may have changed the alias, which must
 * then be read again before it is trusted.
 */
export function failedWrite(before: RunnerTarget, mayHaveApplied: boolean): Partial<RunnerTarget> {
  if (mayHaveApplied) return { confirmed: undefined };
  return before.aliasWritten ? {} : { aliasTouched: before.aliasTouched, aliasCreated: before.aliasCreated };
}

/**
 * Another writer changed the alias (`found`: as read back after the refused write): it is left to
 * them, so nothing of it is undone any more.
 */
export function leftToOtherWriter(found: AliasState | undefined): Partial<RunnerTarget> {
  return { leftToOtherWriter: true, aliasTouched: false, aliasCreated: false, aliasWritten: false, confirmed: found };
}

/** What undoing a target's changes means now. */
export function rollbackActionOf(target: RunnerTarget): RollbackAction {
  return planRollback(target);
}

/**
 * The runner's part of a saved snapshot, read back and checked: undefined when it is not one the
 * runner wrote (a post step must not act on a half-written or foreign value).
 */
export function readRunnerSnapshot(value: Record<string, unknown>): RunnerState | undefined {
  const { targets, firstShiftAt, heldMs, checkedAt, applied, waitedMs } = value;
  const optionalNumber = (field: unknown): boolean => field === undefined || typeof field === 'number';
  if (
    value.engine !== 'runner' ||
    !Array.isArray(targets) ||
    !targets.every(isRunnerTarget) ||
    !optionalNumber(firstShiftAt) ||
    !optionalNumber(heldMs) ||
    !optionalNumber(checkedAt) ||
    !optionalNumber(waitedMs) ||
    typeof applied !== 'number'
  )
    return undefined;
  return value as unknown as RunnerState;
}

function isRunnerTarget(value: unknown): value is RunnerTarget {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  const optionalString = (key: string): boolean => record[key] === undefined || typeof record[key] === 'string';
  return (
    typeof record.functionName === 'string' &&
    typeof record.functionRef === 'string' &&
    typeof record.alias === 'string' &&
    optionalString('previousVersion') &&
    optionalString('targetVersion') &&
    typeof record.alreadyLive === 'boolean' &&
    typeof record.aliasTouched === 'boolean' &&
    typeof record.aliasCreated === 'boolean' &&
    typeof record.aliasWritten === 'boolean' &&
    (record.leftToOtherWriter === undefined || typeof record.leftToOtherWriter === 'boolean') &&
    (record.confirmed === undefined || isAliasState(record.confirmed)) &&
    (record.provisioned === undefined || isProvisionedTarget(record.provisioned))
  );
}

function isProvisionedTarget(value: unknown): value is ProvisionedTarget {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const optionalNumber = (key: string): boolean => record[key] === undefined || typeof record[key] === 'number';
  return (
    typeof record.requested === 'number' &&
    optionalNumber('raisedTo') &&
    optionalNumber('raisedAt') &&
    optionalNumber('restoredAt')
  );
}

function isAliasState(value: unknown): value is AliasState {
  if (typeof value !== 'object' || value === null) return false;
  const alias = value as Record<string, unknown>;
  return typeof alias.name === 'string' && typeof alias.version === 'string' && typeof alias.revisionId === 'string';
}

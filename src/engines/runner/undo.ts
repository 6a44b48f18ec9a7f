import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import { DEFAULT_RESTORE_BUDGET_MS, restoreAlias, type RestoreOutcome, type RestoreRequest } from '../../alias/restore.js';
import type { RollbackAction } from '../../alias/rollback-plan.js';
import { aliasLabel, describeRouting } from '../../alias/routing.js';
import type { Clock } from '../../core/clock.js';
import type { Recorder } from '../../rollout/recorder.js';
import { rollbackActionOf, type ActiveTarget } from './state.js';

const DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS = 6_000;

/**
 * Puts one target's alias back as `action` says, starting from what Lambda last confirmed of it
 * (if anything): the rollback of this run, or of an interrupted one (the post step).
 */
export function restoreTarget(
  target: ActiveTarget,
  action: Exclude<RollbackAction, { kind: 'none' }>,
  deps: Pick<UndoDeps, 'lambda' | 'clock' | 'recorder'>,
  limits: Pick<RestoreRequest, 'budgetMs' | 'cancellation'>
): Promise<RestoreOutcome> {
  return restoreAlias({
    lambda: deps.lambda,
    clock: deps.clock,
    recorder: deps.recorder,
    functionRef: target.functionRef,
    alias: target.alias,
    targetVersion: target.targetVersion,
    ...(target.confirmed ? { known: target.confirmed } : {}),
    action,
    ...limits
  });
}

/** What undoing needs. */
export interface UndoDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** How long a rollback keeps retrying before it gives up and prints the manual fix. */
  readonly rollbackBudgetMs?: number;
  /** The same once cancelled: the runner kills the process 10 s after its SIGINT. */
  readonly cancelledRollbackBudgetMs?: number;
}

/** How undoing went, for the result. */
export type UndoOutcome =
  { readonly ok: true } | { readonly ok: false; readonly problem: string; readonly manualFix?: string; readonly owed: boolean };

/**
 * Puts back, together, every alias the deployment may have changed, each as its phase requires
 * (restore the previous version, or delete an alias the deployment created), and says what each
 * alias is now, as Lambda answered. `several`: the rollout deploys several functions (even if fewer
 * need undoing), so each message names the function whose alias it is.
 */
export async function undoTargets(
  targets: readonly ActiveTarget[],
  deps: UndoDeps,
  signal?: AbortSignal,
  several = targets.length > 1
): Promise<UndoOutcome> {
  const outcomes = await Promise.all(targets.map((target) => undoTarget(target, deps, several, signal)));
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.ok ? [] : [{ ...outcome, problem: several ? `${targets[index]!.functionName}: ${outcome.problem}` : outcome.problem }]
  );
  if (failures.length === 0) return { ok: true };
  const manualFix = failures.flatMap((failure) => (failure.manualFix ? [failure.manualFix] : [])).join(' && ');
  return {
    ok: false,
    problem: failures.map((failure) => failure.problem).join('; '),
    ...(manualFix ? { manualFix } : {}),
    owed: failures.some((failure) => failure.owed)
  };
}

async function undoTarget(target: ActiveTarget, deps: UndoDeps, several: boolean, signal?: AbortSignal): Promise<RestoreOutcome> {
  const action = rollbackActionOf(target);
  if (action.kind === 'none') return { ok: true };
  const outcome = await restoreTarget(target, action, deps, {
    budgetMs: deps.rollbackBudgetMs ?? DEFAULT_RESTORE_BUDGET_MS,
    ...(signal
      ? { cancellation: { signal, budgetMs: deps.cancelledRollbackBudgetMs ?? DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS } }
      : {})
  });
  if (outcome.ok) {
    const alias = aliasLabel(target.functionName, target.alias, several);
    deps.recorder.event(
      action.kind === 'delete-alias'
        ? `Deleted the alias ${alias}, which this deployment had created`
        : `Alias ${alias} is back: Lambda reports it routes ${describeRouting(outcome.alias)}`,
      0
    );
  }
  return outcome;
}

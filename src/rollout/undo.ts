import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import type { Recorder } from './recorder.js';
import { restoreAlias, type RestoreOutcome } from './restore.js';
import type { RollbackAction } from './rollback-plan.js';
import { aliasLabel, describeRouting } from './routing.js';
import type { Target } from './target.js';

const DEFAULT_ROLLBACK_BUDGET_MS = 60_000;
const DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS = 6_000;

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
  targets: readonly Target[],
  deps: UndoDeps,
  signal?: AbortSignal,
  several = targets.length > 1
): Promise<UndoOutcome> {
  const outcomes = await Promise.all(targets.map((target) => undoTarget(target, deps, several, signal)));
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.ok ? [] : [{ ...outcome, problem: several ? `${targets[index]!.fn.name}: ${outcome.problem}` : outcome.problem }]
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

async function undoTarget(target: Target, deps: UndoDeps, several: boolean, signal?: AbortSignal): Promise<RestoreOutcome> {
  const action = target.rollbackAction();
  if (action.kind === 'none') return { ok: true };
  const outcome = await restoreTarget(target, action, target.version.version, deps, signal);
  if (outcome.ok) {
    const alias = aliasLabel(target.fn.name, target.aliasName, several);
    deps.recorder.event(
      action.kind === 'delete-alias'
        ? `Deleted the alias ${alias}, which this deployment had created`
        : `Alias ${alias} is back: Lambda reports it routes ${describeRouting(outcome.alias)}`,
      0
    );
  }
  return outcome;
}

/** Restores one alias, starting from what Lambda last confirmed of it (if anything). */
export function restoreTarget(
  target: Target,
  action: Exclude<RollbackAction, { kind: 'none' }>,
  targetVersion: string,
  deps: UndoDeps,
  signal?: AbortSignal
): Promise<RestoreOutcome> {
  return restoreAlias({
    lambda: deps.lambda,
    clock: deps.clock,
    recorder: deps.recorder,
    functionRef: target.fn.arn,
    alias: target.aliasName,
    targetVersion,
    ...(target.alias ? { known: target.alias } : {}),
    action,
    budgetMs: deps.rollbackBudgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS,
    ...(signal
      ? { cancellation: { signal, budgetMs: deps.cancelledRollbackBudgetMs ?? DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS } }
      : {})
  });
}

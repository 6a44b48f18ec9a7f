import type { AliasState, LambdaGateway } from '../aws/lambda-gateway.js';
import { describeHold } from '../alias/hold.js';
import type { HoldRecord } from '../alias/record.js';
import { DEFAULT_RESTORE_BUDGET_MS, restoreAlias } from '../alias/restore.js';
import { describeRouting } from '../alias/routing.js';
import type { AbortOperation, TargetSettings } from '../config/settings.js';
import type { Clock } from '../core/clock.js';
import type { Recorder } from '../rollout/recorder.js';
import { changedDuringHold, damagedRecord, readAliases, servesNow } from './holds.js';
import { holdActionReport, type AliasOutcome, type HoldActionReport } from './outcome.js';

/** What aborting (or guarding) holds talks to. */
export interface HoldActionDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** How long putting one alias back keeps retrying. */
  readonly restoreBudgetMs?: number;
}

/** Once cancelled, the runner kills the process within 10 s: an abort in flight hurries. */
const CANCELLED_RESTORE_BUDGET_MS = 6_000;

/**
 * `operation: abort`: each named alias that holds a rollout goes back on its previous version, its
 * hold cleared in the same write; an alias someone changed during the hold, or that holds another
 * deployment than `deployment-id`, is left as it is.
 */
export async function abortHolds(
  deps: HoldActionDeps,
  targets: readonly TargetSettings[],
  operation: AbortOperation,
  actor: string,
  signal?: AbortSignal
): Promise<HoldActionReport> {
  const startedAt = deps.clock.now();
  deps.recorder.enterPhase('abort', 'Abort the hold: back to the previous version');
  const why = `aborted by ${actor}${operation.reason !== undefined ? `: ${operation.reason}` : ''}`;
  const outcomes = await Promise.all(
    (await readAliases(deps.lambda, targets, signal)).map(async (read): Promise<AliasOutcome> => {
      if (read.kind === 'unreadable') return { label: read.label, outcome: 'failed', message: read.problem };
      const { finding, label } = read;
      switch (finding.kind) {
        case 'damaged':
          return { label, outcome: 'failed', message: damagedRecord(label, finding.problem) };
        case 'changed':
          return { label, outcome: 'failed', hold: finding.hold, message: changedDuringHold(label, finding) };
        case 'none':
          return { label, outcome: 'no-hold', message: `alias ${label} holds no rollout (${servesNow(read)}): nothing to abort` };
        case 'held': {
          const { hold } = finding;
          if (operation.deploymentId !== undefined && operation.deploymentId !== hold.deploymentId) {
            return {
              label,
              outcome: 'failed',
              hold,
              message: `alias ${label} holds deployment ${hold.deploymentId}, not ${operation.deploymentId} (deployment-id); it was left as it is`
            };
          }
          return abortOne(deps, { label, functionRef: read.fn.arn, alias: read.alias!, hold }, why, signal);
        }
      }
    })
  );
  deps.recorder.closeGroup();
  return holdActionReport('abort', outcomes, {
    startedAtMs: startedAt,
    finishedAtMs: deps.clock.now(),
    actor,
    ...(operation.reason !== undefined ? { reason: operation.reason } : {})
  });
}

/** One held alias, put back on its previous version (only while it still routes as its hold; a write guarded by its RevisionId). */
export async function abortOne(
  deps: HoldActionDeps,
  held: { readonly label: string; readonly functionRef: string; readonly alias: AliasState; readonly hold: HoldRecord },
  why: string,
  signal?: AbortSignal
): Promise<AliasOutcome> {
  const { label, hold } = held;
  const { recorder, clock } = deps;
  recorder.event(`Aborting on ${label}: ${describeHold(hold, clock.now())}; ${why}`, hold.weightPercent);
  const restored = await restoreAlias({
    lambda: deps.lambda,
    clock,
    recorder,
    functionRef: held.functionRef,
    alias: held.alias.name,
    targetVersion: hold.newVersion,
    known: held.alias,
    action: { kind: 'restore', routing: { version: hold.previousVersion } },
    budgetMs: deps.restoreBudgetMs ?? DEFAULT_RESTORE_BUDGET_MS,
    ...(signal ? { cancellation: { signal, budgetMs: CANCELLED_RESTORE_BUDGET_MS } } : {})
  });
  if (!restored.ok) {
    return {
      label,
      outcome: 'failed',
      hold,
      message: `alias ${label} could not be put back: ${restored.problem}`,
      ...(restored.manualFix !== undefined ? { manualFix: restored.manualFix } : {})
    };
  }
  const message =
    `alias ${label} is back on version ${hold.previousVersion} (deployment ${hold.deploymentId} ${why}); ` +
    `Lambda reports it routes ${describeRouting(restored.alias)}`;
  recorder.event(message, 0);
  return { label, outcome: 'aborted', hold, message, why };
}

import type { LambdaInventoryGateway } from '../aws/lambda-inventory-gateway.js';
import type { Strategy } from '../core/schedule.js';
import { describeClosingStep } from '../plan/plan.js';
import type { ClosingStep } from '../plan/steps.js';
import { pruneAfterPromotion, type PrunedFunction } from '../release/prune/after-promotion.js';
import type { PruneOutcome } from '../release/prune/prune.js';
import type { SpineDeps } from './deps.js';
import type { Engine, RolloutControl, StepOutcome } from './engine.js';
import { isFinal, type FinalStatus, type Phase } from './phases.js';
import { deploymentReport, type DeploymentReport, type DeploymentResult, type TargetResult } from './result.js';
import { failureOf, settle } from './stop.js';

/**
 * A rollout that a later job continues from the state an earlier one left (a promotion of a hold):
 * no preflight of the functions and no head, since the earlier job read and published; the engine
 * made from that state applies the rest as the spine applies a deployment's tail, with the same
 * phases, snapshots for the post step, and meaning of a failure.
 */
export interface Continuation<Step> {
  /** The engine's remaining steps, in order. */
  readonly steps: readonly Step[];
  /** The functions as the result reports them. */
  readonly targets: readonly TargetResult[];
  /** The schedule the continuation follows, as the result reports it. */
  readonly strategy: Strategy;
  /** When the job began (its reads before the continuation count in its duration). */
  readonly startedAtMs?: number;
  /** What follows a success, as after a deployment's (pruning); nothing when absent. */
  readonly closing?: ContinuationClosing;
}

/** The closing steps of a continuation, the functions they are about, and what they read and delete with. */
export interface ContinuationClosing {
  readonly steps: readonly ClosingStep[];
  readonly functions: readonly PrunedFunction[];
  readonly inventory: LambdaInventoryGateway;
}

/** What a continuation talks to: the spine's deps, without the functions' preflight. */
export type ContinuationDeps = Pick<SpineDeps, 'clock' | 'recorder' | 'source' | 'onTransition'>;

/** Applies the continuation's steps with `engine`; never throws: a failure is the report's result, once the engine undid what it could. */
export async function continueRollout<Step, Look>(
  engine: Engine<Step, Look>,
  continuation: Continuation<Step>,
  deps: ContinuationDeps,
  deploymentId: string,
  signal?: AbortSignal
): Promise<DeploymentReport> {
  const startedAt = continuation.startedAtMs ?? deps.clock.now();
  let phase: Phase = 'preflight';
  let rollbackOwed = false;
  const save = (): void => deps.onTransition?.({ ...engine.snapshot(), phase, deploymentId, rollbackOwed });
  const enter = (next: Phase): void => {
    phase = next;
    if (isFinal(next)) deps.recorder.closeGroup();
    else deps.recorder.enterPhase(next, engine.phaseTitles[next] ?? next);
    save();
  };
  const control: RolloutControl = { enter, save };
  const finish = (status: FinalStatus, failureReason?: string, cancelled = false, manualFix?: string): DeploymentResult => {
    enter(status);
    return {
      status,
      deploymentId,
      targets: continuation.targets,
      strategy: continuation.strategy,
      startedAtMs: startedAt,
      finishedAtMs: deps.clock.now(),
      ...(failureReason !== undefined ? { failureReason } : {}),
      cancelled,
      dryRun: false,
      ...(manualFix !== undefined ? { manualFix } : {}),
      ...(deps.source ? { source: deps.source } : {}),
      engine: engine.result()
    };
  };
  const fail = async (error: unknown, where?: string): Promise<DeploymentResult> => {
    const failure = failureOf(error, phase, signal, where);
    const settled = settle(failure, await engine.onFailure(failure, control, signal));
    if (settled.event) deps.recorder.event(settled.event);
    rollbackOwed = settled.rollbackOwed;
    return finish(settled.status, settled.reason, settled.cancelled, settled.manualFix);
  };
  const run = async (): Promise<DeploymentResult> => {
    try {
      const begun = engine.begin([]);
      for (const step of continuation.steps) {
        const next = engine.phaseOf(step);
        if (next !== undefined && next !== phase) enter(next);
        const outcome: StepOutcome = await begun.apply(step, control, signal);
        if (outcome.kind === 'failed') return await fail(outcome.error, outcome.where);
        if (outcome.kind === 'ended') {
          rollbackOwed = outcome.ending.owed;
          return finish(outcome.ending.status, outcome.ending.reason, outcome.ending.cancelled);
        }
      }
      const succeeded = finish('succeeded');
      // After the final phase is saved, as after a deployment: a post step never mistakes pruning for a rollout to undo.
      const { closing } = continuation;
      for (const step of closing ? closing.steps : []) {
        if (!closing) break;
        pruning.push(...(await pruneAfterPromotion({ ...deps, inventory: closing.inventory }, step, closing.functions, signal)));
      }
      return succeeded;
    } catch (error: unknown) {
      return await fail(error);
    } finally {
      deps.recorder.closeGroup();
    }
  };
  const pruning: PruneOutcome[] = [];
  const result = await run();
  const plan = [
    ...continuation.steps.map((step) => engine.describe(step)),
    ...(continuation.closing?.steps ?? []).map(describeClosingStep)
  ].map((line, index) => `${index + 1}. ${line}`);
  return deploymentReport(result, plan, deps.recorder, { pruning });
}

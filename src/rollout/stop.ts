import { AwsFailure, explainStepFailure } from '../aws/failures.js';
import { describeError, isAbort } from '../core/errors.js';
import { RolloutFailure } from '../core/failure.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import { capText } from '../core/text.js';
import type { Failure, Undo } from './engine.js';
import type { FinalStatus, Phase } from './phases.js';

/**
 * What stopping a promotion's continuation means (continue.ts): the failure's sentence, and what the
 * engine's undo comes to, in the words the spine (rollout.ts) gives a deployment's.
 */

/** The failure as the engine is told of it: its sentence (capped), and whether it is a cancellation. */
export function failureOf(error: unknown, phase: Phase, signal?: AbortSignal, where?: string): Failure {
  const cancelled = signal?.aborted === true || isAbort(error);
  const reason = capText(
    cancelled
      ? `the deployment was cancelled during ${phase} (${String(signal?.reason ?? 'aborted')})`
      : explain(error, phase, where),
    FAILURE_REASON_MAX_CHARS
  );
  return { error, reason, cancelled };
}

/** The failure's sentence: a failure that says it all, or what stopped in which phase (and on which alias). */
function explain(error: unknown, phase: Phase, where?: string): string {
  if (error instanceof RolloutFailure) return error.message;
  const on = where ? ` on ${where}` : '';
  if (error instanceof AwsFailure) return `${phase} stopped${on}: ${explainStepFailure(error)}`;
  return `error during ${phase}${on}: ${describeError(error)}`;
}

/** What a failure came to once the engine undid what it could. */
export interface Settled {
  readonly status: FinalStatus;
  readonly reason: string;
  readonly cancelled: boolean;
  readonly manualFix?: string;
  /** The undo is unfinished: the post step must try again. */
  readonly rollbackOwed: boolean;
  /** The timeline's line for it, when the undo itself said nothing. */
  readonly event?: string;
}

const RETRIED = ' The post step of this job will try again.';

/** The result's status and reason for a failure, from how the engine's undo went. */
export function settle(failure: Failure, undo: Undo): Settled {
  const { reason, cancelled } = failure;
  switch (undo.kind) {
    case 'left-alone': {
      // Another actor owns an alias now: undoing "our" change would overwrite theirs.
      const { others } = undo;
      if (!others)
        return {
          status: 'failed',
          reason,
          cancelled: false,
          rollbackOwed: false,
          event: `Stopped without touching the alias again: ${reason}`
        };
      const names = others.aliases.join(', ');
      if (others.undo.kind === 'undone')
        return {
          status: 'failed',
          reason: `${reason}; the other aliases (${names}) were put back on their previous versions`,
          cancelled: false,
          rollbackOwed: false
        };
      const { problem, manualFix, owed } = others.undo;
      return {
        status: 'failed',
        reason: `${reason}; then putting back the other aliases (${names}) failed: ${problem}.${owed ? RETRIED : ''}`,
        cancelled: false,
        ...(manualFix !== undefined ? { manualFix } : {}),
        rollbackOwed: owed
      };
    }
    case 'nothing-to-undo':
      return {
        status: 'failed',
        reason,
        cancelled,
        rollbackOwed: false,
        event: `Stopped before any traffic reached a new version: ${reason}`
      };
    case 'undone':
      return { status: 'rolled-back', reason, cancelled, rollbackOwed: false };
    case 'not-undone':
      return {
        status: 'failed',
        reason: `${reason}; then the rollback failed: ${undo.problem}.${undo.owed ? RETRIED : ''}`,
        cancelled,
        ...(undo.manualFix !== undefined ? { manualFix: undo.manualFix } : {}),
        rollbackOwed: undo.owed
      };
  }
}

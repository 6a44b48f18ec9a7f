import type { AliasState, LambdaGateway } from '../aws/lambda-gateway.js';
import { describeError } from '../aws/errors.js';
import type { Clock } from './clock.js';
import type { Recorder } from './recorder.js';
import { manualRollbackCommand, type RollbackAction } from './rollback-plan.js';
import { describeRouting, routesTo } from './routing.js';

/** Everything one rollback needs. */
export interface RestoreRequest {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly functionName: string;
  readonly alias: string;
  /** The version being rolled back. */
  readonly targetVersion: string;
  /** The alias as we last saw it; its RevisionId is tried first, saving a read. */
  readonly known?: AliasState;
  readonly action: Exclude<RollbackAction, { kind: 'none' }>;
  /** Keep retrying for this long, then give up with the manual fix. */
  readonly budgetMs: number;
}

export type RestoreOutcome = { readonly ok: true } | { readonly ok: false; readonly problem: string; readonly manualFix?: string };

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 4000;

/**
 * Puts the alias back, retried with backoff until it sticks. Not cancellable on purpose: it is what
 * cancellation triggers. It re-reads the alias after any failure and only overwrites it while it
 * still sends traffic to the version being rolled back, so another actor's change is never undone.
 */
export async function restoreAlias(request: RestoreRequest): Promise<RestoreOutcome> {
  const { clock, recorder } = request;
  const giveUpAt = clock.now() + request.budgetMs;
  let known = request.known;
  let backoff = FIRST_BACKOFF_MS;
  let lastError = '';
  for (let attempt = 1; ; attempt++) {
    try {
      known ??= await request.lambda.getAlias(request.functionName, request.alias);
      return await restoreOnce(request, known);
    } catch (error: unknown) {
      lastError = describeError(error);
      recorder.warning(`Rollback attempt ${attempt} failed: ${lastError}`);
      known = undefined;
    }
    if (clock.now() + backoff > giveUpAt) break;
    await clock.sleepUntil(clock.now() + backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  }
  const manualFix = manualRollbackCommand(request.functionName, request.alias, request.action);
  recorder.warning(`The rollback did not stick. Put the alias back by hand: ${manualFix}`);
  return { ok: false, problem: `gave up after retrying for ${request.budgetMs} ms (last error: ${lastError})`, manualFix };
}

/** One attempt: decides from the alias as it is, and changes it only if it still serves the target. */
async function restoreOnce(request: RestoreRequest, alias: AliasState | undefined): Promise<RestoreOutcome> {
  const { action, targetVersion } = request;
  if (!alias) {
    // Gone: fine if we meant to delete it; otherwise there is nothing left that we may restore.
    return action.kind === 'delete-alias'
      ? { ok: true }
      : { ok: false, problem: `the alias ${request.alias} no longer exists` };
  }
  if (!routesTo(alias, targetVersion)) {
    if (action.kind === 'restore' && !alias.additional && alias.version === action.routing.version) return { ok: true };
    return {
      ok: false,
      problem:
        `another actor changed the alias ${request.alias}; it now routes ${describeRouting(alias)}, ` +
        `no longer to version ${targetVersion}, so it was left as it is`
    };
  }
  if (action.kind === 'delete-alias') {
    await request.lambda.deleteAlias(request.functionName, request.alias);
    return { ok: true };
  }
  const restored = await request.lambda.updateAlias(request.functionName, request.alias, action.routing, alias.revisionId);
  if (restored.additional || restored.version !== action.routing.version) {
    throw new Error(`UpdateAlias answered with ${describeRouting(restored)}`);
  }
  return { ok: true };
}

import type { AliasRouting, AliasState, LambdaGateway } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import { Deadline } from '../core/deadline.js';
import { describeError } from '../core/errors.js';
import type { Journal } from '../core/journal.js';
import { descriptionWithHold } from './hold.js';
import { rolledBackDescription } from './last-good.js';
import { manualRollbackCommand, type RollbackAction } from './rollback-plan.js';
import { describeRouting, lambdaAllocation, routesTo, sameRouting } from './routing.js';

/** Everything one rollback needs. */
export interface RestoreRequest {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Journal;
  /** The function, by its full ARN. */
  readonly functionRef: string;
  readonly alias: string;
  /** The version being rolled back. */
  readonly targetVersion: string;
  /**
   * The alias as Lambda last confirmed it (an answer to our read or write). Undefined when a write's
   * outcome is unknown: the alias is then read back before anything is decided.
   */
  readonly known?: AliasState;
  readonly action: Exclude<RollbackAction, { kind: 'none' }>;
  /** Keep retrying for this long, calls in flight included, then give up with the manual fix. */
  readonly budgetMs: number;
  /**
   * The run is cancelled (already, or while this runs): the runner kills the process soon, so the
   * rollback hurries: it abandons a call in flight, limits each attempt, and ends within this budget.
   */
  readonly cancellation?: { readonly signal: AbortSignal; readonly budgetMs: number };
}

export type RestoreOutcome =
  /** `alias`: the alias as Lambda answered it (read back); undefined once deleted. */
  | { readonly ok: true; readonly alias?: AliasState }
  | {
      readonly ok: false;
      readonly problem: string;
      readonly manualFix?: string;
      /** The alias may still send traffic to the target: a later process (the post step) should retry. */
      readonly owed: boolean;
    };

/** How long putting an alias back keeps retrying, unless told otherwise. */
export const DEFAULT_RESTORE_BUDGET_MS = 60_000;

const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 4000;
/** Each attempt's limit once hurried, so that a hung call leaves time for another try. */
export const HURRIED_ATTEMPT_MS = 2000;

/**
 * Puts the alias back, retried with backoff until it sticks or the budget runs out; the budget
 * bounds the calls in flight too. It only overwrites the alias while it still sends traffic to the
 * version being rolled back, so another actor's change is never undone, and it never claims a
 * state it has not read back from Lambda.
 */
export async function restoreAlias(request: RestoreRequest): Promise<RestoreOutcome> {
  const { clock, recorder, cancellation } = request;
  const budget = Deadline.after(clock, request.budgetMs, `the rollback's budget of ${request.budgetMs} ms`);
  let hurried = false;
  let attempt: Deadline | undefined;
  let wake = new AbortController();
  const hurry = (): void => {
    hurried = true;
    budget.shorten(clock.now() + (cancellation?.budgetMs ?? request.budgetMs));
    attempt?.shorten(clock.now()); // a call that hangs is abandoned; the next try starts at once
    wake.abort();
  };
  if (cancellation?.signal.aborted) hurry();
  else cancellation?.signal.addEventListener('abort', hurry, { once: true });

  let known = request.known;
  let backoff = FIRST_BACKOFF_MS;
  let lastError = '';
  try {
    for (let number = 1; !budget.signal.aborted; number++) {
      attempt = new Deadline(clock, hurried ? clock.now() + HURRIED_ATTEMPT_MS : budget.at, 'the attempt', budget.signal);
      try {
        known ??= await request.lambda.getAlias(request.functionRef, request.alias, attempt.signal);
        return await restoreOnce(request, known, attempt.signal);
      } catch (error: unknown) {
        lastError = describeError(error);
        recorder.warning(`Rollback attempt ${number} failed: ${lastError}`);
        known = undefined; // whatever that call did, only a fresh read says what the alias is now
      } finally {
        attempt.dispose();
      }
      if (clock.now() + backoff >= budget.at) break;
      wake = new AbortController();
      await clock.sleepUntil(clock.now() + (hurried ? FIRST_BACKOFF_MS : backoff), wake.signal).catch(() => undefined);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
  } finally {
    budget.dispose();
    cancellation?.signal.removeEventListener('abort', hurry);
  }
  const manualFix = manualRollbackCommand(request.functionRef, request.alias, request.action);
  recorder.warning(`The rollback did not stick. Put the alias back by hand: ${manualFix}`);
  const spent = hurried ? 'the time left after the cancellation' : `${request.budgetMs} ms`;
  return { ok: false, problem: `gave up after retrying for ${spent} (last error: ${lastError})`, manualFix, owed: true };
}

/** One attempt: decides from the alias as it is, and changes it only if it still serves the target. */
async function restoreOnce(request: RestoreRequest, alias: AliasState | undefined, signal: AbortSignal): Promise<RestoreOutcome> {
  const { action, targetVersion } = request;
  if (!alias) {
    // Gone: fine if we meant to delete it; otherwise there is nothing left that we may restore.
    return action.kind === 'delete-alias'
      ? { ok: true }
      : { ok: false, problem: `the alias ${request.alias} no longer exists`, owed: false };
  }
  if (action.kind === 'restore' && settlingOn(alias, action.routing)) {
    // Applied: Lambda keeps routing to the version that served while it allocates provisioned concurrency on this one.
    return { ok: true, alias };
  }
  if (!routesTo(alias, targetVersion)) {
    if (action.kind === 'restore' && !alias.additional && alias.version === action.routing.version) return { ok: true, alias };
    return {
      ok: false,
      problem:
        `another actor changed the alias ${request.alias}; it now routes ${describeRouting(alias)}, ` +
        `no longer to version ${targetVersion}, so it was left as it is`,
      owed: false
    };
  }
  if (action.kind === 'delete-alias') {
    await request.lambda.deleteAlias(request.functionRef, request.alias, signal);
    return { ok: true };
  }
  // In the same write: a rollback after the promotion takes the version back out of the record of good
  // ones (last-good.ts), and putting the alias back ends any hold on it (hold.ts).
  const withoutGood = rolledBackDescription(alias.description, targetVersion);
  const description = descriptionWithHold(withoutGood ?? alias.description, undefined) ?? withoutGood;
  const restored = await request.lambda.updateAlias(
    request.functionRef,
    request.alias,
    { ...action.routing, ...(description !== undefined ? { description } : {}) },
    alias.revisionId,
    signal
  );
  if (!sameRouting(restored, action.routing) && !settlingOn(restored, action.routing)) {
    throw new Error(`UpdateAlias answered with ${describeRouting(restored)}`);
  }
  return { ok: true, alias: restored };
}

/** The alias is on `routing`'s version, with Lambda's own weights on it while it allocates provisioned concurrency there. */
function settlingOn(alias: AliasState, routing: AliasRouting): boolean {
  return !routing.additional && lambdaAllocation(alias)?.allocating === routing.version;
}

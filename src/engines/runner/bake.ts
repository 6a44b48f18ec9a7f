import type { Clock } from '../../core/clock.js';
import { DeadlineExceeded, withDeadline } from '../../core/deadline.js';
import { formatDuration } from '../../core/duration.js';
import { describeError } from '../../core/errors.js';
import { evaluateAll, type BakeCheck, type ShiftingVersions, type Verdict } from '../../checks/checks.js';

/**
 * Baking one step: poll the checks on a fixed grid until the step's absolute deadline. The first
 * poll is one interval after the step began (the checks were read right before its weight was
 * set), the last one at the deadline, right before the next weight change.
 * `decideBake` is the pure rule; `bake` runs it against a clock.
 */

/** What the bake loop knows between polls. */
export interface BakeState {
  /** When this step's weight was set; polls fall on stepStart + k × interval. */
  readonly stepStart: number;
  /** Absolute end of the step, computed from the rollout's start so that drift cannot add up. */
  readonly deadline: number;
  readonly intervalMs: number;
  /** Check failures in a row (the check could not run, as opposed to an unhealthy verdict). */
  readonly checkErrors: number;
  /** After this many check errors in a row the version is rolled back: we would be flying blind. */
  readonly maxCheckErrors: number;
  /**
   * How long past the deadline the step may be held while a check has not enough data to judge;
   * then the deployment fails with that reason. Not enough data never promotes.
   */
  readonly maxExtensionMs: number;
  /** The step is being held past its deadline (a check had not enough data there). */
  readonly holding?: boolean;
}

/** The outcome of one poll. */
export type BakeObservation =
  { readonly kind: 'verdict'; readonly verdict: Verdict } | { readonly kind: 'check-error'; readonly error: string };

export type BakeDecision =
  | { readonly kind: 'rollback'; readonly reason: string }
  | { readonly kind: 'advance' }
  | { readonly kind: 'wait'; readonly until: number };

/** Decides what to do after a poll at time `now`; returns the decision and the next state. */
export function decideBake(
  state: BakeState,
  observation: BakeObservation,
  now: number
): { decision: BakeDecision; state: BakeState } {
  if (observation.kind === 'check-error') {
    const checkErrors = state.checkErrors + 1;
    const next = { ...state, checkErrors };
    if (checkErrors >= state.maxCheckErrors) {
      const reason = `health checks could not be read ${checkErrors} times in a row (last error: ${observation.error})`;
      return { decision: { kind: 'rollback', reason }, state: next };
    }
    // Never advance on a failed read: even past the deadline, retry before moving on.
    return { decision: { kind: 'wait', until: nextPollAt(state, now) }, state: next };
  }
  const next = { ...state, checkErrors: 0 };
  const { verdict } = observation;
  if (verdict.kind === 'unhealthy') return { decision: { kind: 'rollback', reason: verdict.reason }, state: next };
  if (verdict.kind === 'inconclusive' && now >= state.deadline) {
    // A step that began after its deadline (earlier work overran it) still gets its whole extension.
    const extendedUntil = Math.max(state.deadline, state.stepStart) + state.maxExtensionMs;
    if (now >= extendedUntil) {
      // Not a fault of the new version: the rollout stops because it could not be judged. The
      // figures are the step's own: how long it ran, and how long it was held past its end.
      const seconds = (ms: number): string => formatDuration(Math.max(1, Math.round(ms / 1000)) * 1000);
      const held =
        state.maxExtensionMs > 0
          ? `, ${seconds(now - state.deadline)} of them held past its end (max-bake-extension ${formatDuration(state.maxExtensionMs)})`
          : '';
      return {
        decision: {
          kind: 'rollback',
          reason: `stopped for want of data, with no failure seen: the step ran ${seconds(now - state.stepStart)}${held}, and ${verdict.reason}`
        },
        state: { ...next, holding: true }
      };
    }
    return {
      decision: { kind: 'wait', until: Math.min(nextPollAt(state, now), extendedUntil) },
      state: { ...next, holding: true }
    };
  }
  if (now >= state.deadline) return { decision: { kind: 'advance' }, state: next };
  return { decision: { kind: 'wait', until: Math.min(nextPollAt(state, now), state.deadline) }, state: next };
}

/**
 * How long a step that advances at `advancedAt` (when its last poll answered) was held past its
 * deadline, or 0 when it was never held. A held step moves the later deadlines by as much,
 * including the time its last poll took; one never held leaves them where they were, so that the
 * time writes and polls take does not add up over the steps.
 */
export function heldPastDeadline(state: BakeState, advancedAt: number): number {
  return state.holding ? Math.max(0, advancedAt - state.deadline) : 0;
}

/** The first grid point strictly after `now` (slow polls skip the slots they overran). */
export function nextPollAt(state: Pick<BakeState, 'stepStart' | 'intervalMs'>, now: number): number {
  const elapsed = Math.max(0, now - state.stepStart);
  return state.stepStart + (Math.floor(elapsed / state.intervalMs) + 1) * state.intervalMs;
}

/** Everything one bake needs. */
export interface BakeOptions {
  readonly checks: readonly BakeCheck[];
  readonly clock: Clock;
  readonly stepStart: number;
  readonly deadline: number;
  readonly intervalMs: number;
  readonly maxCheckErrors: number;
  /** See BakeState.maxExtensionMs. */
  readonly maxExtensionMs: number;
  /** A poll that takes longer counts as a failed read: a check that hangs must not hold the rollout. */
  readonly pollLimitMs: number;
  readonly weightPercent: number;
  /** Which weighted step this bake watches, of how many; undefined for a check outside the steps. */
  readonly step?: { readonly number: number; readonly of: number };
  /** The versions each alias shifts between (for checks that compare them); undefined before the publish. */
  readonly versions?: readonly ShiftingVersions[];
  readonly signal?: AbortSignal;
  /** Called with each poll's observation (for logs and the summary). */
  readonly onObservation?: (observation: BakeObservation) => void;
}

/** A healthy bake says how long it held the step past its deadline (0 when it did not), so that later deadlines move by as much. */
export type BakeOutcome =
  { readonly healthy: true; readonly heldMs: number } | { readonly healthy: false; readonly reason: string };

/** Polls the checks until the deadline passes healthy, or until a check says roll back. */
export async function bake(options: BakeOptions): Promise<BakeOutcome> {
  let state: BakeState = {
    stepStart: options.stepStart,
    deadline: options.deadline,
    intervalMs: options.intervalMs,
    checkErrors: 0,
    maxCheckErrors: options.maxCheckErrors,
    maxExtensionMs: options.maxExtensionMs
  };
  let pollAt = Math.min(options.stepStart + options.intervalMs, options.deadline);
  for (;;) {
    await options.clock.sleepUntil(pollAt, options.signal);
    const observation = await observe(options);
    options.onObservation?.(observation);
    const now = options.clock.now();
    const step = decideBake(state, observation, now);
    state = step.state;
    if (step.decision.kind === 'rollback') return { healthy: false, reason: step.decision.reason };
    if (step.decision.kind === 'advance') return { healthy: true, heldMs: heldPastDeadline(state, now) };
    pollAt = step.decision.until;
  }
}

async function observe(options: BakeOptions): Promise<BakeObservation> {
  const { clock, pollLimitMs, signal } = options;
  try {
    const verdict = await withDeadline(clock, pollLimitMs, 'poll', signal, (bounded) =>
      evaluateAll(options.checks, {
        now: clock.now(),
        weightPercent: options.weightPercent,
        stepStartedAt: options.stepStart,
        stepEndsAt: options.deadline,
        ...(options.step ? { step: options.step } : {}),
        ...(options.versions ? { versions: options.versions } : {}),
        signal: bounded
      })
    );
    return { kind: 'verdict', verdict };
  } catch (error: unknown) {
    signal?.throwIfAborted();
    const problem = error instanceof DeadlineExceeded ? `no answer within ${formatDuration(pollLimitMs)}` : describeError(error);
    return { kind: 'check-error', error: problem };
  }
}

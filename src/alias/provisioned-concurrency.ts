import type { AliasRouting, AliasState, LambdaGateway, ProvisionedConcurrency } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import { Deadline, DeadlineExceeded } from '../core/deadline.js';
import { formatDuration } from '../core/duration.js';
import { AWS_MESSAGE_MAX_CHARS } from '../core/limits.js';
import { capText } from '../core/text.js';
import { lambdaAllocation, sameRouting } from './routing.js';

/**
 * Waiting for Lambda to finish allocating an alias's provisioned concurrency (PC) after its routing
 * or its setting changed: until GetProvisionedConcurrencyConfig says READY and Lambda's own
 * `{<old>: 1}` weights are gone from the alias (if it set them). Bounded by a time limit on the
 * injected clock and cancellable; the outcome is a value, for the caller to decide what it means.
 */

/** What one wait needs. */
export interface ProvisionedWaitRequest {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  /** The function, by its full ARN. */
  readonly functionRef: string;
  readonly alias: string;
  /**
   * The routing the alias is meant to settle on (what was written to it); undefined: whatever
   * Lambda settles on. Lambda's own weights on the way there are not a difference.
   */
  readonly expected?: AliasRouting;
  /** How long the wait may last. */
  readonly timeoutMs: number;
  /** How often Lambda is asked (the first read is at once). */
  readonly pollIntervalMs: number;
  readonly signal?: AbortSignal;
  /** Called with each read whose status differs from the last one's, for the log. */
  readonly onProgress?: (provisioned: ProvisionedConcurrency, alias: AliasState) => void;
}

/** How a wait ended. `waitedMs`: how long it took. */
export type ProvisionedWaitOutcome =
  /** READY, and the alias routes as expected, with Lambda's own weights gone: `alias` as read (its RevisionId guards the next write). */
  | {
      readonly kind: 'ready';
      readonly alias: AliasState;
      readonly provisioned: ProvisionedConcurrency;
      readonly waitedMs: number;
    }
  /** Lambda could not allocate it: `provisioned.statusReason` says why (capped AWS text). */
  | {
      readonly kind: 'failed';
      readonly alias?: AliasState;
      readonly provisioned: ProvisionedConcurrency;
      readonly waitedMs: number;
    }
  /** Still not ready when the time was up: the last reads. */
  | {
      readonly kind: 'timed-out';
      readonly alias?: AliasState;
      readonly provisioned?: ProvisionedConcurrency;
      readonly waitedMs: number;
    }
  /** The alias no longer routes as expected (another actor), or it is gone. */
  | { readonly kind: 'moved'; readonly alias?: AliasState; readonly waitedMs: number }
  /** The alias has no provisioned concurrency (any more): nothing to wait for. */
  | { readonly kind: 'none'; readonly alias: AliasState; readonly waitedMs: number };

/** Reads that may fail in a row before the wait gives up on Lambda's answers. */
const MAX_READ_ERRORS = 3;

/**
 * Waits until the alias's PC is READY and its routing settled. A read that fails is retried at the
 * next poll; three in a row end the wait with the last error (thrown). Cancellation throws too.
 */
export async function waitForProvisionedConcurrency(request: ProvisionedWaitRequest): Promise<ProvisionedWaitOutcome> {
  const { lambda, clock, functionRef, alias, signal } = request;
  const startedAt = clock.now();
  const deadline = Deadline.after(clock, request.timeoutMs, `the wait for the provisioned concurrency of ${alias}`, signal);
  const waited = (): number => clock.now() - startedAt;
  let last: { alias?: AliasState; provisioned?: ProvisionedConcurrency } = {};
  let errors = 0;
  try {
    for (;;) {
      try {
        const [provisioned, found] = await Promise.all([
          lambda.getProvisionedConcurrency(functionRef, alias, deadline.signal),
          lambda.getAlias(functionRef, alias, deadline.signal)
        ]);
        errors = 0;
        if (!found) return { kind: 'moved', waitedMs: waited() };
        if (request.expected && !settlesOn(found, request.expected)) return { kind: 'moved', alias: found, waitedMs: waited() };
        if (!provisioned) return { kind: 'none', alias: found, waitedMs: waited() };
        const reported = capReason(provisioned);
        if (reported.status !== last.provisioned?.status) request.onProgress?.(reported, found);
        last = { alias: found, provisioned: reported };
        if (reported.status === 'FAILED') return { kind: 'failed', alias: found, provisioned: reported, waitedMs: waited() };
        if (reported.status === 'READY' && !lambdaAllocation(found))
          return { kind: 'ready', alias: found, provisioned: reported, waitedMs: waited() };
      } catch (error: unknown) {
        if (deadline.signal.aborted) throw error;
        errors += 1;
        if (errors >= MAX_READ_ERRORS) throw error;
      }
      await clock.sleepUntil(Math.min(clock.now() + request.pollIntervalMs, deadline.at), deadline.signal);
    }
  } catch (error: unknown) {
    if (signal?.aborted || !(deadline.signal.reason instanceof DeadlineExceeded)) throw error;
    return { kind: 'timed-out', ...last, waitedMs: waited() };
  } finally {
    deadline.dispose();
  }
}

/** The alias routes as `expected`, or is on its way there (Lambda's own weights while it allocates on that version). */
function settlesOn(alias: AliasRouting, expected: AliasRouting): boolean {
  if (sameRouting(alias, expected)) return true;
  const allocation = lambdaAllocation(alias);
  return allocation !== undefined && !expected.additional && allocation.allocating === expected.version;
}

/** AWS's reason is untrusted text: capped where it enters. */
function capReason(provisioned: ProvisionedConcurrency): ProvisionedConcurrency {
  const { statusReason } = provisioned;
  return statusReason === undefined
    ? provisioned
    : { ...provisioned, statusReason: capText(statusReason, AWS_MESSAGE_MAX_CHARS) };
}

/** "10 requested, 8 allocated, 8 available, IN_PROGRESS": one line of the log, the plan and the summary. */
export function describeProvisioned(provisioned: ProvisionedConcurrency): string {
  const reason = provisioned.statusReason ? ` (${provisioned.statusReason})` : '';
  return (
    `${provisioned.requested} requested, ${provisioned.allocated} allocated, ${provisioned.available} available, ` +
    `${provisioned.status}${reason}`
  );
}

/** One sentence on a wait that did not end READY, for a failure reason or a warning. */
export function describeUnsettled(alias: string, outcome: Exclude<ProvisionedWaitOutcome, { kind: 'ready' | 'none' }>): string {
  switch (outcome.kind) {
    case 'failed':
      return (
        `Lambda could not allocate the provisioned concurrency of alias ${alias}: ${outcome.provisioned.statusReason ?? 'it gave no reason'} ` +
        `(status FAILED, ${outcome.provisioned.allocated} of ${outcome.provisioned.requested} allocated)`
      );
    case 'timed-out':
      return (
        `the provisioned concurrency of alias ${alias} was not READY after ${formatDuration(outcome.waitedMs)}` +
        (outcome.provisioned ? ` (${describeProvisioned(outcome.provisioned)})` : '') +
        (outcome.alias && lambdaAllocation(outcome.alias)
          ? `; Lambda still routes all calls to version ${lambdaAllocation(outcome.alias)!.serving}`
          : '')
      );
    case 'moved':
      return outcome.alias
        ? `the alias ${alias} was changed by someone else while Lambda allocated its provisioned concurrency`
        : `the alias ${alias} no longer exists`;
  }
}

import type { CallLog } from '../shared/call-log.js';
import type { Clock } from '../shared/clock.js';
import { ApiError, internalError } from '../shared/errors.js';
import type { FaultDecision, FaultInjector } from '../shared/faults.js';
import { accessDenied, iamAction, type Caller, type Identities } from '../shared/identity.js';
import type { OperationResult, PreparedCall } from '../shared/operation.js';
import type { CallLogEntry } from '../shared/types.js';

/**
 * How one AWS call ended, before any protocol is involved: each front (HTTP, in-process) turns it
 * into its own answer.
 */
export type CallOutcome =
  | { kind: 'answer'; result: OperationResult }
  | { kind: 'error'; error: ApiError }
  /** A proxy's 502 HTML page instead of an AWS answer (failNext 'html-502'). */
  | { kind: 'bad-gateway' }
  /** The connection is dropped without an answer (the operation may have run: 'lost-response'). */
  | { kind: 'drop' }
  /** No answer ever comes (the operation may have run: 'hang-after-run'). */
  | { kind: 'hang' };

/** What the pipeline works with. */
export interface PipelineParts {
  clock: Clock;
  /** What runs in the background on the emulator's clock (CodeDeploy deployments), caught up before each call. */
  codedeploy: { settle(): void };
  faults: FaultInjector;
  identities: Identities;
  log: CallLog;
}

/** Status logged for the proxy page of a 'bad-gateway' outcome. */
const BAD_GATEWAY_STATUS = 502;

/**
 * Runs one call as AWS and the network in between would: injected faults and latency first, then the
 * caller-wide IAM denials, then the operation. Every call is logged, in arrival order.
 */
export async function runCall(parts: PipelineParts, call: PreparedCall, caller: Caller): Promise<CallOutcome> {
  // Whatever was due before this call arrived happens first (and is logged first).
  parts.codedeploy.settle();
  const seq = parts.log.nextSeq();
  const atMs = parts.clock.now();
  const log = (status: number, errorCode: string | undefined, decision: FaultDecision): void =>
    parts.log.add(entry(seq, atMs, caller, call, status, errorCode, decision));
  const decision = parts.faults.decide(call.service, call.operation, call.functionName);
  if (decision.latencyMs > 0) await parts.clock.sleep(decision.latencyMs);
  if (decision.drop) {
    // A lost response is logged with the status the caller would have had: the change was made.
    const ran = decision.afterRun ? execute(parts, call, caller) : undefined;
    log(ran ? statusOf(ran) : 0, errorCodeOf(ran), decision);
    return { kind: 'drop' };
  }
  if (decision.hang) {
    // Logged now, as it arrives: no status ever goes out (a failed run still logs its error code).
    const ran = decision.afterRun ? execute(parts, call, caller) : undefined;
    log(0, errorCodeOf(ran), decision);
    return { kind: 'hang' };
  }
  if (decision.badGateway) {
    log(BAD_GATEWAY_STATUS, undefined, decision);
    return { kind: 'bad-gateway' };
  }
  const injected = decision.accessDenied ? denial(call, caller, decision.accessDeniedReason) : decision.error;
  const outcome: CallOutcome = injected ? { kind: 'error', error: injected } : execute(parts, call, caller);
  log(statusOf(outcome), errorCodeOf(outcome), decision);
  return outcome;
}

/** Runs the operation after the caller-wide denials; unexpected exceptions become 500s. */
function execute(parts: PipelineParts, call: PreparedCall, caller: Caller): CallOutcome {
  try {
    if (call.iamAction !== undefined && parts.identities.isDenied(call.iamAction))
      return { kind: 'error', error: denial(call, caller) };
    // Again, after any injected latency: the operation sees the emulator as it is when it runs.
    parts.codedeploy.settle();
    return { kind: 'answer', result: call.execute() };
  } catch (error) {
    if (error instanceof ApiError) return { kind: 'error', error };
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'error', error: internalError(call.service, `Emulator internal error: ${message}`) };
  }
}

/** IAM's refusal of this call for this caller (by default: no identity-based policy allows it). */
function denial(call: PreparedCall, caller: Caller, reason?: string): ApiError {
  return accessDenied(
    call.service,
    caller,
    call.iamAction ?? iamAction(call.service, call.operation),
    call.resource,
    'identity-based',
    reason
  );
}

function statusOf(outcome: CallOutcome): number {
  if (outcome.kind === 'answer') return outcome.result.status;
  return outcome.kind === 'error' ? outcome.error.status : 0;
}

function errorCodeOf(outcome: CallOutcome | undefined): string | undefined {
  return outcome?.kind === 'error' ? outcome.error.code : undefined;
}

function entry(
  seq: number,
  atMs: number,
  caller: Caller,
  call: PreparedCall,
  status: number,
  errorCode: string | undefined,
  decision: FaultDecision
): CallLogEntry {
  return {
    seq,
    atMs,
    service: call.service,
    region: caller.region,
    accountId: caller.accountId,
    operation: call.operation,
    ...(call.functionName !== undefined ? { functionName: call.functionName } : {}),
    params: call.params,
    status,
    ...(errorCode !== undefined ? { errorCode } : {}),
    mutating: call.mutating,
    ...(decision.fault !== undefined ? { fault: decision.fault } : {})
  };
}

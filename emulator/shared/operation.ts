import type { ApiError } from './errors.js';
import type { ServiceName } from './types.js';

/** A successful operation: the SDK output shape and the HTTP status it goes out with. */
export interface OperationResult {
  status: number;
  /** The SDK's output shape (e.g. AliasConfiguration); Invoke's Payload is a Uint8Array, CloudWatch timestamps are Dates. */
  output: Record<string, unknown>;
  /** Real wall-clock delay before the answer (a queued Invoke result's delayMs). */
  delayMs?: number;
}

/**
 * One AWS call, recognised and ready to run: what the pipeline needs to fault, authorise, run and
 * log it. Built by each service from an SDK-shaped input, whether it came over HTTP or in-process.
 */
export interface PreparedCall {
  service: ServiceName;
  /** SDK operation name. */
  operation: string;
  functionName?: string;
  /** The request as logged. */
  params: Record<string, unknown>;
  mutating: boolean;
  /** IAM action the call needs (e.g. 'lambda:UpdateAlias'); undefined for unsupported operations. */
  iamAction?: string;
  /** Resource ARN the call is authorised on (as IAM names it in a refusal); undefined when none. */
  resource?: string;
  /** Runs the operation; throws ApiError for service errors. */
  execute(): OperationResult;
}

/** A call that can only fail with `error` (e.g. a request no route matches). */
export function rejectedCall(
  service: ServiceName,
  operation: string,
  params: Record<string, unknown>,
  error: ApiError
): PreparedCall {
  return {
    service,
    operation,
    params,
    mutating: false,
    execute: () => {
      throw error;
    }
  };
}

import type { LambdaClient } from '@aws-sdk/client-lambda';
import { raceSignal } from '../core/deadline.js';
import { parseFunctionRef } from './arn.js';
import type { AwsClients } from './clients.js';
import { translateSdkError } from './translate.js';

/** How one Lambda call is sent: its abort signal and, when not the client's, its time limit. */
export type LambdaSend<T> = (client: LambdaClient, options: { abortSignal?: AbortSignal; requestTimeout?: number }) => Promise<T>;

/**
 * Makes one Lambda call in the function's region (the one a full ARN names, else the default one),
 * bounded by the client's time limits (or `requestTimeoutMs`) and ended by `signal`; any failure
 * leaves as a domain failure (translate.ts). `action` is the IAM action, when it is not `lambda:<operation>`.
 * The Lambda gateways share it, so that every call is made alike.
 */
export async function callLambda<T>(
  clients: AwsClients,
  operation: string,
  functionRef: string,
  signal: AbortSignal | undefined,
  send: LambdaSend<T>,
  extra: { action?: string; requestTimeoutMs?: number } = {}
): Promise<T> {
  try {
    const options = { abortSignal: signal, ...(extra.requestTimeoutMs ? { requestTimeout: extra.requestTimeoutMs } : {}) };
    const sent = send(clients.lambda(lambdaRegionOf(functionRef)), options);
    // The signal ends the wait even where the SDK would not notice it (between retries, say).
    return await (signal ? raceSignal(sent, signal) : sent);
  } catch (error: unknown) {
    throw translateSdkError(error, {
      operation,
      action: extra.action ?? `lambda:${operation}`,
      endpoint: clients.endpoint('lambda', lambdaRegionOf(functionRef)),
      signal
    });
  }
}

/** The region of a full ARN; undefined for names and partial ARNs (the default region then). */
export function lambdaRegionOf(functionRef: string): string | undefined {
  return parseFunctionRef(functionRef)?.region;
}

import type { IncomingHttpHeaders } from 'node:http';
import type { ApiError } from '../shared/errors.js';

/** A fully read HTTP request. */
export interface IncomingRequest {
  method: string;
  /** Raw (still URL-encoded) path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What to write back. */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Real wall-clock delay before the reply is written. */
  delayMs?: number;
  /** Not from AWS (e.g. a proxy's error page): written without the x-amzn-requestid header. */
  bare?: boolean;
}

/** A request recognised as one AWS operation, ready to run. */
export interface OperationCall {
  service: 'lambda' | 'cloudwatch';
  /** SDK operation name. */
  operation: string;
  functionName?: string;
  /** Parsed request for the call log. */
  params: Record<string, unknown>;
  mutating: boolean;
  /** IAM action the call needs (e.g. 'lambda:UpdateAlias'); undefined for unrouted or unsupported requests. */
  iamAction?: string;
  /** Resource ARN the call is authorised on (as IAM names it in a refusal); undefined when none. */
  resource?: string;
  /** Runs the operation; throws ApiError for service errors. */
  execute(): HttpReply;
  /** Encodes a service error the way this service's SDK parses it. */
  encodeError(error: ApiError): HttpReply;
}

/** JSON reply helper. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

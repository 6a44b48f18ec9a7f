/**
 * CloudWatch's wire protocol as SDK v3 speaks it: awsJson1_0 (`POST /` with an X-Amz-Target header)
 * with awsQueryCompatible error codes. Timestamps are epoch seconds on the wire and Dates in the
 * SDK-shaped inputs and outputs of cloudwatch/operations.ts.
 */
import { ApiError } from '../shared/errors.js';
import type { OperationResult } from '../shared/operation.js';
import { jsonReply, type HttpReply, type IncomingRequest } from './http.js';
import { parseObject, toWire } from './json-wire.js';

/** X-Amz-Target prefix the CloudWatch SDK sends (awsJson1_0, serviceTarget GraniteServiceVersion20100801). */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

const JSON_1_0 = 'application/x-amz-json-1.0';

/**
 * awsQuery error codes for the SDK shape names (the `awsQueryError` trait in the CloudWatch schemas).
 * With awsQueryCompatible the SDK reads `x-amzn-query-error: Code;Sender` first and maps it back.
 */
const QUERY_CODES: Record<string, string> = {
  ValidationException: 'ValidationError',
  InvalidParameterValueException: 'InvalidParameterValue',
  InvalidParameterCombinationException: 'InvalidParameterCombination',
  MissingRequiredParameterException: 'MissingParameter',
  InternalServiceFault: 'InternalServiceError',
  LimitExceededFault: 'LimitExceeded',
  InvalidNextToken: 'InvalidNextToken',
  ResourceNotFound: 'ResourceNotFound'
};

/**
 * `__type` of errors raised before the service model is reached: IAM refusals come from the coral
 * front end (the SDK names the error after the `x-amzn-query-error` code, `AccessDenied`).
 */
const FRONT_END_TYPES: Record<string, string> = {
  AccessDenied: 'com.amazon.coral.service#AccessDeniedException'
};

/** True for requests the CloudWatch client sends (POST / with a Granite X-Amz-Target). */
export function isCloudWatchRequest(req: IncomingRequest): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(CLOUDWATCH_TARGET_PREFIX);
}

/** The operation (from X-Amz-Target) and its input (the JSON body; a malformed one is an inputError). */
export function decodeCloudWatchRequest(req: IncomingRequest): {
  operation: string;
  input: Record<string, unknown>;
  inputError?: ApiError;
} {
  const operation = String(req.headers['x-amz-target']).slice(CLOUDWATCH_TARGET_PREFIX.length);
  const body = parseObject(req.body);
  if (!body)
    return {
      operation,
      input: { body: req.body.toString('utf8') },
      inputError: new ApiError('SerializationException', 'Malformed JSON request body', 400)
    };
  return { operation, input: body };
}

/** A result as awsJson1_0 sends it: Dates become epoch seconds (the SDK's default timestamp format). */
export function encodeCloudWatchResult(result: OperationResult): HttpReply {
  return jsonReply(result.status, toWire(result.output), { 'content-type': JSON_1_0 });
}

/** awsJson1_0 error with the awsQueryCompatible header the SDK prefers. */
export function encodeCloudWatchError(error: ApiError): HttpReply {
  const queryCode = QUERY_CODES[error.code] ?? error.code;
  const fault = error.status >= 500 ? 'Receiver' : 'Sender';
  const frontEndType = FRONT_END_TYPES[error.code];
  return jsonReply(
    error.status,
    frontEndType
      ? { __type: frontEndType, Message: error.message }
      : { __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message },
    { 'content-type': JSON_1_0, 'x-amzn-query-error': `${queryCode};${fault}`, ...error.headers }
  );
}

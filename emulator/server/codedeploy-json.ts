/**
 * CodeDeploy's wire protocol as SDK v3 speaks it: awsJson1_1 (`POST /`, `X-Amz-Target:
 * CodeDeploy_20141006.<Operation>`, `application/x-amz-json-1.1`). Timestamps are epoch seconds on the
 * wire and Dates in the SDK-shaped inputs and outputs of codedeploy/operations.ts; errors are
 * `{__type, message}` with the shape name as `__type`.
 */
import { ApiError } from '../shared/errors.js';
import type { OperationResult } from '../shared/operation.js';
import { jsonReply, type HttpReply, type IncomingRequest } from './http.js';
import { parseObject, toWire } from './json-wire.js';

/** X-Amz-Target prefix the CodeDeploy SDK sends (awsJson1_1, serviceTarget CodeDeploy_20141006). */
export const CODEDEPLOY_TARGET_PREFIX = 'CodeDeploy_20141006.';

const JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * `__type` of errors raised before the service model is reached: IAM refusals come from the coral front end
 * (the CodeDeploy SDK does not model them: it throws a CodeDeployServiceException named AccessDeniedException).
 */
const FRONT_END_TYPES: Record<string, string> = {
  AccessDeniedException: 'com.amazon.coral.service#AccessDeniedException'
};

/** True for requests the CodeDeploy client sends (POST / with a CodeDeploy_20141006 X-Amz-Target). */
export function isCodeDeployRequest(req: IncomingRequest): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(CODEDEPLOY_TARGET_PREFIX);
}

/** The operation (from X-Amz-Target) and its input (the JSON body; a malformed one is an inputError). */
export function decodeCodeDeployRequest(req: IncomingRequest): {
  operation: string;
  input: Record<string, unknown>;
  inputError?: ApiError;
} {
  const operation = String(req.headers['x-amz-target']).slice(CODEDEPLOY_TARGET_PREFIX.length);
  const body = parseObject(req.body);
  if (!body) {
    return {
      operation,
      input: { body: req.body.toString('utf8') },
      inputError: new ApiError('SerializationException', 'Malformed JSON request body', 400)
    };
  }
  return { operation, input: body };
}

/** A result as awsJson1_1 sends it: Dates become epoch seconds. */
export function encodeCodeDeployResult(result: OperationResult): HttpReply {
  return jsonReply(result.status, toWire(result.output), { 'content-type': JSON_1_1 });
}

/** awsJson1_1 error: the shape name as `__type` (the SDK reads it first), the message as `message`. */
export function encodeCodeDeployError(error: ApiError): HttpReply {
  const frontEndType = FRONT_END_TYPES[error.code];
  return jsonReply(
    error.status,
    frontEndType
      ? { __type: frontEndType, Message: error.message }
      : { __type: error.code, message: error.message, ...error.fields },
    { 'content-type': JSON_1_1, ...error.headers }
  );
}

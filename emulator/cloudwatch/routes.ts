import type { AlarmStore } from './alarms.js';
import { arnsOf } from '../shared/arn.js';
import { ApiError } from '../shared/errors.js';
import { iamAction, type Caller } from '../shared/identity.js';
import { jsonReply, type HttpReply, type IncomingRequest, type OperationCall } from '../server/http.js';
import { getMetricData } from './metric-data.js';
import type { InvocationMetrics } from './metrics.js';

/** X-Amz-Target prefix the CloudWatch SDK sends (awsJson1_0, serviceTarget GraniteServiceVersion20100801). */
export const CLOUDWATCH_TARGET_PREFIX = 'GraniteServiceVersion20100801.';

/** The CloudWatch state the routes operate on. */
export interface CloudWatchBackend {
  alarms: AlarmStore;
  metrics: InvocationMetrics;
}

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
  ResourceNotFound: 'ResourceNotFound',
};

/**
 * `__type` of errors raised before the service model is reached: IAM refusals come from the coral
 * front end (the SDK names the error after the `x-amzn-query-error` code, `AccessDenied`).
 */
const FRONT_END_TYPES: Record<string, string> = {
  AccessDenied: 'com.amazon.coral.service#AccessDeniedException',
};

type Handler = (body: Record<string, unknown>, backend: CloudWatchBackend, caller: Caller) => Record<string, unknown>;

const HANDLERS: Record<string, Handler> = {
  DescribeAlarms: (body, b, caller) => b.alarms.describe(caller, body),
  GetMetricData: (body, b, caller) => getMetricData(body, b.metrics, caller),
};

/** True for requests the CloudWatch client sends (POST / with a Granite X-Amz-Target). */
export function isCloudWatchRequest(req: IncomingRequest): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(CLOUDWATCH_TARGET_PREFIX);
}

/** Recognises one CloudWatch JSON 1.0 call, answered from the caller's account in the request's region. */
export function matchCloudWatchCall(req: IncomingRequest, backend: CloudWatchBackend, caller: Caller): OperationCall {
  const operation = String(req.headers['x-amz-target']).slice(CLOUDWATCH_TARGET_PREFIX.length);
  const body = parseJson(req.body);
  const handler: Handler | undefined = Object.hasOwn(HANDLERS, operation) ? HANDLERS[operation] : undefined;
  // DescribeAlarms is authorised on alarm ARNs; GetMetricData has no resource-level permissions.
  const resource = operation === 'DescribeAlarms' ? arnsOf(caller).alarm('*') : undefined;
  return {
    service: 'cloudwatch',
    operation,
    params: body ?? { body: req.body.toString('utf8') },
    mutating: false,
    ...(handler ? { iamAction: iamAction('cloudwatch', operation) } : {}),
    ...(resource !== undefined ? { resource } : {}),
    encodeError: encodeCloudWatchError,
    execute: (): HttpReply => {
      if (!handler) throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the emulator`, 400);
      if (!body) throw new ApiError('SerializationException', 'Malformed JSON request body', 400);
      return jsonReply(200, handler(body, backend, caller), { 'content-type': 'application/x-amz-json-1.0' });
    },
  };
}

/** awsJson1_0 error with the awsQueryCompatible header the SDK prefers. */
export function encodeCloudWatchError(error: ApiError): HttpReply {
  const queryCode = QUERY_CODES[error.code] ?? error.code;
  const fault = error.status >= 500 ? 'Receiver' : 'Sender';
  const frontEndType = FRONT_END_TYPES[error.code];
  return jsonReply(
    error.status,
    frontEndType ? { __type: frontEndType, Message: error.message } : { __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message },
    { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${queryCode};${fault}`, ...error.headers },
  );
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  if (body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

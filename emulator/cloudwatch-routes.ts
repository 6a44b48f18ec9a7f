import type { AlarmStore } from './alarms.js';
import { ApiError } from './errors.js';
import { jsonReply, type HttpReply, type IncomingRequest, type OperationCall } from './http-types.js';
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

type Handler = (body: Record<string, unknown>, backend: CloudWatchBackend) => Record<string, unknown>;

const HANDLERS: Record<string, Handler> = {
  DescribeAlarms: (body, b) => b.alarms.describe(body),
  GetMetricData: (body, b) => getMetricData(body, b.metrics),
};

/** True for requests the CloudWatch client sends (POST / with a Granite X-Amz-Target). */
export function isCloudWatchRequest(req: IncomingRequest): boolean {
  const target = req.headers['x-amz-target'];
  return req.method === 'POST' && typeof target === 'string' && target.startsWith(CLOUDWATCH_TARGET_PREFIX);
}

/** Recognises one CloudWatch JSON 1.0 call. */
export function matchCloudWatchCall(req: IncomingRequest, backend: CloudWatchBackend): OperationCall {
  const operation = String(req.headers['x-amz-target']).slice(CLOUDWATCH_TARGET_PREFIX.length);
  const body = parseJson(req.body);
  const handler = HANDLERS[operation];
  return {
    service: 'cloudwatch',
    operation,
    params: body ?? { body: req.body.toString('utf8') },
    mutating: false,
    encodeError: encodeCloudWatchError,
    execute: (): HttpReply => {
      if (!handler) throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the emulator`, 400);
      if (!body) throw new ApiError('SerializationException', 'Malformed JSON request body', 400);
      return jsonReply(200, handler(body, backend), { 'content-type': 'application/x-amz-json-1.0' });
    },
  };
}

/** awsJson1_0 error with the awsQueryCompatible header the SDK prefers. */
export function encodeCloudWatchError(error: ApiError): HttpReply {
  const queryCode = QUERY_CODES[error.code] ?? error.code;
  const fault = error.status >= 500 ? 'Receiver' : 'Sender';
  return jsonReply(
    error.status,
    { __type: `com.amazonaws.cloudwatch#${error.code}`, message: error.message },
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

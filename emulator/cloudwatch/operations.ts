/**
 * The CloudWatch API operations the emulator runs, on SDK-shaped inputs and outputs (timestamps are
 * Dates, as the SDK gives and takes them). Shared by the HTTP front (server/cloudwatch-json.ts) and the
 * in-process API (Emulator.handleOperation).
 */
import { arnsOf } from '../shared/arn.js';
import { ApiError } from '../shared/errors.js';
import { iamAction, type Caller } from '../shared/identity.js';
import type { PreparedCall } from '../shared/operation.js';
import { listMetrics } from './list-metrics.js';
import { getMetricData } from './metric-data.js';
import type { CloudWatchService } from './service.js';

/** A CloudWatch command's input as the SDK takes it (e.g. DescribeAlarmsCommandInput). */
export type CloudWatchInput = Record<string, unknown>;

type Operation = (input: CloudWatchInput, cw: CloudWatchService, caller: Caller) => Record<string, unknown>;

const OPERATIONS: Record<string, Operation> = {
  DescribeAlarms: (input, cw, caller) => cw.alarms.describe(caller, input),
  GetMetricData: (input, cw, caller) => getMetricData(input, cw.metrics, caller),
  ListMetrics: (input, cw, caller) => listMetrics(input, cw.metrics, caller, cw.now())
};

/** The CloudWatch operations the emulator runs (others are answered UnknownOperationException). */
export const CLOUDWATCH_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/**
 * Prepares one CloudWatch call, answered from the caller's account in the request's region.
 * `inputError` is what the protocol layer could not parse: the answer once the call is authorised.
 */
export function prepareCloudWatchCall(
  cw: CloudWatchService,
  caller: Caller,
  operation: string,
  input: CloudWatchInput,
  inputError?: ApiError
): PreparedCall {
  const run = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  // DescribeAlarms is authorised on alarm ARNs; GetMetricData and ListMetrics have no resource-level permissions.
  const resource = operation === 'DescribeAlarms' ? arnsOf(caller).alarm('*') : undefined;
  return {
    service: 'cloudwatch',
    operation,
    params: withoutUndefined(input),
    mutating: false,
    ...(run ? { iamAction: iamAction('cloudwatch', operation) } : {}),
    ...(resource !== undefined ? { resource } : {}),
    execute: () => {
      if (!run) throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the emulator`, 400);
      if (inputError) throw inputError;
      return { status: 200, output: run(input, cw, caller) };
    }
  };
}

function withoutUndefined(input: CloudWatchInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

import type { Emulator } from '../core/emulator.js';
import type { CallOutcome } from '../core/pipeline.js';
import type { ApiError } from '../shared/errors.js';
import { BAD_GATEWAY_PAGE } from '../shared/faults.js';
import { rejectedCall, type OperationResult } from '../shared/operation.js';
import type { ServiceName } from '../shared/types.js';
import {
  decodeCloudWatchRequest,
  encodeCloudWatchError,
  encodeCloudWatchResult,
  isCloudWatchRequest
} from './cloudwatch-json.js';
import {
  decodeCodeDeployRequest,
  encodeCodeDeployError,
  encodeCodeDeployResult,
  isCodeDeployRequest
} from './codedeploy-json.js';
import type { HttpReply, IncomingRequest } from './http.js';
import { decodeLambdaRequest, encodeLambdaError, encodeLambdaResult } from './lambda-rest.js';
import { decodeS3Request, encodeS3Error, encodeS3Result, isS3Request } from './s3-rest.js';
import { callerOfRequest } from './sigv4.js';

/** What the server does with one AWS request: write a reply, drop the connection, or never answer. */
export type AwsReply = { reply: HttpReply } | { drop: true } | { hang: true };

/**
 * One AWS request over HTTP: the caller from its signature, the operation and SDK-shaped input from
 * the service's wire protocol, then the emulator's pipeline, then the answer in the same protocol.
 */
export async function handleAwsRequest(emu: Emulator, req: IncomingRequest): Promise<AwsReply> {
  const caller = emu.callerOf(callerOfRequest(req));
  const service = serviceOf(req);
  const decoded =
    service === 'cloudwatch'
      ? decodeCloudWatchRequest(req)
      : service === 'codedeploy'
        ? decodeCodeDeployRequest(req)
        : service === 's3'
          ? decodeS3Request(req)
          : decodeLambdaRequest(req);
  const call =
    'unroutable' in decoded
      ? rejectedCall(service, decoded.operation, decoded.input, decoded.unroutable)
      : emu.prepareCall(service, decoded.operation, decoded.input, caller, decoded.inputError);
  return toReply(service, call.operation, await emu.runCall(call, caller));
}

/** Which service a request is for: the JSON protocols say so in X-Amz-Target; everything else is Lambda's REST. */
function serviceOf(req: IncomingRequest): ServiceName {
  if (isCloudWatchRequest(req)) return 'cloudwatch';
  if (isCodeDeployRequest(req)) return 'codedeploy';
  if (isS3Request(req)) return 's3';
  return 'lambda';
}

function toReply(service: ServiceName, operation: string, outcome: CallOutcome): AwsReply {
  switch (outcome.kind) {
    case 'answer':
      return { reply: encodeResult(service, operation, outcome.result) };
    case 'error':
      return { reply: encodeError(service, outcome.error) };
    case 'bad-gateway':
      return { reply: { status: 502, headers: { 'content-type': 'text/html' }, body: BAD_GATEWAY_PAGE, bare: true } };
    case 'drop':
      return { drop: true };
    case 'hang':
      return { hang: true };
  }
}

function encodeResult(service: ServiceName, operation: string, result: OperationResult): HttpReply {
  if (service === 'codedeploy') return encodeCodeDeployResult(result);
  if (service === 's3') return encodeS3Result(result);
  return service === 'lambda' ? encodeLambdaResult(operation, result) : encodeCloudWatchResult(result);
}

function encodeError(service: ServiceName, error: ApiError): HttpReply {
  if (service === 'codedeploy') return encodeCodeDeployError(error);
  if (service === 's3') return encodeS3Error(error);
  return service === 'lambda' ? encodeLambdaError(error) : encodeCloudWatchError(error);
}

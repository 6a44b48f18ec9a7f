import { reasonError } from '../core/deadline.js';
import { errorMessage, errorName } from '../core/errors.js';
import { AWS_MESSAGE_MAX_CHARS } from '../core/limits.js';
import { capText } from '../core/text.js';
import {
  AccessDenied,
  AliasRevisionConflict,
  AwsNotConfigured,
  FunctionChanged,
  NoAnswer,
  RequestRefused,
  ResourceNotFound,
  UpdateInProgress
} from './failures.js';

/** What the translation needs to know about the call that failed. */
export interface FailedCall {
  /** The AWS operation, e.g. `UpdateAlias`. */
  readonly operation: string;
  /** The IAM action it needs, e.g. `lambda:UpdateAlias`, named when AWS does not. */
  readonly action: string;
  /** Where it was sent, for messages about an endpoint that answered with something else than AWS. */
  readonly endpoint: string;
  /** The caller's signal: when it fired, the failure is the cancellation or time-out, not AWS's. */
  readonly signal?: AbortSignal;
}

/**
 * Turns whatever the SDK threw into a domain failure (see failures.ts), or into the caller's own
 * abort reason. This is the one place that reads SDK error names, HTTP statuses and `$metadata`.
 */
export function translateSdkError(error: unknown, call: FailedCall): Error {
  if (call.signal?.aborted) return reasonError(call.signal);
  const name = errorName(error);
  const message = capText(errorMessage(error), AWS_MESSAGE_MAX_CHARS);
  const status = httpStatus(error);
  const { operation } = call;

  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return new AwsNotConfigured(
      'no AWS credentials were found: add a step with aws-actions/configure-aws-credentials before this one ' +
        '(with `permissions: id-token: write` for OIDC), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY',
      operation
    );
  }
  if (/region is missing|region not accepted/i.test(message)) {
    return new AwsNotConfigured(
      'no AWS region is configured: set `aws-region` in aws-actions/configure-aws-credentials (or AWS_REGION), ' +
        `or give 'function-name' as a full ARN, whose region is then used (the AWS SDK said: ${firstLine(message)})`,
      operation
    );
  }
  if (name === 'SyntaxError' || /Deserialization error/.test(message)) {
    return new NoAnswer(
      `${call.endpoint} answered ${operation} with HTTP ${status ?? '?'} and a body that is not an AWS answer ` +
        `(${firstLine(message)}): check AWS_ENDPOINT_URL, a proxy or a firewall in between`,
      operation
    );
  }
  if (status === undefined) {
    // No HTTP answer at all: refused or dropped connections, time-outs, DNS.
    return new NoAnswer(`no answer from ${call.endpoint} to ${operation} (${name}: ${firstLine(message)})`, operation);
  }
  if (status === 403 || /AccessDenied|UnauthorizedOperation|NotAuthorized/.test(name)) {
    const named = /not authorized to perform:?\s+([\w-]+:[\w*]+)/.exec(message);
    const resource = /on resource:?\s+(\S+)/.exec(message)?.[1];
    return new AccessDenied(`${name}: ${message}`, operation, named?.[1] ?? call.action, resource);
  }
  if (name === 'ResourceNotFoundException' || name === 'ResourceNotFound' || /NotFoundException$/.test(name) || status === 404) {
    return new ResourceNotFound(`${name}: ${message}`, operation);
  }
  const retried = attemptsOf(error) > 1;
  if (FUNCTION_WRITES.has(operation) && (name === 'PreconditionFailedException' || status === 412)) {
    return new FunctionChanged(`${name}: ${message}`, operation);
  }
  // Lambda answers a CodeSha256 that $LATEST does not hold with a 400, not a 412.
  if (operation === 'PublishVersion' && name === 'InvalidParameterValueException' && /CodeSHA256/i.test(message)) {
    return new FunctionChanged(`${name}: ${message}`, operation);
  }
  if (name === 'PreconditionFailedException' || status === 412) {
    return new AliasRevisionConflict(`${name}: ${message}`, operation, retried);
  }
  if (name === 'ResourceConflictException' || status === 409) {
    return operation === 'CreateAlias'
      ? new AliasRevisionConflict(`${name}: ${message}`, operation, retried)
      : new UpdateInProgress(`${name}: ${message}`, operation);
  }
  if (status >= 500) return new NoAnswer(`${operation} failed on AWS's side (HTTP ${status}, ${name}: ${message})`, operation);
  return new RequestRefused(`${name}: ${message}`, operation);
}

/** Writes to a function's $LATEST (and its publication) that a RevisionId or CodeSha256 can guard. */
const FUNCTION_WRITES: ReadonlySet<string> = new Set(['PublishVersion', 'UpdateFunctionCode', 'UpdateFunctionConfiguration']);

/** The HTTP status AWS answered with; undefined when no answer arrived. */
function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** How many attempts the SDK made (its retry middleware records it); 1 when unknown. */
function attemptsOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 1;
  const attempts = (error as { $metadata?: { attempts?: unknown } }).$metadata?.attempts;
  return typeof attempts === 'number' && attempts > 0 ? attempts : 1;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

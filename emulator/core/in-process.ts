import { randomUUID } from 'node:crypto';
import type { Sleep } from '../shared/clock.js';
import type { ApiError } from '../shared/errors.js';
import { BAD_GATEWAY_PAGE } from '../shared/faults.js';
import type { ServiceName } from '../shared/types.js';
import type { CallOutcome } from './pipeline.js';

/** The `$metadata` the SDK puts on outputs and errors. In-process there are no retries: one attempt. */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

/**
 * A service error as the SDK throws it: `name` is the AWS error code (e.g. 'PreconditionFailedException'),
 * with `$fault` and `$metadata.httpStatusCode` (plus modelled members such as Lambda's `Type` and `Reason`).
 */
export class EmulatedServiceException extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: ResponseMetadata;

  constructor(error: ApiError, service: ServiceName) {
    super(error.message);
    this.name = error.code;
    this.$fault = error.status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: error.status, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 };
    if (service === 'lambda') Object.assign(this, { Type: error.status >= 500 ? 'Service' : 'User' });
    Object.assign(this, error.fields);
    // Lambda's TooManyRequestsException carries the Retry-After header as retryAfterSeconds.
    if (error.headers['Retry-After'] !== undefined) Object.assign(this, { retryAfterSeconds: error.headers['Retry-After'] });
  }
}

/**
 * The in-process answer to a call, as a mocked SDK `send` gives it: the output with `$metadata`, or a
 * rejection shaped like what the SDK throws for the same outcome over HTTP. A delayed answer waits on `sleep`.
 */
export async function settle(service: ServiceName, outcome: CallOutcome, sleep: Sleep): Promise<unknown> {
  switch (outcome.kind) {
    case 'answer': {
      const { result } = outcome;
      if (result.delayMs) await sleep(result.delayMs);
      return {
        ...result.output,
        $metadata: { httpStatusCode: result.status, requestId: randomUUID(), attempts: 1, totalRetryDelay: 0 }
      };
    }
    case 'error':
      throw new EmulatedServiceException(outcome.error, service);
    case 'bad-gateway':
      throw badGatewayError();
    case 'drop':
      throw connectionReset();
    case 'hang':
      // The request went out and no answer ever comes: only the caller's own deadline ends the wait.
      return new Promise<never>(() => {});
  }
}

/** What the SDK throws when a 502 HTML page arrives instead of JSON: a SyntaxError with the HTTP status. */
function badGatewayError(): Error {
  let message = 'Unexpected token';
  try {
    JSON.parse(BAD_GATEWAY_PAGE);
  } catch (error) {
    message = (error as Error).message;
  }
  const error = new SyntaxError(
    `${message}\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.`
  );
  return Object.assign(error, {
    $metadata: { httpStatusCode: 502, attempts: 1, totalRetryDelay: 0 },
    $response: { statusCode: 502, headers: { 'content-type': 'text/html' }, body: BAD_GATEWAY_PAGE }
  });
}

/** What Node's HTTP client throws when the connection is destroyed without an answer. */
function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 1, totalRetryDelay: 0 } });
}

import { ApiError, internalError } from './errors.js';
import { createRng, type Rng } from './rng.js';
import type { FaultConfig, FaultKind, ServiceName } from './types.js';

/** What the pipeline must do with one call before (or instead of) running it. */
export interface FaultDecision {
  /** Real delay before answering. */
  latencyMs: number;
  /** Fault recorded in the call log. */
  fault?: FaultKind;
  /** Answer with this error instead of running the operation. */
  error?: ApiError;
  /** Answer with an IAM refusal (built by the emulator, which knows the caller and the resource). */
  accessDenied?: boolean;
  /** The refusal's reason after the resource (`with an explicit deny in …`), instead of "because no … policy allows …". */
  accessDeniedReason?: string;
  /** Answer with a proxy's 502 HTML page (not an AWS answer) instead of running the operation. */
  badGateway?: boolean;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** Never answer: keep the socket open, write nothing. */
  hang?: boolean;
  /** With `drop` or `hang`: run the operation first, so only the answer is lost. */
  afterRun?: boolean;
}

/** Special failNext error code: drop the connection. */
export const DROP = 'drop';
/** Special failNext error code: run the operation, then drop the connection. */
export const LOST_RESPONSE = 'lost-response';
/** Special failNext error code: read the request, then never answer. */
export const HANG = 'hang';
/** Special failNext error code: run the operation, then never answer. */
export const HANG_AFTER_RUN = 'hang-after-run';
/** Special failNext error code: a 502 text/html page from a proxy in front of AWS. */
export const HTML_502 = 'html-502';

/** What nginx-style proxies and load balancers send for a 502. */
export const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';

/** The error codes failNext turns into an IAM refusal (Lambda's and CodeDeploy's name, CloudWatch's). */
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);

const STATUS_BY_CODE: Record<string, number> = {
  TooManyRequestsException: 429,
  ServiceException: 500,
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
  ResourceNotFoundException: 404,
  ProvisionedConcurrencyConfigNotFoundException: 404,
  ResourceNotReadyException: 502,
  InternalServiceFault: 500,
  InternalFailure: 500,
  Throttling: 400
};

/** One queued failNext fault: its error code (or SpecialFault), and the message an AWS error gives. */
interface ForcedFault {
  readonly code: string;
  readonly message?: string;
}

/** Randomised (seeded) and deterministic (failNext) fault injection. */
export class FaultInjector {
  private config: FaultConfig = {};
  private rng: Rng = createRng(1);
  private readonly forced = new Map<string, ForcedFault[]>();

  reset(): void {
    this.config = {};
    this.rng = createRng(1);
    this.forced.clear();
  }

  /** Replaces the random fault configuration (and reseeds). */
  set(config: FaultConfig): void {
    for (const key of [
      'throttleFraction',
      'serverErrorFraction',
      'dropFraction',
      'lostResponseFraction',
      'hangFraction'
    ] as const) {
      const v = config[key];
      if (v !== undefined && !(v >= 0 && v <= 1)) throw new RangeError(`${key} must be within [0, 1], got ${v}`);
    }
    this.config = { ...config };
    this.rng = createRng(config.seed ?? 1);
  }

  /**
   * The next `count` calls of `operation` fail with `errorCode` (an AWS error code or a SpecialFault);
   * with `functionName`, only calls about that function (by its plain name); with `message`, an AWS
   * error says that instead of `Injected fault: <code>` (to answer as AWS would, quoting what it quotes),
   * and an IAM refusal gives it as its reason, after the caller, the action and the resource.
   */
  failNext(operation: string, count: number, errorCode: string, functionName?: string, message?: string): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const key = functionName === undefined ? operation : `${operation}@${functionName}`;
    const queue = this.forced.get(key) ?? [];
    queue.push(...Array.from({ length: count }, () => ({ code: errorCode, ...(message !== undefined ? { message } : {}) })));
    this.forced.set(key, queue);
  }

  /** Drops every fault failNext queued (the random configuration stays). */
  clearForced(): void {
    this.forced.clear();
  }

  decide(service: ServiceName, operation: string, functionName?: string): FaultDecision {
    const forced =
      (functionName !== undefined ? this.forced.get(`${operation}@${plainName(functionName)}`)?.shift() : undefined) ??
      this.forced.get(operation)?.shift();
    if (forced !== undefined) return this.forcedDecision(service, forced.code, forced.message);
    const c = this.config;
    if (c.operations && !c.operations.includes(operation)) return { latencyMs: 0 };
    const latencyMs = c.latencyMs ?? 0;
    const roll = this.rng();
    const drop = c.dropFraction ?? 0;
    const lost = drop + (c.lostResponseFraction ?? 0);
    const hang = lost + (c.hangFraction ?? 0);
    const throttle = hang + (c.throttleFraction ?? 0);
    const serverError = throttle + (c.serverErrorFraction ?? 0);
    if (roll < drop) return { latencyMs, fault: 'drop', drop: true };
    if (roll < lost) return { latencyMs, fault: 'lost-response', drop: true, afterRun: true };
    if (roll < hang) return { latencyMs, fault: 'hang', hang: true };
    if (roll < throttle) return { latencyMs, fault: 'throttle', error: this.throttle(service) };
    if (roll < serverError) return { latencyMs, fault: 'server-error', error: serverFault(service) };
    return latencyMs > 0 ? { latencyMs, fault: 'latency' } : { latencyMs: 0 };
  }

  private forcedDecision(service: ServiceName, code: string, message?: string): FaultDecision {
    if (code === DROP) return { latencyMs: 0, fault: 'drop', drop: true };
    if (code === LOST_RESPONSE) return { latencyMs: 0, fault: 'lost-response', drop: true, afterRun: true };
    if (code === HANG) return { latencyMs: 0, fault: 'hang', hang: true };
    if (code === HANG_AFTER_RUN) return { latencyMs: 0, fault: 'hang-after-run', hang: true, afterRun: true };
    if (code === HTML_502) {
      return { latencyMs: 0, fault: 'html-502', badGateway: true };
    }
    if (ACCESS_DENIED.has(code))
      return { latencyMs: 0, accessDenied: true, ...(message !== undefined ? { accessDeniedReason: message } : {}) };
    if (code === 'TooManyRequestsException' || code === 'Throttling' || code === 'ThrottlingException') {
      return { latencyMs: 0, fault: 'throttle', error: this.throttle(service) };
    }
    const status = STATUS_BY_CODE[code] ?? (/Service|Internal|Fault/.test(code) ? 500 : 400);
    const error = new ApiError(code, message ?? `Injected fault: ${code}`, status);
    return status >= 500 ? { latencyMs: 0, fault: 'server-error', error } : { latencyMs: 0, error };
  }

  private throttle(service: ServiceName): ApiError {
    if (service === 'cloudwatch') return new ApiError('Throttling', 'Rate exceeded', 400);
    if (service === 'codedeploy') return new ApiError('ThrottlingException', 'Rate exceeded', 400);
    if (service === 's3') return new ApiError('SlowDown', 'Please reduce your request rate.', 503);
    const retryAfter = String(this.config.retryAfterSeconds ?? 1);
    return new ApiError(
      'TooManyRequestsException',
      'Rate exceeded',
      429,
      { 'Retry-After': retryAfter },
      { Reason: 'CallerRateLimitExceeded' }
    );
  }
}

function serverFault(service: ServiceName): ApiError {
  if (service === 'lambda') return new ApiError('ServiceException', 'An internal error occurred (injected fault)', 500);
  if (service === 's3') return new ApiError('InternalError', 'We encountered an internal error. Please try again.', 500);
  return internalError(service, 'Internal service error (injected fault)');
}

/** A function's plain name from a FunctionName as sent: a name, or a partial or full ARN, maybe qualified. */
function plainName(functionName: string): string {
  const afterFunction = functionName.includes(':function:') ? functionName.split(':function:')[1]! : functionName;
  return afterFunction.split(':')[0]!;
}

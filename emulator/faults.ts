import { ApiError } from './errors.js';
import { createRng, type Rng } from './rng.js';
import type { FaultConfig, FaultKind } from './types.js';

/** What the server must do with one call before (or instead of) running it. */
export interface FaultDecision {
  /** Real delay before answering. */
  latencyMs: number;
  /** Fault recorded in the call log. */
  fault?: FaultKind;
  /** Answer with this error instead of running the operation. */
  error?: ApiError;
  /** Destroy the socket without answering. */
  drop?: boolean;
  /** With `drop`: run the operation first, so only the answer is lost. */
  afterRun?: boolean;
}

/** Special failNext error code: drop the connection. */
export const DROP = 'drop';
/** Special failNext error code: run the operation, then drop the connection. */
export const LOST_RESPONSE = 'lost-response';

const STATUS_BY_CODE: Record<string, number> = {
  TooManyRequestsException: 429,
  ServiceException: 500,
  ResourceConflictException: 409,
  PreconditionFailedException: 412,
  ResourceNotFoundException: 404,
  ProvisionedConcurrencyConfigNotFoundException: 404,
  ResourceNotReadyException: 502,
  InternalServiceFault: 500,
  Throttling: 400,
};

/** Randomised (seeded) and deterministic (failNext) fault injection. */
export class FaultInjector {
  private config: FaultConfig = {};
  private rng: Rng = createRng(1);
  private readonly forced = new Map<string, string[]>();

  reset(): void {
    this.config = {};
    this.rng = createRng(1);
    this.forced.clear();
  }

  /** Replaces the random fault configuration (and reseeds). */
  set(config: FaultConfig): void {
    for (const key of ['throttleFraction', 'serverErrorFraction', 'dropFraction', 'lostResponseFraction'] as const) {
      const v = config[key];
      if (v !== undefined && !(v >= 0 && v <= 1)) throw new RangeError(`${key} must be within [0, 1], got ${v}`);
    }
    this.config = { ...config };
    this.rng = createRng(config.seed ?? 1);
  }

  /** The next `count` calls of `operation` fail with `errorCode` ('drop' drops the connection). */
  failNext(operation: string, count: number, errorCode: string): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
    const queue = this.forced.get(operation) ?? [];
    queue.push(...Array.from({ length: count }, () => errorCode));
    this.forced.set(operation, queue);
  }

  decide(service: 'lambda' | 'cloudwatch', operation: string): FaultDecision {
    const forced = this.forced.get(operation)?.shift();
    if (forced !== undefined) return this.forcedDecision(service, forced);
    const c = this.config;
    if (c.operations && !c.operations.includes(operation)) return { latencyMs: 0 };
    const latencyMs = c.latencyMs ?? 0;
    const roll = this.rng();
    const drop = c.dropFraction ?? 0;
    const lost = drop + (c.lostResponseFraction ?? 0);
    const throttle = lost + (c.throttleFraction ?? 0);
    const serverError = throttle + (c.serverErrorFraction ?? 0);
    if (roll < drop) return { latencyMs, fault: 'drop', drop: true };
    if (roll < lost) return { latencyMs, fault: 'lost-response', drop: true, afterRun: true };
    if (roll < throttle) return { latencyMs, fault: 'throttle', error: this.throttle(service) };
    if (roll < serverError) return { latencyMs, fault: 'server-error', error: serverFault(service) };
    return latencyMs > 0 ? { latencyMs, fault: 'latency' } : { latencyMs: 0 };
  }

  private forcedDecision(service: 'lambda' | 'cloudwatch', code: string): FaultDecision {
    if (code === DROP) return { latencyMs: 0, fault: 'drop', drop: true };
    if (code === LOST_RESPONSE) return { latencyMs: 0, fault: 'lost-response', drop: true, afterRun: true };
    if (code === 'TooManyRequestsException' || code === 'Throttling') {
      return { latencyMs: 0, fault: 'throttle', error: this.throttle(service) };
    }
    const status = STATUS_BY_CODE[code] ?? (/Service|Internal|Fault/.test(code) ? 500 : 400);
    const error = new ApiError(code, `Injected fault: ${code}`, status);
    return status >= 500 ? { latencyMs: 0, fault: 'server-error', error } : { latencyMs: 0, error };
  }

  private throttle(service: 'lambda' | 'cloudwatch'): ApiError {
    if (service === 'cloudwatch') return new ApiError('Throttling', 'Rate exceeded', 400);
    const retryAfter = String(this.config.retryAfterSeconds ?? 1);
    return new ApiError('TooManyRequestsException', 'Rate exceeded', 429, { 'Retry-After': retryAfter }, { Reason: 'CallerRateLimitExceeded' });
  }
}

function serverFault(service: 'lambda' | 'cloudwatch'): ApiError {
  return service === 'lambda'
    ? new ApiError('ServiceException', 'An internal error occurred (injected fault)', 500)
    : new ApiError('InternalServiceFault', 'Internal service error (injected fault)', 500);
}

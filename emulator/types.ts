/**
 * Public types of the local AWS emulator (test infrastructure).
 * Shared by the in-process API (`startEmulator`), the HTTP control API and `EmulatorClient`.
 */

/** Options accepted by `startEmulator`. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a random free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Region used in ARNs; default us-east-1. */
  region?: string;
  /** 12-digit account id used in ARNs; default 123456789012. */
  accountId?: string;
  /** Emulator clock in epoch ms; default Date.now. All timed state (updates, pending versions, scheduled alarm changes) reads this. */
  now?: () => number;
  /** Seed for alias weighted routing; default 1. */
  seed?: number;
}

/** Control API: create a function (as if it had been deployed earlier). */
export interface CreateFunctionSpec {
  name: string;
  /** Initial $LATEST code hash; default derived from the name. */
  codeSha256?: string;
  /** How long LastUpdateStatus stays InProgress after a code update (ms, emulator time); default 0. */
  updateDurationMs?: number;
  /** How long a newly published version stays State=Pending (ms, emulator time); default 0. */
  publishPendingMs?: number;
  /** Pre-publish this many versions (1..N), each with distinct code. Default 0. */
  versions?: number;
  /** Create an alias pointing at an existing (pre-published) version. */
  alias?: { name: string; version: string };
  runtime?: string;
  handler?: string;
  memorySize?: number;
  timeout?: number;
  description?: string;
}

/** Alarm state values as CloudWatch reports them. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Control API: create or replace an alarm. */
export interface AlarmSpec {
  name: string;
  state: AlarmState;
  reason?: string;
  /** true → CompositeAlarm, else MetricAlarm. */
  composite?: boolean;
}

/** One queued invocation outcome for a function (consumed FIFO by Invoke). */
export interface InvokeResultSpec {
  /** JSON-serialisable payload returned to the caller; default `{"status":"Succeeded"}`. */
  payload?: unknown;
  /** When set, the invocation is a function error (X-Amz-Function-Error: Unhandled). */
  functionError?: { errorType: string; errorMessage: string };
  /** Real wall-clock delay before the response is sent. */
  delayMs?: number;
}

/** Randomised fault injection; fractions are probabilities in [0,1]. */
export interface FaultConfig {
  /** Added real latency per call (ms). */
  latencyMs?: number;
  /** 429 TooManyRequestsException (Lambda) / Throttling (CloudWatch). */
  throttleFraction?: number;
  /** 500 ServiceException (Lambda) / InternalServiceError (CloudWatch). */
  serverErrorFraction?: number;
  /** Destroy the socket without an answer. */
  dropFraction?: number;
  /** Run the operation, then destroy the socket: the change is made but the caller never hears of it. */
  lostResponseFraction?: number;
  /** Only fault these SDK operation names (e.g. ['UpdateAlias']); default all. */
  operations?: string[];
  /** RNG seed for fault decisions; default 1. */
  seed?: number;
  /** Retry-After header value (seconds) on throttles; default 1. */
  retryAfterSeconds?: number;
}

/** Kind of fault applied to a logged call. */
export type FaultKind = 'throttle' | 'server-error' | 'drop' | 'lost-response' | 'latency';

/** One AWS API call as seen by the emulator (control calls are not logged). */
export interface CallLogEntry {
  seq: number;
  /** Emulator time when the call arrived. */
  atMs: number;
  service: 'lambda' | 'cloudwatch';
  /** SDK operation name, e.g. 'UpdateAlias'; 'Unknown' for unrouted requests. */
  operation: string;
  functionName?: string;
  /** Parsed request: path/query parameters merged with the JSON body (Invoke: Payload as text). */
  params: Record<string, unknown>;
  /** HTTP status sent; 0 for dropped connections (a lost response logs the status it would have had). */
  status: number;
  errorCode?: string;
  /** True for PublishVersion, CreateAlias, UpdateAlias, DeleteAlias, UpdateFunctionCode. */
  mutating: boolean;
  fault?: FaultKind;
}

/** Snapshot of one published version (or $LATEST). */
export interface VersionSnapshot {
  version: string;
  codeSha256: string;
  revisionId: string;
  description: string;
  state: 'Pending' | 'Active';
}

/** Snapshot of one alias. */
export interface AliasSnapshot {
  name: string;
  functionVersion: string;
  description: string;
  revisionId: string;
  /** AdditionalVersionWeights, empty object when no routing. */
  weights: Record<string, number>;
  provisionedConcurrency?: number;
}

/** Snapshot of one function. */
export interface FunctionSnapshot {
  name: string;
  arn: string;
  latest: VersionSnapshot & { lastUpdateStatus: 'InProgress' | 'Successful' };
  versions: VersionSnapshot[];
  aliases: AliasSnapshot[];
  /** Invocation counts keyed by executed version ("$LATEST", "1", ...). */
  invocations: Record<string, number>;
  /** Queued invoke results not yet consumed. */
  queuedResults: number;
}

/** Snapshot of one alarm. */
export interface AlarmSnapshot {
  name: string;
  arn: string;
  composite: boolean;
  state: AlarmState;
  reason: string;
  stateUpdatedMs: number;
  /** Scheduled future changes not yet in effect. */
  pending: { atMs: number; state: AlarmState; reason: string }[];
}

/** Whole-emulator snapshot returned by `state()`. */
export interface EmulatorSnapshot {
  nowMs: number;
  functions: FunctionSnapshot[];
  alarms: AlarmSnapshot[];
}

/** The control surface of the in-process emulator. */
export interface EmulatorControl {
  reset(): void;
  createFunction(spec: CreateFunctionSpec): FunctionSnapshot;
  updateCode(name: string, codeSha256?: string): FunctionSnapshot;
  putAlarm(spec: AlarmSpec): AlarmSnapshot;
  setAlarmState(name: string, state: AlarmState, opts?: { reason?: string; afterMs?: number }): AlarmSnapshot;
  queueInvokeResults(functionName: string, results: InvokeResultSpec[]): void;
  setProvisionedConcurrency(functionName: string, alias: string, n: number): void;
  setFaults(faults: FaultConfig): void;
  failNext(operation: string, count: number, errorCode: string): void;
  /** Moves emulator time forward by `ms` on top of the injected clock. */
  advanceTime(ms: number): void;
  calls(): CallLogEntry[];
  state(): EmulatorSnapshot;
}

/** The same control surface over HTTP: every method returns a Promise (see `EmulatorClient`). */
export type AsyncEmulatorControl = {
  [K in keyof EmulatorControl]: (...args: Parameters<EmulatorControl[K]>) => Promise<ReturnType<EmulatorControl[K]>>;
};

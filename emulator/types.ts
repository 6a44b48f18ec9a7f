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
  /**
   * Default region: where functions and alarms are created when their spec names none, and the region of
   * requests whose SigV4 credential scope names none (unsigned requests). Default us-east-1.
   */
  region?: string;
  /** Default 12-digit account id: of created resources without one, and of callers whose access key is unknown. Default 123456789012. */
  accountId?: string;
  /** Emulator clock in epoch ms; default Date.now. All timed state (updates, pending versions, scheduled alarm changes) reads this. */
  now?: () => number;
  /** Seed for alias weighted routing; default 1. */
  seed?: number;
}

/** Why a function's creation or update failed, as Lambda reports it (e.g. reasonCode 'KMSKeyNotFound'). */
export interface FailureReason {
  /** StateReason / LastUpdateStatusReason, e.g. "Lambda was unable to decrypt the environment variables because the KMS key was not found." */
  reason: string;
  /** StateReasonCode / LastUpdateStatusReasonCode, e.g. 'KMSKeyNotFound', 'SubnetOutOfIPAddresses', 'InvalidImage'. */
  reasonCode: string;
}

/** Control API: create a function (as if it had been deployed earlier). */
export interface CreateFunctionSpec {
  name: string;
  /** Region the function lives in; default the emulator's region. */
  region?: string;
  /** Account the function belongs to; default the emulator's account. */
  accountId?: string;
  /**
   * IAM actions the function's resource-based policy grants to every other account, e.g.
   * ['lambda:InvokeFunction'] (`*` wildcards allowed). Default none: other accounts get 403 AccessDeniedException.
   */
  crossAccountActions?: string[];
  /** Environment variables (Environment.Variables in every FunctionConfiguration answer). */
  environment?: Record<string, string>;
  /**
   * The function was just created: State is Pending (StateReason "The function is being created.",
   * StateReasonCode Creating) for this long (ms, emulator time), then Active. While Pending, Invoke of
   * $LATEST, PublishVersion and UpdateFunctionCode answer 409 ResourceConflictException. Default 0.
   */
  pendingMs?: number;
  /** The function's creation failed: State is Failed (and LastUpdateStatus Failed) with this reason, for good. */
  failed?: FailureReason;
  /** The last update of $LATEST failed: LastUpdateStatus is Failed with this reason (State stays Active). */
  lastUpdate?: { status: 'Failed' } & FailureReason;
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
  /** Region the alarm lives in; default the emulator's region. */
  region?: string;
  /** Account the alarm belongs to; default the emulator's account. */
  accountId?: string;
}

/** Control API: options of `updateCode`. */
export interface UpdateCodeOptions {
  /** How long LastUpdateStatus stays InProgress (ms, emulator time); default the function's updateDurationMs. */
  durationMs?: number;
  /** The update ends Failed (after its duration) with this reason instead of Successful. */
  fail?: FailureReason;
  /** New environment variables deployed with the code (replacing the old ones); default unchanged. */
  environment?: Record<string, string>;
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
  /** Read the request, then never answer (no bytes, socket held open) until the client gives up or the server closes. */
  hangFraction?: number;
  /** Run the operation, then destroy the socket: the change is made but the caller never hears of it. */
  lostResponseFraction?: number;
  /** Only fault these SDK operation names (e.g. ['UpdateAlias']); default all. */
  operations?: string[];
  /** RNG seed for fault decisions; default 1. */
  seed?: number;
  /** Retry-After header value (seconds) on throttles; default 1. */
  retryAfterSeconds?: number;
}

/**
 * Special `failNext` error codes (any other string is answered as that AWS error code, e.g.
 * 'ResourceConflictException', 'AccessDeniedException'):
 * - 'drop': destroy the connection without an answer, nothing runs;
 * - 'lost-response': run the operation, then destroy the connection;
 * - 'hang': read the request, then never answer (the connection stays open, nothing runs);
 * - 'hang-after-run': run the operation, then never answer;
 * - 'html-502': answer 502 with a text/html body, as a proxy or load balancer in front of AWS would.
 */
export type SpecialFault = 'drop' | 'lost-response' | 'hang' | 'hang-after-run' | 'html-502';

/** Kind of fault applied to a logged call. */
export type FaultKind = 'throttle' | 'server-error' | 'drop' | 'lost-response' | 'latency' | 'hang' | 'hang-after-run' | 'html-502';

/** One AWS API call as seen by the emulator (control calls are not logged). */
export interface CallLogEntry {
  seq: number;
  /** Emulator time when the call arrived. */
  atMs: number;
  service: 'lambda' | 'cloudwatch';
  /** Region the request was signed for (the emulator's region for unsigned requests). */
  region: string;
  /** Caller's account (from its access key). */
  accountId: string;
  /** SDK operation name, e.g. 'UpdateAlias'; 'Unknown' for unrouted requests. */
  operation: string;
  functionName?: string;
  /** Parsed request: path/query parameters merged with the JSON body (Invoke: Payload as text). */
  params: Record<string, unknown>;
  /**
   * HTTP status sent; 0 for dropped and hung connections (a lost response logs the status it would have had;
   * a 'hang-after-run' call logs 0 and, when the operation failed, its errorCode).
   */
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
  /** Only $LATEST can be Failed (its creation failed). */
  state: 'Pending' | 'Active' | 'Failed';
  stateReason?: string;
  stateReasonCode?: string;
  /** Environment.Variables; absent when none. */
  environment?: Record<string, string>;
}

/** Snapshot of $LATEST: a version plus the status of its last update. */
export interface LatestSnapshot extends VersionSnapshot {
  lastUpdateStatus: 'InProgress' | 'Successful' | 'Failed';
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
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
  /** Unqualified function ARN, with the function's account and region. */
  arn: string;
  region: string;
  accountId: string;
  latest: LatestSnapshot;
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
  region: string;
  accountId: string;
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

/**
 * The control surface of the in-process emulator.
 *
 * Where a function is named, a plain name means the emulator's default account and region; a full ARN
 * (`arn:aws:lambda:<region>:<account>:function:<name>`) or a partial one (`<account>:function:<name>`,
 * default region) names a function elsewhere. Alarms likewise: a plain name or an alarm ARN.
 */
export interface EmulatorControl {
  /** Clears functions, alarms, metrics, faults, the call log, access keys and denials. */
  reset(): void;
  createFunction(spec: CreateFunctionSpec): FunctionSnapshot;
  /** Replaces $LATEST's code (as a pipeline would before the action runs); LastUpdateStatus is InProgress for the update's duration. */
  updateCode(name: string, codeSha256?: string, options?: UpdateCodeOptions): FunctionSnapshot;
  /** Marks the last update of $LATEST Failed now (an update still in progress ends now, Failed). */
  setLastUpdateFailed(name: string, reason: string, reasonCode: string): FunctionSnapshot;
  putAlarm(spec: AlarmSpec): AlarmSnapshot;
  setAlarmState(name: string, state: AlarmState, opts?: { reason?: string; afterMs?: number }): AlarmSnapshot;
  queueInvokeResults(functionName: string, results: InvokeResultSpec[]): void;
  setProvisionedConcurrency(functionName: string, alias: string, n: number): void;
  setFaults(faults: FaultConfig): void;
  /** The next `count` calls of `operation` fail with `errorCode`: an AWS error code or a SpecialFault. */
  failNext(operation: string, count: number, errorCode: string): void;
  /** Requests signed with this access key id come from `accountId` (unknown keys: the default account). */
  setAccessKeyAccount(accessKeyId: string, accountId: string): void;
  /** Every caller is denied these IAM actions (403, "no identity-based policy allows ..."); `[]` clears. */
  denyActions(actions: string[]): void;
  /** Moves emulator time forward by `ms` on top of the injected clock. */
  advanceTime(ms: number): void;
  calls(): CallLogEntry[];
  state(): EmulatorSnapshot;
}

/** The same control surface over HTTP: every method returns a Promise (see `EmulatorClient`). */
export type AsyncEmulatorControl = {
  [K in keyof EmulatorControl]: (...args: Parameters<EmulatorControl[K]>) => Promise<ReturnType<EmulatorControl[K]>>;
};

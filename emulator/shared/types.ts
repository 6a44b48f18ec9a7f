/**
 * Public types of the emulator's shared machinery: fault injection and the call log.
 * (Re-exported by emulator/types.ts.)
 */

/** The AWS services the emulator speaks (S3: only GetObject, for code objects). */
export type ServiceName = 'lambda' | 'cloudwatch' | 'codedeploy' | 's3';

/** Randomised fault injection; fractions are probabilities in [0,1]. */
export interface FaultConfig {
  /** Added real latency per call (ms). */
  latencyMs?: number;
  /** 429 TooManyRequestsException (Lambda) / Throttling (CloudWatch) / ThrottlingException (CodeDeploy). */
  throttleFraction?: number;
  /** 500 ServiceException (Lambda) / InternalServiceError (CloudWatch) / InternalFailure (CodeDeploy). */
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
export type FaultKind =
  'throttle' | 'server-error' | 'drop' | 'lost-response' | 'latency' | 'hang' | 'hang-after-run' | 'html-502';

/** One AWS API call as seen by the emulator, over HTTP or in-process (control calls are not logged). */
export interface CallLogEntry {
  seq: number;
  /** Emulator time when the call arrived. */
  atMs: number;
  service: ServiceName;
  /** Region the request was signed for (the emulator's region for unsigned requests). */
  region: string;
  /** Caller's account (from its access key). */
  accountId: string;
  /** SDK operation name, e.g. 'UpdateAlias'; 'Unknown' for unrouted requests. */
  operation: string;
  functionName?: string;
  /** The request as the SDK input names it (over HTTP: path/query parameters merged with the JSON body; Invoke: Payload as text). */
  params: Record<string, unknown>;
  /**
   * HTTP status sent; 0 for dropped and hung connections (a lost response logs the status it would have had;
   * a 'hang-after-run' call logs 0 and, when the operation failed, its errorCode).
   */
  status: number;
  errorCode?: string;
  /**
   * True for calls that change state: PublishVersion, CreateAlias, UpdateAlias, DeleteAlias, UpdateFunctionCode,
   * UpdateFunctionConfiguration, and CodeDeploy's Create*, Update*, StopDeployment and PutLifecycleEventHookExecutionStatus.
   */
  mutating: boolean;
  fault?: FaultKind;
  /**
   * Set for calls no client sent: 'codedeploy' for what emulated CodeDeploy does itself (the hook
   * invocations, InvocationType Event, and the alias updates of a deployment), logged when the emulator
   * catches up with its clock, stamped with the emulator time they were due at.
   */
  origin?: 'codedeploy';
}

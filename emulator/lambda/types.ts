/**
 * Public types of the Lambda model: what the control API takes (specs) and gives back (snapshots).
 * (Re-exported by emulator/types.ts.)
 */

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
  /**
   * Create an alias pointing at an existing (pre-published) version; with `weights`
   * (AdditionalVersionWeights, e.g. `{ '2': 0.1 }`) it is split, as an interrupted deployment leaves it.
   */
  alias?: { name: string; version: string; weights?: Record<string, number> };
  runtime?: string;
  handler?: string;
  memorySize?: number;
  timeout?: number;
  description?: string;
  /** Layer version ARNs. */
  layers?: string[];
  /** Default ['x86_64']. */
  architectures?: string[];
  /**
   * SnapStart on published versions (`SnapStart: { ApplyOn: 'PublishedVersions' }`), turned on after
   * the `versions` were published: the versions published from now on use it, and Lambda refuses
   * provisioned concurrency on them and on aliases that route to them.
   */
  snapStart?: boolean;
  /** 'Image' for a container-image function (default 'Zip', or 'Image' when imageUri is given). */
  packageType?: 'Zip' | 'Image';
  /** The image of a container-image function: `<repo>:<tag>` or `<repo>@sha256:<hex>`. */
  imageUri?: string;
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

/**
 * How one version answers Invoke when no queued result is waiting (control method
 * `setInvokeBehaviour`): the probes' view of a version, set per version so that a test can make the
 * new version fail its probes while the previous one passes them.
 */
export interface InvokeBehaviourSpec {
  /** Share of calls that end in a function error, 0 to 1; default 1 when `functionError` is given, else 0. */
  errorRate?: number;
  /** The error a failing call raises; default `{errorType: 'Error', errorMessage: 'injected failure'}`. */
  functionError?: { errorType: string; errorMessage: string };
  /** JSON-serialisable payload of a call that succeeds; default `{"status":"Succeeded"}`. */
  payload?: unknown;
  /** Real wall-clock delay before each answer. */
  delayMs?: number;
}

/** Snapshot of one published version (or $LATEST). */
export interface VersionSnapshot {
  version: string;
  codeSha256: string;
  codeSize: number;
  revisionId: string;
  description: string;
  packageType: 'Zip' | 'Image';
  /** Absent for container-image functions. */
  handler?: string;
  runtime?: string;
  memorySize: number;
  timeout: number;
  layers: string[];
  architectures: string[];
  imageUri?: string;
  /** Only $LATEST can be Failed (its creation failed); only a published version Inactive (setVersionInactive). */
  state: 'Pending' | 'Active' | 'Failed' | 'Inactive';
  stateReason?: string;
  stateReasonCode?: string;
  /** Environment.Variables; absent when none. */
  environment?: Record<string, string>;
  /** Provisioned concurrency configured on the version itself, when it has some. */
  provisionedConcurrency?: number;
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
  /** The provisioned concurrency requested on the alias, when it has some. */
  provisionedConcurrency?: number;
  /** The alias's provisioned concurrency as GetProvisionedConcurrencyConfig reports it, when it has some. */
  provisioned?: ProvisionedSnapshot;
}

/** A provisioned-concurrency configuration (of an alias or a version) as the emulator holds it now. */
export interface ProvisionedSnapshot {
  requested: number;
  allocated: number;
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  statusReason?: string;
  /** Executions ready per version now. */
  versions: Record<string, number>;
  /** The alias's weights are Lambda's own `{<serving version>: 1}` while it allocates (and after a failed allocation). */
  temporaryWeights: boolean;
}

/** Control API: options of `setProvisionedConcurrency`. */
export interface ProvisionedConcurrencyOptions {
  /**
   * How long every later allocation of the function's provisioned concurrency takes (ms, emulator
   * time): after a change of the setting, or of an alias's routing. Default 0 (ready at once).
   */
  allocationMs?: number;
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

/** How one version behaves under the traffic model. */
export interface VersionBehaviour {
  /** Share of calls that fail (a function error: counted in Errors), 0 to 1. */
  errorRate: number;
  /** Duration of a call: a log-normal distribution with this median and 99th percentile (ms). */
  latency: { medianMs: number; p99Ms: number };
  /** Failed calls run this long instead (ms), e.g. to the function's timeout; default: as `latency` says. */
  errorDurationMs?: number;
}

/**
 * Control API: callers invoking a function through an alias at a steady rate. Each call goes to a
 * version by the alias's weights as they are at that moment, and behaves as that version's entry
 * says; its metrics carry the real dimension sets (FunctionName, Resource, ExecutedVersion).
 */
export interface TrafficSpec {
  /** Function name (default account and region) or ARN. */
  functionName: string;
  alias: string;
  /** Calls per second, evenly spaced, above 0 and at most 1000. */
  ratePerSecond: number;
  /** Behaviour per version number. */
  versions?: Record<string, VersionBehaviour>;
  /** Behaviour of the versions `versions` does not name (e.g. one the deployment publishes); default no errors, 20/50 ms. */
  defaultVersion?: VersionBehaviour;
  /** Seed of the calls' routing, errors and durations; default 1. */
  seed?: number;
  /**
   * The traffic began this many milliseconds ago (default 0): the calls of that past are made at
   * once, routed by the alias as it is now, so that CloudWatch holds the history a busy alias has.
   */
  historyMs?: number;
}

/** What `startTraffic` answers. */
export interface TrafficSnapshot {
  functionName: string;
  alias: string;
  ratePerSecond: number;
  /** Emulator time of the first call. */
  startedAtMs: number;
}

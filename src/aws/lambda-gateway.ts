/**
 * The Lambda calls a deployment makes, behind one small interface so the rollout never sees the
 * SDK. Failures are the domain failures of failures.ts; a function is named by what the user gave
 * or, once resolved, by its full ARN, so every call reaches the account and region the user named.
 */

/** What the alias routes to: one version, or two with a weight on the second. */
export interface AliasRouting {
  /** The version that takes the rest of the traffic (`FunctionVersion`). */
  readonly version: string;
  /** The second version and its share (0 < weight < 1), from `RoutingConfig.AdditionalVersionWeights`. */
  readonly additional?: { readonly version: string; readonly weight: number };
}

/** An alias as last read or written; `revisionId` guards the next update. */
export interface AliasState extends AliasRouting {
  readonly name: string;
  readonly arn: string;
  readonly revisionId: string;
  /** The alias's description (where the action keeps its record: src/alias/record.ts); undefined when empty. */
  readonly description?: string;
}

/** What a write sets on an alias: its routing and, when given, its description (left as it is otherwise). */
export interface AliasWrite extends AliasRouting {
  readonly description?: string;
}

/** Whether a function can take a new version now, as GetFunction reports it. */
export interface FunctionReadiness {
  /** `Active`, `Pending`, `Inactive` or `Failed`. */
  readonly state: string;
  /** `Successful`, `InProgress` or `Failed`. */
  readonly lastUpdateStatus: string;
  /** AWS's reason when the function is not Active and updated: `<ReasonCode>: <Reason>`. */
  readonly reason?: string;
}

/** The function being deployed, as GetFunction describes it. */
export interface FunctionInfo {
  /** Plain function name, whatever form the input had. */
  readonly name: string;
  /** Unqualified function ARN: every later call names the function by it. */
  readonly arn: string;
  readonly readiness: FunctionReadiness;
  /** The memory of $LATEST (what the next version gets unless the deployment changes it), in MB. */
  readonly memorySizeMb?: number;
  /** SnapStart is on for published versions (`SnapStart.ApplyOn: PublishedVersions`). */
  readonly snapStart?: boolean;
}

/** Where Lambda's allocation of an alias's (or version's) provisioned concurrency stands. */
export type ProvisionedStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

/** The provisioned concurrency of an alias or a version, as GetProvisionedConcurrencyConfig reports it. */
export interface ProvisionedConcurrency {
  /** Executions asked for. */
  readonly requested: number;
  /** Executions allocated (it fluctuates while an alias's weights move it between versions). */
  readonly allocated: number;
  /** Executions available. */
  readonly available: number;
  readonly status: ProvisionedStatus;
  /** Lambda's reason when the allocation FAILED: AWS text, untrusted (escape and cap before display). */
  readonly statusReason?: string;
}

/** A published version. */
export interface PublishedVersion {
  readonly version: string;
  readonly arn: string;
  /** `Active` when it can take traffic at once; `Pending` while Lambda prepares it. */
  readonly state: string;
  /** The hash of its code, as Lambda reports it. */
  readonly codeSha256?: string;
}

/** Configuration values of a version that a deployment may set; an undefined one is left as it is. */
export interface ConfigurationChanges {
  readonly handler?: string;
  readonly runtime?: string;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  /** The function's own description (a published version gets `version-description` instead). */
  readonly description?: string;
  /** Every variable of the new version, replacing the old ones. Values are secrets: never printed. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Layer version ARNs, in order, replacing the old list. */
  readonly layers?: readonly string[];
}

/** Where UpdateFunctionCode takes the new code from. */
export type CodeUpload =
  | { readonly kind: 'zip'; readonly zipFile: Uint8Array }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly objectVersion?: string }
  | { readonly kind: 'image'; readonly imageUri: string };

/** What an update of $LATEST answered: never the whole configuration (it holds the environment). */
export interface FunctionUpdate {
  /** The RevisionId the update answered with (Lambda moves it on again when the update finishes). */
  readonly revisionId: string;
  /** The hash of the code $LATEST now holds. */
  readonly codeSha256?: string;
  /** `InProgress` while Lambda applies it. */
  readonly lastUpdateStatus: string;
}

/**
 * What a version (or `$LATEST`) holds, as far as a deployment compares it: the code and the values
 * it may set. Never the whole configuration; the environment stays inside the comparison.
 */
export interface VersionConfiguration {
  /** `$LATEST` or the version number. */
  readonly version: string;
  readonly revisionId: string;
  readonly codeSha256: string;
  readonly packageType: 'Zip' | 'Image';
  /** A container image as given, and resolved to its digest (`<repository>@sha256:<hex>`). */
  readonly imageUri?: string;
  readonly resolvedImageUri?: string;
  readonly handler?: string;
  readonly runtime?: string;
  readonly memorySize?: number;
  readonly timeoutSeconds?: number;
  readonly description?: string;
  readonly layers: readonly string[];
  readonly architectures: readonly string[];
  /** Undefined when Lambda could not return them (a KMS key the credentials may not use). Never printed. */
  readonly environment?: Readonly<Record<string, string>>;
}

/** The raw answer of a synchronous invocation, before any interpretation. */
export interface InvokeResponse {
  /** `Unhandled` / `Handled` when the function threw. */
  readonly functionError?: string;
  readonly payload: string;
  /** The version that ran the call (`x-amz-executed-version`): through an alias, the one its weights chose. */
  readonly executedVersion?: string;
}

export interface LambdaGateway {
  /** Reads the function; throws ResourceNotFound when it does not exist. */
  getFunction(functionRef: string, signal?: AbortSignal): Promise<FunctionInfo>;
  /** A function's (optionally qualified) time limit in seconds, from GetFunctionConfiguration. */
  getTimeoutSeconds(functionRef: string, signal?: AbortSignal): Promise<number>;
  /** Checks that these credentials may invoke the function (Invoke with InvocationType DryRun). */
  checkInvokable(functionRef: string, signal?: AbortSignal): Promise<void>;
  /** The alias, or undefined when it does not exist yet. */
  getAlias(functionRef: string, alias: string, signal?: AbortSignal): Promise<AliasState | undefined>;
  /** The names of every alias of the function. */
  listAliases(functionRef: string, signal?: AbortSignal): Promise<string[]>;
  /** The provisioned concurrency of an alias (or a version), or undefined when it has none. */
  getProvisionedConcurrency(
    functionRef: string,
    qualifier: string,
    signal?: AbortSignal
  ): Promise<ProvisionedConcurrency | undefined>;
  /**
   * Sets the provisioned concurrency of an alias (or a version); Lambda then allocates it
   * (IN_PROGRESS). Lambda refuses it while the alias has weights.
   */
  putProvisionedConcurrency(
    functionRef: string,
    qualifier: string,
    executions: number,
    signal?: AbortSignal
  ): Promise<ProvisionedConcurrency>;
  /** Waits until the function is Active and no update is in progress; throws FunctionNotReady. */
  waitUntilReady(functionRef: string, signal?: AbortSignal): Promise<void>;
  /**
   * Publishes a version; Lambda returns the latest one when nothing changed since. `codeSha256` and
   * `revisionId` make Lambda refuse when $LATEST is not what the caller last saw: FunctionChanged.
   */
  publishVersion(
    functionRef: string,
    options: { description: string; codeSha256?: string; revisionId?: string },
    signal?: AbortSignal
  ): Promise<PublishedVersion>;
  /** What a version (a number, or `$LATEST`) holds, for comparison (GetFunction with a Qualifier). */
  getVersionConfiguration(functionRef: string, version: string, signal?: AbortSignal): Promise<VersionConfiguration>;
  /** Changes the configuration of $LATEST; `revisionId` guards it (FunctionChanged when stale). */
  updateFunctionConfiguration(
    functionRef: string,
    changes: ConfigurationChanges,
    options: { revisionId?: string },
    signal?: AbortSignal
  ): Promise<FunctionUpdate>;
  /**
   * Replaces the code of $LATEST without publishing; `revisionId` guards it. The architecture
   * changes with the code, as Lambda requires. The upload may take longer than one request usually may.
   */
  updateFunctionCode(
    functionRef: string,
    source: CodeUpload,
    options: { publish: false; revisionId?: string; architectures?: readonly string[] },
    signal?: AbortSignal
  ): Promise<FunctionUpdate>;
  /** Waits until a published version is Active; throws FunctionNotReady. */
  waitUntilVersionActive(functionRef: string, version: string, signal?: AbortSignal): Promise<void>;
  /** Creates the alias on `target.version` (with `target.description`, when given). */
  createAlias(functionRef: string, alias: string, target: AliasWrite, signal?: AbortSignal): Promise<AliasState>;
  /**
   * Sets the alias's routing (and its description, when `routing.description` is given);
   * `revisionId` makes Lambda refuse it when someone else changed the alias.
   */
  updateAlias(
    functionRef: string,
    alias: string,
    routing: AliasWrite,
    revisionId: string,
    signal?: AbortSignal
  ): Promise<AliasState>;
  deleteAlias(functionRef: string, alias: string, signal?: AbortSignal): Promise<void>;
  /** Invokes a function synchronously; `timeoutMs` bounds the wait for its answer. */
  invoke(functionRef: string, payload: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<InvokeResponse>;
}

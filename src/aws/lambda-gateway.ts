/** The Lambda calls a deployment makes, behind one small interface so the engine never sees the SDK. */

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
}

/** The function being deployed, as GetFunction describes it. */
export interface FunctionInfo {
  /** Plain function name, whatever form the input had. */
  readonly name: string;
  /** Unqualified function ARN. */
  readonly arn: string;
}

/** A published version. */
export interface PublishedVersion {
  readonly version: string;
  readonly arn: string;
}

/** The raw answer of a synchronous invocation, before any interpretation. */
export interface InvokeResponse {
  /** `Unhandled` / `Handled` when the function threw. */
  readonly functionError?: string;
  readonly payload: string;
}

export interface LambdaGateway {
  /** Reads the function; throws the SDK's ResourceNotFoundException when it does not exist. */
  getFunction(functionName: string): Promise<FunctionInfo>;
  /** True when the function (with optional qualifier) exists. */
  functionExists(functionRef: string): Promise<boolean>;
  /** The alias, or undefined when it does not exist yet. */
  getAlias(functionName: string, alias: string): Promise<AliasState | undefined>;
  /** Provisioned concurrency requested on the alias, or undefined when there is none. */
  getProvisionedConcurrency(functionName: string, alias: string): Promise<number | undefined>;
  /** Waits until no update of the function is in progress (SDK waiter). */
  waitUntilUpdated(functionName: string, signal?: AbortSignal): Promise<void>;
  /** Publishes a version; Lambda returns the latest one when nothing changed since. */
  publishVersion(
    functionName: string,
    options: { description: string; codeSha256?: string },
    signal?: AbortSignal
  ): Promise<PublishedVersion>;
  /** Waits until a published version is Active (SDK waiter). */
  waitUntilVersionActive(functionName: string, version: string, signal?: AbortSignal): Promise<void>;
  createAlias(functionName: string, alias: string, version: string, signal?: AbortSignal): Promise<AliasState>;
  /** Sets the alias's routing; `revisionId` makes Lambda refuse it when someone else changed the alias. */
  updateAlias(
    functionName: string,
    alias: string,
    routing: AliasRouting,
    revisionId: string,
    signal?: AbortSignal
  ): Promise<AliasState>;
  deleteAlias(functionName: string, alias: string, signal?: AbortSignal): Promise<void>;
  /** Invokes a function synchronously. */
  invoke(functionRef: string, payload: string, signal?: AbortSignal): Promise<InvokeResponse>;
}

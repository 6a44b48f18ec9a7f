import type { AliasRouting } from './lambda-gateway.js';

/**
 * What a function has around its alias, behind one small interface: what invokes it (event source
 * mappings, function URLs, resource-based policies), its versions, every alias's routing and
 * provisioned concurrency, a version's state; and deleting an old version. Every list is read to
 * its last page. Failures are the domain failures of failures.ts.
 */

/** An event source mapping: the queue or stream Lambda polls, and the function ARN it invokes. */
export interface EventSourceMapping {
  readonly uuid: string;
  /** The function ARN as the mapping was created: unqualified, or with an alias, a version or `$LATEST`. */
  readonly functionArn: string;
  /** The queue, stream or broker (its ARN), when Lambda names one. */
  readonly eventSource?: string;
  /** `Enabled`, `Disabled`, `Creating`, … */
  readonly state?: string;
}

/** A function URL, on the unqualified function or an alias. */
export interface FunctionUrl {
  readonly url: string;
  /** The function ARN it invokes: unqualified, or with the alias. */
  readonly functionArn: string;
  /** `NONE` (public) or `AWS_IAM`. */
  readonly authType?: string;
}

/** A published version, as ListVersionsByFunction lists it. */
export interface ListedVersion {
  readonly version: string;
  /** When Lambda last changed it (its publication), in epoch milliseconds; undefined when Lambda did not say. */
  readonly lastModifiedMs?: number;
}

/** An alias and what it routes to. */
export interface ListedAlias extends AliasRouting {
  readonly name: string;
  /** The alias's description (this action keeps its record there: promoted versions, a hold). */
  readonly description?: string;
}

/** Whether a published version can take traffic, as GetFunctionConfiguration reports it. */
export interface VersionState {
  /** `Active`, `Pending`, `Inactive` or `Failed`. */
  readonly state: string;
  /** AWS's reason when it is not Active: `<StateReasonCode>: <StateReason>`. */
  readonly reason?: string;
  /** SnapStart's optimization of the version is on. */
  readonly snapStart: boolean;
  /** The version's description (this action writes the repository, commit and run there at publish). */
  readonly description?: string;
}

export interface LambdaInventoryGateway {
  /** Every event source mapping on exactly this function reference (with its qualifier, if any), all pages. */
  listEventSourceMappings(functionRef: string, signal?: AbortSignal): Promise<EventSourceMapping[]>;
  /** Every function URL of the function (unqualified and on aliases), all pages. */
  listFunctionUrls(functionRef: string, signal?: AbortSignal): Promise<FunctionUrl[]>;
  /** The resource-based policy of a qualifier (undefined: the unqualified function) as JSON text; undefined when it has none. */
  getPolicy(functionRef: string, qualifier: string | undefined, signal?: AbortSignal): Promise<string | undefined>;
  /** Every published version (not $LATEST), all pages, in Lambda's order. */
  listVersions(functionRef: string, signal?: AbortSignal): Promise<ListedVersion[]>;
  /** Every alias with its routing, all pages. */
  listAliasRoutings(functionRef: string, signal?: AbortSignal): Promise<ListedAlias[]>;
  /** The qualifiers (aliases and versions) that have provisioned concurrency, all pages. */
  listProvisionedConcurrency(functionRef: string, signal?: AbortSignal): Promise<string[]>;
  /** A published version's state (GetFunctionConfiguration with its number). */
  getVersionState(functionRef: string, version: string, signal?: AbortSignal): Promise<VersionState>;
  /** Deletes one published version (a number; anything else is refused before it is sent). */
  deleteVersion(functionRef: string, version: string, signal?: AbortSignal): Promise<void>;
}

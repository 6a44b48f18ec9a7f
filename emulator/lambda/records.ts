import { createHash, randomUUID } from 'node:crypto';
import type { ArnBuilder } from '../shared/arn.js';
import type { InvokeResultSpec, InvokeBehaviourSpec } from './types.js';

/** Configuration fields that make up a version's content (besides code). */
export interface FunctionSettings {
  description: string;
  runtime: string;
  handler: string;
  role: string;
  memorySize: number;
  timeout: number;
  /** Environment.Variables; undefined when the function has none. */
  environment?: Record<string, string>;
  /** Layer version ARNs, in order. */
  layers: string[];
  /** `['x86_64']` or `['arm64']`; set with the code (UpdateFunctionCode), as in Lambda. */
  architectures: string[];
  /** `Zip`, or `Image` for a container-image function (fixed at creation). */
  packageType: 'Zip' | 'Image';
  /** The image of an `Image` function as given (tag or digest), and its digest (`sha256:<hex>`). */
  imageUri?: string;
  imageDigest?: string;
  /** SnapStart on published versions (`SnapStart.ApplyOn: PublishedVersions`). */
  snapStart?: boolean;
}

/** Why a function's creation or last update failed (StateReason/StateReasonCode or the LastUpdateStatus pair). */
export interface FailureRecord {
  reason: string;
  reasonCode: string;
}

/** $LATEST: the mutable head of a function. */
export interface LatestRecord extends FunctionSettings {
  codeSha256: string;
  codeSize: number;
  /** The RevisionId while the last update is in progress (what the update answered with). */
  revisionId: string;
  /**
   * The RevisionId once the last update has finished. Lambda moves the RevisionId on again when an
   * update completes (aws/aws-sdk#377), so the one an update answers with is stale by then.
   */
  settledRevisionId: string;
  lastModifiedMs: number;
  /** Emulator time at which LastUpdateStatus leaves InProgress (for Successful, or Failed with `updateFailure`). */
  updateCompleteAtMs: number;
  /** Set when the last update ends (or ended) Failed. */
  updateFailure?: FailureRecord;
}

/** An immutable published version. */
export interface VersionRecord extends FunctionSettings {
  version: string;
  codeSha256: string;
  codeSize: number;
  revisionId: string;
  lastModifiedMs: number;
  /** Emulator time at which State becomes Active. */
  activeAtMs: number;
  /** Content key of $LATEST when published (for "publish unchanged" detection). */
  contentKey: string;
  /** The version is Inactive (idle): its next invocation wakes it, Pending for `reactivationMs`, then Active. */
  inactive?: { reactivationMs: number };
}

/** An alias and its routing. */
export interface AliasRecord {
  name: string;
  functionVersion: string;
  description: string;
  weights: Record<string, number>;
  revisionId: string;
}

/** One provisioned-concurrency configuration keyed by qualifier (an alias name or a version number). */
export interface ProvisionedConfig {
  requested: number;
  lastModifiedMs: number;
  /** Executions ready per version now (an alias's are split by its weights). */
  ready: Record<string, number>;
  /** The allocation under way: the executions per version it brings, when it ends, and its failure if it fails. */
  allocation?: { target: Record<string, number>; readyAtMs: number; failure?: string };
  /** StatusReason of the last allocation when it failed: Status FAILED until the next one. */
  failure?: string;
  /** What the failed allocation was for: of it, only what was ready before counts as allocated. */
  failedTarget?: Record<string, number>;
  /** The next allocation fails with this StatusReason (control method failProvisionedConcurrency). */
  nextFailure?: string;
  /**
   * The alias's weights are Lambda's own `{<serving version>: 1}`, set while it allocates on the
   * alias's new FunctionVersion; cleared when the allocation is ready, kept when it fails.
   */
  temporaryWeights: boolean;
}

/** Everything the emulator knows about one function. */
export interface FunctionRecord {
  name: string;
  /** Account and region the function lives in, and its ARN builder. */
  accountId: string;
  region: string;
  arns: ArnBuilder;
  /** Emulator time at which State leaves Pending (creation time + CreateFunctionSpec.pendingMs). */
  activeAtMs: number;
  /** Set when the function's creation failed: State is Failed for good. */
  creationFailure?: FailureRecord;
  /** IAM actions the resource-based policy grants to other accounts. */
  crossAccountActions: string[];
  latest: LatestRecord;
  versions: VersionRecord[];
  nextVersion: number;
  aliases: Map<string, AliasRecord>;
  provisioned: Map<string, ProvisionedConfig>;
  /** How long an allocation of provisioned concurrency takes (emulator ms); 0: ready at once. */
  provisionedAllocationMs: number;
  updateDurationMs: number;
  publishPendingMs: number;
  /** Invocation counts per executed version. */
  invocations: Map<string, number>;
  /** Queued invoke outcomes, consumed FIFO. */
  queue: InvokeResultSpec[];
  /** How each version answers Invoke when nothing is queued (setInvokeBehaviour). */
  invokeBehaviour: Map<string, InvokeBehaviourSpec>;
  /** The next update through the API ends Failed with this reason (control method failNextUpdate). */
  nextUpdateFailure?: FailureRecord;
}

/** A fresh RevisionId (UUID, like Lambda). */
export function newRevisionId(): string {
  return randomUUID();
}

/** Base64 SHA-256, the format Lambda uses for CodeSha256. */
export function sha256Base64(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('base64');
}

/** Identity of the publishable content of $LATEST: code plus configuration. */
export function contentKey(latest: LatestRecord): string {
  const { codeSha256, description, runtime, handler, role, memorySize, timeout, environment, layers, architectures, snapStart } =
    latest;
  const env = Object.entries(environment ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    codeSha256,
    description,
    runtime,
    handler,
    role,
    memorySize,
    timeout,
    env,
    layers,
    architectures,
    snapStart === true
  ]);
}

/** Lambda's LastModified format: 2024-01-02T03:04:05.678+0000. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

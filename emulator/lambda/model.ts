import { createHash } from 'node:crypto';
import { arnsOf, assertNamespace, namespacedKey, type FunctionRef, type Namespace } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import { lambdaErrors } from '../shared/errors.js';
import { actionMatches } from '../shared/identity.js';
import { imageCode, repositoryOf, type NewCode } from './code.js';
import { checkConfiguration, type ConfigurationChanges } from './configuration.js';
import {
  contentKey,
  lambdaTimestamp,
  newRevisionId,
  sha256Base64,
  type FailureRecord,
  type FunctionRecord,
  type LatestRecord,
  type VersionRecord
} from './records.js';
import type { CreateFunctionSpec, FailureReason } from './types.js';

/** Parameters of PublishVersion as sent by the SDK. */
export interface PublishVersionInput {
  CodeSha256?: string;
  Description?: string;
  RevisionId?: string;
}

/** Parameters of UpdateFunctionCode after the route resolved the code source to a hash. */
export interface CodeUpdate {
  code: NewCode;
  /** Which kind of source the request named: Lambda refuses one that does not fit the package type. */
  source: 'zip' | 's3' | 'image';
  revisionId?: string;
  publish?: boolean;
  dryRun?: boolean;
}

/** How a code update ends, besides its new code. */
export interface SetCodeOptions {
  /** InProgress for this long; default the function's updateDurationMs. */
  durationMs?: number;
  /** End Failed with this reason. */
  failure?: FailureRecord;
  /** Replace the environment variables. */
  environment?: Record<string, string>;
}

/** State of a function or version as FunctionConfiguration reports it. */
export interface StateFields {
  State: 'Pending' | 'Active' | 'Failed' | 'Inactive';
  StateReason?: string;
  StateReasonCode?: string;
}

/** LastUpdateStatus of $LATEST as FunctionConfiguration reports it. */
export interface LastUpdateFields {
  LastUpdateStatus: 'InProgress' | 'Successful' | 'Failed';
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
}

/** Resolved target of a qualified function reference. */
export type ResolvedQualifier =
  | { kind: 'latest' }
  | { kind: 'version'; version: VersionRecord }
  | { kind: 'alias'; alias: string; version: VersionRecord | 'latest' };

/**
 * Functions, $LATEST and published versions with Lambda's rules: version numbering,
 * publish-unchanged, update-in-progress conflicts, Pending→Active versions, function State
 * (Pending/Active/Failed) and failed updates. Functions live in (account, region) namespaces.
 */
export class LambdaModel {
  /** Every function of every namespace, keyed by `account/region/name`. */
  readonly functions = new Map<string, FunctionRecord>();

  constructor(
    readonly defaults: Namespace,
    private readonly clock: Clock
  ) {}

  reset(): void {
    this.functions.clear();
  }

  /** The function `name` of a namespace, if it exists. */
  find(ns: Namespace, name: string): FunctionRecord | undefined {
    return this.functions.get(namespacedKey(ns, name));
  }

  /** Looks a function up in a namespace, or throws ResourceNotFoundException. */
  get(ns: Namespace, name: string): FunctionRecord {
    const fn = this.find(ns, name);
    if (!fn) throw lambdaErrors.notFound(`Function not found: ${arnsOf(ns).function(name)}`);
    return fn;
  }

  /** Control API: creates a function, optionally with pre-published versions and an alias. */
  create(spec: CreateFunctionSpec): FunctionRecord {
    if (!spec.name || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) throw new RangeError(`invalid function name: ${spec.name}`);
    const ns = { accountId: spec.accountId ?? this.defaults.accountId, region: spec.region ?? this.defaults.region };
    assertNamespace(ns);
    if (this.find(ns, spec.name))
      throw new RangeError(`function already exists: ${spec.name} (account ${ns.accountId}, ${ns.region})`);
    const crossAccountActions = spec.crossAccountActions ?? [];
    if (!Array.isArray(crossAccountActions) || crossAccountActions.some((a) => typeof a !== 'string')) {
      throw new RangeError('crossAccountActions must be an array of IAM actions');
    }
    const pendingMs = nonNegative(spec.pendingMs ?? 0, 'pendingMs');
    const now = this.clock.now();
    const packageType = spec.packageType ?? (spec.imageUri !== undefined ? 'Image' : 'Zip');
    if (packageType === 'Image' && spec.imageUri === undefined) throw new RangeError('an Image function needs an imageUri');
    const revisionId = newRevisionId();
    const latest: LatestRecord = {
      ...(packageType === 'Image' ? imageCode(spec.imageUri!) : { codeSha256: sha256Base64(`${spec.name}:initial`) }),
      codeSize: 1024,
      revisionId,
      settledRevisionId: revisionId,
      lastModifiedMs: now,
      updateCompleteAtMs: now,
      description: spec.description ?? '',
      runtime: packageType === 'Image' ? '' : (spec.runtime ?? 'nodejs20.x'),
      handler: packageType === 'Image' ? '' : (spec.handler ?? 'index.handler'),
      role: `arn:aws:iam::${ns.accountId}:role/${spec.name}-role`,
      memorySize: spec.memorySize ?? 128,
      timeout: spec.timeout ?? 3,
      layers: [...(spec.layers ?? [])],
      architectures: [...(spec.architectures ?? ['x86_64'])],
      packageType,
      ...environmentOf(spec.environment)
    };
    const fn: FunctionRecord = {
      name: spec.name,
      ...ns,
      arns: arnsOf(ns),
      activeAtMs: now + pendingMs,
      crossAccountActions: [...crossAccountActions],
      latest,
      versions: [],
      nextVersion: 1,
      aliases: new Map(),
      provisioned: new Map(),
      provisionedAllocationMs: 0,
      updateDurationMs: spec.updateDurationMs ?? 0,
      publishPendingMs: spec.publishPendingMs ?? 0,
      invocations: new Map(),
      queue: [],
      invokeBehaviour: new Map()
    };
    const imageRepository = spec.imageUri !== undefined ? repositoryOf(spec.imageUri) : undefined;
    for (let i = 1; i <= (spec.versions ?? 0); i++) {
      // Each earlier version has code of its own: a zip's hash, or an image digest in the same repository.
      const code = imageRepository
        ? imageCode(`${imageRepository}@sha256:${sha256Hex(`${spec.name}:v${i}`)}`)
        : { codeSha256: sha256Base64(`${spec.name}:v${i}`) };
      this.setCode(fn, { ...code, codeSize: 1024 }, { durationMs: 0 });
      this.appendVersion(fn, undefined, 0);
    }
    if (packageType === 'Image' && (spec.versions ?? 0) > 0)
      this.setCode(fn, { ...imageCode(spec.imageUri!), codeSize: 1024 }, { durationMs: 0 });
    if (spec.codeSha256 !== undefined) this.setCode(fn, { codeSha256: spec.codeSha256, codeSize: 1024 }, { durationMs: 0 });
    // Turned on after the versions above were published: the versions published from now on use it.
    if (spec.snapStart) fn.latest.snapStart = true;
    if (spec.failed) fn.creationFailure = failureOf(spec.failed, 'failed');
    if (spec.lastUpdate) {
      if (spec.lastUpdate.status !== 'Failed')
        throw new RangeError(`lastUpdate.status must be 'Failed', got ${String(spec.lastUpdate.status)}`);
      fn.latest.updateFailure = failureOf(spec.lastUpdate, 'lastUpdate');
    }
    this.functions.set(namespacedKey(ns, spec.name), fn);
    return fn;
  }

  /** Replaces $LATEST code; LastUpdateStatus is InProgress for the duration, then Successful (or Failed). */
  setCode(fn: FunctionRecord, code: NewCode, options: SetCodeOptions = {}): void {
    const { architectures, ...fields } = code;
    this.beginUpdate(fn, options);
    Object.assign(fn.latest, fields, architectures !== undefined ? { architectures: [...architectures] } : {});
    if (options.environment !== undefined) this.replaceEnvironment(fn, options.environment);
  }

  /** Applies UpdateFunctionConfiguration's changes to $LATEST, as an update with the function's duration. */
  setConfiguration(fn: FunctionRecord, changes: ConfigurationChanges, options: SetCodeOptions = {}): void {
    const { environment, layers, ...plain } = changes;
    this.beginUpdate(fn, options);
    Object.assign(fn.latest, plain, layers !== undefined ? { layers: [...layers] } : {});
    if (environment !== undefined) this.replaceEnvironment(fn, environment);
  }

  /** An update starts now: new RevisionIds, InProgress for the duration, then Successful or Failed. */
  private beginUpdate(fn: FunctionRecord, options: SetCodeOptions): void {
    const now = this.clock.now();
    const durationMs = nonNegative(options.durationMs ?? fn.updateDurationMs, 'durationMs');
    const { updateFailure: _previous, ...rest } = fn.latest;
    fn.latest = {
      ...rest,
      revisionId: newRevisionId(),
      settledRevisionId: newRevisionId(),
      lastModifiedMs: now,
      updateCompleteAtMs: now + durationMs,
      ...(options.failure ? { updateFailure: failureOf(options.failure, 'fail') } : {})
    };
  }

  private replaceEnvironment(fn: FunctionRecord, environment: Record<string, string>): void {
    delete fn.latest.environment;
    Object.assign(fn.latest, environmentOf(environment));
  }

  /** The RevisionId of $LATEST now: the update's own while it runs, a new one once it finished. */
  revisionOf(fn: FunctionRecord): string {
    return this.updateInProgress(fn) ? fn.latest.revisionId : fn.latest.settledRevisionId;
  }

  /** Ends the last update Failed now (an update still in progress ends now). */
  markUpdateFailed(fn: FunctionRecord, failure: FailureReason): void {
    fn.latest.updateFailure = failureOf(failure, 'failure');
    fn.latest.updateCompleteAtMs = Math.min(fn.latest.updateCompleteAtMs, this.clock.now());
  }

  /** True while LastUpdateStatus of $LATEST is InProgress. */
  updateInProgress(fn: FunctionRecord): boolean {
    return this.clock.now() < fn.latest.updateCompleteAtMs;
  }

  /** State of $LATEST: Failed (creation failed), Pending (being created) or Active. */
  functionState(fn: FunctionRecord): StateFields {
    if (fn.creationFailure) {
      return { State: 'Failed', StateReason: fn.creationFailure.reason, StateReasonCode: fn.creationFailure.reasonCode };
    }
    if (this.clock.now() < fn.activeAtMs) return { State: 'Pending', ...CREATING };
    return { State: 'Active' };
  }

  /**
   * LastUpdateStatus of $LATEST. A function being created reports Successful (creation is tracked by State:
   * waitUntilFunctionUpdatedV2 does not wait for it); a function whose creation failed reports Failed.
   */
  lastUpdate(fn: FunctionRecord): LastUpdateFields {
    if (this.updateInProgress(fn)) return { LastUpdateStatus: 'InProgress' };
    const failure = fn.latest.updateFailure ?? fn.creationFailure;
    if (failure)
      return {
        LastUpdateStatus: 'Failed',
        LastUpdateStatusReason: failure.reason,
        LastUpdateStatusReasonCode: failure.reasonCode
      };
    return { LastUpdateStatus: 'Successful' };
  }

  /** Lambda's refusal of a change while an update is running. */
  assertNotUpdating(fn: FunctionRecord): void {
    if (this.updateInProgress(fn)) {
      throw lambdaErrors.conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${fn.arns.function(fn.name)}`
      );
    }
  }

  /** Lambda's refusal of Invoke/PublishVersion/UpdateFunctionCode while the function is Pending (or Failed). */
  assertFunctionActive(fn: FunctionRecord): void {
    const { State } = this.functionState(fn);
    if (State !== 'Active') throw stateConflict(State);
  }

  /** True when the function's resource-based policy grants `action` to other accounts. */
  grantsCrossAccount(fn: FunctionRecord, action: string): boolean {
    return fn.crossAccountActions.some((pattern) => actionMatches(pattern, action));
  }

  /** UpdateFunctionCode semantics. Returns the configuration to answer with. */
  updateCode(fn: FunctionRecord, update: CodeUpdate): Record<string, unknown> {
    this.assertFunctionActive(fn);
    this.assertNotUpdating(fn);
    this.assertRevision(this.revisionOf(fn), update.revisionId);
    if (fn.latest.packageType === 'Image' && update.source !== 'image') {
      throw lambdaErrors.invalidParameter('Please provide ImageUri when updating a function with packageType Image.');
    }
    if (fn.latest.packageType === 'Zip' && update.source === 'image') {
      throw lambdaErrors.invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
    }
    if (update.dryRun) return { ...this.latestConfiguration(fn, false), CodeSha256: update.code.codeSha256 };
    this.setCode(fn, update.code, this.armedFailure(fn));
    if (update.publish) {
      // Lambda publishes right after the update; the version is then created from the new code.
      return this.versionConfiguration(fn, this.publishUnchecked(fn, undefined));
    }
    return this.updateAnswer(fn);
  }

  /** UpdateFunctionConfiguration semantics. Returns the configuration to answer with. */
  updateConfiguration(
    fn: FunctionRecord,
    changes: ConfigurationChanges,
    revisionId: string | undefined
  ): Record<string, unknown> {
    this.assertFunctionActive(fn);
    this.assertNotUpdating(fn);
    this.assertRevision(this.revisionOf(fn), revisionId);
    checkConfiguration(fn.latest.packageType, changes);
    this.setConfiguration(fn, changes, this.armedFailure(fn));
    return this.updateAnswer(fn);
  }

  /** What an update answers: the new configuration, InProgress, with the update's own RevisionId. */
  private updateAnswer(fn: FunctionRecord): Record<string, unknown> {
    return { ...this.latestConfiguration(fn, false), RevisionId: fn.latest.revisionId, LastUpdateStatus: 'InProgress' };
  }

  /** A failure armed for the next update by the control API (`failNextUpdate`), taken once. */
  private armedFailure(fn: FunctionRecord): SetCodeOptions {
    const failure = fn.nextUpdateFailure;
    delete fn.nextUpdateFailure;
    return failure ? { failure } : {};
  }

  /** PublishVersion semantics; returns the new (or unchanged existing) version. */
  publish(fn: FunctionRecord, input: PublishVersionInput): VersionRecord {
    this.assertFunctionActive(fn);
    this.assertNotUpdating(fn);
    this.assertRevision(this.revisionOf(fn), input.RevisionId);
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.codeSha256) {
      // Real Lambda answers a hash mismatch with 400 InvalidParameterValueException (not 412).
      throw lambdaErrors.invalidParameter(
        `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`
      );
    }
    return this.publishUnchecked(fn, input.Description);
  }

  private publishUnchecked(fn: FunctionRecord, description: string | undefined): VersionRecord {
    const last = fn.versions[fn.versions.length - 1];
    if (last && last.contentKey === contentKey(fn.latest)) return last;
    return this.appendVersion(fn, description, fn.publishPendingMs);
  }

  private appendVersion(fn: FunctionRecord, description: string | undefined, pendingMs: number): VersionRecord {
    const now = this.clock.now();
    const { updateFailure: _failure, updateCompleteAtMs: _complete, settledRevisionId: _settled, ...settings } = fn.latest;
    const version: VersionRecord = {
      ...settings,
      ...environmentOf(fn.latest.environment),
      description: description ?? fn.latest.description,
      version: String(fn.nextVersion++),
      revisionId: newRevisionId(),
      lastModifiedMs: now,
      activeAtMs: now + pendingMs,
      contentKey: contentKey(fn.latest)
    };
    fn.versions.push(version);
    return version;
  }

  /** Throws PreconditionFailedException when `given` is set and differs from `current`. */
  assertRevision(current: string, given: string | undefined): void {
    if (given !== undefined && given !== current) {
      throw lambdaErrors.precondition(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id'
      );
    }
  }

  /** Finds a published version by number, or throws ResourceNotFoundException. */
  version(fn: FunctionRecord, version: string): VersionRecord {
    const found = fn.versions.find((v) => v.version === version);
    if (!found) throw lambdaErrors.notFound(`Function not found: ${fn.arns.function(fn.name, version)}`);
    return found;
  }

  /** True when State of the version is still Pending. */
  isPending(version: VersionRecord): boolean {
    return this.clock.now() < version.activeAtMs;
  }

  /** Combines the qualifier embedded in FunctionName with the ?Qualifier= parameter. */
  qualifierOf(ref: FunctionRef, param: string | undefined): string | undefined {
    if (ref.qualifier !== undefined && param !== undefined && ref.qualifier !== param) {
      throw lambdaErrors.invalidParameter('The derived qualifier from the function name does not match the specified qualifier.');
    }
    return param ?? ref.qualifier;
  }

  /** Resolves a qualifier ($LATEST, version number or alias name). */
  resolve(fn: FunctionRecord, qualifier: string | undefined): ResolvedQualifier {
    if (qualifier === undefined || qualifier === '$LATEST') return { kind: 'latest' };
    if (/^\d+$/.test(qualifier)) return { kind: 'version', version: this.version(fn, qualifier) };
    const alias = fn.aliases.get(qualifier);
    if (!alias) throw lambdaErrors.notFound(`Function not found: ${fn.arns.function(fn.name, qualifier)}`);
    const target = alias.functionVersion === '$LATEST' ? 'latest' : this.version(fn, alias.functionVersion);
    return { kind: 'alias', alias: alias.name, version: target };
  }

  /** FunctionConfiguration for any qualifier (GetFunction / GetFunctionConfiguration). */
  configuration(fn: FunctionRecord, qualifier: string | undefined): Record<string, unknown> {
    const target = this.resolve(fn, qualifier);
    if (target.kind === 'latest') return this.latestConfiguration(fn, qualifier !== undefined);
    if (target.kind === 'version') return this.versionConfiguration(fn, target.version);
    const config =
      target.version === 'latest' ? this.latestConfiguration(fn, true) : this.versionConfiguration(fn, target.version);
    return { ...config, FunctionArn: fn.arns.function(fn.name, target.alias) };
  }

  /** FunctionConfiguration of $LATEST. */
  latestConfiguration(fn: FunctionRecord, qualifiedArn: boolean): Record<string, unknown> {
    return {
      ...this.commonConfiguration(fn, fn.latest),
      RevisionId: this.revisionOf(fn),
      FunctionArn: fn.arns.function(fn.name, qualifiedArn ? '$LATEST' : undefined),
      Version: '$LATEST',
      ...this.functionState(fn),
      ...this.lastUpdate(fn)
    };
  }

  /** FunctionConfiguration of a published version (its ARN is always qualified with the number). */
  versionConfiguration(fn: FunctionRecord, version: VersionRecord): Record<string, unknown> {
    const pending = this.isPending(version);
    return {
      ...this.commonConfiguration(fn, version),
      FunctionArn: fn.arns.function(fn.name, version.version),
      Version: version.version,
      State: version.inactive ? 'Inactive' : pending ? 'Pending' : 'Active',
      ...(version.inactive ? IDLE : pending ? CREATING : {}),
      LastUpdateStatus: 'Successful'
    };
  }

  /** GetFunction's `Code`: where the zip can be downloaded, or the image and its resolved digest. */
  codeLocation(fn: FunctionRecord, qualifier: string | undefined): Record<string, unknown> {
    const target = this.resolve(fn, qualifier);
    const source = target.kind === 'latest' || target.version === 'latest' ? fn.latest : target.version;
    if (source.packageType === 'Image') {
      return {
        RepositoryType: 'ECR',
        ImageUri: source.imageUri,
        ResolvedImageUri: `${repositoryOf(source.imageUri!)}@${source.imageDigest!}`
      };
    }
    const location = `https://awslambda-${fn.region}-tasks.s3.${fn.region}.amazonaws.com/snapshots/${fn.accountId}/${fn.name}`;
    return { RepositoryType: 'S3', Location: location };
  }

  private commonConfiguration(fn: FunctionRecord, source: LatestRecord | VersionRecord): Record<string, unknown> {
    const zip = source.packageType === 'Zip';
    return {
      FunctionName: fn.name,
      ...(zip ? { Runtime: source.runtime, Handler: source.handler } : {}),
      Role: source.role,
      CodeSize: source.codeSize,
      Description: source.description,
      Timeout: source.timeout,
      MemorySize: source.memorySize,
      LastModified: lambdaTimestamp(source.lastModifiedMs),
      CodeSha256: source.codeSha256,
      RevisionId: source.revisionId,
      PackageType: source.packageType,
      Architectures: [...source.architectures],
      ...(source.layers.length > 0 ? { Layers: source.layers.map((arn) => ({ Arn: arn, CodeSize: 1024 })) } : {}),
      ...(source.environment ? { Environment: { Variables: { ...source.environment } } } : {}),
      ...(source.snapStart
        ? {
            SnapStart: {
              ApplyOn: 'PublishedVersions',
              OptimizationStatus: 'version' in source && source.version !== '$LATEST' ? 'On' : 'Off'
            }
          }
        : {})
    };
  }
}

const CREATING = { StateReason: 'The function is being created.', StateReasonCode: 'Creating' } as const;
const IDLE = {
  StateReason: 'The function version is inactive because it has not been invoked recently.',
  StateReasonCode: 'Idle'
} as const;

/** 409 for an operation Lambda refuses in the function's current State. */
function stateConflict(state: string) {
  return lambdaErrors.conflict(
    `The operation cannot be performed at this time. The function is currently in the following state: ${state}`
  );
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function nonNegative(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a non-negative number, got ${value}`);
  return value;
}

function failureOf(f: FailureReason, name: string): FailureRecord {
  if (!f || typeof f.reason !== 'string' || typeof f.reasonCode !== 'string' || !f.reasonCode) {
    throw new RangeError(`${name} needs a reason and a reasonCode`);
  }
  return { reason: f.reason, reasonCode: f.reasonCode };
}

/** `{environment}` for a non-empty variable map (copied and checked), `{}` otherwise. */
function environmentOf(env: Record<string, string> | undefined): { environment?: Record<string, string> } {
  if (env === undefined || env === null) return {};
  if (typeof env !== 'object' || Array.isArray(env)) throw new RangeError('environment must be an object of strings');
  const entries = Object.entries(env);
  for (const [k, v] of entries) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])*$/.test(k)) throw new RangeError(`invalid environment variable name: ${k}`);
    if (typeof v !== 'string') throw new RangeError(`environment variable ${k} must be a string`);
  }
  return entries.length === 0 ? {} : { environment: Object.fromEntries(entries) };
}

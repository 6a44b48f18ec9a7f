import { ArnBuilder, type FunctionRef } from './arn.js';
import { lambdaTimestamp, type Clock } from './clock.js';
import { lambdaErrors } from './errors.js';
import {
  contentKey,
  newRevisionId,
  sha256Base64,
  type FunctionRecord,
  type LatestRecord,
  type VersionRecord,
} from './lambda-records.js';
import type { CreateFunctionSpec } from './types.js';

/** Parameters of PublishVersion as sent by the SDK. */
export interface PublishVersionInput {
  CodeSha256?: string;
  Description?: string;
  RevisionId?: string;
}

/** Parameters of UpdateFunctionCode after the route resolved the code source to a hash. */
export interface CodeUpdate {
  codeSha256: string;
  codeSize: number;
  revisionId?: string;
  publish?: boolean;
  dryRun?: boolean;
}

/** Resolved target of a qualified function reference. */
export type ResolvedQualifier =
  | { kind: 'latest' }
  | { kind: 'version'; version: VersionRecord }
  | { kind: 'alias'; alias: string; version: VersionRecord | 'latest' };

/**
 * Functions, $LATEST and published versions with Lambda's rules: version numbering,
 * publish-unchanged, update-in-progress conflicts, Pending→Active versions.
 */
export class LambdaModel {
  readonly functions = new Map<string, FunctionRecord>();

  constructor(readonly arns: ArnBuilder, private readonly clock: Clock) {}

  reset(): void {
    this.functions.clear();
  }

  /** Looks a function up by plain name, or throws ResourceNotFoundException. */
  get(name: string): FunctionRecord {
    const fn = this.functions.get(name);
    if (!fn) throw lambdaErrors.notFound(`Function not found: ${this.arns.function(name)}`);
    return fn;
  }

  /** Control API: creates a function, optionally with pre-published versions and an alias. */
  create(spec: CreateFunctionSpec): FunctionRecord {
    if (!spec.name || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) throw new RangeError(`invalid function name: ${spec.name}`);
    if (this.functions.has(spec.name)) throw new RangeError(`function already exists: ${spec.name}`);
    const now = this.clock.now();
    const latest: LatestRecord = {
      codeSha256: sha256Base64(`${spec.name}:initial`),
      codeSize: 1024,
      revisionId: newRevisionId(),
      lastModifiedMs: now,
      updateCompleteAtMs: now,
      description: spec.description ?? '',
      runtime: spec.runtime ?? 'nodejs20.x',
      handler: spec.handler ?? 'index.handler',
      role: `arn:aws:iam::${this.arns.accountId}:role/${spec.name}-role`,
      memorySize: spec.memorySize ?? 128,
      timeout: spec.timeout ?? 3,
    };
    const fn: FunctionRecord = {
      name: spec.name,
      latest,
      versions: [],
      nextVersion: 1,
      aliases: new Map(),
      provisioned: new Map(),
      updateDurationMs: spec.updateDurationMs ?? 0,
      publishPendingMs: spec.publishPendingMs ?? 0,
      invocations: new Map(),
      queue: [],
    };
    this.functions.set(spec.name, fn);
    for (let i = 1; i <= (spec.versions ?? 0); i++) {
      this.setCode(fn, sha256Base64(`${spec.name}:v${i}`), 1024, 0);
      this.appendVersion(fn, undefined, 0);
    }
    if (spec.codeSha256 !== undefined) this.setCode(fn, spec.codeSha256, 1024, 0);
    return fn;
  }

  /** Replaces $LATEST code; LastUpdateStatus is InProgress for `durationMs`. */
  setCode(fn: FunctionRecord, codeSha256: string, codeSize: number, durationMs = fn.updateDurationMs): void {
    const now = this.clock.now();
    fn.latest = {
      ...fn.latest,
      codeSha256,
      codeSize,
      revisionId: newRevisionId(),
      lastModifiedMs: now,
      updateCompleteAtMs: now + durationMs,
    };
  }

  /** True while LastUpdateStatus of $LATEST is InProgress. */
  updateInProgress(fn: FunctionRecord): boolean {
    return this.clock.now() < fn.latest.updateCompleteAtMs;
  }

  /** Lambda's refusal of a change while an update is running. */
  assertNotUpdating(fn: FunctionRecord): void {
    if (this.updateInProgress(fn)) {
      throw lambdaErrors.conflict(
        `The operation cannot be performed at this time. An update is in progress for resource: ${this.arns.function(fn.name)}`,
      );
    }
  }

  /** UpdateFunctionCode semantics. Returns the configuration to answer with. */
  updateCode(fn: FunctionRecord, update: CodeUpdate): Record<string, unknown> {
    this.assertNotUpdating(fn);
    this.assertRevision(fn.latest.revisionId, update.revisionId);
    if (update.dryRun) return { ...this.latestConfiguration(fn, false), CodeSha256: update.codeSha256 };
    this.setCode(fn, update.codeSha256, update.codeSize);
    if (update.publish) {
      // Lambda publishes right after the update; the version is then created from the new code.
      return this.versionConfiguration(fn, this.publishUnchecked(fn, undefined));
    }
    return this.latestConfiguration(fn, false);
  }

  /** PublishVersion semantics; returns the new (or unchanged existing) version. */
  publish(fn: FunctionRecord, input: PublishVersionInput): VersionRecord {
    this.assertNotUpdating(fn);
    this.assertRevision(fn.latest.revisionId, input.RevisionId);
    if (input.CodeSha256 !== undefined && input.CodeSha256 !== fn.latest.codeSha256) {
      // Real Lambda answers a hash mismatch with 400 InvalidParameterValueException (not 412).
      throw lambdaErrors.invalidParameter(
        `CodeSHA256 (${input.CodeSha256}) is different from current CodeSHA256 in $LATEST (${fn.latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
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
    const version: VersionRecord = {
      ...fn.latest,
      description: description ?? fn.latest.description,
      version: String(fn.nextVersion++),
      revisionId: newRevisionId(),
      lastModifiedMs: now,
      activeAtMs: now + pendingMs,
      contentKey: contentKey(fn.latest),
    };
    fn.versions.push(version);
    return version;
  }

  /** Throws PreconditionFailedException when `given` is set and differs from `current`. */
  assertRevision(current: string, given: string | undefined): void {
    if (given !== undefined && given !== current) {
      throw lambdaErrors.precondition(
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      );
    }
  }

  /** Finds a published version by number, or throws ResourceNotFoundException. */
  version(fn: FunctionRecord, version: string): VersionRecord {
    const found = fn.versions.find((v) => v.version === version);
    if (!found) throw lambdaErrors.notFound(`Function not found: ${this.arns.function(fn.name, version)}`);
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
    if (!alias) throw lambdaErrors.notFound(`Function not found: ${this.arns.function(fn.name, qualifier)}`);
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
    return { ...config, FunctionArn: this.arns.function(fn.name, target.alias) };
  }

  /** FunctionConfiguration of $LATEST. */
  latestConfiguration(fn: FunctionRecord, qualifiedArn: boolean): Record<string, unknown> {
    const inProgress = this.updateInProgress(fn);
    return {
      ...this.commonConfiguration(fn, fn.latest),
      FunctionArn: this.arns.function(fn.name, qualifiedArn ? '$LATEST' : undefined),
      Version: '$LATEST',
      State: 'Active',
      LastUpdateStatus: inProgress ? 'InProgress' : 'Successful',
    };
  }

  /** FunctionConfiguration of a published version (its ARN is always qualified with the number). */
  versionConfiguration(fn: FunctionRecord, version: VersionRecord): Record<string, unknown> {
    const pending = this.isPending(version);
    return {
      ...this.commonConfiguration(fn, version),
      FunctionArn: this.arns.function(fn.name, version.version),
      Version: version.version,
      State: pending ? 'Pending' : 'Active',
      ...(pending ? { StateReason: 'The function is being created.', StateReasonCode: 'Creating' } : {}),
      LastUpdateStatus: 'Successful',
    };
  }

  private commonConfiguration(fn: FunctionRecord, source: LatestRecord | VersionRecord): Record<string, unknown> {
    return {
      FunctionName: fn.name,
      Runtime: source.runtime,
      Role: source.role,
      Handler: source.handler,
      CodeSize: source.codeSize,
      Description: source.description,
      Timeout: source.timeout,
      MemorySize: source.memorySize,
      LastModified: lambdaTimestamp(source.lastModifiedMs),
      CodeSha256: source.codeSha256,
      RevisionId: source.revisionId,
      PackageType: 'Zip',
      Architectures: ['x86_64'],
    };
  }
}

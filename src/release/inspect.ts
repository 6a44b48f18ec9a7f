import { parseFunctionRef } from '../aws/arn.js';
import type { CodeObjectDigest, CodeObjectGateway } from '../aws/code-object-gateway.js';
import type {
  AliasState,
  CodeUpload,
  ConfigurationChanges,
  FunctionInfo,
  LambdaGateway,
  VersionConfiguration
} from '../aws/lambda-gateway.js';
import type { ZipPackage } from '../code/package.js';
import { describeCodeSource, imageDigest, type CodeSource } from '../code/source.js';
import { Inputs } from '../config/keys.js';
import type { Architecture } from '../config/settings.js';
import { compareVersions, type WantedCode, type WantedVersion } from './changes.js';
import type { CodeToUpload, PlannedChange } from './latest-change.js';
import type { Journal } from '../core/journal.js';

/** The code and configuration a deployment brings for one function. */
export interface TargetContent {
  readonly code?: PreparedCode;
  readonly configuration: ConfigurationChanges;
  readonly architecture?: Architecture;
}

/** A code source, with its zip when the runner built or read it. */
export interface PreparedCode {
  readonly source: CodeSource;
  readonly zip?: ZipPackage;
}

/** What the inspection reads. */
export interface InspectDeps {
  readonly lambda: LambdaGateway;
  /** Reads S3 code objects to hash them; without it, such code counts as not known beforehand. */
  readonly codeObjects?: CodeObjectGateway;
  readonly recorder: Journal;
}

/** What the inspection found: the change to make, or why none can be made. */
export interface Inspection {
  readonly change?: PlannedChange;
  /** What cannot work (a zip for a container-image function, say). */
  readonly problems: readonly string[];
  /** What could not be read, and why (the preflight words them as it words every failed read). */
  readonly failedReads: ReadonlyArray<{ readonly what: string; readonly error: unknown }>;
}

/**
 * The read-only part of a deployment that brings code or configuration: reads $LATEST, the live
 * version and an S3 object's hash (in parallel), checks that the code fits the function's package
 * type, and compares. Nothing throws: what cannot be read, or cannot work, is reported.
 */
export async function inspectContent(
  deps: InspectDeps,
  fn: FunctionInfo,
  alias: AliasState | undefined,
  content: TargetContent,
  signal?: AbortSignal
): Promise<Inspection> {
  const { lambda, codeObjects } = deps;
  const liveVersion = alias && alias.version !== '$LATEST' ? alias.version : undefined;
  const source = content.code?.source;
  const [latest, live, digest] = await Promise.allSettled([
    lambda.getVersionConfiguration(fn.arn, '$LATEST', signal),
    liveVersion ? lambda.getVersionConfiguration(fn.arn, liveVersion, signal) : Promise.resolve(undefined),
    source?.kind === 's3' && codeObjects
      ? codeObjects.digest(source, parseFunctionRef(fn.arn)?.region, signal)
      : Promise.resolve(undefined)
  ]);
  const failedReads: Array<{ what: string; error: unknown }> = [];
  if (latest.status === 'rejected') failedReads.push({ what: `$LATEST of ${fn.name}`, error: latest.reason });
  if (live.status === 'rejected')
    failedReads.push({ what: `version ${liveVersion} of ${fn.name} (live on ${alias?.name})`, error: live.reason });
  if (digest.status === 'rejected' && source?.kind === 's3') {
    failedReads.push({ what: `the code object ${describeCodeSource(source)}`, error: digest.reason });
  }
  if (latest.status === 'rejected' || live.status === 'rejected' || digest.status === 'rejected')
    return { problems: [], failedReads };
  const problems = packageProblems(fn.name, latest.value, content);
  if (problems.length > 0) return { problems, failedReads };

  const wanted: WantedVersion = {
    ...(content.code ? { code: wantedCode(content.code, digest.value) } : {}),
    configuration: content.configuration,
    ...(content.architecture ? { architecture: content.architecture } : {})
  };
  const comparison = compareVersions(wanted, latest.value, fn.readiness.lastUpdateStatus !== 'Failed', live.value);
  const code = content.code ? toUpload(content.code, digest.value) : undefined;
  if (source?.kind === 's3' && !codeObjects)
    deps.recorder.warning(`the hash of ${describeCodeSource(source)} cannot be read here: it counts as new code`);
  return {
    change: {
      wanted,
      comparison,
      ...(code ? { code } : {}),
      latest: latest.value,
      ...(live.value ? { live: live.value } : {})
    },
    problems: [],
    failedReads: []
  };
}

/** How the new code is recognised before it is uploaded (see WantedCode). */
function wantedCode(code: PreparedCode, digest: CodeObjectDigest | undefined): WantedCode {
  const { source } = code;
  if (code.zip) return { codeSha256: code.zip.codeSha256 };
  if (source.kind === 's3') return digest ? { codeSha256: digest.codeSha256 } : {};
  if (source.kind === 'image' && imageDigest(source.imageUri)) return { pinnedImage: source.imageUri };
  return {};
}

function toUpload(code: PreparedCode, digest: CodeObjectDigest | undefined): CodeToUpload {
  const { source, zip } = code;
  const upload: CodeUpload = zip
    ? { kind: 'zip', zipFile: zip.bytes }
    : source.kind === 's3'
      ? {
          kind: 's3',
          bucket: source.bucket,
          key: source.key,
          ...(source.objectVersion ? { objectVersion: source.objectVersion } : {})
        }
      : { kind: 'image', imageUri: source.kind === 'image' ? source.imageUri : '' };
  const size = zip?.size ?? digest?.size;
  return {
    upload,
    source: describeCodeSource(source),
    ...(size !== undefined ? { size } : {}),
    ...(zip ? { files: zip.files } : {})
  };
}

/** A zip for a container-image function, an image for a .zip function, or settings images do not take. */
function packageProblems(name: string, latest: VersionConfiguration, content: TargetContent): string[] {
  const source = content.code?.source;
  if (latest.packageType === 'Image') {
    if (source && source.kind !== 'image') {
      return [
        `${name} is a container-image function: give its new code as image-uri, not as a zip (${describeCodeSource(source)})`
      ];
    }
    const given = content.configuration;
    const misplaced: string[] = [];
    if (given.handler !== undefined) misplaced.push(Inputs.Handler);
    if (given.runtime !== undefined) misplaced.push(Inputs.Runtime);
    if (given.layers !== undefined) misplaced.push(Inputs.Layers);
    if (misplaced.length > 0)
      return [`${name} is a container-image function: ${misplaced.join(', ')} do not apply to it (the image holds them)`];
    return [];
  }
  if (source?.kind === 'image') {
    return [
      `${name} is a .zip function: image-uri applies to container-image functions only; give zip-file, code-dir, or s3-bucket and s3-key`
    ];
  }
  return [];
}

/** One line on what the new version changes compared with the live one, or that there is nothing to deploy. */
export function describeComparison(name: string, change: PlannedChange): string | undefined {
  const { live, comparison } = change;
  if (!live || !comparison.fromLive) return undefined;
  const { version } = live;
  return comparison.fromLive.length === 0
    ? `Version ${version} of ${name}, the live one, already has this code and configuration: nothing to deploy, nothing will be written`
    : `Compared with version ${version} of ${name}, the live one, the new version changes: ${comparison.fromLive.join(', ')}`;
}

import type { ConfigurationChanges, VersionConfiguration } from '../aws/lambda-gateway.js';
import { Inputs } from '../config/keys.js';
import type { Architecture } from '../config/settings.js';

/**
 * What a deployment wants a function's new version to be, compared with what $LATEST and the live
 * version hold: which writes are needed, and whether anything would change at all. Pure.
 */

/** The code and configuration this deployment brings for one function. */
export interface WantedVersion {
  /** The new code, when the deployment brings any. */
  readonly code?: WantedCode;
  /** Configuration values the new version must have (only those given). */
  readonly configuration: ConfigurationChanges;
  readonly architecture?: Architecture;
}

/** New code, and how it can be recognised before it is uploaded. */
export interface WantedCode {
  /** The CodeSha256 Lambda will report (a zip's hash, an S3 object's), when known beforehand. */
  readonly codeSha256?: string;
  /** A digest-pinned image (`<repository>@sha256:<hex>`), compared with the resolved image. */
  readonly pinnedImage?: string;
}

/** What comparing gives: the writes to make, and what the new version changes compared with the live one. */
export interface VersionComparison {
  /** What differs from the live version, as the inputs name it (`code`, `memory-size`, `env-vars (DB_URL)`); undefined without one. */
  readonly fromLive?: readonly string[];
  /** Nothing differs from the live version and nothing is unknown: there is nothing to deploy. */
  readonly upToDate: boolean;
  /** The values $LATEST lacks, to send with UpdateFunctionConfiguration; undefined when none. */
  readonly configuration?: ConfigurationChanges;
  /** Their names, as the inputs name them. */
  readonly configurationNames: readonly string[];
  /** The code must be uploaded: it differs from $LATEST's, cannot be known beforehand, or comes with another architecture. */
  readonly uploadCode: boolean;
}

/** `code` when the code is not known before uploading (an image by tag, an S3 object that could not be read). */
const UNKNOWN_CODE = 'code (not known before it is uploaded)';

/**
 * Compares what is wanted with $LATEST (what to write) and with the live version (whether anything
 * changes). `latestUsable` is false when $LATEST's last update failed: then everything given is
 * written again.
 */
export function compareVersions(
  wanted: WantedVersion,
  latest: VersionConfiguration,
  latestUsable: boolean,
  live: VersionConfiguration | undefined
): VersionComparison {
  const configurationNames = latestUsable
    ? configurationDifferences(wanted, latest)
    : configurationDifferences(wanted, undefined);
  const configuration = pickChanged(wanted.configuration, latestUsable ? latest : undefined);
  const wantedCode = wanted.code ? codeIdentity(wanted.code) : undefined;
  const uploadCode =
    wanted.code !== undefined &&
    (!latestUsable ||
      wantedCode === undefined ||
      wantedCode !== identityOf(latest) ||
      (wanted.architecture !== undefined && wanted.architecture !== latest.architectures[0]));
  const fromLive = live ? liveDifferences(wanted, wantedCode, latest, live) : undefined;
  return {
    ...(fromLive ? { fromLive } : {}),
    upToDate: fromLive !== undefined && fromLive.length === 0 && latestUsable,
    ...(configuration ? { configuration } : {}),
    configurationNames: configuration ? configurationNames : [],
    uploadCode
  };
}

/**
 * The given values that `content` does not hold, named as the inputs are; with no content, all of
 * them. The function's description is compared with $LATEST only (a version carries its own).
 */
export function configurationDifferences(wanted: WantedVersion, content: VersionConfiguration | undefined): string[] {
  const given = wanted.configuration;
  const names: string[] = [];
  const differs = <T>(value: T | undefined, current: T | undefined): boolean => value !== undefined && value !== current;
  if (differs(given.handler, content?.handler)) names.push(Inputs.Handler);
  if (differs(given.runtime, content?.runtime)) names.push(Inputs.Runtime);
  if (differs(given.memorySize, content?.memorySize)) names.push(Inputs.MemorySize);
  if (differs(given.timeoutSeconds, content?.timeoutSeconds)) names.push(Inputs.Timeout);
  if (differs(given.description, content?.description)) names.push(Inputs.Description);
  if (given.environment) {
    const changed = content?.environment
      ? variableDifferences(given.environment, content.environment)
      : Object.keys(given.environment);
    // Unreadable variables (a KMS key these credentials may not use) count as changed.
    if (changed.length > 0 || !content?.environment) names.push(`${Inputs.EnvVars} (${changed.join(', ') || 'none'})`);
  }
  if (given.layers && !sameList(given.layers, content?.layers)) names.push(Inputs.Layers);
  return names;
}

/** The names of the variables that differ between two maps: added, removed or changed. Values never leave. */
export function variableDifferences(
  wanted: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>
): string[] {
  const names = new Set([...Object.keys(wanted), ...Object.keys(current)]);
  return [...names].filter((name) => wanted[name] !== current[name]).sort();
}

/** What the new version would change for the live version's callers: code and every value a version carries. */
function liveDifferences(
  wanted: WantedVersion,
  wantedCode: string | undefined,
  latest: VersionConfiguration,
  live: VersionConfiguration
): string[] {
  const names: string[] = [];
  if (wanted.code && wantedCode === undefined) names.push(UNKNOWN_CODE);
  else if ((wantedCode ?? identityOf(latest)) !== identityOf(live)) names.push('code');
  const given = wanted.configuration;
  const pick = <T>(value: T | undefined, fallback: T | undefined): T | undefined => (value !== undefined ? value : fallback);
  const effective: VersionConfiguration = {
    ...latest,
    ...pickDefined({
      handler: pick(given.handler, latest.handler),
      runtime: pick(given.runtime, latest.runtime),
      memorySize: pick(given.memorySize, latest.memorySize),
      timeoutSeconds: pick(given.timeoutSeconds, latest.timeoutSeconds),
      environment: pick(given.environment, latest.environment)
    }),
    layers: given.layers ?? latest.layers,
    architectures: wanted.architecture ? [wanted.architecture] : latest.architectures
  };
  // The description is left out: each version carries the one PublishVersion gives it.
  const { description: _description, ...values } = effective;
  names.push(...configurationDifferences({ configuration: values }, live));
  if (!sameList(effective.architectures, live.architectures)) names.push(Inputs.Architectures);
  return names;
}

/** The wanted values `content` does not hold (all of them without content); undefined when none. */
function pickChanged(given: ConfigurationChanges, content: VersionConfiguration | undefined): ConfigurationChanges | undefined {
  const changed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given) as Array<[keyof ConfigurationChanges, unknown]>) {
    const current = content?.[key];
    const same =
      key === 'environment'
        ? content?.environment !== undefined &&
          variableDifferences(value as Record<string, string>, content.environment).length === 0
        : key === 'layers'
          ? sameList(value as readonly string[], current as readonly string[] | undefined)
          : value === current;
    if (!same) changed[key] = value;
  }
  return Object.keys(changed).length > 0 ? (changed as ConfigurationChanges) : undefined;
}

/** How code is recognised: a zip by its CodeSha256, an image by its resolved digest. */
export function identityOf(content: VersionConfiguration): string {
  return content.packageType === 'Image' ? (content.resolvedImageUri ?? content.codeSha256) : content.codeSha256;
}

function codeIdentity(code: WantedCode): string | undefined {
  return code.pinnedImage ?? code.codeSha256;
}

function sameList(a: readonly string[], b: readonly string[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((item, index) => item === b[index]);
}

function pickDefined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

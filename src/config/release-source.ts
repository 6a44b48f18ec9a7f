import { parse as parseYaml } from 'yaml';
import { isValidAliasName } from '../aws/arn.js';
import { InputError } from '../core/input-error.js';
import { Inputs, type InputName } from './keys.js';
import type { ReleaseSource, TargetSettings } from './settings.js';

/**
 * `version`, `from-alias` and `rollback-to`: deploy a version that exists already instead of
 * publishing one. At most one of them, and none with anything that makes a new version (a code
 * source, a configuration input, `code-sha256`, `version-description`): each refused here, before
 * anything in AWS is read. With `functions`, `from-alias` and `rollback-to` apply to every function
 * (each its own alias, its own record); `version` is given in each item, since version numbers are
 * a function's own, and every item then names one.
 */

/** The inputs that make a new version: refused beside an existing one. */
const NEW_VERSION_INPUTS = [
  Inputs.ZipFile,
  Inputs.CodeDir,
  Inputs.S3Bucket,
  Inputs.S3Key,
  Inputs.S3ObjectVersion,
  Inputs.ImageUri,
  Inputs.Handler,
  Inputs.Runtime,
  Inputs.MemorySize,
  Inputs.Timeout,
  Inputs.EnvVars,
  Inputs.Layers,
  Inputs.Architectures,
  Inputs.Description,
  Inputs.CodeSha256,
  Inputs.VersionDescription
] as const;

const LAST_GOOD = 'last-good';

/** A published version number as the inputs take it. */
const VERSION = /^[1-9]\d{0,9}$/;

/**
 * The release source the inputs choose.
 * @param read an input's raw trimmed value ('' when not given; no defaults)
 * @param functionsRaw the `functions` input, '' when not given
 */
export function parseReleaseSource(
  read: (name: InputName) => string,
  functionsRaw: string,
  targets: readonly TargetSettings[]
): ReleaseSource {
  const itemVersions = functionsRaw.trim() === '' ? [] : versionsOfItems(functionsRaw);
  const given: Array<[InputName, string]> = [];
  if (read(Inputs.Version) !== '') given.push([Inputs.Version, read(Inputs.Version)]);
  else if (itemVersions.some((version) => version !== undefined))
    given.push([Inputs.Version, itemVersions.map((version) => version ?? '').join(', ')]);
  if (read(Inputs.FromAlias) !== '') given.push([Inputs.FromAlias, read(Inputs.FromAlias)]);
  if (read(Inputs.RollbackTo) !== '') given.push([Inputs.RollbackTo, read(Inputs.RollbackTo)]);
  if (given.length === 0) return { kind: 'publish' };
  const [[name, value], second] = given as [[InputName, string], ...Array<[InputName, string]>];
  if (second) {
    throw new InputError(
      second[0],
      second[1],
      `${name} is given too, and a deployment shifts one version per function`,
      'one of version, from-alias or rollback-to'
    );
  }
  refuseNewVersionInputs(read, name, targets);
  switch (name) {
    case Inputs.Version:
      return {
        kind: 'version',
        versions: functionsRaw.trim() === '' ? [parseVersion(value)] : itemsVersions(itemVersions, targets)
      };
    case Inputs.FromAlias:
      return { kind: 'from-alias', alias: parseFromAlias(value, targets) };
    default:
      if (value !== LAST_GOOD)
        throw new InputError(
          Inputs.RollbackTo,
          value,
          'it is not one of the choices',
          `${LAST_GOOD} (the newest version this action promoted on the alias, other than the one it serves now)`
        );
      return { kind: 'last-good' };
  }
}

/** A code source or a configuration input makes a new version: refused beside an existing one. */
function refuseNewVersionInputs(read: (name: InputName) => string, chosen: InputName, targets: readonly TargetSettings[]): void {
  const expected = `either ${chosen} (an existing version, deployed as it is) or the inputs that make a new version, not both`;
  const problem = (input: string): string =>
    `${chosen} deploys a version that exists already, and ${input} is for a version this deployment publishes`;
  for (const input of NEW_VERSION_INPUTS) {
    if (read(input) !== '') throw new InputError(input, read(input), problem(input), expected);
  }
  const withCode = targets.find((target) => target.code);
  if (withCode)
    throw new InputError(
      Inputs.Functions,
      withCode.functionName,
      problem(`the code source of ${withCode.functionName}`),
      expected
    );
}

function parseVersion(value: string, item?: string): string {
  if (VERSION.test(value)) return value;
  const where = item ? `${item}: ` : '';
  throw new InputError(
    item ? Inputs.Functions : Inputs.Version,
    value,
    value === '$LATEST'
      ? `${where}$LATEST is not a published version (Lambda refuses it in weighted routing, and it changes with every upload)`
      : `${where}it is not a version number`,
    'a published version number of the function, such as 42'
  );
}

/** Each item's version: all of them name one, or none does. */
function itemsVersions(versions: ReadonlyArray<string | undefined>, targets: readonly TargetSettings[]): string[] {
  return targets.map((target, index) => {
    const version = versions[index];
    if (version === undefined) {
      throw new InputError(
        Inputs.Functions,
        target.functionName,
        `item ${index + 1} (${target.functionName}) names no version, and other items do: the functions of one rollout are either all published or all existing versions`,
        'a version in every item of functions, or in none'
      );
    }
    return parseVersion(version, `item ${index + 1} (${target.functionName})`);
  });
}

function parseFromAlias(value: string, targets: readonly TargetSettings[]): string {
  if (!isValidAliasName(value)) {
    throw new InputError(
      Inputs.FromAlias,
      value,
      /^\d+$/.test(value) ? 'a number names a version (use version for that)' : 'it is not a valid alias name',
      'the name of another alias of the function, such as staging'
    );
  }
  const same = targets.find((target) => target.alias === value);
  if (same) {
    throw new InputError(
      Inputs.FromAlias,
      value,
      `it is the alias being deployed (${same.functionName}:${same.alias}): there is nothing to take from it`,
      'another alias of the function, whose version is to be deployed on alias, such as staging'
    );
  }
  return value;
}

/** The `version` of each item of `functions` (parsed and checked by src/config/functions.ts already), in order. */
function versionsOfItems(raw: string): Array<string | undefined> {
  const list = parseYaml(raw) as unknown;
  if (!Array.isArray(list)) return [];
  return list.map((item: unknown) => {
    if (typeof item !== 'object' || item === null) return undefined;
    const version = (item as Record<string, unknown>)[Inputs.Version];
    return version === undefined || version === null ? undefined : String(version).trim();
  });
}

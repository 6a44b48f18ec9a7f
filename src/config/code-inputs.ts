import type { ConfigurationChanges } from '../aws/lambda-gateway.js';
import type { CodeSource } from '../code/source.js';
import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import { LAMBDA_VERSION_DESCRIPTION_MAX_CHARS } from '../core/limits.js';
import { parseEnvVars } from './env-vars.js';
import { Inputs, type InputName } from './keys.js';
import type { Architecture } from './settings.js';

/**
 * The code source and the configuration inputs: where the new code comes from (at most one source)
 * and the values the new version must have. Pure: a path is checked on the runner later, before
 * anything in AWS is read.
 */

/** Reads one input: its trimmed value, '' when not given. */
export type ReadInput = (name: InputName) => string;

const SOURCES = 'one of zip-file, code-dir, s3-bucket with s3-key, or image-uri';
const IMAGE_URI =
  /^[a-z0-9][a-z0-9.-]*(?::\d+)?\/[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})$/;
const LAYER_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:layer:[A-Za-z0-9_-]{1,140}:\d+$/;
const MAX_LAYERS = 5;

/** The code source given, or undefined (publish what $LATEST holds). Two sources are refused. */
export function parseCodeSource(read: ReadInput): CodeSource | undefined {
  const given: Array<[InputName, CodeSource]> = [];
  if (read(Inputs.ZipFile))
    given.push([Inputs.ZipFile, { kind: 'zip-file', path: parsePath(Inputs.ZipFile, read(Inputs.ZipFile)) }]);
  if (read(Inputs.CodeDir))
    given.push([Inputs.CodeDir, { kind: 'code-dir', path: parsePath(Inputs.CodeDir, read(Inputs.CodeDir)) }]);
  const s3 = parseS3(read);
  if (s3) given.push([Inputs.S3Bucket, s3]);
  if (read(Inputs.ImageUri)) given.push([Inputs.ImageUri, { kind: 'image', imageUri: parseImageUri(read(Inputs.ImageUri)) }]);
  if (given.length > 1) {
    const [[first], [second]] = given as [[InputName, CodeSource], [InputName, CodeSource]];
    throw new InputError(second, read(second), `only one code source may be given, and ${first} is given too`, SOURCES);
  }
  return given[0]?.[1];
}

/** The configuration values given (undefined when none), checked against the code source. */
export function parseConfiguration(
  read: ReadInput,
  rawEnvVars: string,
  code: CodeSource | undefined
): ConfigurationChanges | undefined {
  const environment = parseEnvVars(rawEnvVars);
  const changes: ConfigurationChanges = {
    ...(read(Inputs.Handler) ? { handler: parseHandler(read(Inputs.Handler)) } : {}),
    ...(read(Inputs.Runtime) ? { runtime: parseRuntime(read(Inputs.Runtime)) } : {}),
    ...(read(Inputs.MemorySize) ? { memorySize: parseMemorySize(read(Inputs.MemorySize)) } : {}),
    ...(read(Inputs.Timeout) ? { timeoutSeconds: parseTimeout(read(Inputs.Timeout)) } : {}),
    ...(read(Inputs.Description) ? { description: parseFunctionDescription(read(Inputs.Description)) } : {}),
    ...(environment ? { environment } : {}),
    ...(read(Inputs.Layers) ? { layers: parseLayers(read(Inputs.Layers)) } : {})
  };
  if (code?.kind === 'image') {
    for (const name of [Inputs.Handler, Inputs.Runtime, Inputs.Layers] as const) {
      if (read(name)) {
        throw new InputError(
          name,
          read(name),
          `it does not apply to a container image (image-uri): the image itself holds its runtime, entry point and dependencies`,
          `no ${name} with image-uri`
        );
      }
    }
  }
  return Object.keys(changes).length > 0 ? changes : undefined;
}

/** `architectures`: Lambda sets it with the code, so it needs a code source. */
export function parseArchitecture(read: ReadInput, code: CodeSource | undefined): Architecture | undefined {
  const value = read(Inputs.Architectures);
  if (value === '') return undefined;
  if (value !== 'x86_64' && value !== 'arm64')
    throw new InputError(Inputs.Architectures, value, 'it is not an architecture', 'x86_64 or arm64');
  if (!code) {
    throw new InputError(
      Inputs.Architectures,
      value,
      'Lambda changes the architecture only together with the code (UpdateFunctionCode), and no code source is given',
      `architectures together with ${SOURCES}`
    );
  }
  return value;
}

function parsePath(name: InputName, value: string): string {
  if (/[\u0000-\u001f]/.test(value))
    throw new InputError(name, value, 'it holds control characters', 'a path on the runner, such as build/orders.zip');
  return value;
}

function parseS3(read: ReadInput): CodeSource | undefined {
  const bucket = read(Inputs.S3Bucket);
  const key = read(Inputs.S3Key);
  const objectVersion = read(Inputs.S3ObjectVersion);
  if (!bucket && !key && !objectVersion) return undefined;
  if (!bucket) {
    const given = key ? Inputs.S3Key : Inputs.S3ObjectVersion;
    throw new InputError(
      given,
      read(given),
      'it needs s3-bucket too',
      's3-bucket and s3-key together (s3-object-version optional)'
    );
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new InputError(
      Inputs.S3Bucket,
      bucket,
      'it is not an S3 bucket name',
      '3 to 63 lower-case letters, digits, dots or hyphens'
    );
  }
  if (!key)
    throw new InputError(
      Inputs.S3Key,
      key,
      'it is required with s3-bucket',
      'the key of the zip in the bucket, such as builds/orders.zip'
    );
  if (key.length > 1024) throw new InputError(Inputs.S3Key, key, 'it is longer than 1024 characters', 'an S3 object key');
  return { kind: 's3', bucket, key, ...(objectVersion ? { objectVersion } : {}) };
}

function parseImageUri(value: string): string {
  if (!IMAGE_URI.test(value)) {
    throw new InputError(
      Inputs.ImageUri,
      value,
      'it is not an image URI with a tag or a digest',
      '<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>, or …@sha256:<64 hex digits>'
    );
  }
  return value;
}

function parseHandler(value: string): string {
  if (!/^\S{1,128}$/.test(value))
    throw new InputError(
      Inputs.Handler,
      value,
      'it is not a handler name',
      'up to 128 characters without spaces, such as index.handler'
    );
  return value;
}

function parseRuntime(value: string): string {
  if (!/^[a-z][a-z0-9.]{1,31}$/.test(value)) {
    throw new InputError(
      Inputs.Runtime,
      value,
      'it is not a runtime identifier',
      'a Lambda runtime such as nodejs22.x, python3.13 or provided.al2023'
    );
  }
  return value;
}

function parseMemorySize(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 128 || number > 10_240) {
    throw new InputError(
      Inputs.MemorySize,
      value,
      'it is not a memory size Lambda accepts',
      'a whole number of MB from 128 to 10240'
    );
  }
  return number;
}

/** Seconds, as Lambda counts them: `30`, or a duration of whole seconds (`30s`, `5m`). */
function parseTimeout(value: string): number {
  const expected = 'a whole number of seconds from 1 to 900 (15 minutes), such as 30, or a duration such as 30s or 5m';
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : parseDuration(value, Inputs.Timeout, { min: 1000, max: 900_000 });
  if (ms % 1000 !== 0 || ms < 1000 || ms > 900_000)
    throw new InputError(Inputs.Timeout, value, 'it is not a Lambda time limit', expected);
  return ms / 1000;
}

function parseFunctionDescription(value: string): string {
  if (value.length > LAMBDA_VERSION_DESCRIPTION_MAX_CHARS) {
    throw new InputError(
      Inputs.Description,
      value,
      `it has ${value.length} characters`,
      `at most ${LAMBDA_VERSION_DESCRIPTION_MAX_CHARS} characters (Lambda's limit)`
    );
  }
  return value;
}

/** Layer version ARNs, one per line (or separated by commas on one line), in order. */
function parseLayers(raw: string): string[] {
  const arns = raw
    .split(raw.includes('\n') ? /\r?\n/ : ',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const expected = `up to ${MAX_LAYERS} layer version ARNs (arn:aws:lambda:<region>:<account>:layer:<name>:<version>), one per line`;
  for (const arn of arns)
    if (!LAYER_ARN.test(arn)) throw new InputError(Inputs.Layers, arn, 'it is not a layer version ARN', expected);
  if (arns.length > MAX_LAYERS) throw new InputError(Inputs.Layers, raw, `it names ${arns.length} layers`, expected);
  if (new Set(arns).size !== arns.length) throw new InputError(Inputs.Layers, raw, 'a layer is named twice', expected);
  return arns;
}

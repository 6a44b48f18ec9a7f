/**
 * The Lambda API operations, on SDK-shaped inputs and outputs: `{ FunctionName, Name, RoutingConfig,
 * RevisionId }` in, AliasConfiguration out. The HTTP front (server/lambda-rest.ts) and the in-process
 * API (Emulator.handleOperation) both run them, so there is one AWS model.
 */
import { parseFunctionRef, type FunctionRef } from '../shared/arn.js';
import { ApiError, lambdaErrors } from '../shared/errors.js';
import { iamAction, type Caller } from '../shared/identity.js';
import type { OperationResult, PreparedCall } from '../shared/operation.js';
import { resolveFunction, resourceArn } from './access.js';
import { pageOfAliases } from './paging.js';
import { lambdaTimestamp, sha256Base64, type FunctionRecord } from './records.js';
import type { LambdaService } from './service.js';

/** A Lambda command's input as the SDK takes it (e.g. UpdateAliasCommandInput). */
export type LambdaInput = Record<string, unknown>;

/** Everything an operation needs about one call: the function it names is already resolved and authorised. */
interface LambdaCall {
  lambda: LambdaService;
  fn: FunctionRecord;
  ref: FunctionRef;
  input: LambdaInput;
}

interface LambdaOperation {
  /** The call changes state (the call log's `mutating`). */
  mutating?: boolean;
  run(call: LambdaCall): OperationResult;
}

const OPERATIONS: Record<string, LambdaOperation> = {
  GetFunction: { run: getFunction },
  GetFunctionConfiguration: { run: (c) => ok(c.lambda.model.configuration(c.fn, qualifier(c))) },
  PublishVersion: { mutating: true, run: publishVersion },
  ListVersionsByFunction: { run: listVersions },
  CreateAlias: { mutating: true, run: createAlias },
  ListAliases: { run: listAliases },
  GetAlias: { run: getAlias },
  UpdateAlias: { mutating: true, run: updateAlias },
  DeleteAlias: { mutating: true, run: deleteAlias },
  Invoke: { run: invoke },
  UpdateFunctionCode: { mutating: true, run: updateFunctionCode },
  GetProvisionedConcurrencyConfig: { run: getProvisionedConcurrency }
};

/** The Lambda operations the emulator runs (others are answered UnknownOperationException). */
export const LAMBDA_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/**
 * Prepares one Lambda call by `caller`. `inputError` is what the protocol layer could not parse
 * (a malformed body): it is the answer once the call is authorised.
 */
export function prepareLambdaCall(
  lambda: LambdaService,
  caller: Caller,
  operation: string,
  input: LambdaInput,
  inputError?: ApiError
): PreparedCall {
  const functionName = typeof input.FunctionName === 'string' ? input.FunctionName : undefined;
  const base = {
    service: 'lambda' as const,
    operation,
    ...(functionName !== undefined ? { functionName } : {}),
    params: logParams(operation, input)
  };
  const op = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  if (!op) {
    return {
      ...base,
      mutating: false,
      execute: () => {
        throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the emulator`, 400);
      }
    };
  }
  const action = iamAction('lambda', operation);
  const resource = resourceArn(functionName, input.Qualifier, caller);
  return {
    ...base,
    mutating: op.mutating === true,
    iamAction: action,
    ...(resource !== undefined ? { resource } : {}),
    execute: () => {
      if (inputError) throw inputError;
      const ref = parseFunctionRef(functionName ?? '');
      const fn = resolveFunction(lambda.model, caller, ref, action, resource);
      return op.run({ lambda, fn, ref, input });
    }
  };
}

/** The input as the call log shows it: Payload as text, other binary members as their size. */
function logParams(operation: string, input: LambdaInput): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (value instanceof Uint8Array)
      params[key] = key === 'Payload' ? Buffer.from(value).toString('utf8') : `<${value.length} bytes>`;
    else params[key] = value;
  }
  if (operation === 'Invoke') {
    params.InvocationType ??= 'RequestResponse';
    params.Payload ??= '';
  }
  return params;
}

function ok(output: Record<string, unknown>, status = 200): OperationResult {
  return { status, output };
}

/** A string member, or undefined when absent; anything else is refused as Lambda refuses a bad type. */
function optionalString(input: LambdaInput, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw lambdaErrors.invalidParameter(`${key} must be a string`);
  return value;
}

function qualifier(c: LambdaCall): string | undefined {
  return c.lambda.model.qualifierOf(c.ref, optionalString(c.input, 'Qualifier'));
}

/** The alias an alias operation names (a URI label over HTTP: always there; in-process it may be missing). */
function aliasName(c: LambdaCall): string {
  const name = optionalString(c.input, 'Name');
  if (name === undefined || name === '') {
    throw lambdaErrors.invalidParameter(
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    );
  }
  return name;
}

function noQualifier(c: LambdaCall): void {
  if (c.ref.qualifier !== undefined) {
    throw lambdaErrors.invalidParameter(`Unsupported qualifier in function name: ${c.ref.qualifier}`);
  }
}

function getFunction(c: LambdaCall): OperationResult {
  const configuration = c.lambda.model.configuration(c.fn, qualifier(c));
  const location = `https://awslambda-${c.fn.region}-tasks.s3.${c.fn.region}.amazonaws.com/snapshots/${c.fn.accountId}/${c.fn.name}`;
  return ok({ Configuration: configuration, Code: { RepositoryType: 'S3', Location: location } });
}

function publishVersion(c: LambdaCall): OperationResult {
  noQualifier(c);
  const codeSha256 = optionalString(c.input, 'CodeSha256');
  const description = optionalString(c.input, 'Description');
  const revisionId = optionalString(c.input, 'RevisionId');
  const version = c.lambda.model.publish(c.fn, {
    ...(codeSha256 !== undefined ? { CodeSha256: codeSha256 } : {}),
    ...(description !== undefined ? { Description: description } : {}),
    ...(revisionId !== undefined ? { RevisionId: revisionId } : {})
  });
  return ok(c.lambda.model.versionConfiguration(c.fn, version), 201);
}

function listVersions(c: LambdaCall): OperationResult {
  noQualifier(c);
  const { model } = c.lambda;
  return ok({
    Versions: [model.latestConfiguration(c.fn, true), ...c.fn.versions.map((v) => model.versionConfiguration(c.fn, v))]
  });
}

function createAlias(c: LambdaCall): OperationResult {
  noQualifier(c);
  const alias = c.lambda.aliases.create(c.fn, c.input);
  return ok(c.lambda.aliases.toApi(c.fn, alias), 201);
}

/** ListAliases in name order, paged: MaxItems (1..10000, default 50) and an opaque Marker / NextMarker. */
function listAliases(c: LambdaCall): OperationResult {
  noQualifier(c);
  const aliases = c.lambda.aliases.list(c.fn, optionalString(c.input, 'FunctionVersion'));
  const { page, nextMarker } = pageOfAliases(aliases, c.input.MaxItems, c.input.Marker);
  return ok({
    Aliases: page.map((a) => c.lambda.aliases.toApi(c.fn, a)),
    ...(nextMarker !== undefined ? { NextMarker: nextMarker } : {})
  });
}

function getAlias(c: LambdaCall): OperationResult {
  noQualifier(c);
  return ok(c.lambda.aliases.toApi(c.fn, c.lambda.aliases.get(c.fn, aliasName(c))));
}

function updateAlias(c: LambdaCall): OperationResult {
  noQualifier(c);
  const alias = c.lambda.aliases.update(c.fn, aliasName(c), c.input);
  return ok(c.lambda.aliases.toApi(c.fn, alias));
}

function deleteAlias(c: LambdaCall): OperationResult {
  noQualifier(c);
  c.lambda.aliases.delete(c.fn, aliasName(c));
  return ok({}, 204);
}

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;

/** Invoke: InvokeCommandOutput with Payload as bytes; the status is StatusCode (200, 202 Event, 204 DryRun). */
function invoke(c: LambdaCall): OperationResult {
  const type = String(c.input.InvocationType ?? 'RequestResponse');
  if (!(INVOCATION_TYPES as readonly string[]).includes(type)) {
    throw lambdaErrors.invalidParameter(
      `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`
    );
  }
  const q = qualifier(c);
  const outcome = c.lambda.invoker.invoke(c.fn, {
    ...(q !== undefined ? { qualifier: q } : {}),
    invocationType: type as (typeof INVOCATION_TYPES)[number],
    payload: payloadBytes(c.input.Payload)
  });
  const output = {
    StatusCode: outcome.status,
    ...(outcome.executedVersion !== undefined ? { ExecutedVersion: outcome.executedVersion } : {}),
    ...(outcome.functionError !== undefined ? { FunctionError: outcome.functionError } : {}),
    ...(outcome.payload !== undefined ? { Payload: new Uint8Array(Buffer.from(outcome.payload, 'utf8')) } : {})
  };
  return { status: outcome.status, output, delayMs: outcome.delayMs };
}

/** Invoke's Payload: bytes (the SDK also takes a string). */
function payloadBytes(payload: unknown): Uint8Array {
  if (payload === undefined || payload === null) return new Uint8Array();
  if (payload instanceof Uint8Array) return payload;
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  throw lambdaErrors.invalidContent('Could not parse request body into json: Could not parse payload into json');
}

function updateFunctionCode(c: LambdaCall): OperationResult {
  noQualifier(c);
  const { codeSha256, codeSize } = codeSource(c.input);
  const revisionId = optionalString(c.input, 'RevisionId');
  const config = c.lambda.model.updateCode(c.fn, {
    codeSha256,
    codeSize,
    publish: c.input.Publish === true,
    dryRun: c.input.DryRun === true,
    ...(revisionId !== undefined ? { revisionId } : {})
  });
  return ok(config);
}

/** The new code's hash and size: from the zip bytes, the S3 object's identity or the image URI. */
function codeSource(input: LambdaInput): { codeSha256: string; codeSize: number } {
  const zip = typeof input.ZipFile === 'string' ? Buffer.from(input.ZipFile, 'base64') : input.ZipFile;
  if (zip instanceof Uint8Array) return { codeSha256: sha256Base64(zip), codeSize: zip.length };
  if (typeof input.S3Bucket === 'string' && typeof input.S3Key === 'string') {
    const id = `s3://${input.S3Bucket}/${input.S3Key}?versionId=${String(input.S3ObjectVersion ?? '')}`;
    return { codeSha256: sha256Base64(id), codeSize: 1024 };
  }
  if (typeof input.ImageUri === 'string') return { codeSha256: sha256Base64(input.ImageUri), codeSize: 0 };
  throw lambdaErrors.invalidParameter('Please provide a source for function code.');
}

function getProvisionedConcurrency(c: LambdaCall): OperationResult {
  const q = qualifier(c);
  if (q === undefined) {
    throw lambdaErrors.invalidParameter(
      "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null"
    );
  }
  c.lambda.model.resolve(c.fn, q);
  const config = c.fn.provisioned.get(q);
  if (!config) throw lambdaErrors.pcNotFound('No Provisioned Concurrency Config found for this function');
  return ok({
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: config.requested,
    AllocatedProvisionedConcurrentExecutions: config.requested,
    Status: 'READY',
    LastModified: lambdaTimestamp(config.lastModifiedMs)
  });
}

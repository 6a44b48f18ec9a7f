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
import { imageCode, type NewCode } from './code.js';
import { configurationChanges } from './configuration.js';
import { pageOfAliases } from './paging.js';
import { sha256Base64, type FunctionRecord } from './records.js';
import type { LambdaService } from './service.js';
import { addPermission, getPolicy, listEventSourceMappings, listFunctionUrlConfigs } from './triggers.js';
import { deleteFunction, listProvisionedConcurrencyConfigs, listVersionsByFunction } from './version-ops.js';

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
  ListVersionsByFunction: { run: (c) => listVersionsByFunction(parts(c)) },
  CreateAlias: { mutating: true, run: createAlias },
  ListAliases: { run: listAliases },
  GetAlias: { run: getAlias },
  UpdateAlias: { mutating: true, run: updateAlias },
  DeleteAlias: { mutating: true, run: deleteAlias },
  Invoke: { run: invoke },
  UpdateFunctionCode: { mutating: true, run: updateFunctionCode },
  UpdateFunctionConfiguration: { mutating: true, run: updateFunctionConfiguration },
  GetProvisionedConcurrencyConfig: { run: getProvisionedConcurrency },
  PutProvisionedConcurrencyConfig: { mutating: true, run: putProvisionedConcurrency },
  DeleteProvisionedConcurrencyConfig: { mutating: true, run: deleteProvisionedConcurrency },
  // What invokes a function, deleting a version, and provisioned concurrency of every qualifier.
  DeleteFunction: { mutating: true, run: (c) => deleteFunction(parts(c)) },
  ListProvisionedConcurrencyConfigs: { run: (c) => listProvisionedConcurrencyConfigs(parts(c)) },
  ListEventSourceMappings: { run: (c) => listEventSourceMappings(parts(c)) },
  ListFunctionUrlConfigs: { run: (c) => listFunctionUrlConfigs(parts(c)) },
  GetPolicy: { run: (c) => getPolicy(parts(c)) },
  AddPermission: { mutating: true, run: (c) => addPermission(parts(c)) }
};

/** A call as the trigger and version operations take it. */
function parts(c: LambdaCall) {
  return { ...c, model: c.lambda.model, triggers: c.lambda.triggers };
}

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
      lambda.beforeOperation(fn, operation);
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
    // Environment values are secrets: the log keeps their names only, as the action's own log does.
    else if (key === 'Environment') params[key] = environmentNames(value);
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
  const q = qualifier(c);
  return ok({ Configuration: c.lambda.model.configuration(c.fn, q), Code: c.lambda.model.codeLocation(c.fn, q) });
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
  const { source, code } = codeSource(c);
  const architectures = architecturesOf(c.input.Architectures);
  const revisionId = optionalString(c.input, 'RevisionId');
  const config = c.lambda.model.updateCode(c.fn, {
    code: { ...code, ...(architectures !== undefined ? { architectures } : {}) },
    source,
    publish: c.input.Publish === true,
    dryRun: c.input.DryRun === true,
    ...(revisionId !== undefined ? { revisionId } : {})
  });
  return ok(config);
}

function updateFunctionConfiguration(c: LambdaCall): OperationResult {
  noQualifier(c);
  const changes = configurationChanges(c.input);
  return ok(c.lambda.model.updateConfiguration(c.fn, changes, optionalString(c.input, 'RevisionId')));
}

/**
 * The new code: the zip's bytes, the S3 object's bytes (CodeSha256 is their base64 SHA-256, as for
 * a zip), or the image URI (its digest).
 */
function codeSource(c: LambdaCall): { source: 'zip' | 's3' | 'image'; code: NewCode } {
  const { input } = c;
  const zip = typeof input.ZipFile === 'string' ? Buffer.from(input.ZipFile, 'base64') : input.ZipFile;
  if (zip instanceof Uint8Array) return { source: 'zip', code: { codeSha256: sha256Base64(zip), codeSize: zip.length } };
  if (typeof input.S3Bucket === 'string' && typeof input.S3Key === 'string') {
    const bytes = s3Object(c, input.S3Bucket, input.S3Key, optionalString(input, 'S3ObjectVersion'));
    return { source: 's3', code: { codeSha256: sha256Base64(bytes), codeSize: bytes.length } };
  }
  if (typeof input.ImageUri === 'string') return { source: 'image', code: { ...imageCode(input.ImageUri), codeSize: 0 } };
  throw lambdaErrors.invalidParameter('Please provide a source for function code.');
}

/** Lambda reads the object itself; what S3 refuses comes back as Lambda's own error, quoting S3's. */
function s3Object(c: LambdaCall, bucket: string, key: string, version: string | undefined): Uint8Array {
  const objects = c.lambda.objects;
  try {
    if (!objects) throw new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404);
    return objects.get(bucket, key, version).bytes;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw lambdaErrors.invalidParameter(
      `Error occurred while GetObject. S3 Error Code: ${error.code}. S3 Error Message: ${error.message}`
    );
  }
}

/** `Architectures`: one of x86_64 or arm64, when given. */
function architecturesOf(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.length !== 1 || !['x86_64', 'arm64'].includes(String(value[0]))) {
    throw lambdaErrors.invalidParameter(
      `1 validation error detected: Value '${JSON.stringify(value)}' at 'architectures' failed to satisfy constraint: Member must have length less than or equal to 1, and its members must be x86_64 or arm64`
    );
  }
  return [String(value[0])];
}

/** `{ Variables: { NAME: '<n chars>' } }`: what an Environment member looks like in the call log. */
function environmentNames(environment: unknown): unknown {
  const variables = (environment as { Variables?: unknown } | null)?.Variables;
  if (typeof variables !== 'object' || variables === null) return environment;
  return { Variables: Object.fromEntries(Object.keys(variables).map((name) => [name, '<hidden>'])) };
}

/** The Qualifier a provisioned-concurrency operation names (it is required). */
function provisionedQualifier(c: LambdaCall): string {
  const q = qualifier(c);
  if (q === undefined) {
    throw lambdaErrors.invalidParameter(
      "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null"
    );
  }
  return q;
}

function getProvisionedConcurrency(c: LambdaCall): OperationResult {
  return ok(c.lambda.provisioned.describe(c.fn, provisionedQualifier(c)));
}

/** PutProvisionedConcurrencyConfig: 202 with the configuration, IN_PROGRESS until allocated. */
function putProvisionedConcurrency(c: LambdaCall): OperationResult {
  const q = provisionedQualifier(c);
  const executions = c.input.ProvisionedConcurrentExecutions;
  c.lambda.provisioned.put(c.fn, q, typeof executions === 'number' ? executions : Number.NaN);
  const { LastModified, ...config } = c.lambda.provisioned.describe(c.fn, q);
  return ok({ ...config, LastModified }, 202);
}

function deleteProvisionedConcurrency(c: LambdaCall): OperationResult {
  c.lambda.provisioned.delete(c.fn, provisionedQualifier(c));
  return ok({}, 204);
}

import { arnsOf, parseFunctionRef, type FunctionRef } from '../shared/arn.js';
import { ApiError, lambdaErrors } from '../shared/errors.js';
import { accessDenied, iamAction, type Caller } from '../shared/identity.js';
import { jsonReply, type HttpReply, type IncomingRequest, type OperationCall } from '../server/http.js';
import type { AliasService } from './aliases.js';
import { encodeLambdaError } from './errors.js';
import type { Invoker } from './invoke.js';
import type { LambdaModel } from './model.js';
import type { AliasRecord, FunctionRecord } from './records.js';
import { sha256Base64 } from './records.js';
import { lambdaTimestamp } from '../shared/clock.js';

/** The Lambda state the routes operate on. */
export interface LambdaBackend {
  model: LambdaModel;
  aliases: AliasService;
  invoker: Invoker;
}

/** Everything a handler needs about one request. */
interface LambdaRequest {
  backend: LambdaBackend;
  fn: FunctionRecord;
  ref: FunctionRef;
  /** Second path parameter (alias name), when the route has one. */
  name?: string;
  query: URLSearchParams;
  headers: IncomingRequest['headers'];
  body: Record<string, unknown>;
  rawBody: Buffer;
}

interface LambdaRoute {
  method: string;
  pattern: RegExp;
  operation: string;
  handler?: (r: LambdaRequest) => HttpReply;
}

const FN = '([^/]+)';
const MUTATING = new Set(['PublishVersion', 'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'UpdateFunctionCode']);

const ROUTES: LambdaRoute[] = [
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}$`), operation: 'GetFunction', handler: getFunction },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration$`), operation: 'GetFunctionConfiguration', handler: getFunctionConfiguration },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions$`), operation: 'PublishVersion', handler: publishVersion },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions$`), operation: 'ListVersionsByFunction', handler: listVersions },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases$`), operation: 'CreateAlias', handler: createAlias },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases$`), operation: 'ListAliases', handler: listAliases },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), operation: 'GetAlias', handler: getAlias },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), operation: 'UpdateAlias', handler: updateAlias },
  { method: 'DELETE', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), operation: 'DeleteAlias', handler: deleteAlias },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/invocations$`), operation: 'Invoke', handler: invoke },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FN}/code$`), operation: 'UpdateFunctionCode', handler: updateFunctionCode },
  { method: 'GET', pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`), operation: 'GetProvisionedConcurrencyConfig', handler: getProvisionedConcurrency },
  // Recognised but not emulated: answered with UnknownOperationException naming the operation.
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/?$/, operation: 'CreateFunction' },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' },
  { method: 'DELETE', pattern: new RegExp(`^/2015-03-31/functions/${FN}$`), operation: 'DeleteFunction' },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration$`), operation: 'UpdateFunctionConfiguration' },
  { method: 'PUT', pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`), operation: 'PutProvisionedConcurrencyConfig' },
  { method: 'DELETE', pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`), operation: 'DeleteProvisionedConcurrencyConfig' },
  { method: 'GET', pattern: new RegExp(`^/2019-09-30/functions/${FN}/concurrency$`), operation: 'GetFunctionConcurrency' },
  { method: 'PUT', pattern: new RegExp(`^/2017-10-31/functions/${FN}/concurrency$`), operation: 'PutFunctionConcurrency' },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/policy$`), operation: 'GetPolicy' },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/policy$`), operation: 'AddPermission' },
  { method: 'GET', pattern: /^\/2017-03-31\/tags\/[^/]+$/, operation: 'ListTags' },
  { method: 'GET', pattern: /^\/2016-08-19\/account-settings\/?$/, operation: 'GetAccountSettings' },
];

/** Recognises a Lambda REST request sent by `caller`; unknown paths become an 'Unknown' operation answering 404. */
export function matchLambdaRoute(req: IncomingRequest, backend: LambdaBackend, caller: Caller): OperationCall {
  for (const route of ROUTES) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(req.path);
    if (!m) continue;
    if (route.operation === 'GetProvisionedConcurrencyConfig' && req.query.get('List') === 'ALL') continue;
    return buildCall(route, m.slice(1).map(safeDecode), req, backend, caller);
  }
  return unsupported('Unknown', `Unknown operation ${req.method} ${req.path}`, 404, {});
}

function buildCall(route: LambdaRoute, pathParams: string[], req: IncomingRequest, backend: LambdaBackend, caller: Caller): OperationCall {
  const [functionName, name] = pathParams;
  const parsed = parseBody(route.operation, req.body);
  const params = logParams(route.operation, pathParams, req, parsed);
  if (!route.handler) {
    return unsupported(route.operation, `Operation ${route.operation} is not supported by the emulator`, 400, params);
  }
  const handler = route.handler;
  const action = iamAction('lambda', route.operation);
  const resource = resourceArn(functionName, name === undefined ? req.query.get('Qualifier') : null, caller);
  return {
    service: 'lambda',
    operation: route.operation,
    ...(functionName !== undefined ? { functionName } : {}),
    params,
    mutating: MUTATING.has(route.operation),
    iamAction: action,
    ...(resource !== undefined ? { resource } : {}),
    encodeError: encodeLambdaError,
    execute: () => {
      if (parsed instanceof ApiError) throw parsed;
      const ref = parseFunctionRef(functionName ?? '');
      const fn = resolveFunction(backend, caller, ref, action, resource);
      const request: LambdaRequest = { backend, fn, ref, query: req.query, headers: req.headers, body: parsed, rawBody: req.body };
      if (name !== undefined) request.name = name;
      return handler(request);
    },
  };
}

/** The ARN IAM authorises a call on: the function (qualified when the call names a qualifier) in its account and region. */
function resourceArn(functionName: string | undefined, qualifierParam: string | null, caller: Caller): string | undefined {
  if (functionName === undefined) return undefined;
  let ref: FunctionRef;
  try {
    ref = parseFunctionRef(functionName);
  } catch {
    return undefined;
  }
  const arns = arnsOf({ accountId: ref.accountId ?? caller.accountId, region: ref.region ?? caller.region });
  return arns.function(ref.name, ref.qualifier ?? qualifierParam ?? undefined);
}

/**
 * Where a FunctionName leads for this caller: a plain name to the caller's account in the request's
 * region; a partial ARN to its account in the request's region; a full ARN to its own account and
 * region, which Lambda refuses when that region is not the request's. Another account's function is
 * reachable only for the actions its resource-based policy grants (a missing one is refused the same way).
 */
function resolveFunction(backend: LambdaBackend, caller: Caller, ref: FunctionRef, action: string, resource: string | undefined): FunctionRecord {
  const region = ref.region ?? caller.region;
  if (region !== caller.region) {
    throw lambdaErrors.notFound(`Functions from '${region}' are not reachable in this region ('${caller.region}')`);
  }
  const ns = { accountId: ref.accountId ?? caller.accountId, region };
  const fn = backend.model.find(ns, ref.name);
  if (ns.accountId !== caller.accountId && !(fn && backend.model.grantsCrossAccount(fn, action))) {
    throw accessDenied('lambda', caller, action, resource ?? arnsOf(ns).function(ref.name), 'resource-based');
  }
  return fn ?? backend.model.get(ns, ref.name);
}

function unsupported(operation: string, message: string, status: number, params: Record<string, unknown>): OperationCall {
  return {
    service: 'lambda',
    operation,
    params,
    mutating: false,
    encodeError: encodeLambdaError,
    execute: () => {
      throw new ApiError('UnknownOperationException', message, status);
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseBody(operation: string, body: Buffer): Record<string, unknown> | ApiError {
  if (operation === 'Invoke' || body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return lambdaErrors.invalidContent('Could not parse request body into json');
}

function logParams(
  operation: string,
  [functionName, name]: string[],
  req: IncomingRequest,
  parsed: Record<string, unknown> | ApiError,
): Record<string, unknown> {
  const params: Record<string, unknown> = { FunctionName: functionName, ...Object.fromEntries(req.query) };
  if (name !== undefined) params.Name = name;
  if (operation === 'Invoke') {
    params.InvocationType = invocationType(req.headers);
    params.Payload = req.body.toString('utf8');
    return params;
  }
  if (parsed instanceof ApiError) return { ...params, body: req.body.toString('utf8') };
  const body = { ...parsed };
  if (typeof body.ZipFile === 'string') body.ZipFile = `<${Buffer.from(body.ZipFile, 'base64').length} bytes>`;
  return { ...params, ...body };
}

function invocationType(headers: IncomingRequest['headers']): string {
  const header = headers['x-amz-invocation-type'];
  return (Array.isArray(header) ? header[0] : header) ?? 'RequestResponse';
}

function qualifier(r: LambdaRequest): string | undefined {
  return r.backend.model.qualifierOf(r.ref, r.query.get('Qualifier') ?? undefined);
}

function noQualifier(r: LambdaRequest): void {
  if (r.ref.qualifier !== undefined) {
    throw lambdaErrors.invalidParameter(`Unsupported qualifier in function name: ${r.ref.qualifier}`);
  }
}

function getFunction(r: LambdaRequest): HttpReply {
  const configuration = r.backend.model.configuration(r.fn, qualifier(r));
  const location = `https://awslambda-${r.fn.region}-tasks.s3.${r.fn.region}.amazonaws.com/snapshots/${r.fn.accountId}/${r.fn.name}`;
  return jsonReply(200, { Configuration: configuration, Code: { RepositoryType: 'S3', Location: location } });
}

function getFunctionConfiguration(r: LambdaRequest): HttpReply {
  return jsonReply(200, r.backend.model.configuration(r.fn, qualifier(r)));
}

function publishVersion(r: LambdaRequest): HttpReply {
  noQualifier(r);
  const version = r.backend.model.publish(r.fn, {
    ...optionalString(r.body, 'CodeSha256'),
    ...optionalString(r.body, 'Description'),
    ...optionalString(r.body, 'RevisionId'),
  });
  return jsonReply(201, r.backend.model.versionConfiguration(r.fn, version));
}

function listVersions(r: LambdaRequest): HttpReply {
  noQualifier(r);
  const { model } = r.backend;
  const versions = [model.latestConfiguration(r.fn, true), ...r.fn.versions.map((v) => model.versionConfiguration(r.fn, v))];
  return jsonReply(200, { Versions: versions });
}

function createAlias(r: LambdaRequest): HttpReply {
  noQualifier(r);
  const alias = r.backend.aliases.create(r.fn, r.body);
  return jsonReply(201, r.backend.aliases.toApi(r.fn, alias));
}

/** Page size of ListAliases when MaxItems is not given. */
const DEFAULT_PAGE = 50;

/** ListAliases in name order, paged: MaxItems (1..10000, default 50) and an opaque Marker / NextMarker. */
function listAliases(r: LambdaRequest): HttpReply {
  noQualifier(r);
  const aliases = r.backend.aliases.list(r.fn, r.query.get('FunctionVersion') ?? undefined);
  const maxItems = pageSize(r.query.get('MaxItems'));
  const start = markerIndex(aliases, r.query.get('Marker'));
  const page = aliases.slice(start, start + maxItems);
  const next = aliases[start + maxItems];
  return jsonReply(200, {
    Aliases: page.map((a) => r.backend.aliases.toApi(r.fn, a)),
    ...(next ? { NextMarker: Buffer.from(JSON.stringify({ next: next.name })).toString('base64') } : {}),
  });
}

function pageSize(raw: string | null): number {
  if (raw === null) return DEFAULT_PAGE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    const bound = n < 1 ? 'greater than or equal to 1' : 'less than or equal to 10000';
    throw lambdaErrors.invalidParameter(`1 validation error detected: Value '${raw}' at 'maxItems' failed to satisfy constraint: Member must have value ${bound}`);
  }
  return n;
}

/** Index of the first alias of the page a Marker names (the first alias named at or after the marked one). */
function markerIndex(aliases: AliasRecord[], marker: string | null): number {
  if (marker === null || marker === '') return 0;
  let next: unknown;
  try {
    next = (JSON.parse(Buffer.from(marker, 'base64').toString('utf8')) as { next?: unknown }).next;
  } catch {
    next = undefined;
  }
  if (typeof next !== 'string') throw lambdaErrors.invalidParameter(`Invalid Marker: ${marker}`);
  const index = aliases.findIndex((a) => a.name.localeCompare(next) >= 0);
  return index === -1 ? aliases.length : index;
}

function getAlias(r: LambdaRequest): HttpReply {
  noQualifier(r);
  return jsonReply(200, r.backend.aliases.toApi(r.fn, r.backend.aliases.get(r.fn, r.name!)));
}

function updateAlias(r: LambdaRequest): HttpReply {
  noQualifier(r);
  const alias = r.backend.aliases.update(r.fn, r.name!, r.body);
  return jsonReply(200, r.backend.aliases.toApi(r.fn, alias));
}

function deleteAlias(r: LambdaRequest): HttpReply {
  noQualifier(r);
  r.backend.aliases.delete(r.fn, r.name!);
  return { status: 204 };
}

function invoke(r: LambdaRequest): HttpReply {
  const type = invocationType(r.headers);
  if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
    throw lambdaErrors.invalidParameter(`1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  const q = qualifier(r);
  const outcome = r.backend.invoker.invoke(r.fn, { ...(q !== undefined ? { qualifier: q } : {}), invocationType: type, payload: r.rawBody });
  const headers: Record<string, string> = {};
  if (outcome.executedVersion !== undefined) headers['x-amz-executed-version'] = outcome.executedVersion;
  if (outcome.functionError !== undefined) headers['x-amz-function-error'] = outcome.functionError;
  if (outcome.payload !== undefined) headers['content-type'] = 'application/json';
  return {
    status: outcome.status,
    headers,
    ...(outcome.payload !== undefined ? { body: outcome.payload } : {}),
    delayMs: outcome.delayMs,
  };
}

function updateFunctionCode(r: LambdaRequest): HttpReply {
  noQualifier(r);
  const { codeSha256, codeSize } = codeSource(r.body);
  const config = r.backend.model.updateCode(r.fn, {
    codeSha256,
    codeSize,
    publish: r.body.Publish === true,
    dryRun: r.body.DryRun === true,
    ...optionalString(r.body, 'RevisionId'),
  });
  return jsonReply(200, config);
}

function codeSource(body: Record<string, unknown>): { codeSha256: string; codeSize: number } {
  if (typeof body.ZipFile === 'string') {
    const zip = Buffer.from(body.ZipFile, 'base64');
    return { codeSha256: sha256Base64(zip), codeSize: zip.length };
  }
  if (typeof body.S3Bucket === 'string' && typeof body.S3Key === 'string') {
    const id = `s3://${body.S3Bucket}/${body.S3Key}?versionId=${String(body.S3ObjectVersion ?? '')}`;
    return { codeSha256: sha256Base64(id), codeSize: 1024 };
  }
  if (typeof body.ImageUri === 'string') return { codeSha256: sha256Base64(body.ImageUri), codeSize: 0 };
  throw lambdaErrors.invalidParameter('Please provide a source for function code.');
}

function getProvisionedConcurrency(r: LambdaRequest): HttpReply {
  const q = qualifier(r);
  if (q === undefined) {
    throw lambdaErrors.invalidParameter("1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null");
  }
  r.backend.model.resolve(r.fn, q);
  const config = r.fn.provisioned.get(q);
  if (!config) throw lambdaErrors.pcNotFound('No Provisioned Concurrency Config found for this function');
  return jsonReply(200, {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: config.requested,
    AllocatedProvisionedConcurrentExecutions: config.requested,
    Status: 'READY',
    LastModified: lambdaTimestamp(config.lastModifiedMs),
  });
}

function optionalString<K extends string>(body: Record<string, unknown>, key: K): Partial<Record<K, string>> {
  const value = body[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'string') throw lambdaErrors.invalidParameter(`${key} must be a string`);
  return { [key]: value } as Partial<Record<K, string>>;
}

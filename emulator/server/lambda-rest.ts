/**
 * Lambda's REST-JSON wire protocol: which route is which SDK operation, how a request becomes the
 * SDK-shaped input of lambda/operations.ts, and how results and errors go back as the SDK parses them.
 */
import { ApiError, lambdaErrors } from '../shared/errors.js';
import type { OperationResult } from '../shared/operation.js';
import { jsonReply, type HttpReply, type IncomingRequest } from './http.js';

/** A request recognised as an operation with its SDK-shaped input, or as no route at all. */
export type DecodedRequest =
  | { operation: string; input: Record<string, unknown>; inputError?: ApiError }
  | { operation: 'Unknown'; unroutable: ApiError; input: Record<string, unknown> };

interface LambdaRoute {
  method: string;
  pattern: RegExp;
  operation: string;
}

const FN = '([^/]+)';

// Operations lambda/operations.ts does not run are still routed, so they are answered (and logged)
// under their SDK name with UnknownOperationException.
const ROUTES: LambdaRoute[] = [
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}$`), operation: 'GetFunction' },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration$`), operation: 'GetFunctionConfiguration' },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions$`), operation: 'PublishVersion' },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/versions$`), operation: 'ListVersionsByFunction' },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases$`), operation: 'CreateAlias' },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases$`), operation: 'ListAliases' },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), operation: 'GetAlias' },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), operation: 'UpdateAlias' },
  { method: 'DELETE', pattern: new RegExp(`^/2015-03-31/functions/${FN}/aliases/${FN}$`), operation: 'DeleteAlias' },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/invocations$`), operation: 'Invoke' },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FN}/code$`), operation: 'UpdateFunctionCode' },
  {
    method: 'GET',
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`),
    operation: 'GetProvisionedConcurrencyConfig'
  },
  // What invokes a function, its versions as a whole, provisioned concurrency of all qualifiers (emulator/lambda/triggers.ts, version-ops.ts).
  {
    method: 'GET',
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`),
    operation: 'ListProvisionedConcurrencyConfigs'
  },
  { method: 'GET', pattern: /^\/2015-03-31\/event-source-mappings\/?$/, operation: 'ListEventSourceMappings' },
  { method: 'GET', pattern: new RegExp(`^/2021-10-31/functions/${FN}/urls$`), operation: 'ListFunctionUrlConfigs' },
  { method: 'POST', pattern: /^\/2015-03-31\/functions\/?$/, operation: 'CreateFunction' },
  { method: 'GET', pattern: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' },
  { method: 'DELETE', pattern: new RegExp(`^/2015-03-31/functions/${FN}$`), operation: 'DeleteFunction' },
  { method: 'PUT', pattern: new RegExp(`^/2015-03-31/functions/${FN}/configuration$`), operation: 'UpdateFunctionConfiguration' },
  {
    method: 'PUT',
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`),
    operation: 'PutProvisionedConcurrencyConfig'
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/2019-09-30/functions/${FN}/provisioned-concurrency$`),
    operation: 'DeleteProvisionedConcurrencyConfig'
  },
  { method: 'GET', pattern: new RegExp(`^/2019-09-30/functions/${FN}/concurrency$`), operation: 'GetFunctionConcurrency' },
  { method: 'PUT', pattern: new RegExp(`^/2017-10-31/functions/${FN}/concurrency$`), operation: 'PutFunctionConcurrency' },
  { method: 'GET', pattern: new RegExp(`^/2015-03-31/functions/${FN}/policy$`), operation: 'GetPolicy' },
  { method: 'POST', pattern: new RegExp(`^/2015-03-31/functions/${FN}/policy$`), operation: 'AddPermission' },
  { method: 'GET', pattern: /^\/2017-03-31\/tags\/[^/]+$/, operation: 'ListTags' },
  { method: 'GET', pattern: /^\/2016-08-19\/account-settings\/?$/, operation: 'GetAccountSettings' }
];

/**
 * Recognises a Lambda REST request: the input is what the SDK command was given, rebuilt from the
 * URI labels (FunctionName, Name), the query (Qualifier, MaxItems, ...), the headers (Invoke's
 * InvocationType) and the JSON body (ZipFile back to bytes; Invoke's Payload is the raw body).
 */
export function decodeLambdaRequest(req: IncomingRequest): DecodedRequest {
  for (const route of ROUTES) {
    if (route.method !== req.method) continue;
    const m = route.pattern.exec(req.path);
    if (!m) continue;
    // ListProvisionedConcurrencyConfigs shares the path: `List=ALL` tells them apart.
    if (route.operation === 'GetProvisionedConcurrencyConfig' && req.query.get('List') === 'ALL') continue;
    if (route.operation === 'ListProvisionedConcurrencyConfigs' && req.query.get('List') !== 'ALL') continue;
    return decodeRoute(route.operation, m.slice(1).map(safeDecode), req);
  }
  return {
    operation: 'Unknown',
    unroutable: new ApiError('UnknownOperationException', `Unknown operation ${req.method} ${req.path}`, 404),
    input: {}
  };
}

function decodeRoute(operation: string, [functionName, name]: string[], req: IncomingRequest): DecodedRequest {
  const input: Record<string, unknown> = {
    ...(functionName !== undefined ? { FunctionName: functionName } : {}),
    ...Object.fromEntries(req.query)
  };
  if (name !== undefined) input.Name = name;
  if (operation === 'Invoke')
    return {
      operation,
      input: { ...input, InvocationType: header(req, 'x-amz-invocation-type') ?? 'RequestResponse', Payload: req.body }
    };
  if (req.body.length === 0) return { operation, input };
  const body = parseObject(req.body);
  if (!body)
    return {
      operation,
      input: { ...input, body: req.body.toString('utf8') },
      inputError: lambdaErrors.invalidContent('Could not parse request body into json')
    };
  // Blobs travel base64-encoded in JSON bodies; the SDK input holds the bytes.
  if (typeof body.ZipFile === 'string') body.ZipFile = Buffer.from(body.ZipFile, 'base64');
  return { operation, input: { ...input, ...body } };
}

/** A result as Lambda sends it: JSON, except Invoke (raw payload, metadata in headers) and empty 204s. */
export function encodeLambdaResult(operation: string, result: OperationResult): HttpReply {
  const delay = result.delayMs ? { delayMs: result.delayMs } : {};
  if (operation === 'Invoke') {
    const out = result.output as { ExecutedVersion?: string; FunctionError?: string; Payload?: Uint8Array };
    const headers: Record<string, string> = {};
    if (out.ExecutedVersion !== undefined) headers['x-amz-executed-version'] = out.ExecutedVersion;
    if (out.FunctionError !== undefined) headers['x-amz-function-error'] = out.FunctionError;
    if (out.Payload !== undefined) headers['content-type'] = 'application/json';
    return { status: result.status, headers, ...(out.Payload !== undefined ? { body: Buffer.from(out.Payload) } : {}), ...delay };
  }
  if (result.status === 204) return { status: 204, ...delay };
  return { ...jsonReply(result.status, result.output), ...delay };
}

/** Lambda error shapes whose message member is `Message` (the rest use `message`), per the SDK schemas. */
const CAPITALISED_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException', 'ServiceQuotaExceededException']);

/**
 * restJson1 error as Lambda sends it: status code, `x-amzn-errortype` header (checked first by the
 * SDK's loadRestJsonErrorCode), body `{Type, message|Message}`.
 */
export function encodeLambdaError(error: ApiError): HttpReply {
  const messageKey = CAPITALISED_MESSAGE.has(error.code) ? 'Message' : 'message';
  const body = { Type: error.status >= 500 ? 'Service' : 'User', [messageKey]: error.message, ...error.fields };
  return jsonReply(error.status, body, { 'x-amzn-errortype': error.code, ...error.headers });
}

function header(req: IncomingRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return undefined;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

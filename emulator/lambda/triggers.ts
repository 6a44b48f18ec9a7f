import { randomUUID } from 'node:crypto';
import { namespacedKey, parseFunctionRef, type FunctionRef } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import { lambdaErrors } from '../shared/errors.js';
import type { OperationResult } from '../shared/operation.js';
import type { LambdaModel } from './model.js';
import { pageOf } from './pages.js';
import { lambdaTimestamp, newRevisionId, type FunctionRecord } from './records.js';
import type { EventSourceMappingSnapshot, EventSourceMappingSpec, FunctionUrlSpec, PermissionSpec } from './trigger-types.js';

/**
 * What invokes a function besides its callers' own Invoke, as Lambda keeps it: event source
 * mappings (each bound to the function ARN it was created with, qualifier and all), function URLs
 * (on the unqualified function or an alias) and resource-based policies (one per qualifier, the
 * unqualified function's apart). The operations that read them are at the end of this file.
 */

interface MappingRecord extends EventSourceMappingSnapshot {
  /** The function's key (account/region/name): the mapping goes when the function does. */
  readonly fnKey: string;
}

interface UrlRecord {
  readonly fnKey: string;
  readonly functionArn: string;
  readonly url: string;
  readonly authType: 'NONE' | 'AWS_IAM';
  readonly createdMs: number;
}

interface PolicyRecord {
  revisionId: string;
  readonly statements: Array<Record<string, unknown>>;
}

/** The triggers of every function, in creation order. */
export class TriggerStore {
  private mappings: MappingRecord[] = [];
  private urls: UrlRecord[] = [];
  /** Policies by `fnKey|qualifier` ('' for the unqualified function). */
  private readonly policies = new Map<string, PolicyRecord>();

  constructor(
    private readonly model: LambdaModel,
    private readonly clock: Clock
  ) {}

  reset(): void {
    this.mappings = [];
    this.urls = [];
    this.policies.clear();
  }

  /** Everything of one function goes with it (DeleteFunction without a qualifier). */
  forget(fn: FunctionRecord): void {
    const key = keyOf(fn);
    this.mappings = this.mappings.filter((m) => m.fnKey !== key);
    this.urls = this.urls.filter((u) => u.fnKey !== key);
    for (const policy of [...this.policies.keys()]) if (policy.startsWith(`${key}|`)) this.policies.delete(policy);
  }

  /** Control API: a mapping on the function as named (its qualifier must exist). */
  createMapping(fn: FunctionRecord, ref: FunctionRef, spec: EventSourceMappingSpec): EventSourceMappingSnapshot {
    if (typeof spec.eventSourceArn !== 'string' || !spec.eventSourceArn.startsWith('arn:'))
      throw new RangeError(`eventSourceArn must be an ARN, got ${String(spec.eventSourceArn)}`);
    const state = spec.state ?? 'Enabled';
    if (state !== 'Enabled' && state !== 'Disabled')
      throw new RangeError(`state must be Enabled or Disabled, got ${String(state)}`);
    if (ref.qualifier !== undefined) this.model.resolve(fn, ref.qualifier);
    const record: MappingRecord = {
      uuid: randomUUID(),
      functionArn: fn.arns.function(fn.name, ref.qualifier),
      eventSourceArn: spec.eventSourceArn,
      state,
      fnKey: keyOf(fn)
    };
    this.mappings.push(record);
    const { fnKey: _key, ...snapshot } = record;
    return snapshot;
  }

  /** Control API: a function URL on the function or one of its aliases. */
  createUrl(fn: FunctionRecord, spec: FunctionUrlSpec): string {
    const { qualifier } = spec;
    if (qualifier !== undefined) {
      const target = this.model.resolve(fn, qualifier);
      if (target.kind !== 'alias')
        throw lambdaErrors.invalidParameter('A function URL can only be created on an alias or the unqualified function');
    }
    const functionArn = fn.arns.function(fn.name, qualifier);
    if (this.urls.some((u) => u.functionArn === functionArn))
      throw lambdaErrors.conflict(`Function URL already exists for ${functionArn}`);
    const authType = spec.authType ?? 'AWS_IAM';
    if (authType !== 'NONE' && authType !== 'AWS_IAM')
      throw new RangeError(`authType must be NONE or AWS_IAM, got ${String(authType)}`);
    const id = Buffer.from(functionArn).toString('hex').slice(-32);
    const url = `https://${id}.lambda-url.${fn.region}.on.aws/`;
    this.urls.push({ fnKey: keyOf(fn), functionArn, url, authType, createdMs: this.clock.now() });
    return url;
  }

  /** AddPermission: one statement on the qualifier's policy (a duplicate statement id is refused, as Lambda does). */
  addPermission(
    fn: FunctionRecord,
    qualifier: string | undefined,
    spec: Omit<PermissionSpec, 'functionName' | 'qualifier'>
  ): string {
    if (qualifier !== undefined) this.model.resolve(fn, qualifier);
    if (typeof spec.statementId !== 'string' || !/^[a-zA-Z0-9_-]{1,100}$/.test(spec.statementId))
      throw lambdaErrors.invalidParameter(`Invalid StatementId: ${String(spec.statementId)}`);
    if (typeof spec.principal !== 'string' || spec.principal === '') throw lambdaErrors.invalidParameter('Principal is required');
    const key = `${keyOf(fn)}|${qualifier ?? ''}`;
    const policy = this.policies.get(key) ?? { revisionId: newRevisionId(), statements: [] };
    if (policy.statements.some((s) => s.Sid === spec.statementId))
      throw lambdaErrors.conflict(
        `The statement id (${spec.statementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`
      );
    const principal = principalOf(spec.principal);
    const condition = {
      ...(spec.sourceArn ? { ArnLike: { 'AWS:SourceArn': spec.sourceArn } } : {}),
      ...(spec.sourceAccount ? { StringEquals: { 'AWS:SourceAccount': spec.sourceAccount } } : {})
    };
    const statement = {
      Sid: spec.statementId,
      Effect: 'Allow',
      Principal: principal,
      Action: spec.action ?? 'lambda:InvokeFunction',
      Resource: fn.arns.function(fn.name, qualifier),
      ...(Object.keys(condition).length > 0 ? { Condition: condition } : {})
    };
    policy.statements.push(statement);
    policy.revisionId = newRevisionId();
    this.policies.set(key, policy);
    return JSON.stringify(statement);
  }

  /** ListEventSourceMappings: the mappings on exactly this function ARN (qualifier and all), and of the event source when one is named. */
  listMappings(functionArn: string, eventSourceArn: string | undefined): Array<Record<string, unknown>> {
    return this.mappings
      .filter((m) => m.functionArn === functionArn && (eventSourceArn === undefined || m.eventSourceArn === eventSourceArn))
      .map((m) => ({
        UUID: m.uuid,
        FunctionArn: m.functionArn,
        EventSourceArn: m.eventSourceArn,
        State: m.state,
        BatchSize: 10,
        StateTransitionReason: 'USER_INITIATED'
      }));
  }

  listUrls(fn: FunctionRecord): Array<Record<string, unknown>> {
    return this.urls
      .filter((u) => u.fnKey === keyOf(fn))
      .map((u) => ({
        FunctionUrl: u.url,
        FunctionArn: u.functionArn,
        AuthType: u.authType,
        CreationTime: lambdaTimestamp(u.createdMs),
        LastModifiedTime: lambdaTimestamp(u.createdMs)
      }));
  }

  policy(fn: FunctionRecord, qualifier: string | undefined): PolicyRecord | undefined {
    return this.policies.get(`${keyOf(fn)}|${qualifier ?? ''}`);
  }
}

function keyOf(fn: FunctionRecord): string {
  return namespacedKey(fn, fn.name);
}

/** AddPermission's Principal as a policy states it: a service, or an account or IAM ARN. */
function principalOf(principal: string): Record<string, string> {
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** What the trigger operations are given: the resolved function, the name as sent, and the SDK-shaped input. */
export interface TriggerCall {
  readonly triggers: TriggerStore;
  readonly model: LambdaModel;
  readonly fn: FunctionRecord;
  readonly ref: FunctionRef;
  readonly input: Record<string, unknown>;
}

/**
 * ListEventSourceMappings, paged at 100. The FunctionName is matched as sent, qualifier and all: an
 * alias's or a version's mappings are listed under its qualified ARN. (Whether Lambda also lists them
 * under the unqualified name is not documented; the action asks for each qualifier it audits.)
 * The emulator needs a FunctionName (listing every mapping of an account is not modelled).
 */
export function listEventSourceMappings(c: TriggerCall): OperationResult {
  const arn = c.fn.arns.function(c.fn.name, c.ref.qualifier);
  const source = typeof c.input.EventSourceArn === 'string' ? c.input.EventSourceArn : undefined;
  const { page, nextMarker } = pageOf(c.triggers.listMappings(arn, source), c.input.MaxItems, c.input.Marker, 100);
  return { status: 200, output: { EventSourceMappings: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) } };
}

/** ListFunctionUrlConfigs: every URL of the function (unqualified and on aliases), paged at 50. */
export function listFunctionUrlConfigs(c: TriggerCall): OperationResult {
  if (c.ref.qualifier !== undefined)
    throw lambdaErrors.invalidParameter(`Unsupported qualifier in function name: ${c.ref.qualifier}`);
  const { page, nextMarker } = pageOf(c.triggers.listUrls(c.fn), c.input.MaxItems, c.input.Marker, 50);
  return { status: 200, output: { FunctionUrlConfigs: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) } };
}

/** GetPolicy of one qualifier (none: the unqualified function); 404 when it has no policy. */
export function getPolicy(c: TriggerCall): OperationResult {
  const qualifier = c.model.qualifierOf(c.ref, typeof c.input.Qualifier === 'string' ? c.input.Qualifier : undefined);
  if (qualifier !== undefined) c.model.resolve(c.fn, qualifier);
  const policy = c.triggers.policy(c.fn, qualifier);
  if (!policy || policy.statements.length === 0) throw lambdaErrors.notFound('The resource you requested does not exist.');
  const document = { Version: '2012-10-17', Id: 'default', Statement: policy.statements };
  return { status: 200, output: { Policy: JSON.stringify(document), RevisionId: policy.revisionId } };
}

/** AddPermission, as a grant's owner (S3, SNS, EventBridge, API Gateway set-ups) sends it. */
export function addPermission(c: TriggerCall): OperationResult {
  const qualifier = c.model.qualifierOf(c.ref, typeof c.input.Qualifier === 'string' ? c.input.Qualifier : undefined);
  const text = (key: string): string | undefined => (typeof c.input[key] === 'string' ? (c.input[key] as string) : undefined);
  const statement = c.triggers.addPermission(c.fn, qualifier, {
    statementId: text('StatementId') ?? '',
    principal: text('Principal') ?? '',
    ...(text('Action') ? { action: text('Action')! } : {}),
    ...(text('SourceArn') ? { sourceArn: text('SourceArn')! } : {}),
    ...(text('SourceAccount') ? { sourceAccount: text('SourceAccount')! } : {})
  });
  return { status: 201, output: { Statement: statement } };
}

/** A control-API function name split, for the trigger control methods. */
export function controlRef(functionName: string): FunctionRef {
  return parseFunctionRef(String(functionName));
}

import { AlarmStore } from '../cloudwatch/alarms.js';
import { ArnBuilder, assertNamespace, namespacedKey, parseFunctionRef, type Namespace } from '../shared/arn.js';
import { CallLog } from '../shared/call-log.js';
import { Clock } from '../shared/clock.js';
import { isCloudWatchRequest, matchCloudWatchCall } from '../cloudwatch/routes.js';
import { ApiError } from '../shared/errors.js';
import { FaultInjector, type FaultDecision } from '../shared/faults.js';
import type { HttpReply, IncomingRequest, OperationCall } from '../server/http.js';
import { accessDenied, iamAction, Identities, type Caller } from '../shared/identity.js';
import { AliasService } from '../lambda/aliases.js';
import { Invoker } from '../lambda/invoke.js';
import { LambdaModel } from '../lambda/model.js';
import { sha256Base64, type FunctionRecord } from '../lambda/records.js';
import { matchLambdaRoute } from '../lambda/routes.js';
import { InvocationMetrics } from '../cloudwatch/metrics.js';
import { createRng } from '../shared/rng.js';
import type {
  AlarmSnapshot,
  AlarmSpec,
  AlarmState,
  CallLogEntry,
  CreateFunctionSpec,
  EmulatorControl,
  EmulatorOptions,
  EmulatorSnapshot,
  FaultConfig,
  FunctionSnapshot,
  InvokeResultSpec,
  UpdateCodeOptions,
} from '../types.js';

/** Result of handling one AWS request: a reply, or an instruction to drop the connection or to never answer. */
export type AwsOutcome = { reply: HttpReply } | { drop: true } | { hang: true };

/**
 * The emulator's state and behaviour, independent of the HTTP server: AWS request handling
 * (with faults and call logging) plus the control API.
 */
export class Emulator implements EmulatorControl {
  readonly clock: Clock;
  /** ARNs of the default account and region. */
  readonly arns: ArnBuilder;
  private readonly lambda: LambdaModel;
  private readonly aliases: AliasService;
  private readonly invoker: Invoker;
  private readonly metrics = new InvocationMetrics();
  private readonly alarms: AlarmStore;
  private readonly faults = new FaultInjector();
  private readonly log = new CallLog();
  private readonly identities: Identities;
  private readonly seed: number;
  private codeUpdates = 0;

  constructor(options: EmulatorOptions = {}) {
    this.clock = new Clock(options.now);
    this.arns = new ArnBuilder(options.region ?? 'us-east-1', options.accountId ?? '123456789012');
    assertNamespace(this.arns);
    const defaults: Namespace = { region: this.arns.region, accountId: this.arns.accountId };
    this.seed = options.seed ?? 1;
    this.identities = new Identities(defaults);
    this.lambda = new LambdaModel(defaults, this.clock);
    this.aliases = new AliasService(this.lambda);
    this.invoker = new Invoker(this.lambda, this.metrics, this.clock, createRng(this.seed));
    this.alarms = new AlarmStore(defaults, this.clock);
  }

  /** Handles one AWS API request: identify the caller, route, inject faults, authorise, run, log. */
  async handleAws(req: IncomingRequest): Promise<AwsOutcome> {
    const seq = this.log.nextSeq();
    const atMs = this.clock.now();
    const caller = this.identities.callerOf(req);
    const call = isCloudWatchRequest(req)
      ? matchCloudWatchCall(req, { alarms: this.alarms, metrics: this.metrics }, caller)
      : matchLambdaRoute(req, { model: this.lambda, aliases: this.aliases, invoker: this.invoker }, caller);
    const decision = this.faults.decide(call.service, call.operation);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.drop) {
      // A lost response is logged with the status the caller would have had: the change was made.
      const ran = decision.afterRun ? this.run(call, caller) : undefined;
      const status = ran?.status ?? 0;
      this.record(seq, atMs, caller, call, status, ran instanceof ApiError ? ran.code : undefined, decision);
      return { drop: true };
    }
    if (decision.hang) {
      // Logged now, as it arrives: no status ever goes out (a failed run still logs its error code).
      const ran = decision.afterRun ? this.run(call, caller) : undefined;
      this.record(seq, atMs, caller, call, 0, ran instanceof ApiError ? ran.code : undefined, decision);
      return { hang: true };
    }
    const injected = decision.accessDenied ? this.denial(call, caller, 'identity-based') : decision.error;
    const result = decision.reply ?? injected ?? this.run(call, caller);
    const reply = result instanceof ApiError ? call.encodeError(result) : result;
    this.record(seq, atMs, caller, call, reply.status, result instanceof ApiError ? result.code : undefined, decision);
    return { reply };
  }

  /** IAM's refusal of this call for this caller. */
  private denial(call: OperationCall, caller: Caller, policy: 'identity-based' | 'resource-based'): ApiError {
    return accessDenied(call.service, caller, call.iamAction ?? iamAction(call.service, call.operation), call.resource, policy);
  }

  /**
   * Runs the operation after the caller-wide denials; service errors (and unexpected exceptions, as
   * 500s) come back as ApiError.
   */
  private run(call: OperationCall, caller: Caller): HttpReply | ApiError {
    try {
      if (call.iamAction !== undefined && this.identities.isDenied(call.iamAction)) return this.denial(call, caller, 'identity-based');
      return call.execute();
    } catch (error) {
      if (error instanceof ApiError) return error;
      const message = error instanceof Error ? error.message : String(error);
      const code = call.service === 'lambda' ? 'ServiceException' : 'InternalServiceFault';
      return new ApiError(code, `Emulator internal error: ${message}`, 500);
    }
  }

  private record(
    seq: number,
    atMs: number,
    caller: Caller,
    call: OperationCall,
    status: number,
    errorCode: string | undefined,
    decision: FaultDecision,
  ): void {
    const entry: CallLogEntry = {
      seq,
      atMs,
      service: call.service,
      region: caller.region,
      accountId: caller.accountId,
      operation: call.operation,
      params: call.params,
      status,
      mutating: call.mutating,
    };
    if (call.functionName !== undefined) entry.functionName = call.functionName;
    if (errorCode !== undefined) entry.errorCode = errorCode;
    if (decision.fault !== undefined) entry.fault = decision.fault;
    this.log.add(entry);
  }

  // ---- control API ----

  reset(): void {
    this.lambda.reset();
    this.alarms.reset();
    this.metrics.reset();
    this.faults.reset();
    this.log.reset();
    this.identities.reset();
    this.invoker.reseed(createRng(this.seed));
  }

  createFunction(spec: CreateFunctionSpec): FunctionSnapshot {
    const fn = this.lambda.create(spec);
    if (spec.alias) {
      try {
        this.aliases.create(fn, { Name: spec.alias.name, FunctionVersion: spec.alias.version });
      } catch (error) {
        this.lambda.functions.delete(namespacedKey(fn, fn.name));
        throw error;
      }
    }
    return this.functionSnapshot(fn);
  }

  updateCode(name: string, codeSha256?: string, options: UpdateCodeOptions = {}): FunctionSnapshot {
    const fn = this.findFunction(name);
    const sha = codeSha256 ?? sha256Base64(`${fn.name}:control-update:${++this.codeUpdates}`);
    this.lambda.setCode(fn, sha, fn.latest.codeSize, {
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
      ...(options.fail !== undefined ? { failure: options.fail } : {}),
      ...(options.environment !== undefined ? { environment: options.environment } : {}),
    });
    return this.functionSnapshot(fn);
  }

  setLastUpdateFailed(name: string, reason: string, reasonCode: string): FunctionSnapshot {
    const fn = this.findFunction(name);
    this.lambda.markUpdateFailed(fn, { reason, reasonCode });
    return this.functionSnapshot(fn);
  }

  putAlarm(spec: AlarmSpec): AlarmSnapshot {
    return this.alarms.put(spec);
  }

  setAlarmState(name: string, state: AlarmState, opts: { reason?: string; afterMs?: number } = {}): AlarmSnapshot {
    return this.alarms.setState(name, state, opts);
  }

  queueInvokeResults(functionName: string, results: InvokeResultSpec[]): void {
    this.findFunction(functionName).queue.push(...results.map((r) => ({ ...r })));
  }

  setProvisionedConcurrency(functionName: string, alias: string, n: number): void {
    const fn = this.findFunction(functionName);
    const record = this.aliases.get(fn, alias);
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`provisioned concurrency must be a non-negative integer, got ${n}`);
    if (n === 0) {
      fn.provisioned.delete(alias);
      return;
    }
    if (Object.keys(record.weights).length > 0) {
      throw new ApiError('InvalidParameterValueException', 'Alias with weights can not be used with Provisioned Concurrency', 400);
    }
    fn.provisioned.set(alias, { requested: n, lastModifiedMs: this.clock.now() });
  }

  setFaults(faults: FaultConfig): void {
    this.faults.set(faults);
  }

  failNext(operation: string, count: number, errorCode: string): void {
    this.faults.failNext(operation, count, errorCode);
  }

  setAccessKeyAccount(accessKeyId: string, accountId: string): void {
    this.identities.setAccountOf(accessKeyId, accountId);
  }

  denyActions(actions: string[]): void {
    this.identities.deny(actions);
  }

  /** Moves emulator time forward by `ms` (on top of the injected clock). */
  advanceTime(ms: number): void {
    this.clock.advance(ms);
  }

  calls(): CallLogEntry[] {
    return this.log.all();
  }

  state(): EmulatorSnapshot {
    return {
      nowMs: this.clock.now(),
      functions: [...this.lambda.functions.values()].map((fn) => this.functionSnapshot(fn)),
      alarms: this.alarms.all(),
    };
  }

  /**
   * A function named in the control API: a plain name in the default namespace, a full ARN in its own
   * account and region, a partial ARN (`<account>:function:<name>`) in that account and the default region.
   */
  private findFunction(nameOrArn: string): FunctionRecord {
    const ref = parseFunctionRef(String(nameOrArn));
    if (ref.qualifier !== undefined) throw new RangeError(`name a function, not a version or alias: ${nameOrArn}`);
    const ns = { accountId: ref.accountId ?? this.arns.accountId, region: ref.region ?? this.arns.region };
    return this.lambda.get(ns, ref.name);
  }

  private functionSnapshot(fn: FunctionRecord): FunctionSnapshot {
    const { latest } = fn;
    const state = this.lambda.functionState(fn);
    const update = this.lambda.lastUpdate(fn);
    return {
      name: fn.name,
      arn: fn.arns.function(fn.name),
      region: fn.region,
      accountId: fn.accountId,
      latest: {
        version: '$LATEST',
        codeSha256: latest.codeSha256,
        revisionId: latest.revisionId,
        description: latest.description,
        state: state.State,
        ...(state.StateReason !== undefined ? { stateReason: state.StateReason } : {}),
        ...(state.StateReasonCode !== undefined ? { stateReasonCode: state.StateReasonCode } : {}),
        ...(latest.environment ? { environment: { ...latest.environment } } : {}),
        lastUpdateStatus: update.LastUpdateStatus,
        ...(update.LastUpdateStatusReason !== undefined ? { lastUpdateStatusReason: update.LastUpdateStatusReason } : {}),
        ...(update.LastUpdateStatusReasonCode !== undefined ? { lastUpdateStatusReasonCode: update.LastUpdateStatusReasonCode } : {}),
      },
      versions: fn.versions.map((v) => ({
        version: v.version,
        codeSha256: v.codeSha256,
        revisionId: v.revisionId,
        description: v.description,
        state: this.lambda.isPending(v) ? 'Pending' : 'Active',
        ...(this.lambda.isPending(v) ? { stateReason: 'The function is being created.', stateReasonCode: 'Creating' } : {}),
        ...(v.environment ? { environment: { ...v.environment } } : {}),
      })),
      aliases: this.aliases.list(fn).map((a) => ({
        name: a.name,
        functionVersion: a.functionVersion,
        description: a.description,
        revisionId: a.revisionId,
        weights: { ...a.weights },
        ...(fn.provisioned.has(a.name) ? { provisionedConcurrency: fn.provisioned.get(a.name)!.requested } : {}),
      })),
      invocations: Object.fromEntries(fn.invocations),
      queuedResults: fn.queue.length,
    };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import { AlarmStore } from './alarms.js';
import { ArnBuilder } from './arn.js';
import { CallLog } from './call-log.js';
import { Clock } from './clock.js';
import { isCloudWatchRequest, matchCloudWatchCall } from './cloudwatch-routes.js';
import { ApiError } from './errors.js';
import { FaultInjector, type FaultDecision } from './faults.js';
import type { HttpReply, IncomingRequest, OperationCall } from './http-types.js';
import { AliasService } from './lambda-aliases.js';
import { Invoker } from './lambda-invoke.js';
import { LambdaModel } from './lambda-model.js';
import { sha256Base64, type FunctionRecord } from './lambda-records.js';
import { matchLambdaRoute } from './lambda-routes.js';
import { InvocationMetrics } from './metrics.js';
import { createRng } from './rng.js';
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
} from './types.js';

/** Result of handling one AWS request: a reply, or an instruction to drop the connection. */
export type AwsOutcome = { reply: HttpReply } | { drop: true };

/**
 * The emulator's state and behaviour, independent of the HTTP server: AWS request handling
 * (with faults and call logging) plus the control API.
 */
export class Emulator implements EmulatorControl {
  readonly clock: Clock;
  readonly arns: ArnBuilder;
  private readonly lambda: LambdaModel;
  private readonly aliases: AliasService;
  private readonly invoker: Invoker;
  private readonly metrics = new InvocationMetrics();
  private readonly alarms: AlarmStore;
  private readonly faults = new FaultInjector();
  private readonly log = new CallLog();
  private readonly seed: number;
  private codeUpdates = 0;

  constructor(options: EmulatorOptions = {}) {
    this.clock = new Clock(options.now);
    this.arns = new ArnBuilder(options.region ?? 'us-east-1', options.accountId ?? '123456789012');
    this.seed = options.seed ?? 1;
    this.lambda = new LambdaModel(this.arns, this.clock);
    this.aliases = new AliasService(this.lambda);
    this.invoker = new Invoker(this.lambda, this.metrics, this.clock, createRng(this.seed));
    this.alarms = new AlarmStore(this.arns, this.clock);
  }

  /** Handles one AWS API request: route, inject faults, run, log. */
  async handleAws(req: IncomingRequest): Promise<AwsOutcome> {
    const seq = this.log.nextSeq();
    const atMs = this.clock.now();
    const call = isCloudWatchRequest(req)
      ? matchCloudWatchCall(req, { alarms: this.alarms, metrics: this.metrics })
      : matchLambdaRoute(req, { model: this.lambda, aliases: this.aliases, invoker: this.invoker });
    const decision = this.faults.decide(call.service, call.operation);
    if (decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (decision.drop) {
      // A lost response is logged with the status the caller would have had: the change was made.
      const ran = decision.afterRun ? this.run(call) : undefined;
      const status = ran?.status ?? 0;
      this.record(seq, atMs, call, status, ran instanceof ApiError ? ran.code : undefined, decision);
      return { drop: true };
    }
    const result = decision.error ?? this.run(call);
    const reply = result instanceof ApiError ? call.encodeError(result) : result;
    this.record(seq, atMs, call, reply.status, result instanceof ApiError ? result.code : undefined, decision);
    return { reply };
  }

  /** Runs the operation; service errors (and unexpected exceptions, as 500s) come back as ApiError. */
  private run(call: OperationCall): HttpReply | ApiError {
    try {
      return call.execute();
    } catch (error) {
      if (error instanceof ApiError) return error;
      const message = error instanceof Error ? error.message : String(error);
      const code = call.service === 'lambda' ? 'ServiceException' : 'InternalServiceFault';
      return new ApiError(code, `Emulator internal error: ${message}`, 500);
    }
  }

  private record(seq: number, atMs: number, call: OperationCall, status: number, errorCode: string | undefined, decision: FaultDecision): void {
    const entry: CallLogEntry = {
      seq,
      atMs,
      service: call.service,
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
    this.invoker.reseed(createRng(this.seed));
  }

  createFunction(spec: CreateFunctionSpec): FunctionSnapshot {
    const fn = this.lambda.create(spec);
    if (spec.alias) this.aliases.create(fn, { Name: spec.alias.name, FunctionVersion: spec.alias.version });
    return this.functionSnapshot(fn);
  }

  updateCode(name: string, codeSha256?: string): FunctionSnapshot {
    const fn = this.lambda.get(name);
    const sha = codeSha256 ?? sha256Base64(`${fn.name}:control-update:${++this.codeUpdates}`);
    this.lambda.setCode(fn, sha, fn.latest.codeSize);
    return this.functionSnapshot(fn);
  }

  putAlarm(spec: AlarmSpec): AlarmSnapshot {
    return this.alarms.put(spec);
  }

  setAlarmState(name: string, state: AlarmState, opts: { reason?: string; afterMs?: number } = {}): AlarmSnapshot {
    return this.alarms.setState(name, state, opts);
  }

  queueInvokeResults(functionName: string, results: InvokeResultSpec[]): void {
    this.lambda.get(functionName).queue.push(...results.map((r) => ({ ...r })));
  }

  setProvisionedConcurrency(functionName: string, alias: string, n: number): void {
    const fn = this.lambda.get(functionName);
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

  private functionSnapshot(fn: FunctionRecord): FunctionSnapshot {
    const { latest } = fn;
    return {
      name: fn.name,
      arn: this.arns.function(fn.name),
      latest: {
        version: '$LATEST',
        codeSha256: latest.codeSha256,
        revisionId: latest.revisionId,
        description: latest.description,
        state: 'Active',
        lastUpdateStatus: this.lambda.updateInProgress(fn) ? 'InProgress' : 'Successful',
      },
      versions: fn.versions.map((v) => ({
        version: v.version,
        codeSha256: v.codeSha256,
        revisionId: v.revisionId,
        description: v.description,
        state: this.lambda.isPending(v) ? 'Pending' : 'Active',
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

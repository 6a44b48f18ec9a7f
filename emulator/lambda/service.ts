import { namespacedKey, parseFunctionRef, type Namespace } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { InvocationSink } from '../shared/invocations.js';
import { createRng } from '../shared/rng.js';
import type { S3Objects } from '../s3/objects.js';
import { AliasService } from './aliases.js';
import { Invoker } from './invoke.js';
import { LambdaModel } from './model.js';
import { ProvisionedConcurrency } from './provisioned.js';
import { sha256Base64, type FunctionRecord } from './records.js';
import { functionSnapshot } from './snapshot.js';
import { TrafficModel } from './traffic.js';
import type {
  EventSourceMappingSnapshot,
  EventSourceMappingSpec,
  FunctionUrlSpec,
  InactiveVersionOptions,
  PermissionSpec
} from './trigger-types.js';
import { TriggerStore } from './triggers.js';
import type {
  CreateFunctionSpec,
  FunctionSnapshot,
  InvokeBehaviourSpec,
  InvokeResultSpec,
  ProvisionedConcurrencyOptions,
  UpdateCodeOptions
} from './types.js';

/**
 * The Lambda side of the emulator: the model, its alias rules and Invoke, plus what the control API
 * does to them. The AWS operations on it are in operations.ts.
 */
export class LambdaService {
  readonly model: LambdaModel;
  readonly aliases: AliasService;
  readonly invoker: Invoker;
  /** Provisioned concurrency of aliases and versions, and its allocations. */
  readonly provisioned: ProvisionedConcurrency;
  /** Callers invoking functions through their aliases (startTraffic). */
  readonly traffic: TrafficModel;
  /** Event source mappings, function URLs and resource-based policies. */
  readonly triggers: TriggerStore;
  /** Numbers the code of control-API updates that name no hash, so each one is new code. */
  private codeUpdates = 0;
  /** Another writer's code update, run right before the next call of an operation on a function. */
  private interleaved: Array<{ fn: FunctionRecord; operation: string }> = [];

  constructor(
    private readonly defaults: Namespace,
    clock: Clock,
    sink: InvocationSink,
    private readonly seed: number,
    /** Where UpdateFunctionCode reads S3Bucket/S3Key code from. */
    readonly objects?: S3Objects
  ) {
    this.model = new LambdaModel(defaults, clock);
    this.provisioned = new ProvisionedConcurrency(this.model, clock);
    this.traffic = new TrafficModel(this.model, sink, clock, this.provisioned);
    this.aliases = new AliasService(this.model, this.provisioned, () => this.traffic.catchUp());
    this.invoker = new Invoker(this.model, sink, clock, createRng(seed));
    this.triggers = new TriggerStore(this.model, clock);
  }

  /** Forgets every function and restarts weighted routing from the seed. */
  reset(): void {
    this.traffic.reset();
    this.model.reset();
    this.triggers.reset();
    this.interleaved = [];
    this.invoker.reseed(createRng(this.seed));
  }

  /** Creates a function (and its alias, if the spec names one: both or neither). */
  createFunction(spec: CreateFunctionSpec): FunctionSnapshot {
    const fn = this.model.create(spec);
    if (spec.alias) {
      try {
        const routing = spec.alias.weights ? { RoutingConfig: { AdditionalVersionWeights: spec.alias.weights } } : {};
        this.aliases.create(fn, { Name: spec.alias.name, FunctionVersion: spec.alias.version, ...routing });
      } catch (error) {
        this.model.functions.delete(namespacedKey(fn, fn.name));
        throw error;
      }
    }
    return this.snapshot(fn);
  }

  /** Replaces $LATEST's code, as a pipeline would before the action runs. */
  updateCode(nameOrArn: string, codeSha256: string | undefined, options: UpdateCodeOptions): FunctionSnapshot {
    const fn = this.find(nameOrArn);
    const sha = codeSha256 ?? sha256Base64(`${fn.name}:control-update:${++this.codeUpdates}`);
    this.model.setCode(
      fn,
      { codeSha256: sha, codeSize: fn.latest.codeSize },
      {
        ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
        ...(options.fail !== undefined ? { failure: options.fail } : {}),
        ...(options.environment !== undefined ? { environment: options.environment } : {})
      }
    );
    return this.snapshot(fn);
  }

  /** Ends the last update of $LATEST Failed now. */
  setLastUpdateFailed(nameOrArn: string, reason: string, reasonCode: string): FunctionSnapshot {
    const fn = this.find(nameOrArn);
    this.model.markUpdateFailed(fn, { reason, reasonCode });
    return this.snapshot(fn);
  }

  /** The next update of the function through the API (code or configuration) ends Failed with this reason. */
  failNextUpdate(nameOrArn: string, reason: string, reasonCode: string): void {
    if (!reason || !reasonCode) throw new RangeError('failNextUpdate needs a reason and a reasonCode');
    this.find(nameOrArn).nextUpdateFailure = { reason, reasonCode };
  }

  /**
   * Right before the next `operation` call on the function runs, another writer updates its code
   * (as `updateCode` does): the call then meets a function that changed under it.
   */
  concurrentUpdateBefore(operation: string, nameOrArn: string): void {
    this.interleaved.push({ fn: this.find(nameOrArn), operation });
  }

  /** Runs the other writer's update armed for this call, if any (operations.ts calls it before each operation). */
  beforeOperation(fn: FunctionRecord, operation: string): void {
    this.traffic.catchUp();
    this.provisioned.settle(fn);
    const index = this.interleaved.findIndex((armed) => armed.fn === fn && armed.operation === operation);
    if (index < 0) return;
    this.interleaved.splice(index, 1);
    this.updateCode(fn.arns.function(fn.name), undefined, {});
  }

  /** Queues what the next invocations answer (FIFO). */
  queueInvokeResults(nameOrArn: string, results: InvokeResultSpec[]): void {
    this.find(nameOrArn).queue.push(...results.map((r) => ({ ...r })));
  }

  /** Sets how a version answers Invoke when nothing is queued (null clears it). */
  setInvokeBehaviour(nameOrArn: string, version: string, behaviour: InvokeBehaviourSpec | null): void {
    const fn = this.find(nameOrArn);
    if (behaviour === null) {
      fn.invokeBehaviour.delete(version);
      return;
    }
    const { errorRate } = behaviour;
    if (errorRate !== undefined && !(typeof errorRate === 'number' && errorRate >= 0 && errorRate <= 1)) {
      throw new RangeError(`errorRate must be a number from 0 to 1, got ${String(errorRate)}`);
    }
    fn.invokeBehaviour.set(version, { ...behaviour });
  }

  /**
   * Sets (n > 0) or removes (n = 0) provisioned concurrency on an alias or a version, READY at once;
   * Lambda refuses it on a weighted alias. `allocationMs` sets how long the function's later
   * allocations take.
   */
  setProvisionedConcurrency(nameOrArn: string, qualifier: string, n: number, options: ProvisionedConcurrencyOptions = {}): void {
    const fn = this.find(nameOrArn);
    if (!/^\d+$/.test(qualifier)) this.aliases.get(fn, qualifier);
    this.traffic.catchUp();
    this.provisioned.settle(fn);
    this.provisioned.control(fn, qualifier, n, options.allocationMs);
  }

  /** The next allocation of the provisioned concurrency of this alias (or version) ends FAILED with `reason`. */
  failProvisionedConcurrency(nameOrArn: string, qualifier: string, reason: string): void {
    const fn = this.find(nameOrArn);
    this.provisioned.settle(fn);
    this.provisioned.failNext(fn, qualifier, reason);
  }

  // --- What invokes a function besides Invoke, provisioned concurrency on a version, idle versions ---

  /** An event source mapping on the function as named: unqualified, or with an alias, a version or $LATEST. */
  createEventSourceMapping(spec: EventSourceMappingSpec): EventSourceMappingSnapshot {
    const { fn, qualifier } = this.findQualified(spec.functionName);
    return this.triggers.createMapping(fn, { name: fn.name, ...(qualifier !== undefined ? { qualifier } : {}) }, spec);
  }

  /** A function URL on the function or one of its aliases; answers the URL. */
  createFunctionUrl(spec: FunctionUrlSpec): string {
    return this.triggers.createUrl(this.find(spec.functionName), spec);
  }

  /** A statement of the resource-based policy of the function, a version or an alias (as AddPermission adds it). */
  addPermission(spec: PermissionSpec): void {
    const { fn, qualifier } = this.findQualified(spec.functionName);
    const { functionName: _name, qualifier: given, ...statement } = spec;
    this.triggers.addPermission(fn, given ?? qualifier, statement);
  }

  /** Sets (n > 0) or removes (n = 0) provisioned concurrency on a published version. */
  setVersionProvisionedConcurrency(nameOrArn: string, version: string, n: number): void {
    this.model.version(this.find(nameOrArn), String(version));
    // The same model as an alias's (READY at once): an allocation, a refusal on a version another configuration covers.
    this.setProvisionedConcurrency(nameOrArn, String(version), n);
  }

  /**
   * The version goes Inactive, as an idle version does (a SnapStart snapshot after 14 days without a
   * call): GetFunctionConfiguration says so, and its next invocation fails while Lambda restores it,
   * after which it is Pending for `reactivationMs`, then Active.
   */
  setVersionInactive(nameOrArn: string, version: string, options: InactiveVersionOptions = {}): void {
    const record = this.model.version(this.find(nameOrArn), String(version));
    const reactivationMs = options.reactivationMs ?? 0;
    if (typeof reactivationMs !== 'number' || !Number.isFinite(reactivationMs) || reactivationMs < 0)
      throw new RangeError(`reactivationMs must be a non-negative number, got ${String(reactivationMs)}`);
    record.inactive = { reactivationMs };
  }

  /** A function named with an optional qualifier (`orders:live`, an ARN with `:3`). */
  private findQualified(nameOrArn: string): { fn: FunctionRecord; qualifier?: string } {
    const ref = parseFunctionRef(String(nameOrArn));
    const ns = { accountId: ref.accountId ?? this.defaults.accountId, region: ref.region ?? this.defaults.region };
    const fn = this.model.get(ns, ref.name);
    return ref.qualifier !== undefined ? { fn, qualifier: ref.qualifier } : { fn };
  }

  /** Every function of every namespace. */
  snapshots(): FunctionSnapshot[] {
    this.traffic.catchUp();
    for (const fn of this.model.functions.values()) this.provisioned.settle(fn);
    return [...this.model.functions.values()].map((fn) => this.snapshot(fn));
  }

  /**
   * A function named in the control API: a plain name in the default namespace, a full ARN in its own
   * account and region, a partial ARN (`<account>:function:<name>`) in that account and the default region.
   */
  private find(nameOrArn: string): FunctionRecord {
    const ref = parseFunctionRef(String(nameOrArn));
    if (ref.qualifier !== undefined) throw new RangeError(`name a function, not a version or alias: ${nameOrArn}`);
    const ns = { accountId: ref.accountId ?? this.defaults.accountId, region: ref.region ?? this.defaults.region };
    return this.model.get(ns, ref.name);
  }

  private snapshot(fn: FunctionRecord): FunctionSnapshot {
    return functionSnapshot(this.model, this.aliases, this.provisioned, fn);
  }
}

import type { Clock } from '../shared/clock.js';
import { lambdaErrors } from '../shared/errors.js';
import type { LambdaModel } from './model.js';
import { lambdaTimestamp, newRevisionId, type AliasRecord, type FunctionRecord, type ProvisionedConfig } from './records.js';
import type { ProvisionedSnapshot } from './types.js';

/**
 * Provisioned concurrency (PC) as Lambda runs it on aliases and versions. An alias's PC is split
 * between the versions it routes to, by weight; every change of the setting, or of the alias's
 * routing, starts an allocation (IN_PROGRESS for the function's allocation time, then READY, or
 * FAILED with a StatusReason when a failure was armed). While Lambda allocates PC on an alias's new
 * FunctionVersion it shows its own weights `{<the version that served>: 1}` on the alias, and clears
 * them when the allocation is ready (with a new RevisionId); a failed allocation keeps them, and
 * Lambda then refuses every update of the alias that does not clear its routing. Lambda refuses a
 * change of an alias's PC while the alias has weights, PC on a version that another configuration
 * already covers, and PC on SnapStart versions. The wording of the refusals other than "Alias with
 * weights can not be used with Provisioned Concurrency" is the emulator's own.
 */

const WEIGHTED_ALIAS = 'Alias with weights can not be used with Provisioned Concurrency';
const INVALID_ALIAS = 'Invalid alias configuration for Provisioned Concurrency';

export class ProvisionedConcurrency {
  constructor(
    private readonly model: LambdaModel,
    private readonly clock: Clock
  ) {}

  /** Ends every allocation of the function that was due to end by `atMs` (default: now). */
  settle(fn: FunctionRecord, atMs = this.clock.now()): void {
    for (const [qualifier, config] of fn.provisioned) {
      const { allocation } = config;
      if (!allocation || allocation.readyAtMs > atMs) continue;
      delete config.allocation;
      if (allocation.failure !== undefined) {
        config.failure = allocation.failure;
        config.failedTarget = allocation.target;
        continue;
      }
      config.ready = { ...allocation.target };
      delete config.failure;
      delete config.failedTarget;
      const alias = fn.aliases.get(qualifier);
      if (alias && config.temporaryWeights) {
        alias.weights = {};
        alias.revisionId = newRevisionId();
      }
      config.temporaryWeights = false;
    }
  }

  /** The alias's config while Lambda's own weights are on it: `failed` once the allocation failed. */
  temporaryWeightsOf(fn: FunctionRecord, aliasName: string): { failed: boolean } | undefined {
    const config = fn.provisioned.get(aliasName);
    if (!config?.temporaryWeights) return undefined;
    return { failed: config.allocation === undefined && config.failure !== undefined };
  }

  /**
   * Lambda refuses an update of an alias whose failed allocation left its own weights on it, unless
   * the update clears the routing (that is the fix).
   */
  assertUpdatable(fn: FunctionRecord, aliasName: string, clearsRouting: boolean): void {
    if (this.temporaryWeightsOf(fn, aliasName)?.failed && !clearsRouting) throw lambdaErrors.invalidParameter(INVALID_ALIAS);
  }

  /**
   * The alias's routing is changing to `functionVersion` and `weights` (validated): starts the
   * allocation the new routing needs and returns the weights to store: the ones asked for, or
   * Lambda's own `{<serving version>: 1}` while it allocates on a new FunctionVersion.
   */
  route(
    fn: FunctionRecord,
    alias: AliasRecord,
    functionVersion: string,
    weights: Record<string, number>
  ): Record<string, number> {
    const config = fn.provisioned.get(alias.name);
    if (!config) return weights;
    // Clearing the weights a failed allocation left is taken at its word: the calls go to the FunctionVersion now.
    const clearsFailure = config.temporaryWeights && config.allocation === undefined && config.failure !== undefined;
    for (const version of [functionVersion, ...Object.keys(weights)]) this.assertCoverable(fn, version, alias.name);
    const serving = config.temporaryWeights ? Object.keys(alias.weights)[0]! : alias.functionVersion;
    config.temporaryWeights = false;
    const target = split(config.requested, functionVersion, weights);
    const current = config.allocation?.target ?? (config.failure === undefined ? config.ready : undefined);
    if (current && sameAllocation(current, target)) return weights;
    this.allocate(fn, config, target);
    const moving = functionVersion !== serving && Object.keys(weights).length === 0 && !clearsFailure;
    if (moving && config.allocation) {
      config.temporaryWeights = true;
      return { [serving]: 1 };
    }
    return weights;
  }

  /** PutProvisionedConcurrencyConfig: sets the executions on an alias or a version and starts allocating them. */
  put(fn: FunctionRecord, qualifier: string, executions: number): ProvisionedConfig {
    if (!Number.isInteger(executions) || executions < 1) {
      throw lambdaErrors.invalidParameter(
        `1 validation error detected: Value '${executions}' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1`
      );
    }
    const routing = this.routingOf(fn, qualifier);
    const alias = fn.aliases.get(qualifier);
    if (alias && Object.keys(alias.weights).length > 0) throw lambdaErrors.invalidParameter(WEIGHTED_ALIAS);
    for (const version of [routing.functionVersion, ...Object.keys(routing.weights)])
      this.assertCoverable(fn, version, qualifier);
    const config: ProvisionedConfig = fn.provisioned.get(qualifier) ?? {
      requested: executions,
      lastModifiedMs: 0,
      ready: {},
      temporaryWeights: false
    };
    config.requested = executions;
    config.lastModifiedMs = this.clock.now();
    fn.provisioned.set(qualifier, config);
    this.allocate(fn, config, split(executions, routing.functionVersion, routing.weights));
    return config;
  }

  /** DeleteProvisionedConcurrencyConfig. */
  delete(fn: FunctionRecord, qualifier: string): void {
    this.routingOf(fn, qualifier);
    if (!fn.provisioned.delete(qualifier)) throw notFound();
  }

  /** GetProvisionedConcurrencyConfig's answer (and PutProvisionedConcurrencyConfig's). */
  describe(fn: FunctionRecord, qualifier: string): Record<string, unknown> {
    this.routingOf(fn, qualifier);
    const config = fn.provisioned.get(qualifier);
    if (!config) throw notFound();
    const { status, statusReason, allocated } = statusOf(config);
    return {
      RequestedProvisionedConcurrentExecutions: config.requested,
      AvailableProvisionedConcurrentExecutions: allocated,
      AllocatedProvisionedConcurrentExecutions: allocated,
      Status: status,
      ...(statusReason !== undefined ? { StatusReason: statusReason } : {}),
      LastModified: lambdaTimestamp(config.lastModifiedMs)
    };
  }

  /** What the control API shows of a configuration. */
  snapshot(config: ProvisionedConfig): ProvisionedSnapshot {
    const { status, statusReason, allocated } = statusOf(config);
    return {
      requested: config.requested,
      allocated,
      status,
      ...(statusReason !== undefined ? { statusReason } : {}),
      versions: { ...config.ready },
      temporaryWeights: config.temporaryWeights
    };
  }

  /** Executions each version can serve now through the alias (the ready ones the routing still wants); undefined without PC. */
  usable(fn: FunctionRecord, aliasName: string): Record<string, number> | undefined {
    const config = fn.provisioned.get(aliasName);
    if (!config) return undefined;
    return { ...config.ready };
  }

  /**
   * Control API: the executions on an alias or a version, READY at once (as if set long ago); 0
   * removes them. `allocationMs` sets how long the function's later allocations take.
   */
  control(fn: FunctionRecord, qualifier: string, executions: number, allocationMs?: number): void {
    if (!Number.isInteger(executions) || executions < 0)
      throw new RangeError(`provisioned concurrency must be a non-negative integer, got ${executions}`);
    if (allocationMs !== undefined) {
      if (!Number.isFinite(allocationMs) || allocationMs < 0)
        throw new RangeError(`allocationMs must be a non-negative number, got ${allocationMs}`);
      fn.provisionedAllocationMs = allocationMs;
    }
    if (executions === 0) {
      this.routingOf(fn, qualifier);
      fn.provisioned.delete(qualifier);
      return;
    }
    const routing = this.routingOf(fn, qualifier);
    const alias = fn.aliases.get(qualifier);
    if (alias && Object.keys(alias.weights).length > 0) throw lambdaErrors.invalidParameter(WEIGHTED_ALIAS);
    for (const version of [routing.functionVersion, ...Object.keys(routing.weights)])
      this.assertCoverable(fn, version, qualifier);
    fn.provisioned.set(qualifier, {
      requested: executions,
      lastModifiedMs: this.clock.now(),
      ready: split(executions, routing.functionVersion, routing.weights),
      temporaryWeights: false
    });
  }

  /** Control API: the next allocation of this configuration ends FAILED with `reason` as its StatusReason. */
  failNext(fn: FunctionRecord, qualifier: string, reason: string): void {
    const config = fn.provisioned.get(qualifier);
    if (!config) throw new RangeError(`no provisioned concurrency on ${fn.name}:${qualifier}`);
    if (typeof reason !== 'string' || reason === '') throw new RangeError('failProvisionedConcurrency needs a reason');
    config.nextFailure = reason;
  }

  /** Starts an allocation of `target`; one that needs nothing more than is ready ends at once. */
  private allocate(fn: FunctionRecord, config: ProvisionedConfig, target: Record<string, number>): void {
    const failure = config.nextFailure;
    delete config.nextFailure;
    const covered = Object.entries(target).every(([version, n]) => (config.ready[version] ?? 0) >= n);
    if (failure === undefined && (covered || fn.provisionedAllocationMs === 0)) {
      delete config.allocation;
      delete config.failure;
      delete config.failedTarget;
      config.ready = { ...target };
      return;
    }
    config.allocation = {
      target,
      readyAtMs: this.clock.now() + fn.provisionedAllocationMs,
      ...(failure !== undefined ? { failure } : {})
    };
  }

  /** Where a qualifier routes: an alias's routing, or a version alone. $LATEST never carries PC. */
  private routingOf(fn: FunctionRecord, qualifier: string): { functionVersion: string; weights: Record<string, number> } {
    if (qualifier === '$LATEST' || qualifier === '') {
      throw lambdaErrors.invalidParameter('Provisioned Concurrency Configs cannot be applied to unpublished function versions.');
    }
    if (/^\d+$/.test(qualifier)) {
      this.model.version(fn, qualifier);
      return { functionVersion: qualifier, weights: {} };
    }
    const alias = fn.aliases.get(qualifier);
    if (!alias) throw lambdaErrors.notFound(`Function not found: ${fn.arns.function(fn.name, qualifier)}`);
    const weights = this.temporaryWeightsOf(fn, qualifier) ? {} : alias.weights;
    return { functionVersion: alias.functionVersion, weights };
  }

  /** A version can carry one configuration: its own, or one alias's. SnapStart versions carry none. */
  private assertCoverable(fn: FunctionRecord, version: string, owner: string): void {
    if (version === '$LATEST') return;
    if (this.model.version(fn, version).snapStart) {
      throw lambdaErrors.invalidParameter(
        `Provisioned Concurrency is not supported with SnapStart: version ${version} uses SnapStart`
      );
    }
    for (const [qualifier] of fn.provisioned) {
      if (qualifier === owner) continue;
      const covers = qualifier === version || routesTo(fn.aliases.get(qualifier), version);
      if (covers) {
        throw lambdaErrors.conflict(
          `Version ${version} already has a Provisioned Concurrency configuration (on ${qualifier}); a version can have one`
        );
      }
    }
  }
}

function routesTo(alias: AliasRecord | undefined, version: string): boolean {
  return alias !== undefined && (alias.functionVersion === version || Object.hasOwn(alias.weights, version));
}

function notFound() {
  return lambdaErrors.pcNotFound('No Provisioned Concurrency Config found for this function');
}

/** The executions of each version: the additional version gets its weight's share, the main one the rest. */
function split(executions: number, functionVersion: string, weights: Record<string, number>): Record<string, number> {
  const [extra, weight] = Object.entries(weights)[0] ?? [undefined, 0];
  if (extra === undefined) return { [functionVersion]: executions };
  const share = Math.round(executions * weight);
  return { [functionVersion]: executions - share, [extra]: share };
}

function sameAllocation(a: Record<string, number>, b: Record<string, number>): boolean {
  const versions = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...versions].every((version) => (a[version] ?? 0) === (b[version] ?? 0));
}

/** Status, reason and allocated executions: while allocating, what is ready of what the new routing wants. */
function statusOf(config: ProvisionedConfig): {
  status: ProvisionedSnapshot['status'];
  statusReason?: string;
  allocated: number;
} {
  const { allocation } = config;
  // While allocating, and after a failed allocation: what was ready of what the routing wants.
  const readyOf = (target: Record<string, number>): number =>
    Object.entries(target).reduce((sum, [version, n]) => sum + Math.min(n, config.ready[version] ?? 0), 0);
  if (allocation) return { status: 'IN_PROGRESS', allocated: readyOf(allocation.target) };
  if (config.failure !== undefined) {
    return { status: 'FAILED', statusReason: config.failure, allocated: readyOf(config.failedTarget ?? config.ready) };
  }
  return { status: 'READY', allocated: Object.values(config.ready).reduce((sum, n) => sum + n, 0) };
}

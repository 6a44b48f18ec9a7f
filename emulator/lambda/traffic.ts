import { parseFunctionRef, type Namespace } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { InvocationSink } from '../shared/invocations.js';
import { createRng, type Rng } from '../shared/rng.js';
import type { LambdaModel } from './model.js';
import type { ProvisionedConcurrency } from './provisioned.js';
import type { FunctionRecord } from './records.js';
import type { TrafficSnapshot, TrafficSpec, VersionBehaviour } from './types.js';

/** z of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;
const MAX_RATE_PER_SECOND = 1000;
/** A stream stops after this many calls, so that a large advanceTime cannot exhaust memory. */
const MAX_CALLS_PER_STREAM = 2_000_000;
const DEFAULT_BEHAVIOUR: VersionBehaviour = { errorRate: 0, latency: { medianMs: 20, p99Ms: 50 } };

interface Stream {
  readonly ns: Namespace;
  readonly functionName: string;
  readonly spec: TrafficSpec;
  readonly startedAtMs: number;
  /** Calls generated so far: the next one is due at startedAtMs + sent / rate. */
  sent: number;
  readonly rng: Rng;
  /** Per version, the share of a call owed to spill-over so far (provisioned concurrency short of demand). */
  readonly spill: Map<string, number>;
}

/**
 * The traffic model: calls through an alias at a steady rate, generated lazily on the emulator's
 * clock (no timers). `catchUp` generates every call due up to now, each routed by the alias's
 * weights as they are then; the emulator calls it before the alias changes and before metrics or
 * state are read, so every call is routed by the weights in force at its moment. Deterministic:
 * a seeded generator decides each call's version, error and duration.
 */
export class TrafficModel {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly model: LambdaModel,
    private readonly sink: InvocationSink,
    private readonly clock: Clock,
    private readonly provisioned: ProvisionedConcurrency
  ) {}

  start(spec: TrafficSpec): TrafficSnapshot {
    const ref = parseFunctionRef(String(spec.functionName));
    if (ref.qualifier !== undefined) throw new RangeError(`name a function, not a version or alias: ${spec.functionName}`);
    const ns = { accountId: ref.accountId ?? this.model.defaults.accountId, region: ref.region ?? this.model.defaults.region };
    const fn = this.model.get(ns, ref.name);
    if (!fn.aliases.has(spec.alias)) throw new RangeError(`no alias ${spec.alias} on ${fn.name}`);
    if (!(spec.ratePerSecond > 0 && spec.ratePerSecond <= MAX_RATE_PER_SECOND)) {
      throw new RangeError(`ratePerSecond must be above 0 and at most ${MAX_RATE_PER_SECOND}, got ${spec.ratePerSecond}`);
    }
    for (const behaviour of [...Object.values(spec.versions ?? {}), ...(spec.defaultVersion ? [spec.defaultVersion] : [])]) {
      assertBehaviour(behaviour);
    }
    const { historyMs = 0 } = spec;
    if (!(Number.isFinite(historyMs) && historyMs >= 0))
      throw new RangeError(`historyMs must be a non-negative number, got ${historyMs}`);
    this.catchUp();
    const startedAtMs = this.clock.now() - historyMs;
    this.streams.set(streamKey(ns, fn.name, spec.alias), {
      ns,
      functionName: fn.name,
      spec,
      startedAtMs,
      sent: 0,
      rng: createRng(spec.seed ?? 1),
      spill: new Map()
    });
    this.catchUp();
    return { functionName: fn.name, alias: spec.alias, ratePerSecond: spec.ratePerSecond, startedAtMs };
  }

  /** Stops the traffic of one function (every alias), or all traffic; calls due until now are made first. */
  stop(functionName?: string): void {
    this.catchUp();
    for (const [key, stream] of this.streams) {
      if (functionName === undefined || stream.functionName === functionName) this.streams.delete(key);
    }
  }

  reset(): void {
    this.streams.clear();
  }

  /** Makes every call due up to now. */
  catchUp(): void {
    const now = this.clock.now();
    for (const [key, stream] of this.streams) {
      const fn = this.model.find(stream.ns, stream.functionName);
      if (!fn) {
        this.streams.delete(key);
        continue;
      }
      for (let at = dueAt(stream); at <= now && stream.sent < MAX_CALLS_PER_STREAM; at = dueAt(stream)) {
        stream.sent += 1;
        // Allocations that ended before this call changed the routing it meets.
        this.provisioned.settle(fn, at);
        this.call(fn, stream, at);
      }
    }
  }

  /** One call through the alias at `atMs`; none if the alias is gone. */
  private call(fn: FunctionRecord, stream: Stream, atMs: number): void {
    const alias = fn.aliases.get(stream.spec.alias);
    if (!alias) return;
    const roll = stream.rng();
    const [extra, weight] = Object.entries(alias.weights)[0] ?? [undefined, 0];
    const version = extra !== undefined && roll < weight ? extra : alias.functionVersion;
    const behaviour = stream.spec.versions?.[version] ?? stream.spec.defaultVersion ?? DEFAULT_BEHAVIOUR;
    const error = stream.rng() < behaviour.errorRate;
    fn.invocations.set(version, (fn.invocations.get(version) ?? 0) + 1);
    const spillover = this.spillover(fn, stream, version, version === extra ? weight : 1 - weight, behaviour);
    this.sink({
      atMs,
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.name,
      resource: `${fn.name}:${alias.name}`,
      executedVersion: version,
      error,
      source: 'traffic',
      durationMs: error && behaviour.errorDurationMs !== undefined ? behaviour.errorDurationMs : duration(behaviour, stream.rng),
      ...(spillover !== undefined ? { spillover } : {})
    });
  }

  /**
   * Whether a call to `version` runs on standard concurrency because the alias's provisioned
   * concurrency ready on that version is short of the version's demand (its share of the rate times
   * its median duration, by Little's law); undefined when the alias has none. The shortfall's share
   * of calls spills, spread evenly (no random draw, so that the calls' other draws stay as they were).
   */
  private spillover(
    fn: FunctionRecord,
    stream: Stream,
    version: string,
    share: number,
    behaviour: VersionBehaviour
  ): boolean | undefined {
    const usable = this.provisioned.usable(fn, stream.spec.alias);
    if (!usable) return undefined;
    const demand = (stream.spec.ratePerSecond * share * behaviour.latency.medianMs) / 1000;
    const fraction = demand > 0 ? Math.max(0, 1 - (usable[version] ?? 0) / demand) : 0;
    const owed = (stream.spill.get(version) ?? 0) + fraction;
    const spills = owed >= 1 - 1e-9;
    stream.spill.set(version, spills ? owed - 1 : owed);
    return spills;
  }
}

function streamKey(ns: Namespace, functionName: string, alias: string): string {
  return `${ns.accountId}/${ns.region}/${functionName}:${alias}`;
}

function dueAt(stream: Stream): number {
  return stream.startedAtMs + (stream.sent * 1000) / stream.spec.ratePerSecond;
}

/** A log-normal draw with the behaviour's median and p99 (Box–Muller from two uniform draws). */
function duration(behaviour: VersionBehaviour, rng: Rng): number {
  const { medianMs, p99Ms } = behaviour.latency;
  const sigma = Math.log(p99Ms / medianMs) / Z99;
  const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.round(medianMs * Math.exp(sigma * z) * 100) / 100;
}

function assertBehaviour(behaviour: VersionBehaviour): void {
  const { errorRate, latency } = behaviour ?? {};
  if (typeof errorRate !== 'number' || !(errorRate >= 0 && errorRate <= 1)) {
    throw new RangeError(`errorRate must be a number from 0 to 1, got ${String(errorRate)}`);
  }
  if (!latency || !(latency.medianMs > 0) || !(latency.p99Ms >= latency.medianMs)) {
    throw new RangeError('latency needs medianMs above 0 and p99Ms at least medianMs');
  }
  const { errorDurationMs } = behaviour;
  if (errorDurationMs !== undefined && !(Number.isFinite(errorDurationMs) && errorDurationMs >= 0)) {
    throw new RangeError(`errorDurationMs must be a non-negative number, got ${String(errorDurationMs)}`);
  }
}

/**
 * A simulated Lambda function behind an alias, for the analysis's operating characteristics: calls
 * arrive as a Poisson process, split between the two versions by the alias's weight at each moment;
 * each call fails with its version's error rate and lasts a log-normal time. CloudWatch is a fake
 * MetricsGateway over that traffic, answering per minute as Lambda's metrics do (no datapoint for a
 * zero count, each minute visible only 30 to 110 s after it ends, in proportion for shorter periods), with percentile ranks and a p99
 * over one period spanning a window. Counts are drawn per minute: calls ~ Poisson, errors and slow
 * calls among them binomial (errors and successes as independent Poisson counts, which is the same
 * thing), so a 20-calls-a-second rollout costs a few draws a minute, not one per call.
 */
import jStat from 'jstat';
import { createRng } from '../../emulator/shared/rng.js';
import type {
  AliasMetricsRef,
  AliasTraffic,
  AliasTrafficQuery,
  MetricsGateway,
  PeriodPoint,
  VersionMetricsQuery,
  VersionSeries
} from '../../src/aws/metrics-gateway.js';

/** z of the 99th percentile of the standard normal distribution. */
const Z99 = 2.3263478740408408;

/** How one version behaves. */
export interface Behaviour {
  readonly errorRate: number;
  /** Duration: log-normal with this median and 99th percentile. */
  readonly medianMs: number;
  readonly p99Ms: number;
}

/** A seeded generator: the simulation is reproducible. */
export const seededRandom = createRng;

interface VersionMinute {
  readonly calls: number;
  readonly errors: number;
  /** Slow calls by threshold, drawn when first asked. */
  readonly slow: Map<number, number>;
}

interface Minute {
  readonly target: VersionMinute;
  readonly previous: VersionMinute;
  /** When its datapoints are visible. */
  readonly visibleAt: number;
}

/** The traffic of one rollout, and the CloudWatch that answers about it. */
export class SimulatedAlias implements MetricsGateway {
  /** The simulation's clock, set by the driver before each look. */
  now = 0;
  private readonly weights: Array<{ readonly atMs: number; readonly share: number }> = [{ atMs: -Infinity, share: 0 }];
  private readonly minutes = new Map<number, Minute>();
  private readonly p99s = new Map<string, number | undefined>();

  constructor(
    private readonly random: () => number,
    private readonly ratePerSecond: number,
    private readonly previousBehaviour: Behaviour,
    private readonly targetBehaviour: Behaviour,
    private readonly periodMs = 60_000,
    readonly targetVersion = '2',
    readonly previousVersion = '1'
  ) {}

  /** The alias's weight on the new version from `atMs` on (a share, 0 to 1). */
  setWeight(atMs: number, share: number): void {
    this.weights.push({ atMs, share });
  }

  async aliasTraffic(query: AliasTrafficQuery): Promise<AliasTraffic> {
    const periodMs = query.periodSeconds * 1000;
    if (periodMs !== this.periodMs) throw new Error(`the simulation has ${this.periodMs} ms periods, asked for ${periodMs}`);
    let calls = 0;
    let versionCalls = 0;
    for (let start = query.startMs; start < query.endMs && start + periodMs <= this.now; start += periodMs) {
      const minute = this.minute(start);
      if (minute.visibleAt > this.now) continue;
      calls += minute.target.calls + minute.previous.calls;
      versionCalls += query.version === this.targetVersion ? minute.target.calls : minute.previous.calls;
    }
    const behaviour = query.version === this.targetVersion ? this.targetBehaviour : this.previousBehaviour;
    const p99Ms = this.windowP99(`traffic:${query.version}:${query.startMs}:${query.endMs}`, versionCalls, behaviour);
    return { calls, version: { calls: versionCalls, ...(p99Ms !== undefined ? { p99Ms } : {}) } };
  }

  async aliasHasMetrics(): Promise<boolean> {
    return true;
  }

  async versionMetrics(query: VersionMetricsQuery): Promise<VersionSeries[]> {
    const periodMs = query.periodSeconds * 1000;
    if (periodMs !== this.periodMs) throw new Error(`the simulation has ${this.periodMs} ms periods, asked for ${periodMs}`);
    const thresholds = query.slowerThanMs ?? [];
    const visible: Array<[number, Minute]> = [];
    for (let start = query.startMs; start < query.endMs; start += periodMs) {
      if (start + periodMs > this.now) break;
      const minute = this.minute(start);
      if (minute.visibleAt <= this.now) visible.push([start, minute]);
    }
    return query.versions.map((version) => {
      const pick = (minute: Minute): VersionMinute => (version === this.targetVersion ? minute.target : minute.previous);
      const behaviour = version === this.targetVersion ? this.targetBehaviour : this.previousBehaviour;
      const periods: PeriodPoint[] = visible.flatMap(([startMs, minute]) => {
        const counts = pick(minute);
        if (counts.calls === 0) return [];
        return [
          {
            startMs,
            invocations: counts.calls,
            ...(counts.errors > 0 ? { errors: counts.errors } : {}),
            ...(thresholds.length > 0 ? { slowCalls: thresholds.map((ms) => this.slow(counts, behaviour, ms)) } : {})
          }
        ];
      });
      const calls = periods.reduce((sum, p) => sum + (p.invocations ?? 0), 0);
      const windowP99Ms = this.windowP99(`${version}:${query.startMs}:${visible.at(-1)?.[0]}`, calls, behaviour);
      return { version, periods, ...(windowP99Ms !== undefined ? { windowP99Ms } : {}) };
    });
  }

  /** One minute's counts, drawn when first asked (the weights over it are known by then). */
  private minute(startMs: number): Minute {
    const cached = this.minutes.get(startMs);
    if (cached) return cached;
    const newShare = this.shareOver(startMs, startMs + this.periodMs);
    const expected = (this.ratePerSecond * this.periodMs) / 1000;
    const draw = (calls: number, behaviour: Behaviour): VersionMinute => {
      const errors = poisson(calls * behaviour.errorRate);
      return { calls: errors + poisson(calls * (1 - behaviour.errorRate)), errors, slow: new Map() };
    };
    const minute = {
      target: draw(expected * newShare, this.targetBehaviour),
      previous: draw(expected * (1 - newShare), this.previousBehaviour),
      visibleAt: startMs + this.periodMs * (1.5 + this.random() * (4 / 3))
    };
    this.minutes.set(startMs, minute);
    return minute;
  }

  /** The new version's average share of the traffic over [from, to). */
  private shareOver(from: number, to: number): number {
    let sum = 0;
    this.weights.forEach((weight, i) => {
      const start = Math.max(from, weight.atMs);
      const end = Math.min(to, this.weights[i + 1]?.atMs ?? Infinity);
      if (end > start) sum += weight.share * (end - start);
    });
    return sum / (to - from);
  }

  /** Calls slower than `ms` among a minute's: binomial, drawn once per threshold. */
  private slow(counts: VersionMinute, behaviour: Behaviour, ms: number): number {
    const cached = counts.slow.get(ms);
    if (cached !== undefined) return cached;
    const drawn = binomial(counts.calls, 1 - lognormalCdf(ms, behaviour), this.random);
    counts.slow.set(ms, drawn);
    return drawn;
  }

  /** CloudWatch's p99 over `calls` calls: the nearest-rank order statistic of that many log-normal draws. */
  private windowP99(key: string, calls: number, behaviour: Behaviour): number | undefined {
    if (calls === 0) return undefined;
    if (this.p99s.has(key)) return this.p99s.get(key);
    const rank = Math.ceil(0.99 * calls);
    // The rank-th smallest of n uniforms is Beta(rank, n − rank + 1); the quantile function maps it.
    const u = rank === calls && calls === 1 ? this.random() : jStat.beta.sample(rank, calls - rank + 1);
    const value = jStat.lognormal.inv(u, Math.log(behaviour.medianMs), sigmaOf(behaviour));
    this.p99s.set(key, value);
    return value;
  }

  /** For the driver's reports. */
  get ref(): AliasMetricsRef {
    return { functionName: 'orders', alias: 'live' };
  }
}

function sigmaOf(behaviour: Behaviour): number {
  return Math.log(behaviour.p99Ms / behaviour.medianMs) / Z99;
}

function lognormalCdf(ms: number, behaviour: Behaviour): number {
  return jStat.lognormal.cdf(ms, Math.log(behaviour.medianMs), sigmaOf(behaviour));
}

function poisson(mean: number): number {
  return mean > 0 ? jStat.poisson.sample(mean) : 0;
}

/** Binomial(n, p) by inversion (np is small here: slow calls are a few percent of a minute's). */
function binomial(n: number, p: number, random: () => number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n * p > 50) return Math.min(n, poisson(n * p));
  const q = 1 - p;
  let probability = q ** n;
  let cumulative = probability;
  const u = random();
  let k = 0;
  while (u > cumulative && k < n) {
    probability *= ((n - k) / (k + 1)) * (p / q);
    cumulative += probability;
    k += 1;
  }
  return k;
}

import {
  GetMetricDataCommand,
  ListMetricsCommand,
  CloudWatchClient,
  type MetricDataQuery,
  type MetricDataResult
} from '@aws-sdk/client-cloudwatch';
import { raceSignal } from '../core/deadline.js';
import type { AwsClients } from './clients.js';
import type {
  AliasMetricsRef,
  AliasTraffic,
  AliasTrafficQuery,
  CountPoint,
  MetricsGateway,
  PeriodPoint,
  SpilloverMetrics,
  SpilloverQuery,
  VersionMetricsQuery,
  VersionSeries
} from './metrics-gateway.js';
import { translateSdkError } from './translate.js';

const NAMESPACE = 'AWS/Lambda';

/** What one query reads, by query-id prefix (ids must start with a lowercase letter). */
type Stat = 'invocations' | 'errors' | 'samples' | 'windowP99' | 'rank';
const PREFIX: Record<Stat, string> = { invocations: 'i', errors: 'e', samples: 'n', windowP99: 'w', rank: 'r' };
const STAT_OF = Object.fromEntries(Object.entries(PREFIX).map(([stat, prefix]) => [prefix, stat as Stat]));

/** One period's values as read: the counts, and the percentile rank under each threshold. */
interface PeriodValues {
  invocations?: number;
  errors?: number;
  samples?: number;
  ranks: Array<number | undefined>;
}

/**
 * MetricsGateway over CloudWatch: one GetMetricData call (paged if CloudWatch pages) for every
 * version's Sum of Invocations and Errors per period, with `slowerThanMs` the `SampleCount` and
 * the percentile rank `PR(:T)` of Duration per period and threshold, and the p99 of Duration over
 * one period spanning the whole window; one for the alias's traffic over a window (every call
 * through it, and one version's calls and p99). Plain metric queries with no metric math, so that
 * missing periods stay missing; ListMetrics to tell whether the alias is invoked at all.
 */
export class CloudWatchMetricsGateway implements MetricsGateway, SpilloverMetrics {
  constructor(private readonly clients: AwsClients) {}

  async versionMetrics(query: VersionMetricsQuery, signal?: AbortSignal): Promise<VersionSeries[]> {
    const windowSeconds = spanningPeriodSeconds((query.endMs - query.startMs) / 1000);
    const thresholds = query.slowerThanMs ?? [];
    const queries = query.versions.flatMap((version, index) => [
      metricQuery(`i${index}`, query, version, 'Invocations', 'Sum', query.periodSeconds),
      metricQuery(`e${index}`, query, version, 'Errors', 'Sum', query.periodSeconds),
      ...(thresholds.length > 0
        ? [metricQuery(`n${index}`, query, version, 'Duration', 'SampleCount', query.periodSeconds)]
        : []),
      ...thresholds.map((ms, t) =>
        metricQuery(`r${index}_${t}`, query, version, 'Duration', `PR(:${thresholdText(ms)})`, query.periodSeconds)
      ),
      metricQuery(`w${index}`, query, version, 'Duration', 'p99', windowSeconds)
    ]);
    const points = query.versions.map(() => new Map<number, PeriodValues>());
    const windowP99 = query.versions.map((): number | undefined => undefined);
    for (const result of await this.metricData(queries, query, signal)) {
      const [, prefix, versionIndex, threshold] = /^([a-z])(\d+)(?:_(\d+))?$/.exec(result.Id ?? '') ?? [];
      const stat = STAT_OF[prefix ?? ''];
      const index = Number(versionIndex);
      const series = points[index];
      if (!stat || !series) continue;
      (result.Timestamps ?? []).forEach((timestamp, i) => {
        const value = result.Values?.[i];
        if (value === undefined || !Number.isFinite(value)) return;
        if (stat === 'windowP99') {
          windowP99[index] = value;
          return;
        }
        const at = timestamp.getTime();
        const values = series.get(at) ?? { ranks: thresholds.map(() => undefined) };
        if (stat === 'rank') values.ranks[Number(threshold)] = value;
        else values[stat] = value;
        series.set(at, values);
      });
    }
    return query.versions.map((version, index) => ({
      version,
      periods: [...points[index]!.entries()].sort(([a], [b]) => a - b).map(([startMs, values]) => periodPoint(startMs, values)),
      ...(windowP99[index] !== undefined ? { windowP99Ms: windowP99[index] } : {})
    }));
  }

  async aliasTraffic(query: AliasTrafficQuery, signal?: AbortSignal): Promise<AliasTraffic> {
    const period = spanningPeriodSeconds((query.endMs - query.startMs) / 1000);
    const queries = [
      metricQuery('alias', query, undefined, 'Invocations', 'Sum', period),
      metricQuery('calls', query, query.version, 'Invocations', 'Sum', period),
      metricQuery('p99', query, query.version, 'Duration', 'p99', period)
    ];
    const values = new Map<string, number>();
    for (const result of await this.metricData(queries, query, signal)) {
      for (const value of result.Values ?? []) {
        if (!Number.isFinite(value) || !result.Id) continue;
        // One period spans the window; were it cut in two, the counts add up and the p99 is the later one's.
        values.set(result.Id, result.Id === 'p99' ? value : (values.get(result.Id) ?? 0) + value);
      }
    }
    const p99Ms = values.get('p99');
    return {
      calls: values.get('alias') ?? 0,
      version: { calls: values.get('calls') ?? 0, ...(p99Ms !== undefined ? { p99Ms } : {}) }
    };
  }

  /** One GetMetricData call over the window, its pages followed: every query's results, in the order they came. */
  private async metricData(
    queries: MetricDataQuery[],
    window: { readonly startMs: number; readonly endMs: number; readonly region?: string },
    signal?: AbortSignal
  ): Promise<MetricDataResult[]> {
    const results: MetricDataResult[] = [];
    let nextToken: string | undefined;
    do {
      const command = new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(window.startMs),
        EndTime: new Date(window.endMs),
        ScanBy: 'TimestampAscending',
        NextToken: nextToken
      });
      const page = await this.call('GetMetricData', window.region, signal, (client) =>
        client.send(command, { abortSignal: signal })
      );
      results.push(...(page.MetricDataResults ?? []));
      nextToken = page.NextToken;
    } while (nextToken);
    return results;
  }

  async spilloverInvocations(query: SpilloverQuery, signal?: AbortSignal): Promise<ReadonlyArray<readonly CountPoint[]>> {
    const queries: MetricDataQuery[] = query.aliases.map((alias, index) => ({
      Id: `s${index}`,
      MetricStat: {
        Metric: {
          Namespace: NAMESPACE,
          MetricName: 'ProvisionedConcurrencySpilloverInvocations',
          Dimensions: aliasDimensions(alias)
        },
        Period: query.periodSeconds,
        Stat: 'Sum'
      },
      ReturnData: true
    }));
    const series = query.aliases.map((): CountPoint[] => []);
    const region = query.aliases[0]?.region;
    const window = { startMs: query.startMs, endMs: query.endMs, ...(region !== undefined ? { region } : {}) };
    for (const result of await this.metricData(queries, window, signal)) {
      const points = series[Number(result.Id?.slice(1))];
      if (!points) continue;
      (result.Timestamps ?? []).forEach((timestamp, i) => {
        const value = result.Values?.[i];
        if (value !== undefined && Number.isFinite(value)) points.push({ startMs: timestamp.getTime(), value });
      });
    }
    return series.map((points) => points.sort((a, b) => a.startMs - b.startMs));
  }

  async aliasHasMetrics(ref: AliasMetricsRef, signal?: AbortSignal): Promise<boolean> {
    const command = new ListMetricsCommand({ Namespace: NAMESPACE, MetricName: 'Invocations', Dimensions: aliasDimensions(ref) });
    const page = await this.call('ListMetrics', ref.region, signal, (client) => client.send(command, { abortSignal: signal }));
    return (page.Metrics ?? []).length > 0;
  }

  /** One SDK call, cut short by the signal; SDK errors become domain failures. */
  private async call<T>(
    operation: string,
    region: string | undefined,
    signal: AbortSignal | undefined,
    send: (client: CloudWatchClient) => Promise<T>
  ): Promise<T> {
    try {
      const sent = send(this.clients.client('cloudwatch', region, (config) => new CloudWatchClient(config)));
      return await (signal ? raceSignal(sent, signal) : sent);
    } catch (error: unknown) {
      throw translateSdkError(error, {
        operation,
        action: `cloudwatch:${operation}`,
        endpoint: this.clients.endpoint('cloudwatch', region),
        signal
      });
    }
  }
}

/** `{FunctionName, Resource=fn:alias}`: the dimensions of every call through the alias. */
function aliasDimensions(ref: AliasMetricsRef): Array<{ Name: string; Value: string }> {
  return [
    { Name: 'FunctionName', Value: ref.functionName },
    { Name: 'Resource', Value: `${ref.functionName}:${ref.alias}` }
  ];
}

/** One metric of the alias's calls: of one version's (`ExecutedVersion`), or of every call through it (undefined). */
function metricQuery(
  id: string,
  ref: AliasMetricsRef,
  version: string | undefined,
  metric: string,
  statistic: string,
  periodSeconds: number
): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: NAMESPACE,
        MetricName: metric,
        Dimensions: [...aliasDimensions(ref), ...(version !== undefined ? [{ Name: 'ExecutedVersion', Value: version }] : [])]
      },
      Period: periodSeconds,
      Stat: statistic
    },
    ReturnData: true
  };
}

/** One period's numbers; slow calls from each percentile rank (a percentage) and the sample count. */
function periodPoint(startMs: number, values: PeriodValues): PeriodPoint {
  const { invocations, errors, samples, ranks } = values;
  const slow = (rank: number | undefined): number =>
    rank === undefined || samples === undefined ? 0 : Math.max(0, Math.round((samples * (100 - rank)) / 100));
  return {
    startMs,
    ...(invocations !== undefined ? { invocations } : {}),
    ...(errors !== undefined ? { errors } : {}),
    ...(samples !== undefined ? { slowCalls: ranks.map(slow) } : {})
  };
}

/** A threshold as a statistic names it: `PR(:812.5)` (at most three decimals, no exponent). */
function thresholdText(ms: number): string {
  return String(Number(ms.toFixed(3)));
}

/**
 * The period CloudWatch takes that spans a window of `seconds`: a multiple of 60 from a minute up
 * (the window, in whole minutes against AWS), any whole number of seconds below (emulators only).
 */
export function spanningPeriodSeconds(seconds: number): number {
  const whole = Math.max(1, Math.ceil(seconds));
  return whole < 60 ? whole : Math.ceil(whole / 60) * 60;
}

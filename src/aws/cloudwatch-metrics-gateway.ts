import { GetMetricDataCommand, ListMetricsCommand, CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { raceSignal } from '../core/deadline.js';
import type { AwsClients } from './clients.js';
import type {
  AliasMetricsRef,
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

/** The three statistics read per version, by query-id prefix (ids must start with a lowercase letter). */
const STATS = {
  i: { metric: 'Invocations', stat: 'Sum', field: 'invocations' },
  e: { metric: 'Errors', stat: 'Sum', field: 'errors' },
  d: { metric: 'Duration', stat: 'p99', field: 'p99Ms' }
} as const;
type StatKey = keyof typeof STATS;

/**
 * MetricsGateway over CloudWatch: one GetMetricData call (paged if CloudWatch pages) for every
 * version's Sum of Invocations and Errors and p99 of Duration, plain metric queries with no metric
 * math, so that missing periods stay missing; ListMetrics to tell whether the alias is invoked at all.
 */
export class CloudWatchMetricsGateway implements MetricsGateway, SpilloverMetrics {
  constructor(private readonly clients: AwsClients) {}

  async versionMetrics(query: VersionMetricsQuery, signal?: AbortSignal): Promise<VersionSeries[]> {
    const queries = query.versions.flatMap((version, index) =>
      (Object.keys(STATS) as StatKey[]).map((key) => metricQuery(`${key}${index}`, query, version, key))
    );
    const points = query.versions.map(() => new Map<number, Record<string, number>>());
    await this.metricData(queries, query, query.region, signal, (id, startMs, value) => {
      const key = id.charAt(0) as StatKey;
      const series = points[Number(id.slice(1))];
      if (!(key in STATS) || !series) return;
      series.set(startMs, { ...series.get(startMs), [STATS[key].field]: value });
    });
    return query.versions.map((version, index) => ({
      version,
      periods: [...points[index]!.entries()]
        .sort(([a], [b]) => a - b)
        .map(([startMs, values]): PeriodPoint => ({ startMs, ...values }))
    }));
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
    await this.metricData(queries, query, query.aliases[0]?.region, signal, (id, startMs, value) =>
      series[Number(id.slice(1))]?.push({ startMs, value })
    );
    return series.map((points) => points.sort((a, b) => a.startMs - b.startMs));
  }

  async aliasHasMetrics(ref: AliasMetricsRef, signal?: AbortSignal): Promise<boolean> {
    const command = new ListMetricsCommand({ Namespace: NAMESPACE, MetricName: 'Invocations', Dimensions: aliasDimensions(ref) });
    const page = await this.call('ListMetrics', ref.region, signal, (client) => client.send(command, { abortSignal: signal }));
    return (page.Metrics ?? []).length > 0;
  }

  /**
   * One GetMetricData over the window (paged if CloudWatch pages): `each` gets every datapoint with
   * its query's id, the start of its period and its value; missing periods stay missing.
   */
  private async metricData(
    queries: MetricDataQuery[],
    window: { readonly startMs: number; readonly endMs: number },
    region: string | undefined,
    signal: AbortSignal | undefined,
    each: (id: string, startMs: number, value: number) => void
  ): Promise<void> {
    let nextToken: string | undefined;
    do {
      const command = new GetMetricDataCommand({
        MetricDataQueries: queries,
        StartTime: new Date(window.startMs),
        EndTime: new Date(window.endMs),
        ScanBy: 'TimestampAscending',
        NextToken: nextToken
      });
      const page = await this.call('GetMetricData', region, signal, (client) => client.send(command, { abortSignal: signal }));
      for (const result of page.MetricDataResults ?? []) {
        (result.Timestamps ?? []).forEach((timestamp, i) => {
          const value = result.Values?.[i];
          if (result.Id && value !== undefined && Number.isFinite(value)) each(result.Id, timestamp.getTime(), value);
        });
      }
      nextToken = page.NextToken;
    } while (nextToken);
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

function metricQuery(id: string, query: VersionMetricsQuery, version: string, key: StatKey): MetricDataQuery {
  const { metric, stat } = STATS[key];
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: NAMESPACE,
        MetricName: metric,
        Dimensions: [...aliasDimensions(query), { Name: 'ExecutedVersion', Value: version }]
      },
      Period: query.periodSeconds,
      Stat: stat
    },
    ReturnData: true
  };
}

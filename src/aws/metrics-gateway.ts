/**
 * Lambda's per-version metrics of calls through an alias, as CloudWatch holds them: the port the
 * per-version analysis reads. Raw per-period numbers only; the arithmetic is the caller's.
 */

/** The alias whose calls are measured. */
export interface AliasMetricsRef {
  /** The function's plain name: the `FunctionName` dimension (an ARN matches no data). */
  readonly functionName: string;
  readonly alias: string;
  /** Where the function's metrics live; undefined: the default region. */
  readonly region?: string;
}

/** One read of the per-version metrics over a window. */
export interface VersionMetricsQuery extends AliasMetricsRef {
  /** The versions to read, each under `{FunctionName, Resource=fn:alias, ExecutedVersion}`. */
  readonly versions: readonly string[];
  /** Start of the window (inclusive), on a period boundary. */
  readonly startMs: number;
  /**
   * End of the window (exclusive), on a period boundary. The window is also read as one period
   * spanning it (its p99), so its length must be a period CloudWatch takes: whole minutes.
   */
  readonly endMs: number;
  readonly periodSeconds: number;
  /** Also count, per period, the calls slower than each of these many milliseconds (from `PR(:T)` and `SampleCount`). */
  readonly slowerThanMs?: readonly number[];
}

/** One period of one version, as CloudWatch answered it. A missing count means no datapoint. */
export interface PeriodPoint {
  /** Start of the period. */
  readonly startMs: number;
  /** Sum of Invocations; undefined when CloudWatch has no datapoint (Lambda sends no zero counts). */
  readonly invocations?: number;
  /** Sum of Errors; undefined when CloudWatch has no datapoint. */
  readonly errors?: number;
  /**
   * Calls slower than each of the query's `slowerThanMs`, in its order: SampleCount × (100 − PR(:T))
   * / 100 of Duration, rounded (CloudWatch's percentile ranks are approximate); undefined when not
   * asked, or without a Duration datapoint.
   */
  readonly slowCalls?: readonly number[];
}

/** Every period of one version that has a datapoint of any of its metrics, oldest first. */
export interface VersionSeries {
  readonly version: string;
  readonly periods: readonly PeriodPoint[];
  /** p99 of Duration over the whole window, as CloudWatch computes it for one period spanning it; undefined without calls. */
  readonly windowP99Ms?: number;
}

/** One read of an alias's traffic over a window, as one period spanning it. */
export interface AliasTrafficQuery extends AliasMetricsRef {
  /** Start (inclusive) and end (exclusive) of the window, on period boundaries; whole minutes against AWS. */
  readonly startMs: number;
  readonly endMs: number;
  readonly periodSeconds: number;
  /** The version whose own calls and p99 are read beside the alias's (the one it serves). */
  readonly version: string;
}

/** An alias's traffic over a window. */
export interface AliasTraffic {
  /** Every call through the alias, whichever version served it (`{FunctionName, Resource}`). */
  readonly calls: number;
  /** The query's version: its calls through the alias, and the p99 of their Duration (undefined without calls). */
  readonly version: { readonly calls: number; readonly p99Ms?: number };
}

export interface MetricsGateway {
  /** One read of every version's Invocations, Errors (and slow calls) per period and p99 Duration over the window. */
  versionMetrics(query: VersionMetricsQuery, signal?: AbortSignal): Promise<VersionSeries[]>;
  /** One read of the alias's calls over a window, with one version's calls and p99 beside them. */
  aliasTraffic(query: AliasTrafficQuery, signal?: AbortSignal): Promise<AliasTraffic>;
  /** Whether CloudWatch has metrics of calls through the alias at all (the last two weeks). */
  aliasHasMetrics(ref: AliasMetricsRef, signal?: AbortSignal): Promise<boolean>;
}

/** One read of the calls that spilled over from provisioned concurrency, for several aliases of one region. */
export interface SpilloverQuery {
  /** The aliases, each under `{FunctionName, Resource=fn:alias}`; one region (the first's) for all. */
  readonly aliases: readonly AliasMetricsRef[];
  /** Start of the window (inclusive), on a period boundary. */
  readonly startMs: number;
  /** End of the window (exclusive), on a period boundary. */
  readonly endMs: number;
  readonly periodSeconds: number;
}

/** One period's Sum of a count metric that has a datapoint. */
export interface CountPoint {
  readonly startMs: number;
  readonly value: number;
}

/**
 * `ProvisionedConcurrencySpilloverInvocations` of aliases with provisioned concurrency: the calls
 * that ran on standard concurrency because none of the alias's provisioned executions was free.
 */
export interface SpilloverMetrics {
  /** One read (one GetMetricData, paged if CloudWatch pages): per alias, in order, the periods with a datapoint. */
  spilloverInvocations(query: SpilloverQuery, signal?: AbortSignal): Promise<ReadonlyArray<readonly CountPoint[]>>;
}

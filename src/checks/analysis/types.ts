/**
 * What the per-version analysis reports: the numbers of each judgement, for the log, the job
 * summary's table and chart. Its own types, kept apart from the generic check types.
 */

/** One version's calls through the alias over a window. */
export interface VersionNumbers {
  readonly version: string;
  readonly invocations: number;
  readonly errors: number;
  /** p99 of Duration over the window in milliseconds, as CloudWatch computes it; undefined when it had none. */
  readonly p99Ms?: number;
  /** Calls slower than the latency threshold, when latency is judged. */
  readonly slowCalls?: number;
}

/** What an analysis says of one step so far: pass, fail or not enough data (yet). */
export type AnalysisOutcome = 'pass' | 'fail' | 'not-enough-data';

/** What a comparison judges: error rates, or latency (the share of calls above a threshold). */
export type Metric = 'errors' | 'latency';

/** One rule's evidence against the new version at a judgement. */
export interface RuleEvidence {
  /** The input that asks for it, e.g. `max-error-rate-increase`. */
  readonly rule: string;
  readonly metric: Metric;
  /** The e-value: how far the evidence against the new version has grown (starts at 1). */
  readonly eValue: number;
  /** The bar it must reach to fail the version: 1/α of the rule. */
  readonly bar: number;
}

/** The new and the previous version side by side over the current step, as one analysis judged them. */
export interface VersionComparison {
  readonly functionName: string;
  readonly alias: string;
  readonly weightPercent: number;
  /** When the step's weight was set. */
  readonly stepStartedAt: number;
  /** The step's complete minutes judged so far: from the start of the minute the step began in to the end of the last one. */
  readonly windowStartMs: number;
  readonly windowEndMs: number;
  /** Over the step's complete minutes. */
  readonly target: VersionNumbers;
  readonly previous: VersionNumbers;
  /** Over every complete minute judged since the first shift (what the charts draw: no drop at a step's start). */
  readonly rollout: { readonly target: VersionNumbers; readonly previous: VersionNumbers };
  /** Calls slower than this many milliseconds count against a version, when latency is judged. */
  readonly slowerThanMs?: number;
  readonly outcome: AnalysisOutcome;
  /** What decided: the rule that failed, the reason for holding, or for a pass every rule that passed. */
  readonly decidedBy: string;
  /** The metric of the rule that decided, or of the rule closest to failing: what the chart shows. */
  readonly metric: Metric;
  readonly evidence: readonly RuleEvidence[];
}

/** One analysis as it was made. */
export interface AnalysisPoint extends VersionComparison {
  readonly atMs: number;
}

/** Where each analysis goes, for the job summary. */
export interface AnalysisSink {
  record(point: AnalysisPoint): void;
}

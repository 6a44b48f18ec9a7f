/**
 * What the per-version analysis judges the new version on: its own calls through the alias against
 * the previous version's in the same window. Pure data, parsed from the inputs (config/) and used
 * by the check (checks/analysis/). Every threshold is optional; at least one is set when analysis is on.
 */
export interface AnalysisThresholds {
  /** `max-error-rate`: the new version's error rate must stay at or below this share (0.01 for 1 %). */
  readonly maxErrorRate?: number;
  /** `max-error-rate-increase`: at most this many points (0.005 for 0.5 %) over the previous version's rate. */
  readonly maxErrorRateIncrease?: number;
  /** `max-p99-duration`: the new version's p99 Duration, in milliseconds. */
  readonly maxP99DurationMs?: number;
  /** `max-p99-duration-increase`: at most this share (0.25 for 25 %) over the previous version's p99. */
  readonly maxP99DurationIncrease?: number;
  /** `min-invocations`: calls the new version must have served in a step before the step may pass (100 when not given). */
  readonly minInvocations?: number;
  /** `failed-checks-limit`: failed checks, each on minutes no earlier one counted, that roll back; fewer hold the step. */
  readonly failedChecksLimit: number;
  /** Seconds per metric period: 60 against AWS (Lambda's resolution); less only against an emulator. */
  readonly periodSeconds: number;
}

/** Lambda publishes its metrics per minute: the period every query uses against AWS. */
export const LAMBDA_METRIC_PERIOD_SECONDS = 60;

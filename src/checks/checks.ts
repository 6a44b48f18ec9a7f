import type { PreflightFindings } from '../core/findings.js';

/**
 * Health checks that judge the new version while it bakes. Alarms are one kind; per-version metric
 * comparisons (ExecutedVersion) will be another. The bake loop only knows this interface.
 */

/** One thing a check looked at, for the job summary (an alarm and its state, a metric and its value). */
export interface Observation {
  /** The check that made it, e.g. `alarms`. */
  readonly check: string;
  /** What was observed, e.g. the alarm name. */
  readonly subject: string;
  /** Its state or value, e.g. `OK`. */
  readonly state: string;
  /** Optional detail (untrusted text: escaped at render time). */
  readonly detail?: string;
}

/** A check's verdict on the new version at one moment. */
export type Verdict =
  | { readonly healthy: true; readonly observations: readonly Observation[] }
  | { readonly healthy: false; readonly reason: string; readonly observations: readonly Observation[] };

/** What a check knows of the rollout when it runs. */
export interface CheckContext {
  readonly now: number;
  /** Share of traffic currently on the new version. */
  readonly weightPercent: number;
  readonly signal?: AbortSignal;
}

export interface BakeCheck {
  /** Short name used in logs and the summary. */
  readonly name: string;
  /**
   * Read-only validation before anything changes in AWS: the problems that must stop the
   * deployment (a missing alarm, an alarm already firing) and warnings worth showing.
   */
  preflight(signal?: AbortSignal): Promise<PreflightFindings>;
  /** Judges the new version now. Throwing means the check could not run (it is retried next poll). */
  evaluate(context: CheckContext): Promise<Verdict>;
}

/** Runs every check and merges the verdicts: unhealthy as soon as one is. */
export async function evaluateAll(checks: readonly BakeCheck[], context: CheckContext): Promise<Verdict> {
  const verdicts = await Promise.all(checks.map((check) => check.evaluate(context)));
  const observations = verdicts.flatMap((verdict) => verdict.observations);
  const failures = verdicts.flatMap((verdict) => (verdict.healthy ? [] : [verdict.reason]));
  return failures.length > 0 ? { healthy: false, reason: failures.join('; '), observations } : { healthy: true, observations };
}

import type { PreflightFindings } from '../core/findings.js';

/**
 * Health checks that judge the new version while it bakes. Alarms are one kind; per-version metric
 * comparisons (ExecutedVersion) are another. The bake loop only knows this interface; what a kind
 * of check reports beyond its observations goes through a sink of its own.
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

/** The two versions an alias shifts between, once the new one is published. */
export interface ShiftingVersions {
  /** The function's plain name. */
  readonly functionName: string;
  readonly alias: string;
  /** The version being deployed. */
  readonly target: string;
  /** The version the alias served before. */
  readonly previous: string;
}

/**
 * A check's verdict on the new version at one moment. `inconclusive`: not enough data yet to tell,
 * which holds the step (its bake is extended, within a bound) and never promotes.
 */
export type Verdict =
  | { readonly kind: 'healthy'; readonly observations: readonly Observation[] }
  | { readonly kind: 'unhealthy'; readonly reason: string; readonly observations: readonly Observation[] }
  | { readonly kind: 'inconclusive'; readonly reason: string; readonly observations: readonly Observation[] };

/** What a check knows of the rollout when it runs. */
export interface CheckContext {
  readonly now: number;
  /** Share of traffic currently on the new version. */
  readonly weightPercent: number;
  /** When the current step's weight was set (a check outside the steps: when the read began). */
  readonly stepStartedAt?: number;
  /** When the current step's bake ends: reads from then on are its final judgement. */
  readonly stepEndsAt?: number;
  /**
   * Which weighted step this is, of how many: the last one leads to the promotion. Undefined
   * outside the steps (a check before the first shift or after the promotion).
   */
  readonly step?: { readonly number: number; readonly of: number };
  /** The versions each alias shifts between; undefined before they are published. */
  readonly versions?: readonly ShiftingVersions[];
  readonly signal?: AbortSignal;
}

/**
 * How long a check holds a step past its bake for the data of the step's end: its data comes in
 * periods (on the clock's period boundaries), each complete `completeAfterMs` after it ends, and a
 * step waits for the period its bake ends in.
 */
export interface DataDelay {
  readonly periodMs: number;
  readonly completeAfterMs: number;
  /** What it waits for, in words: `the analysis's last minute of metrics (…)`. */
  readonly what: string;
}

export interface BakeCheck {
  /** Short name used in logs and the summary. */
  readonly name: string;
  /**
   * Read-only validation before anything changes in AWS: the problems that must stop the
   * deployment (a missing alarm, an alarm already firing) and warnings worth showing.
   */
  preflight(signal?: AbortSignal): Promise<PreflightFindings>;
  /**
   * How long this check holds each step past its bake for its data to be complete (known once its
   * preflight ran); undefined when it judges at once.
   */
  dataDelay(): DataDelay | undefined;
  /** Judges the new version now. Throwing means the check could not run (it is retried next poll). */
  evaluate(context: CheckContext): Promise<Verdict>;
}

/** Runs every check and merges the verdicts: unhealthy as soon as one is, else inconclusive as soon as one is. */
export async function evaluateAll(checks: readonly BakeCheck[], context: CheckContext): Promise<Verdict> {
  const verdicts = await Promise.all(checks.map((check) => check.evaluate(context)));
  const observations = verdicts.flatMap((verdict) => verdict.observations);
  const reasons = (kind: Verdict['kind']): string[] =>
    verdicts.flatMap((verdict) => (verdict.kind === kind && verdict.kind !== 'healthy' ? [verdict.reason] : []));
  const unhealthy = reasons('unhealthy');
  if (unhealthy.length > 0) return { kind: 'unhealthy', reason: unhealthy.join('; '), observations };
  const inconclusive = reasons('inconclusive');
  if (inconclusive.length > 0) return { kind: 'inconclusive', reason: inconclusive.join('; '), observations };
  return { kind: 'healthy', observations };
}

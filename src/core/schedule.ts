/**
 * One step of a rollout: route `weightPercent` of the alias's traffic to the new version, then bake
 * (watch the checks) for `bakeMs` before the next step. The final 100 % step is implicit.
 */
export interface ScheduleStep {
  /** Share of traffic on the new version, 0 < weightPercent < 100, at most two decimals. */
  readonly weightPercent: number;
  /** How long to hold this weight while the checks run, in milliseconds (> 0). */
  readonly bakeMs: number;
}

/** What a parsed `strategy` input means. */
export interface Strategy {
  /** Canonical name for display, e.g. `Canary10Percent5Minutes`, `AllAtOnce`, `5%:2m, 50%:10m`. */
  readonly name: string;
  readonly kind: 'all-at-once' | 'canary' | 'linear' | 'steps';
  /** The weighted steps before promotion to 100 %; empty for AllAtOnce. */
  readonly steps: readonly ScheduleStep[];
}

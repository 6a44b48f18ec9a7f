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
  /** The weighted steps before promotion to 100 % (before the hold, when there is one); empty for AllAtOnce. */
  readonly steps: readonly ScheduleStep[];
  /** Where a step list stops for a person's approval (`50%:hold`); absent when it runs through. */
  readonly hold?: HoldPoint;
}

/**
 * A step list's stop at a weight (`10%:5m, 50%:hold, 75%:10m`): the run shifts to the weight after
 * the steps before it and ends there, the alias deliberately split, until a later job promotes
 * (the steps after it, then 100 %) or aborts.
 */
export interface HoldPoint {
  /** The weight held on the new version, in percent, above every step before it. */
  readonly weightPercent: number;
  /** The weighted steps a promotion takes after the hold, before 100 % (often none). */
  readonly then: readonly ScheduleStep[];
}

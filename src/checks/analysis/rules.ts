import type { AnalysisThresholds } from '../../core/analysis.js';
import { ComparisonEvidence, RateEvidence } from './evidence.js';
import type { MinuteRecord } from './minutes.js';
import { clockTime, formatCount, formatEValue, formatNumber, formatRate, points, threshold } from './numbers.js';
import type { Metric } from './types.js';

/**
 * The analysis's rules, one per threshold input, each with its own evidence (evidence.ts). A rule
 * fails when its evidence reaches the bar 1/α AND the numbers it judged break the threshold the
 * user gave: the first bounds how often a version that is no worse fails (α), the second keeps a
 * version that is worse but within the user's margin from failing.
 */

/** The share of a version's calls that may be slower than its p99. */
export const P99_SHARE = 0.01;

/** One rule in use. */
export interface Rule {
  /** The input that asks for it. */
  readonly name: string;
  readonly metric: Metric;
  /** Whether it compares the two versions (and so needs the previous version to serve calls). */
  readonly comparative: boolean;
  /** Feeds one complete minute. */
  add(minute: MinuteRecord): void;
  readonly eValue: number;
  /** Why the rule fails now: the numbers it judged, and what they break; undefined while it does not. */
  failure(bar: number, alpha: number): RuleFailure | undefined;
  /** Forgets the evidence so far (spent by a failed check). */
  reset(): void;
}

/** A rule's failure: `numbers` what it judged, `why` what that breaks (said apart, so that a table need not repeat them). */
export interface RuleFailure {
  readonly numbers: string;
  readonly why: string;
}

/** Where a rule's latency threshold sits in the minutes' slow counts (the read's order). */
export interface LatencyThresholds {
  /** `max-p99-duration`: its limit, and its index. */
  readonly maxMs?: { readonly ms: number; readonly index: number };
  /** `max-p99-duration-increase`: the previous version's p99 before the rollout times (1 + increase), and its index. */
  readonly increaseMs?: { readonly ms: number; readonly index: number; readonly baselineP99Ms: number };
}

/** The rules the thresholds ask for, in the order they are reported. */
export function rulesFor(thresholds: AnalysisThresholds, latency: LatencyThresholds): Rule[] {
  const rules: Rule[] = [];
  if (thresholds.maxErrorRate !== undefined) rules.push(new MaxErrorRate(thresholds.maxErrorRate));
  if (thresholds.maxErrorRateIncrease !== undefined) rules.push(new MaxErrorRateIncrease(thresholds.maxErrorRateIncrease));
  if (latency.maxMs) rules.push(new MaxP99(latency.maxMs.ms, latency.maxMs.index));
  if (latency.increaseMs && thresholds.maxP99DurationIncrease !== undefined) {
    rules.push(new MaxP99Increase(thresholds.maxP99DurationIncrease, latency.increaseMs));
  }
  return rules;
}

/** The names of the rules the thresholds ask for, known before any read (for the α split). */
export function ruleNames(thresholds: AnalysisThresholds): string[] {
  return [
    ...(thresholds.maxErrorRate !== undefined ? ['max-error-rate'] : []),
    ...(thresholds.maxErrorRateIncrease !== undefined ? ['max-error-rate-increase'] : []),
    ...(thresholds.maxP99DurationMs !== undefined ? ['max-p99-duration'] : []),
    ...(thresholds.maxP99DurationIncrease !== undefined ? ['max-p99-duration-increase'] : [])
  ];
}

/** `the evidence reached 1,240, past the bar of 400 (…)`. */
function evidencePhrase(eValue: number, bar: number, alpha: number, against: string): string {
  return (
    `the evidence against it reached ${formatEValue(eValue)}, past the bar of ${formatEValue(bar)} ` +
    `(${against} reaches that bar in at most ${threshold(alpha)} of rollouts)`
  );
}

/** What every rule's evidence offers. */
interface Evidence {
  readonly eValue: number;
  reset(): void;
}

/** A rule over one process of evidence, remembering the first minute it stands on (for the reasons). */
abstract class EvidenceRule<E extends Evidence> {
  private sinceMs?: number;

  constructor(protected readonly evidence: E) {}

  add(minute: MinuteRecord): void {
    this.sinceMs ??= minute.startMs;
    this.feed(minute);
  }

  protected abstract feed(minute: MinuteRecord): void;

  get eValue(): number {
    return this.evidence.eValue;
  }

  reset(): void {
    this.evidence.reset();
    this.sinceMs = undefined;
  }

  protected since(): string {
    return this.sinceMs === undefined ? '' : ` in the minutes since ${clockTime(this.sinceMs)}`;
  }
}

/** `max-error-rate`: the new version's own error rate against the limit. */
class MaxErrorRate extends EvidenceRule<RateEvidence> implements Rule {
  readonly name = 'max-error-rate';
  readonly metric = 'errors';
  readonly comparative = false;

  constructor(private readonly limit: number) {
    super(new RateEvidence(limit));
  }

  protected feed(minute: MinuteRecord): void {
    this.evidence.add(minute.target.calls, minute.target.errors);
  }

  failure(bar: number, alpha: number): RuleFailure | undefined {
    const { eValue, rate, calls, events } = this.evidence;
    if (eValue < bar || rate <= this.limit) return undefined;
    return {
      numbers: `new version: ${formatCount(events, 'error')} in ${formatCount(calls, 'call')} (${formatRate(events, calls)})${this.since()}`,
      why: `above max-error-rate ${threshold(this.limit)}; ${evidencePhrase(eValue, bar, alpha, `a version at ${threshold(this.limit)}`)}`
    };
  }
}

/** `max-error-rate-increase`: the new version's error rate against the previous one's, minute by minute. */
class MaxErrorRateIncrease extends EvidenceRule<ComparisonEvidence> implements Rule {
  readonly name = 'max-error-rate-increase';
  readonly metric = 'errors';
  readonly comparative = true;

  constructor(private readonly margin: number) {
    super(new ComparisonEvidence());
  }

  protected feed(minute: MinuteRecord): void {
    const { target, previous } = minute;
    this.evidence.add({
      newCalls: target.calls,
      newEvents: target.errors,
      previousCalls: previous.calls,
      previousEvents: previous.errors
    });
  }

  failure(bar: number, alpha: number): RuleFailure | undefined {
    const e = this.evidence;
    if (e.eValue < bar || e.difference <= this.margin) return undefined;
    return {
      numbers:
        `new version: ${formatCount(e.newEvents, 'error')} in ${formatCount(e.newCalls, 'call')} (${formatRate(e.newEvents, e.newCalls)}), ` +
        `previous: ${formatCount(e.previousEvents, 'error')} in ${formatCount(e.previousCalls, 'call')} ` +
        `(${formatRate(e.previousEvents, e.previousCalls)})${this.since()}`,
      why:
        `${points(e.difference)} more, minute by minute, above max-error-rate-increase ${threshold(this.margin)}; ` +
        evidencePhrase(e.eValue, bar, alpha, 'a version that fails no more calls than the previous one')
    };
  }
}

/** `max-p99-duration`: at most 1 % of the new version's calls above the limit. */
class MaxP99 extends EvidenceRule<RateEvidence> implements Rule {
  readonly name = 'max-p99-duration';
  readonly metric = 'latency';
  readonly comparative = false;

  constructor(
    private readonly limitMs: number,
    private readonly index: number
  ) {
    super(new RateEvidence(P99_SHARE));
  }

  protected feed(minute: MinuteRecord): void {
    this.evidence.add(minute.target.calls, minute.target.slow[this.index] ?? 0);
  }

  failure(bar: number, alpha: number): RuleFailure | undefined {
    const { eValue, rate, calls, events } = this.evidence;
    if (eValue < bar || rate <= P99_SHARE) return undefined;
    return {
      numbers:
        `new version: ${formatNumber(events)} of ${formatCount(calls, 'call')} slower than ${Math.round(this.limitMs)} ms ` +
        `(${formatRate(events, calls)})${this.since()}`,
      why:
        'more than 1 %, so its p99 is above max-p99-duration; ' +
        evidencePhrase(eValue, bar, alpha, `a version with its p99 at ${Math.round(this.limitMs)} ms`)
    };
  }
}

/** `max-p99-duration-increase`: the new version's calls above (1 + increase) × the previous p99, against the previous version's. */
class MaxP99Increase extends EvidenceRule<ComparisonEvidence> implements Rule {
  readonly name = 'max-p99-duration-increase';
  readonly metric = 'latency';
  readonly comparative = true;

  constructor(
    private readonly increase: number,
    private readonly limit: NonNullable<LatencyThresholds['increaseMs']>
  ) {
    super(new ComparisonEvidence());
  }

  protected feed(minute: MinuteRecord): void {
    const { target, previous } = minute;
    const index = this.limit.index;
    this.evidence.add({
      newCalls: target.calls,
      newEvents: target.slow[index] ?? 0,
      previousCalls: previous.calls,
      previousEvents: previous.slow[index] ?? 0
    });
  }

  failure(bar: number, alpha: number): RuleFailure | undefined {
    const e = this.evidence;
    const share = e.newCalls > 0 ? e.newEvents / e.newCalls : 0;
    if (e.eValue < bar || share <= P99_SHARE) return undefined;
    const limit = Math.round(this.limit.ms);
    return {
      numbers:
        `new version: ${formatNumber(e.newEvents)} of ${formatCount(e.newCalls, 'call')} slower than ${limit} ms ` +
        `(${formatRate(e.newEvents, e.newCalls)}), previous: ${formatNumber(e.previousEvents)} of ` +
        `${formatNumber(e.previousCalls)} (${formatRate(e.previousEvents, e.previousCalls)})${this.since()}`,
      why:
        `${limit} ms is max-p99-duration-increase ${threshold(this.increase)} above the previous version's p99 before the rollout ` +
        `(${Math.round(this.limit.baselineP99Ms)} ms), so more than 1 % of the new version's calls above it puts its p99 past the limit; ` +
        evidencePhrase(e.eValue, bar, alpha, 'a version no slower than the previous one')
    };
  }
}

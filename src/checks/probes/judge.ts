import { RateEvidence } from '../analysis/evidence.js';
import { failureRateUpperBound, failuresConfirmedPValue, RoutedFailureEvidence } from './evidence.js';
import type { ProbeOutcome } from './prober.js';

/**
 * The probes' judgement of one alias, pure apart from the evidence it accumulates: outcomes in,
 * a failed rule out. Three rules, each a test that may be read at every poll (evidence.ts), sharing
 * the probes' α in quarters:
 *
 * - `probe-failures-confirmed` (α/4): a failed answer of the new version is put to the test at once,
 *   with a burst of calls to both versions at the same moment (the probe check sends it); Fisher's
 *   exact test, at most MAX_CONFIRMATIONS bursts, each at an equal share of α/4 (a union bound).
 *   This is what rolls a broken version back within a poll of its first failed probe.
 * - `probe-failures-increase` (α/4), while both versions share the alias: the new version fails no
 *   more probes than the previous one (RoutedFailureEvidence: where the failed probes ran). It
 *   catches what a burst is too small to see (a version failing a few probes in a hundred more).
 * - `probe-failure-rate` (α/4), once the new version has all the traffic (after the promotion, a
 *   final bake): the new version fails at most the share of probes the previous version failed
 *   during the rollout (its upper bound at δ = α/4, never under 1 %), tested at α/4 on the probes
 *   sent from the first probe at 100 % on.
 *
 * Only probes sent at a known weight count toward the last two: at least ALIAS_SETTLE_MS after the
 * step's weight was set, up to the last poll of that step; a probe sent around a weight change, or
 * answered by a version that is neither of the two, is shown but judges nothing (it may still call
 * for a confirmation: the burst is its own evidence).
 */

/** The probes' false-rollback budget: a version that fits both nulls is rolled back by the probes in at most 0.5 % of rollouts. */
export const PROBE_FALSE_ROLLBACK_RATE = 0.005;
/** The lowest failure share the rate rule holds a new version to: a probe is meant to pass. */
export const PROBE_BASE_FAILURE_LIMIT = 0.01;
/** The most confirmation bursts per alias in a rollout: each is tested at (α/4) / this. */
export const MAX_CONFIRMATIONS = 20;
/** Calls a confirmation burst sends to each version. */
export const CONFIRMATION_CALLS = 10;
/** After a weight is set, probes wait this long before they are judged at it (an alias change takes a moment to reach every caller). */
export const ALIAS_SETTLE_MS = 1000;

/** Probes of one version: answered, and of them failed. */
export interface ProbeTally {
  calls: number;
  failures: number;
}

/** A rule the probes broke, with the numbers. */
export interface ProbeFailure {
  readonly rule: 'probe-failures-confirmed' | 'probe-failures-increase' | 'probe-failure-rate';
  readonly why: string;
}

/** What a confirmation burst's calls to one version came to (answered calls only; durations not judged). */
export interface BurstTally {
  readonly answered: number;
  readonly failed: number;
}

/** A confirmation burst: the same event sent to both versions at the same moment. */
export interface ConfirmationBurst {
  readonly newVersion: BurstTally;
  readonly previous: BurstTally;
  /** Calls sent, answered or not. */
  readonly sent: number;
}

interface WeightSpan {
  readonly from: number;
  to: number;
  readonly weightPercent: number;
}

export class ProbeJudge {
  private readonly routed = new RoutedFailureEvidence();
  private rate?: { readonly evidence: RateEvidence; readonly limit: number };
  private readonly spans: WeightSpan[] = [];
  private broken?: ProbeFailure;
  readonly tallies = new Map<string, ProbeTally>();
  /** Probes that got no answer (time-outs, throttles, AWS errors): no version to judge. */
  unanswered = 0;
  /** Confirmation bursts sent, and their calls (counted apart from the probes through the alias). */
  confirmations = 0;
  confirmationCalls = 0;

  constructor(
    /** The probes' α for this alias. */
    readonly alpha: number,
    readonly versions: { readonly target: string; readonly previous: string }
  ) {}

  /** The bar of each rule: 1/α of its share. */
  get bars(): { readonly routed: number; readonly rate: number } {
    return { routed: 4 / this.alpha, rate: 4 / this.alpha };
  }

  /** The level each confirmation burst is tested at: an equal share of α/4 over MAX_CONFIRMATIONS. */
  get confirmationLevel(): number {
    return this.alpha / 4 / MAX_CONFIRMATIONS;
  }

  /**
   * Whether this outcome calls for a confirmation burst: a probe of the new version that failed on
   * its answer (an error, or probe-expect), while bursts are left. Not a slow answer: a burst starts
   * execution environments on both versions at once, so its durations say nothing of either.
   */
  wantsConfirmation(outcome: ProbeOutcome): boolean {
    return (
      !this.broken &&
      this.confirmations < MAX_CONFIRMATIONS &&
      outcome.version === this.versions.target &&
      !outcome.passed &&
      outcome.failedOn === 'answer'
    );
  }

  /** Enters a confirmation burst: the new version's failures among all of the burst's, by Fisher's exact test. */
  addConfirmation(burst: ConfirmationBurst): void {
    if (this.confirmations >= MAX_CONFIRMATIONS) return;
    this.confirmations += 1;
    this.confirmationCalls += burst.sent;
    if (this.broken) return;
    const p = failuresConfirmedPValue(burst.newVersion, burst.previous);
    if (p > this.confirmationLevel) return;
    const { target, previous } = this.versions;
    this.broken = {
      rule: 'probe-failures-confirmed',
      why:
        `sent the failed probe's event to both versions at once: version ${target} failed ${burst.newVersion.failed} of ` +
        `${burst.newVersion.answered}, version ${previous} ${burst.previous.failed} of ${burst.previous.answered} ` +
        `(Fisher's exact test p = ${formatP(p)} ≤ ${formatP(this.confirmationLevel)}; ${this.tallyText(target)} through the alias)`
    };
  }

  get failure(): ProbeFailure | undefined {
    return this.broken;
  }

  /** The weight in force from `from` (when the step's weight was set) until `now`, as a poll sees it. */
  observeStep(from: number, now: number, weightPercent: number): void {
    const last = this.spans.at(-1);
    if (last && last.from === from && last.weightPercent === weightPercent) last.to = Math.max(last.to, now);
    else this.spans.push({ from, to: now, weightPercent });
  }

  /** Enters one probe's outcome. */
  add(outcome: ProbeOutcome): void {
    if (outcome.version === undefined) {
      this.unanswered += 1;
      return;
    }
    const tally = this.tallies.get(outcome.version) ?? { calls: 0, failures: 0 };
    tally.calls += 1;
    if (!outcome.passed) tally.failures += 1;
    this.tallies.set(outcome.version, tally);
    if (this.broken) return;
    const { target, previous } = this.versions;
    if (outcome.version !== target && outcome.version !== previous) return;
    const weight = this.weightAt(outcome.sentAt);
    if (weight === undefined) return;
    if (weight > 0 && weight < 100) {
      if (!outcome.passed) this.routed.addFailure(outcome.version === target, weight / 100);
      if (this.routed.eValue >= this.bars.routed) {
        this.broken = { rule: 'probe-failures-increase', why: this.routedWhy() };
      }
      return;
    }
    if (weight === 100 && outcome.version === target) {
      const rate = (this.rate ??= this.rateRule());
      if (!rate) return;
      rate.evidence.add(1, outcome.passed ? 0 : 1);
      if (rate.evidence.eValue >= this.bars.rate) this.broken = { rule: 'probe-failure-rate', why: this.rateWhy(rate) };
    }
  }

  /** The largest evidence so far against the new version, as a share of its bar (for the log). */
  get evidence(): { readonly rule: string; readonly eValue: number; readonly bar: number } {
    if (this.rate) return { rule: 'probe-failure-rate', eValue: this.rate.evidence.eValue, bar: this.bars.rate };
    return { rule: 'probe-failures-increase', eValue: this.routed.eValue, bar: this.bars.routed };
  }

  /** The new version's weight when a probe was sent, when it is known. */
  private weightAt(sentAt: number): number | undefined {
    const span = this.spans.find((each) => sentAt >= each.from + ALIAS_SETTLE_MS && sentAt <= each.to);
    return span?.weightPercent;
  }

  private rateRule(): { evidence: RateEvidence; limit: number } | undefined {
    const previous = this.tallies.get(this.versions.previous) ?? { calls: 0, failures: 0 };
    const bound =
      previous.calls > 0 ? failureRateUpperBound(previous.failures, previous.calls, this.alpha / 4) : PROBE_BASE_FAILURE_LIMIT;
    const limit = Math.max(PROBE_BASE_FAILURE_LIMIT, bound);
    // A previous version that failed about every probe leaves nothing to hold the new one to.
    if (!(limit < 0.99)) return undefined;
    return { evidence: new RateEvidence(limit), limit };
  }

  private tallyText(version: string): string {
    const tally = this.tallies.get(version) ?? { calls: 0, failures: 0 };
    return `version ${version} failed ${tally.failures} of ${tally.calls} probes`;
  }

  private routedWhy(): string {
    const { target, previous } = this.versions;
    return (
      `${this.tallyText(target)}, ${this.tallyText(previous)}: where the failed probes ran says the new version fails more ` +
      `(evidence ${formatE(this.routed.eValue)} ≥ ${formatE(this.bars.routed)})`
    );
  }

  private rateWhy(rate: { evidence: RateEvidence; limit: number }): string {
    const { target, previous } = this.versions;
    return (
      `with all traffic on it, version ${target} failed ${rate.evidence.events} of ${rate.evidence.calls} probes, more than ` +
      `${(rate.limit * 100).toFixed(1)}% (what ${this.tallyText(previous)} allows, 1% at least; evidence ` +
      `${formatE(rate.evidence.eValue)} ≥ ${formatE(this.bars.rate)})`
    );
  }
}

function formatP(value: number): string {
  return value.toExponential(1);
}

function formatE(value: number): string {
  return value >= 1000 ? value.toExponential(1) : value.toFixed(value >= 10 ? 0 : 1);
}

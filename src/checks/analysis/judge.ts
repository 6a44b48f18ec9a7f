import type { AnalysisThresholds } from '../../core/analysis.js';
import type { AnalysisOutcome, VersionNumbers } from '../checks.js';
import { describeErrors, describeP99, formatMs, formatPercent } from './numbers.js';
import { confidenceOf, errorsAtLeastProbability, jeffreysPosterior, probabilityExceeds } from './stats.js';

/**
 * The per-version analysis's rules, pure: the two versions' numbers over the step so far and the
 * thresholds in, a judgement out (pass, fail or not enough data), with the rule that decided and a
 * reason that quotes the numbers. Fails need confidence; passes need enough calls.
 */

/** Calls each version needs before its p99 is judged, and before the error guard applies, without `min-invocations`. */
export const DEFAULT_MIN_CALLS = 100;

/** The analysis's verdict on the step so far. */
export interface Judgement {
  readonly outcome: AnalysisOutcome;
  /** The rule that decided (a fail's or a lack of data's); for a pass every rule that passed. */
  readonly decidedBy: string;
  /** Why, with the numbers. */
  readonly reason: string;
}

/** What one judgement looks at. */
export interface JudgeInput {
  readonly thresholds: AnalysisThresholds;
  readonly target: VersionNumbers;
  readonly previous: VersionNumbers;
  /** The step has ended and the metrics of its last period have not arrived: no pass until they have. */
  readonly waitingForLastPeriod: boolean;
  /** The step has ended: this look is its final judgement (earlier looks need more confidence to fail). */
  readonly final: boolean;
}

/** One rule's view; undefined when the rule is not configured or does not apply yet. */
interface RuleResult {
  readonly rule: string;
  readonly outcome: AnalysisOutcome;
  readonly reason: string;
}

type Rule = (input: JudgeInput) => RuleResult | undefined;

/** The rules in the order they are reported: a fail anywhere wins, then the first lack of data. */
const RULES: readonly Rule[] = [minInvocations, errorGuard, maxErrorRate, maxErrorRateIncrease, maxP99, maxP99Increase];

export function judge(input: JudgeInput): Judgement {
  const results = RULES.flatMap((rule) => rule(input) ?? []);
  const failed = results.find((result) => result.outcome === 'fail');
  if (failed) return { outcome: 'fail', decidedBy: failed.rule, reason: failed.reason };
  const lacking = results.find((result) => result.outcome === 'not-enough-data');
  if (lacking) return { outcome: 'not-enough-data', decidedBy: lacking.rule, reason: lacking.reason };
  if (input.waitingForLastPeriod) {
    return {
      outcome: 'not-enough-data',
      decidedBy: 'metric delay',
      reason:
        "waiting for the metrics of the step's last period (Lambda sends each minute's metrics a minute or more after it ends)"
    };
  }
  return {
    outcome: 'pass',
    decidedBy: results.map((result) => result.rule).join(', '),
    reason: `${describeErrors(input.target, input.previous)}${input.target.p99Ms !== undefined ? `; ${describeP99(input.target, input.previous)}` : ''}`
  };
}

/** The calls each version needs before its p99 is judged and the error guard applies. */
function minCalls(thresholds: AnalysisThresholds): number {
  return thresholds.minInvocations ?? DEFAULT_MIN_CALLS;
}

/** A share as a threshold is written: `1 %`, `0.5 %`. */
function threshold(share: number): string {
  return `${Number((share * 100).toFixed(2))} %`;
}

/** A difference of rates: `1 percentage point`, `0.5 percentage points`. */
function points(share: number): string {
  const value = Number((share * 100).toFixed(2));
  return `${value} percentage point${value === 1 ? '' : 's'}`;
}

/** A probability, without claiming certainty: `99.9 %`, `over 99.9 %`. */
function probability(p: number): string {
  return p > 0.999 ? 'over 99.9 %' : formatPercent(p);
}

/** Not enough calls on the new version: hold the step (a failure elsewhere still counts). */
function minInvocations({ thresholds, target }: JudgeInput): RuleResult | undefined {
  const min = thresholds.minInvocations;
  if (min === undefined) return undefined;
  if (target.invocations >= min) return { rule: 'min-invocations', outcome: 'pass', reason: '' };
  return {
    rule: 'min-invocations',
    outcome: 'not-enough-data',
    reason: `the new version served ${target.invocations} of the ${min} calls min-invocations asks for in this step`
  };
}

/** Errors on the new version where the previous one has none, both with enough calls to tell. */
function errorGuard({ thresholds, target, previous }: JudgeInput): RuleResult | undefined {
  const min = minCalls(thresholds);
  if (target.invocations < min || previous.invocations < min) return undefined;
  if (target.errors === 0 || previous.errors > 0) return { rule: 'error guard', outcome: 'pass', reason: '' };
  return {
    rule: 'error guard',
    outcome: 'fail',
    reason: `${describeErrors(target, previous)}; the new version fails calls where the previous one fails none`
  };
}

/** `max-error-rate`: the exact one-sided binomial test at 95 % (99 % before the step's end). */
function maxErrorRate({ thresholds, target, previous, final }: JudgeInput): RuleResult | undefined {
  const max = thresholds.maxErrorRate;
  if (max === undefined) return undefined;
  const confidence = confidenceOf(final);
  const p = errorsAtLeastProbability(target.errors, target.invocations, max);
  if (p >= 1 - confidence) return { rule: 'max-error-rate', outcome: 'pass', reason: '' };
  return {
    rule: 'max-error-rate',
    outcome: 'fail',
    reason:
      `${describeErrors(target, previous)}; above max-error-rate ${threshold(max)}: a version at ${threshold(max)} ` +
      `fails ${target.errors} or more of ${target.invocations} calls with probability ${formatPercent(p)} ` +
      `(the test fails below ${threshold(1 - confidence)})`
  };
}

/**
 * `max-error-rate-increase`: the posterior probability (Jeffreys priors) that the new rate exceeds
 * the old one plus the margin, against 95 % (99 % before the step's end).
 */
function maxErrorRateIncrease({ thresholds, target, previous, final }: JudgeInput): RuleResult | undefined {
  const margin = thresholds.maxErrorRateIncrease;
  if (margin === undefined) return undefined;
  if (previous.invocations === 0) {
    return {
      rule: 'max-error-rate-increase',
      outcome: 'not-enough-data',
      reason: 'the previous version served no calls in this step: there is nothing to compare the new version with'
    };
  }
  const p = probabilityExceeds(
    jeffreysPosterior(target.errors, target.invocations),
    jeffreysPosterior(previous.errors, previous.invocations),
    margin
  );
  const confidence = confidenceOf(final);
  if (p <= confidence) return { rule: 'max-error-rate-increase', outcome: 'pass', reason: '' };
  return {
    rule: 'max-error-rate-increase',
    outcome: 'fail',
    reason:
      `${describeErrors(target, previous)}; the new version's error rate is more than ${points(margin)} ` +
      `(max-error-rate-increase) above the previous version's with probability ${probability(p)} ` +
      `(the test fails above ${threshold(confidence)})`
  };
}

/** `max-p99-duration`: the new version's p99 over the step, once it has enough calls to have one. */
function maxP99({ thresholds, target, previous }: JudgeInput): RuleResult | undefined {
  const max = thresholds.maxP99DurationMs;
  if (max === undefined) return undefined;
  const lacking = lackOfCalls('max-p99-duration', thresholds, [['new', target]]);
  if (lacking) return lacking;
  if (target.p99Ms! <= max) return { rule: 'max-p99-duration', outcome: 'pass', reason: '' };
  return {
    rule: 'max-p99-duration',
    outcome: 'fail',
    reason: `${describeP99(target, previous)}; above max-p99-duration ${formatMs(max)}`
  };
}

/** `max-p99-duration-increase`: relative to the previous version's p99 over the same window. */
function maxP99Increase({ thresholds, target, previous }: JudgeInput): RuleResult | undefined {
  const increase = thresholds.maxP99DurationIncrease;
  if (increase === undefined) return undefined;
  const lacking = lackOfCalls('max-p99-duration-increase', thresholds, [
    ['new', target],
    ['previous', previous]
  ]);
  if (lacking) return lacking;
  const limit = previous.p99Ms! * (1 + increase);
  if (target.p99Ms! <= limit) return { rule: 'max-p99-duration-increase', outcome: 'pass', reason: '' };
  return {
    rule: 'max-p99-duration-increase',
    outcome: 'fail',
    reason:
      `${describeP99(target, previous)}; more than max-p99-duration-increase ${threshold(increase)} above the ` +
      `previous version's (at most ${formatMs(limit)})`
  };
}

/** A p99 from a handful of calls is their slowest one: judge it only from enough calls. */
function lackOfCalls(
  rule: string,
  thresholds: AnalysisThresholds,
  versions: ReadonlyArray<readonly [string, VersionNumbers]>
): RuleResult | undefined {
  const min = minCalls(thresholds);
  for (const [which, numbers] of versions) {
    if (numbers.invocations < min || numbers.p99Ms === undefined) {
      return {
        rule,
        outcome: 'not-enough-data',
        reason: `p99 is judged from at least ${min} calls per version; the ${which} version served ${numbers.invocations} in this step`
      };
    }
  }
  return undefined;
}

import { formatDuration } from '../../core/duration.js';
import { completeAt, periodStart, type Counts, type MinuteRecord } from './minutes.js';
import { clockTime, formatCount, formatNumber } from './numbers.js';
import type { Rule } from './rules.js';
import type { AnalysisOutcome, Metric, RuleEvidence } from './types.js';

/**
 * The analysis's judgement, pure apart from the evidence it accumulates: minutes in, failed checks
 * out (`Judge`), and whether a step may pass (`judgeStep`). Fails need evidence past the bar;
 * passes need the step's minutes complete and enough calls in them.
 */

/** The false-rollback budget of a rollout: a healthy version is rolled back in at most 1 % of rollouts. */
export const ROLLOUT_FALSE_ROLLBACK_RATE = 0.01;

/** Calls the new version must serve across the rollout's complete minutes before it is promoted, when `min-invocations` is not given. */
export const DEFAULT_MIN_CALLS = 100;

/**
 * Calls the new version must serve in each step when `min-invocations` is not given: one. A step
 * whose weight reached no call judged nothing at that weight (callers that bypass the alias, or
 * traffic that stopped), and the next, larger weight would go out blind; one call asks little of a
 * step, and the rollout's total still decides the promotion.
 */
export const DEFAULT_MIN_CALLS_PER_STEP = 1;

/**
 * How many calls the new version must serve before the rollout moves on, chosen once from the
 * inputs. `min-invocations` given: that many in every step. Not given: at least
 * {@link DEFAULT_MIN_CALLS_PER_STEP} in each step, and {@link DEFAULT_MIN_CALLS} across the rollout
 * before the promotion (the last step holds for them), so that one-minute steps at low traffic are
 * not each held for a hundred calls. Either way zero calls never pass a step, and not enough data
 * never promotes.
 */
export type CallMinimum =
  | { readonly kind: 'per-step'; readonly calls: number }
  | { readonly kind: 'rollout'; readonly calls: number; readonly perStep: number };

/** The minimum the inputs ask for. */
export function callMinimum(minInvocations: number | undefined): CallMinimum {
  return minInvocations !== undefined
    ? { kind: 'per-step', calls: minInvocations }
    : { kind: 'rollout', calls: DEFAULT_MIN_CALLS, perStep: DEFAULT_MIN_CALLS_PER_STEP };
}

/**
 * Each rule's α: the rollout's budget, shared equally by the functions analysed and then by each
 * function's rules. By the union bound, a version that breaks no rule is rolled back in at most the
 * budget's share of rollouts, whatever the traffic and however often the analysis looks.
 */
export function alphaPerRule(rules: number, functions: number): number {
  return ROLLOUT_FALSE_ROLLBACK_RATE / Math.max(1, functions) / Math.max(1, rules);
}

/** A failed check: a rule whose evidence, on minutes no earlier failed check counted, passed the bar. */
export interface FailedCheck {
  readonly rule: string;
  readonly metric: Metric;
  /** The numbers it judged and what they break, together. */
  readonly reason: string;
  /** What they break, alone. */
  readonly why: string;
}

/**
 * The rules' evidence over the rollout's complete minutes, each entered once. When a rule fails,
 * that is a failed check: every rule's evidence restarts, so the next failed check stands on new
 * minutes only. `failed-checks-limit` failed checks roll back; with a limit k, a version that breaks
 * no rule reaches it with probability at most α^k per rule.
 */
export class Judge {
  private rules: readonly Rule[] = [];
  private failures: FailedCheck[] = [];
  /** The last minute entered made a failed check (below the limit): the step holds until the next one. */
  holding = false;

  constructor(
    /** Each rule's α. */
    readonly alpha: number,
    /** `failed-checks-limit`. */
    readonly limit: number
  ) {}

  /** The rules, once their thresholds are known (a latency baseline is read first). */
  use(rules: readonly Rule[]): void {
    this.rules = rules;
  }

  get bar(): number {
    return 1 / this.alpha;
  }

  get failedChecks(): readonly FailedCheck[] {
    return this.failures;
  }

  get rolledBack(): boolean {
    return this.failures.length >= this.limit;
  }

  /** Enters one complete minute; returns the failed check it made, if any. */
  add(minute: MinuteRecord): FailedCheck | undefined {
    for (const rule of this.rules) rule.add(minute);
    for (const rule of this.rules) {
      const failure = rule.failure(this.bar, this.alpha);
      if (failure === undefined) continue;
      const separator = failure.why.startsWith('above') || failure.why.startsWith('more than') ? ', ' : ': ';
      const failed = {
        rule: rule.name,
        metric: rule.metric,
        reason: `${failure.numbers}${separator}${failure.why}`,
        why: failure.why
      };
      this.failures.push(failed);
      for (const each of this.rules) each.reset();
      this.holding = true;
      return failed;
    }
    this.holding = false;
    return undefined;
  }

  evidence(): RuleEvidence[] {
    return this.rules.map((rule) => ({ rule: rule.name, metric: rule.metric, eValue: rule.eValue, bar: this.bar }));
  }

  get comparative(): boolean {
    return this.rules.some((rule) => rule.comparative);
  }
}

/** What a step's judgement looks at. */
export interface StepView {
  readonly now: number;
  readonly stepStartedAt: number;
  readonly stepEndsAt: number;
  readonly periodMs: number;
  /** How long after its end a minute is complete, and the function's timeout it includes. */
  readonly completionDelayMs: number;
  readonly timeoutSeconds: number;
  /** Start of the newest minute entered; undefined: none yet. */
  readonly enteredThroughMs?: number;
  /** Both versions' calls in the step's complete minutes. */
  readonly target: Counts;
  readonly previous: Counts;
  /** The new version's calls in every complete minute since the first shift. */
  readonly rolloutCalls: number;
  /** Whether the step is the last one: the promotion follows it. */
  readonly lastStep: boolean;
  readonly minimum: CallMinimum;
  /** Whether a rule compares the versions (and so needs calls on the previous one). */
  readonly comparative: boolean;
  /** Why a rule has no threshold to judge by (the latency baseline). */
  readonly baselineProblem?: string;
  /** A failed check below the limit, made by the last minute entered. */
  readonly heldAfter?: { readonly failed: number; readonly limit: number; readonly check: FailedCheck };
}

/** A step's verdict: may it pass, and if not, what it waits for. */
export interface StepJudgement {
  readonly outcome: Exclude<AnalysisOutcome, 'fail'>;
  readonly decidedBy: string;
  readonly reason: string;
}

/**
 * Whether the step may pass: only once it has ended, every minute it overlaps until its end is
 * complete and judged, and the new version served enough calls (see {@link CallMinimum}; the
 * previous one some in the step, for a comparison). Otherwise the step holds, and the reason says
 * for what.
 */
export function judgeStep(view: StepView): StepJudgement {
  const hold = (decidedBy: string, reason: string): StepJudgement => ({ outcome: 'not-enough-data', decidedBy, reason });
  const { heldAfter, periodMs } = view;
  if (heldAfter) {
    return hold(
      'failed-checks-limit',
      `failed check ${heldAfter.failed} of the ${heldAfter.limit} that roll back (failed-checks-limit), on ` +
        `${heldAfter.check.rule}: ${heldAfter.check.reason}; the step holds until a minute of new evidence`
    );
  }
  if (view.baselineProblem) return hold('p99 baseline', view.baselineProblem);
  const through = view.enteredThroughMs === undefined ? '' : ` (complete through ${clockTime(view.enteredThroughMs + periodMs)})`;
  if (view.now < view.stepEndsAt) {
    return hold(
      'step in progress',
      `no rule failed so far${through}; the step bakes until ${clockTime(view.stepEndsAt)} and is judged whole once its last minute is complete`
    );
  }
  const lastMinute = periodStart(view.stepEndsAt - 1, periodMs);
  if (view.enteredThroughMs === undefined || view.enteredThroughMs < lastMinute) {
    const waiting =
      view.enteredThroughMs === undefined ? periodStart(view.stepStartedAt, periodMs) : view.enteredThroughMs + periodMs;
    return hold(
      'metric delay',
      `waiting for the metrics of the minute from ${clockTime(waiting)}: complete at ` +
        `${clockTime(completeAt(waiting, periodMs, view.completionDelayMs))} (its end, then the function's ` +
        `${formatDuration(view.timeoutSeconds * 1000)} timeout, since Lambda reports a call once it ends, and ` +
        `${formatDuration(view.completionDelayMs - view.timeoutSeconds * 1000)} for CloudWatch)`
    );
  }
  const short = tooFewCalls(view, through);
  if (short) return hold('min-invocations', short);
  if (view.comparative && view.previous.calls === 0) {
    return hold(
      'no calls on the previous version',
      `the previous version served no calls in this step${through}, while the new one served ${formatNumber(view.target.calls)}: ` +
        'there is nothing to compare the new version with'
    );
  }
  return { outcome: 'pass', decidedBy: '', reason: '' };
}

/** Why the new version has not served enough calls to pass the step; undefined when it has. */
function tooFewCalls(view: StepView, through: string): string | undefined {
  const { minimum, target, previous } = view;
  const previousCalls = `and the previous version ${formatNumber(previous.calls)}`;
  if (minimum.kind === 'per-step') {
    if (target.calls >= minimum.calls) return undefined;
    return (
      `the new version served ${formatNumber(target.calls)} of the ${formatCount(minimum.calls, 'call')} min-invocations ` +
      `asks for in this step${through}, ${previousCalls}`
    );
  }
  if (target.calls < minimum.perStep) {
    return (
      `the new version served ${formatNumber(target.calls)} of the ${formatCount(minimum.perStep, 'call')} each step needs` +
      `${through}, ${previousCalls}: a step passes only on calls at its own weight`
    );
  }
  if (view.lastStep && view.rolloutCalls < minimum.calls) {
    return (
      `the new version served ${formatNumber(view.rolloutCalls)} of the ${formatCount(minimum.calls, 'call')} the rollout ` +
      `needs before the promotion (min-invocations is not set: ${formatNumber(minimum.calls)} across the rollout by ` +
      `default), ${formatNumber(target.calls)} of them in this last step${through}, ${previousCalls}`
    );
  }
  return undefined;
}

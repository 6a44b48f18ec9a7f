import type { AliasMetricsRef, MetricsGateway } from '../../aws/metrics-gateway.js';
import type { AnalysisThresholds } from '../../core/analysis.js';
import type { CheckContext, FinalBakeContext, ShiftingVersions, Verdict } from '../checks.js';
import { RateEvidence } from './evidence.js';
import { Judge, judgeStep, type StepJudgement } from './judge.js';
import { lastCompletePeriod, minutesOf, periodStart, total, type Counts, type MinuteRecord } from './minutes.js';
import { clockTime, formatCount, formatErrorRate, formatNumber, formatRate, points, threshold } from './numbers.js';
import { P99_SHARE, type Rule, type RuleFailure } from './rules.js';
import { baselineWindow, describeWindow, MIN_BASELINE_CALLS } from './traffic.js';
import type { AnalysisSink, VersionNumbers } from './types.js';

/**
 * The per-version analysis during the final bake (`final-bake`): all traffic is on the new version,
 * so no previous version takes calls beside it. Rules on the new version's own calls
 * (`max-error-rate`, `max-p99-duration`) judge as they do in the steps. Rules that compare judge the
 * new version against the previous version's OWN figures from before the rollout (its baseline
 * window: the hour of complete minutes before the first shift, the window the forecast and the
 * latency baseline read):
 * - `max-error-rate-increase`: the new version's error rate against an upper confidence bound of the
 *   baseline's rate (Chernoff, at half the rule's α), with the same anytime-valid evidence as
 *   `max-error-rate` at the other half; it fails only when the observed rates also differ by more
 *   than the margin. If the previous version's rate was stationary, a new version no worse than it
 *   fails with probability at most α (the bound misses with at most α/2, the evidence crosses with
 *   at most α/2).
 * - `max-p99-duration-increase`: the share of the new version's calls slower than the baseline p99
 *   × (1 + increase), against 1 % (the rule of `max-p99-duration` at that threshold).
 * Each minute enters once, when complete, as in the steps (analysis-check.ts). Not enough data by
 * the end of the final bake and its extension is not a pass: the bake loop stops the rollout and
 * the alias goes back (fail closed).
 */

/** What the final bake's analysis needs. */
export interface FinalBakeAnalysisOptions {
  readonly gateway: MetricsGateway;
  readonly alias: AliasMetricsRef;
  readonly thresholds: AnalysisThresholds;
  /** Each rule's α (the rollout's budget, shared with the steps). */
  readonly alpha: number;
  readonly periodMs: number;
  readonly completionDelayMs: number;
  readonly timeoutSeconds: number;
  /** Calls the new version must serve in the final bake: min-invocations, else 1. */
  readonly minCalls: number;
  readonly sink?: AnalysisSink;
}

/** The previous version's own calls before the rollout. */
export interface FinalBaseline {
  readonly version: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly calls: number;
  readonly errors: number;
  readonly p99Ms?: number;
}

const CHECK_NAME = 'analysis';
const NO_CALLS: Counts = { calls: 0, errors: 0, slow: [] };

/** The judgement of one function's new version during the final bake. */
export class FinalBakeAnalysis {
  private baseline?: FinalBaseline;
  private baselineProblem?: string;
  private readonly judge: Judge;
  private readonly minutes: MinuteRecord[] = [];
  /** The latency thresholds read as slow-call counts, in the read's order. */
  private slowerThanMs: number[] = [];

  constructor(
    private readonly options: FinalBakeAnalysisOptions,
    private readonly subject: string
  ) {
    this.judge = new Judge(options.alpha, options.thresholds.failedChecksLimit);
  }

  async evaluate(context: CheckContext & { readonly finalBake: FinalBakeContext }, versions: ShiftingVersions): Promise<Verdict> {
    const { finalBake } = context;
    if (!this.baseline) await this.readBaseline(versions.previous, finalBake.baselineEndsAt, context.now, context.signal);
    await this.enterNewMinutes(context, versions.target);
    const counts = total(this.minutes.map((minute) => minute.target));
    const failures = this.judge.failedChecks;
    const judged = this.judge.rolledBack
      ? undefined
      : judgeStep({
          now: context.now,
          stepStartedAt: finalBake.startedAt,
          stepEndsAt: finalBake.endsAt,
          periodMs: this.options.periodMs,
          completionDelayMs: this.options.completionDelayMs,
          timeoutSeconds: this.options.timeoutSeconds,
          ...(this.minutes.length > 0 ? { enteredThroughMs: this.minutes.at(-1)!.startMs } : {}),
          target: counts,
          previous: NO_CALLS,
          rolloutCalls: counts.calls,
          lastStep: false,
          minimum: { kind: 'per-step', calls: this.options.minCalls },
          comparative: false,
          ...(this.baselineProblem ? { baselineProblem: this.baselineProblem } : {}),
          ...(this.judge.holding && failures.length > 0
            ? { heldAfter: { failed: failures.length, limit: this.judge.limit, check: failures.at(-1)! } }
            : {})
        });
    this.record(context, versions, counts, judged);
    return this.verdictOf(versions, counts, judged);
  }

  /** One read of the previous version's own calls over its baseline window (once). */
  private async readBaseline(version: string, baselineEndsAt: number, now: number, signal?: AbortSignal): Promise<void> {
    const { periodMs, completionDelayMs, gateway, alias, thresholds } = this.options;
    const window = baselineWindow(periodMs, now, completionDelayMs, baselineEndsAt);
    const [series] = await gateway.versionMetrics(
      { ...alias, versions: [version], startMs: window.startMs, endMs: window.endMs, periodSeconds: periodMs / 1000 },
      signal
    );
    const periods = series?.periods ?? [];
    const calls = periods.reduce((sum, p) => sum + (p.invocations ?? 0), 0);
    const errors = periods.reduce((sum, p) => sum + Math.min(p.errors ?? 0, p.invocations ?? 0), 0);
    const baseline: FinalBaseline = {
      version,
      ...window,
      calls,
      errors,
      ...(series?.windowP99Ms !== undefined ? { p99Ms: series.windowP99Ms } : {})
    };
    this.baseline = baseline;
    const comparative = thresholds.maxErrorRateIncrease !== undefined || thresholds.maxP99DurationIncrease !== undefined;
    if (comparative && (calls < MIN_BASELINE_CALLS || (thresholds.maxP99DurationIncrease !== undefined && !baseline.p99Ms))) {
      this.baselineProblem =
        `version ${version} served ${formatCount(calls, 'call')} through ${this.subject} ${describeWindow(baseline)}, too few ` +
        `(${MIN_BASELINE_CALLS} at least, with a p99 for max-p99-duration-increase) to judge the new version against its figures ` +
        'from before the rollout during the final bake';
    }
    const rules = finalBakeRules(thresholds, baseline, this.options.alpha);
    this.slowerThanMs = rules.slowerThanMs;
    this.judge.use(rules.rules);
  }

  /** Reads and enters the new version's minutes that became complete since the last read. */
  private async enterNewMinutes(context: CheckContext & { readonly finalBake: FinalBakeContext }, target: string): Promise<void> {
    if (this.judge.rolledBack) return;
    const { periodMs, completionDelayMs, gateway, alias } = this.options;
    const lastComplete = lastCompletePeriod(context.now, periodMs, completionDelayMs);
    const from =
      this.minutes.length > 0 ? this.minutes.at(-1)!.startMs + periodMs : periodStart(context.finalBake.startedAt, periodMs);
    if (from > lastComplete) return;
    const series = await gateway.versionMetrics(
      {
        ...alias,
        versions: [target],
        startMs: from,
        endMs: lastComplete + periodMs,
        periodSeconds: periodMs / 1000,
        ...(this.slowerThanMs.length > 0 ? { slowerThanMs: this.slowerThanMs } : {})
      },
      context.signal
    );
    const fresh = minutesOf(
      series.find((s) => s.version === target),
      undefined,
      { fromMs: from, throughMs: lastComplete, periodMs, thresholds: this.slowerThanMs.length }
    );
    for (const minute of fresh) {
      this.minutes.push(minute);
      this.judge.add(minute);
      if (this.judge.rolledBack) return;
    }
  }

  private verdictOf(versions: ShiftingVersions, counts: Counts, judged: StepJudgement | undefined): Verdict {
    const numbers = this.numbers(versions, counts);
    const about =
      `final bake: per-version analysis of ${this.subject} (version ${versions.target} with all traffic, against version ` +
      `${versions.previous}'s own figures from before the rollout`;
    const last = this.judge.failedChecks.at(-1);
    if (this.judge.rolledBack && last) {
      const observation = {
        check: CHECK_NAME,
        subject: this.subject,
        state: `FAIL [${last.rule}] (${numbers})`,
        detail: last.reason
      };
      return { kind: 'unhealthy', reason: `${about}, ${last.rule}): ${last.reason}`, observations: [observation] };
    }
    const pass = judged!.outcome === 'pass';
    const word = pass ? 'pass' : `not enough data [${judged!.decidedBy}]`;
    const observations = [
      {
        check: CHECK_NAME,
        subject: this.subject,
        state: `${word} (${numbers})`,
        detail: pass ? 'no rule failed' : judged!.reason
      }
    ];
    if (pass) return { kind: 'healthy', observations };
    return { kind: 'inconclusive', reason: `${about}, ${judged!.decidedBy}): ${judged!.reason}`, observations };
  }

  /** `new 2: 0/1,200 calls failed (0.0 %); before the rollout 1: 9/10,800 calls failed (0.1 %)`. */
  private numbers(versions: ShiftingVersions, counts: Counts): string {
    const base = this.baseline;
    const before = base
      ? `; before the rollout ${base.version}: ${formatNumber(base.errors)}/${formatCount(base.calls, 'call')} failed ` +
        `(${formatErrorRate({ errors: base.errors, invocations: base.calls })})`
      : '';
    return `new ${versions.target}: ${formatNumber(counts.errors)}/${formatCount(counts.calls, 'call')} failed (${formatRate(counts.errors, counts.calls)})${before}`;
  }

  /** The summary's row: the new version over the final bake, beside the previous version's baseline. */
  private record(
    context: CheckContext & { readonly finalBake: FinalBakeContext },
    versions: ShiftingVersions,
    counts: Counts,
    judged: StepJudgement | undefined
  ): void {
    const { sink, periodMs } = this.options;
    const base = this.baseline;
    if (!sink || !base) return;
    const target: VersionNumbers = { version: versions.target, invocations: counts.calls, errors: counts.errors };
    const previous: VersionNumbers = {
      version: versions.previous,
      invocations: base.calls,
      errors: base.errors,
      ...(base.p99Ms !== undefined ? { p99Ms: base.p99Ms } : {})
    };
    const failed = this.judge.rolledBack ? this.judge.failedChecks.at(-1) : undefined;
    const fromMs = periodStart(context.finalBake.startedAt, periodMs);
    sink.record({
      functionName: this.options.alias.functionName,
      alias: this.options.alias.alias,
      weightPercent: 100,
      stepStartedAt: context.finalBake.startedAt,
      windowStartMs: fromMs,
      windowEndMs: this.minutes.length > 0 ? this.minutes.at(-1)!.startMs + periodMs : fromMs,
      target,
      previous,
      rollout: { target, previous },
      outcome: failed ? 'fail' : judged!.outcome,
      decidedBy: failed ? failed.rule : judged!.outcome === 'pass' ? 'final bake' : judged!.decidedBy,
      metric: failed?.metric ?? 'errors',
      evidence: this.judge.evidence(),
      atMs: context.now
    });
  }
}

/** The final bake's rules and the latency thresholds they read, from the thresholds and the baseline. */
export function finalBakeRules(
  thresholds: AnalysisThresholds,
  baseline: Pick<FinalBaseline, 'calls' | 'errors' | 'p99Ms'>,
  alpha: number
): { rules: Rule[]; slowerThanMs: number[] } {
  const rules: Rule[] = [];
  const slowerThanMs: number[] = [];
  if (thresholds.maxErrorRate !== undefined) {
    rules.push(
      new OwnRate(
        'max-error-rate',
        'errors',
        thresholds.maxErrorRate,
        (m) => m.target.errors,
        `max-error-rate ${threshold(thresholds.maxErrorRate)}`
      )
    );
  }
  if (thresholds.maxErrorRateIncrease !== undefined && baseline.calls >= MIN_BASELINE_CALLS) {
    rules.push(new ErrorRateAboveBaseline(thresholds.maxErrorRateIncrease, baseline, alpha));
  }
  if (thresholds.maxP99DurationMs !== undefined) {
    const index = slowerThanMs.push(thresholds.maxP99DurationMs) - 1;
    rules.push(
      new OwnRate(
        'max-p99-duration',
        'latency',
        P99_SHARE,
        (m) => m.target.slow[index] ?? 0,
        `1 % of calls slower than max-p99-duration ${thresholds.maxP99DurationMs} ms`
      )
    );
  }
  if (thresholds.maxP99DurationIncrease !== undefined && baseline.calls >= MIN_BASELINE_CALLS && baseline.p99Ms) {
    const limitMs = baseline.p99Ms * (1 + thresholds.maxP99DurationIncrease);
    const index = slowerThanMs.push(limitMs) - 1;
    rules.push(
      new OwnRate(
        'max-p99-duration-increase',
        'latency',
        P99_SHARE,
        (m) => m.target.slow[index] ?? 0,
        `1 % of calls slower than ${Math.round(limitMs)} ms (max-p99-duration-increase ${threshold(thresholds.maxP99DurationIncrease)} above ` +
          `the previous version's p99 of ${Math.round(baseline.p99Ms)} ms before the rollout)`
      )
    );
  }
  return { rules, slowerThanMs };
}

/**
 * The upper confidence bound of a rate from `events` in `calls` at level 1 − δ (Chernoff: the
 * largest p with calls × KL(events/calls ‖ p) ≤ ln(1/δ)); 1 without calls.
 */
export function rateUpperBound(events: number, calls: number, delta: number): number {
  if (calls <= 0) return 1;
  const observed = Math.min(1, events / calls);
  const budget = Math.log(1 / delta) / calls;
  const kl = (p: number, q: number): number =>
    (p > 0 ? p * Math.log(p / q) : 0) + (p < 1 ? (1 - p) * Math.log((1 - p) / (1 - q)) : 0);
  let low = observed;
  let high = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (mid >= 1 || kl(observed, mid) > budget) high = mid;
    else low = mid;
  }
  return high;
}

/** A rate of the new version's own calls against a fixed limit: `max-error-rate`, or 1 % of calls above a latency threshold. */
class OwnRate implements Rule {
  readonly comparative = false;
  private readonly evidence: RateEvidence;
  private sinceMs?: number;

  constructor(
    readonly name: string,
    readonly metric: 'errors' | 'latency',
    private readonly limit: number,
    private readonly eventsOf: (minute: MinuteRecord) => number,
    private readonly what: string
  ) {
    this.evidence = new RateEvidence(limit);
  }

  add(minute: MinuteRecord): void {
    this.sinceMs ??= minute.startMs;
    this.evidence.add(minute.target.calls, this.eventsOf(minute));
  }

  get eValue(): number {
    return this.evidence.eValue;
  }

  failure(bar: number, alpha: number): RuleFailure | undefined {
    const { eValue, rate, calls, events } = this.evidence;
    if (eValue < bar || rate <= this.limit) return undefined;
    return {
      numbers: `new version: ${formatNumber(events)} of ${formatCount(calls, 'call')} (${formatRate(events, calls)})${since(this.sinceMs)}`,
      why: `above ${this.what}; the evidence reached past the bar of ${formatNumber(bar)} (a version at the limit reaches it in at most ${threshold(alpha)} of final bakes)`
    };
  }

  reset(): void {
    this.evidence.reset();
    this.sinceMs = undefined;
  }
}

/**
 * `max-error-rate-increase` against the baseline: the new version's error rate against the
 * baseline's upper bound (at α/2); it fails when the evidence reaches 2/α (the other α/2) and the
 * observed rate is more than the margin above the baseline's.
 */
class ErrorRateAboveBaseline implements Rule {
  readonly name = 'max-error-rate-increase';
  readonly metric = 'errors';
  readonly comparative = false;
  private readonly evidence: RateEvidence;
  private readonly baselineRate: number;
  private readonly bound: number;
  private sinceMs?: number;

  constructor(
    private readonly margin: number,
    private readonly baseline: Pick<FinalBaseline, 'calls' | 'errors'>,
    alpha: number
  ) {
    this.baselineRate = baseline.errors / baseline.calls;
    // A bound at certainty would make every rate acceptable: capped just below it.
    this.bound = Math.min(rateUpperBound(baseline.errors, baseline.calls, alpha / 2), 0.999);
    this.evidence = new RateEvidence(this.bound);
  }

  add(minute: MinuteRecord): void {
    this.sinceMs ??= minute.startMs;
    this.evidence.add(minute.target.calls, minute.target.errors);
  }

  get eValue(): number {
    return this.evidence.eValue;
  }

  failure(bar: number, alpha: number): RuleFailure | undefined {
    const { eValue, rate, calls, events } = this.evidence;
    if (eValue < 2 * bar || rate - this.baselineRate <= this.margin) return undefined;
    return {
      numbers:
        `new version: ${formatCount(events, 'error')} in ${formatCount(calls, 'call')} (${formatRate(events, calls)})${since(this.sinceMs)}, ` +
        `previous version before the rollout: ${formatCount(this.baseline.errors, 'error')} in ${formatCount(this.baseline.calls, 'call')} ` +
        `(${formatRate(this.baseline.errors, this.baseline.calls)})`,
      why:
        `${points(rate - this.baselineRate)} more, above max-error-rate-increase ${threshold(this.margin)}; the evidence against ` +
        `${threshold(this.bound)} (the baseline's upper bound) reached past the bar of ${formatNumber(2 * bar)} (a version no worse ` +
        `than the previous one fails in at most ${threshold(alpha)} of final bakes)`
    };
  }

  reset(): void {
    this.evidence.reset();
    this.sinceMs = undefined;
  }
}

function since(ms: number | undefined): string {
  return ms === undefined ? '' : ` in the minutes since ${clockTime(ms)}`;
}

import type { AliasMetricsRef, MetricsGateway, VersionSeries } from '../../aws/metrics-gateway.js';
import type { AnalysisThresholds } from '../../core/analysis.js';
import { formatDuration } from '../../core/duration.js';
import { NO_FINDINGS, type PreflightFindings } from '../../core/findings.js';
import type { BakeCheck, CheckContext, ShiftingVersions, Verdict } from '../checks.js';
import { alphaPerRule, callMinimum, Judge, judgeStep, type CallMinimum, type FailedCheck, type StepJudgement } from './judge.js';
import {
  completionDelayMs,
  lastCompletePeriod,
  minutesOf,
  periodStart,
  total,
  type Counts,
  type MinuteRecord
} from './minutes.js';
import { clockTime, describeVersions, formatNumber } from './numbers.js';
import { ruleNames, rulesFor, type LatencyThresholds } from './rules.js';
import type { AnalysisOutcome, AnalysisSink, Metric, VersionComparison, VersionNumbers } from './types.js';

const CHECK_NAME = 'analysis';

/** The previous version's p99 before the rollout is read over the hour before the first shift. */
export const BASELINE_MS = 60 * 60_000;
/**
 * With an emulator's periods shorter than a minute, over this many of them: a window CloudWatch
 * starts on any second (one of a minute or more starts on a minute).
 */
const EMULATED_BASELINE_PERIODS = 30;
/** Calls the baseline needs for its p99 to mean something (with fewer, it is one of the slowest few calls). */
export const MIN_BASELINE_CALLS = 100;

/** What the check reads of the function itself (its time limits), once. */
export interface FunctionTimeouts {
  /** The Timeout of the version the alias serves, in seconds; undefined when the alias does not exist yet. */
  aliasTimeoutSeconds(signal?: AbortSignal): Promise<number | undefined>;
  /** The Timeout the new version will have, in seconds. */
  newTimeoutSeconds(signal?: AbortSignal): Promise<number>;
}

/** Everything one function's analysis needs. */
export interface AnalysisCheckOptions {
  readonly gateway: MetricsGateway;
  readonly alias: AliasMetricsRef;
  readonly thresholds: AnalysisThresholds;
  readonly timeouts: FunctionTimeouts;
  /** How many functions the rollout analyses: they share its false-rollback budget. */
  readonly functions: number;
  /** `max-bake-extension` and the poll interval: a step's hold must be able to wait for its last minute. */
  readonly maxBakeExtensionMs: number;
  readonly pollIntervalMs: number;
  /** Where each analysis goes, for the summary. */
  readonly sink?: AnalysisSink;
}

/** What the preflight learnt of the function. */
interface Facts {
  /** The longest call of either version, in seconds. */
  readonly timeoutSeconds: number;
  readonly completionDelayMs: number;
}

/** The latency baseline: the thresholds it gave, or why there is none. */
type Baseline = { readonly latency: LatencyThresholds; readonly problem?: string };

/**
 * Per-version analysis as a bake check. While both versions take traffic through the alias, each
 * metric period ("minute") enters the rules' evidence once, when it is complete (after its end,
 * the function's timeout and CloudWatch's ingestion): one GetMetricData call per new complete
 * minute, none in between. A rule whose evidence passes its bar makes a failed check;
 * `failed-checks-limit` of them roll back. A step passes once it has ended, its minutes are
 * complete and the new version served enough calls in them; until then it holds, and says why.
 * A read that throws is the bake loop's check error, not a failed analysis.
 */
export class AnalysisCheck implements BakeCheck {
  readonly name = CHECK_NAME;
  private readonly judge: Judge;
  private readonly minimum: CallMinimum;
  private readonly periodMs: number;
  private facts?: Facts;
  private baseline?: Baseline;
  /** When the first weight was set: the evidence starts with that minute, the baseline ends there. */
  private firstShiftAt?: number;
  /** Every minute entered, by start, oldest first. */
  private readonly minutes: MinuteRecord[] = [];
  /** The p99 of each version over the current step's complete minutes, from the last read. */
  private stepP99: { readonly stepStartedAt: number; readonly target?: number; readonly previous?: number } | undefined;

  constructor(private readonly options: AnalysisCheckOptions) {
    const { thresholds } = options;
    this.periodMs = thresholds.periodSeconds * 1000;
    this.judge = new Judge(alphaPerRule(ruleNames(thresholds).length, options.functions), thresholds.failedChecksLimit);
    this.minimum = callMinimum(thresholds.minInvocations);
  }

  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    const { timeouts, gateway, alias } = this.options;
    const aliasTimeout = await timeouts.aliasTimeoutSeconds(signal);
    if (aliasTimeout === undefined) {
      return {
        problems: [],
        warnings: [
          `${this.subject} does not exist yet: this first deployment creates the alias on the new version at once, with no ` +
            'previous version to share the traffic with, so the per-version analysis judges nothing this time (min-invocations ' +
            'included); the next deployment is judged'
        ]
      };
    }
    const facts = await this.readFacts(signal, aliasTimeout);
    const problems = this.extensionProblem(facts);
    if (problems.length > 0) return { problems, warnings: [] };
    if (await gateway.aliasHasMetrics(alias, signal)) return NO_FINDINGS;
    return {
      problems: [],
      warnings: [
        `CloudWatch has no metrics of calls through ${this.subject} (ListMetrics, the last two weeks): the function seems not ` +
          "to be invoked through the alias. Shifting the alias's weights then moves no traffic, the per-version analysis sees " +
          `no calls, and the first step is held up to max-bake-extension (${formatDuration(this.options.maxBakeExtensionMs)}) ` +
          'past its end, then the rollout stops for want of calls and the alias goes back to the previous version; ' +
          'docs/troubleshooting.md lists the callers to point at the alias'
      ]
    };
  }

  async evaluate(context: CheckContext): Promise<Verdict> {
    const versions = context.versions?.find(
      (v) => v.functionName === this.options.alias.functionName && v.alias === this.options.alias.alias
    );
    const skipped = whyNotJudged(context, versions);
    if (skipped !== undefined || !versions || context.stepStartedAt === undefined) {
      return {
        kind: 'healthy',
        observations: [{ check: CHECK_NAME, subject: this.subject, state: 'not judged', detail: skipped }]
      };
    }
    const stepStartedAt = context.stepStartedAt;
    const stepEndsAt = context.stepEndsAt ?? context.now;
    this.firstShiftAt ??= stepStartedAt;
    const facts = (this.facts ??= await this.readFacts(context.signal));
    const baseline = (this.baseline ??= await this.readBaseline(versions, context.now, facts, context.signal));
    await this.enterNewMinutes(context, versions, baseline, facts);

    const step = this.stepCounts(stepStartedAt);
    const failures = this.judge.failedChecks;
    const judged = this.judge.rolledBack
      ? undefined
      : judgeStep({
          now: context.now,
          stepStartedAt,
          stepEndsAt,
          periodMs: this.periodMs,
          completionDelayMs: facts.completionDelayMs,
          timeoutSeconds: facts.timeoutSeconds,
          ...(this.minutes.length > 0 ? { enteredThroughMs: this.minutes.at(-1)!.startMs } : {}),
          target: step.target,
          previous: step.previous,
          rolloutCalls: total(this.minutes.map((m) => m.target)).calls,
          // Not told which step this is: judged as the last, so that the rollout's minimum holds.
          lastStep: context.step === undefined || context.step.number >= context.step.of,
          minimum: this.minimum,
          comparative: ruleNames(this.options.thresholds).some((rule) => rule.endsWith('-increase')),
          ...(baseline.problem ? { baselineProblem: baseline.problem } : {}),
          ...(this.judge.holding && failures.length > 0
            ? { heldAfter: { failed: failures.length, limit: this.judge.limit, check: failures.at(-1)! } }
            : {})
        });
    const comparison = this.comparison(context, versions, step, judged, baseline);
    this.options.sink?.record({ ...comparison, atMs: context.now });
    return this.verdictOf(comparison, judged, failures.at(-1));
  }

  /** Reads and enters the minutes that became complete since the last read (none: no read). */
  private async enterNewMinutes(
    context: CheckContext,
    versions: ShiftingVersions,
    baseline: Baseline,
    facts: Facts
  ): Promise<void> {
    if (this.judge.rolledBack) return;
    const lastComplete = lastCompletePeriod(context.now, this.periodMs, facts.completionDelayMs);
    const firstEvidence = periodStart(this.firstShiftAt!, this.periodMs);
    const from = this.minutes.length > 0 ? this.minutes.at(-1)!.startMs + this.periodMs : firstEvidence;
    if (from > lastComplete) return;
    const stepFirst = periodStart(context.stepStartedAt!, this.periodMs);
    const readFrom = Math.min(from, stepFirst);
    const thresholds = latencyThresholdList(baseline.latency);
    const series = await this.options.gateway.versionMetrics(
      {
        ...this.options.alias,
        versions: [versions.target, versions.previous],
        startMs: readFrom,
        endMs: lastComplete + this.periodMs,
        periodSeconds: this.options.thresholds.periodSeconds,
        ...(thresholds.length > 0 ? { slowerThanMs: thresholds } : {})
      },
      context.signal
    );
    const of = (version: string): VersionSeries | undefined => series.find((s) => s.version === version);
    const target = of(versions.target);
    const previous = of(versions.previous);
    if (readFrom === stepFirst) {
      this.stepP99 = {
        stepStartedAt: context.stepStartedAt!,
        ...(target?.windowP99Ms !== undefined ? { target: target.windowP99Ms } : {}),
        ...(previous?.windowP99Ms !== undefined ? { previous: previous.windowP99Ms } : {})
      };
    }
    const fresh = minutesOf(target, previous, {
      fromMs: from,
      throughMs: lastComplete,
      periodMs: this.periodMs,
      thresholds: thresholds.length
    });
    for (const minute of fresh) {
      this.minutes.push(minute);
      this.judge.add(minute);
      if (this.judge.rolledBack) return;
    }
  }

  /** Both versions' counts in the step's complete minutes (those from the minute it began in on). */
  private stepCounts(stepStartedAt: number): { target: Counts; previous: Counts; fromMs: number; throughMs?: number } {
    const fromMs = periodStart(stepStartedAt, this.periodMs);
    const inStep = this.minutes.filter((minute) => minute.startMs >= fromMs);
    return {
      target: total(inStep.map((m) => m.target)),
      previous: total(inStep.map((m) => m.previous)),
      fromMs,
      ...(inStep.length > 0 ? { throughMs: inStep.at(-1)!.startMs } : {})
    };
  }

  /** The judgement's numbers, for the log, the verdict's reason and the summary. */
  private comparison(
    context: CheckContext,
    versions: ShiftingVersions,
    step: ReturnType<AnalysisCheck['stepCounts']>,
    judged: StepJudgement | undefined,
    baseline: Baseline
  ): VersionComparison {
    const p99 = this.stepP99?.stepStartedAt === context.stepStartedAt ? this.stepP99 : undefined;
    const numbers = (version: string, counts: Counts, p99Ms?: number): VersionNumbers => ({
      version,
      invocations: counts.calls,
      errors: counts.errors,
      ...(p99Ms !== undefined && counts.calls > 0 ? { p99Ms } : {})
    });
    const failed = this.judge.rolledBack ? this.judge.failedChecks.at(-1) : undefined;
    const evidence = this.judge.evidence();
    const outcome: AnalysisOutcome = failed ? 'fail' : judged!.outcome;
    const decidedBy = failed
      ? failed.rule
      : judged!.outcome === 'pass'
        ? passedRules(this.options.thresholds)
        : judged!.decidedBy;
    const limits = baseline.latency;
    const latencyLimit = limits.increaseMs?.ms ?? limits.maxMs?.ms;
    return {
      functionName: this.options.alias.functionName,
      alias: this.options.alias.alias,
      weightPercent: context.weightPercent,
      stepStartedAt: context.stepStartedAt!,
      windowStartMs: step.fromMs,
      windowEndMs: step.throughMs === undefined ? step.fromMs : step.throughMs + this.periodMs,
      target: numbers(versions.target, step.target, p99?.target),
      previous: numbers(versions.previous, step.previous, p99?.previous),
      rollout: {
        target: numbers(versions.target, total(this.minutes.map((m) => m.target))),
        previous: numbers(versions.previous, total(this.minutes.map((m) => m.previous)))
      },
      ...(latencyLimit !== undefined ? { slowerThanMs: latencyLimit } : {}),
      outcome,
      decidedBy,
      metric: failed?.metric ?? closestMetric(evidence, this.options.thresholds),
      evidence
    };
  }

  /** A judgement as the bake loop reads it. */
  private verdictOf(comparison: VersionComparison, judged: StepJudgement | undefined, last: FailedCheck | undefined): Verdict {
    const numbers = describeVersions(comparison.target, comparison.previous);
    const about = `per-version analysis of ${this.subject} (version ${comparison.target.version} against ${comparison.previous.version}`;
    if (this.judge.rolledBack && last) {
      const limit = this.judge.limit;
      const count = limit > 1 ? `; failed check ${limit} of ${limit}, each on minutes no earlier one counted` : '';
      const observation = {
        check: CHECK_NAME,
        subject: this.subject,
        state: `FAIL [${last.rule}] (${numbers})`,
        detail: last.reason
      };
      return { kind: 'unhealthy', reason: `${about}, ${last.rule}): ${last.reason}${count}`, observations: [observation] };
    }
    const word = judged!.outcome === 'pass' ? 'pass' : `not enough data [${judged!.decidedBy}]`;
    const detail = judged!.outcome === 'pass' ? `no rule failed (${comparison.decidedBy})` : judged!.reason;
    const observations = [{ check: CHECK_NAME, subject: this.subject, state: `${word} (${numbers})`, detail }];
    if (judged!.outcome === 'pass') return { kind: 'healthy', observations };
    return { kind: 'inconclusive', reason: `${about}, ${judged!.decidedBy}): ${judged!.reason}`, observations };
  }

  /** The function's time limits, and from them when a minute is complete. */
  private async readFacts(signal?: AbortSignal, aliasTimeout?: number): Promise<Facts> {
    const { timeouts } = this.options;
    const [previous, next] = await Promise.all([
      aliasTimeout ?? timeouts.aliasTimeoutSeconds(signal),
      timeouts.newTimeoutSeconds(signal)
    ]);
    const timeoutSeconds = Math.max(previous ?? 0, next);
    return { timeoutSeconds, completionDelayMs: completionDelayMs(timeoutSeconds, this.periodMs) };
  }

  /** `max-bake-extension` too short to wait for a step's last minute to be complete: refused before anything changes. */
  private extensionProblem(facts: Facts): string[] {
    const needed = this.periodMs + facts.completionDelayMs + this.options.pollIntervalMs;
    if (this.options.maxBakeExtensionMs >= needed) return [];
    return [
      `max-bake-extension ${formatDuration(this.options.maxBakeExtensionMs)} is too short for the per-version analysis of ` +
        `${this.subject}: a step's last minute of metrics is complete only after the minute itself, the function's ` +
        `${formatDuration(facts.timeoutSeconds * 1000)} timeout (Lambda reports a call once it ends) and ` +
        `${formatDuration(facts.completionDelayMs - facts.timeoutSeconds * 1000)} for CloudWatch, then a poll; set ` +
        `max-bake-extension to at least ${formatDuration(Math.ceil(needed / 60_000) * 60_000)}`
    ];
  }

  /**
   * The latency thresholds: `max-p99-duration` as given; `max-p99-duration-increase` from the
   * previous version's p99 over the hour before the first shift (its complete minutes; one period
   * spanning it, so that the percentile is over all its calls), read once.
   */
  private async readBaseline(versions: ShiftingVersions, now: number, facts: Facts, signal?: AbortSignal): Promise<Baseline> {
    const { maxP99DurationMs, maxP99DurationIncrease, periodSeconds } = this.options.thresholds;
    const maxMs = maxP99DurationMs !== undefined ? { ms: maxP99DurationMs, index: 0 } : undefined;
    const indexOfIncrease = maxMs ? 1 : 0;
    const rulesWith = (latency: LatencyThresholds): Baseline => {
      this.judge.use(rulesFor(this.options.thresholds, latency));
      return { latency };
    };
    if (maxP99DurationIncrease === undefined) return rulesWith(maxMs ? { maxMs } : {});
    // The hour up to the first shift, or to the last complete minute before it, so that it is whole.
    const lastComplete = lastCompletePeriod(now, this.periodMs, facts.completionDelayMs) + this.periodMs;
    const endMs = Math.min(periodStart(this.firstShiftAt!, this.periodMs), lastComplete);
    const startMs = endMs - (this.periodMs >= 60_000 ? BASELINE_MS : EMULATED_BASELINE_PERIODS * this.periodMs);
    const [series] = await this.options.gateway.versionMetrics(
      { ...this.options.alias, versions: [versions.previous], startMs, endMs, periodSeconds },
      signal
    );
    const calls = (series?.periods ?? []).reduce((sum, period) => sum + (period.invocations ?? 0), 0);
    const p99 = series?.windowP99Ms;
    if (calls < MIN_BASELINE_CALLS || p99 === undefined) {
      const served = `the previous version served ${formatNumber(calls)} calls in the ${formatDuration(endMs - startMs)} before the first shift (${clockTime(startMs)}–${clockTime(endMs)} UTC)`;
      const why =
        calls < MIN_BASELINE_CALLS
          ? `too few for its p99 (${MIN_BASELINE_CALLS} at least)`
          : 'and CloudWatch gave no p99 of their Duration';
      // The other rules judge on; this one holds every step, and says why.
      return {
        ...rulesWith(maxMs ? { maxMs } : {}),
        problem: `${served}, ${why}: max-p99-duration-increase has no threshold to judge the new version by`
      };
    }
    return rulesWith({
      ...(maxMs ? { maxMs } : {}),
      increaseMs: { ms: p99 * (1 + maxP99DurationIncrease), index: indexOfIncrease, baselineP99Ms: p99 }
    });
  }

  private get subject(): string {
    return `${this.options.alias.functionName}:${this.options.alias.alias}`;
  }
}

/** The thresholds read as slow-call counts, in the order the rules index them. */
function latencyThresholdList(latency: LatencyThresholds): number[] {
  return [...(latency.maxMs ? [latency.maxMs.ms] : []), ...(latency.increaseMs ? [latency.increaseMs.ms] : [])];
}

/** A pass: every rule passed, and the calls were enough. */
function passedRules(thresholds: AnalysisThresholds): string {
  return [...ruleNames(thresholds), 'min-invocations'].join(', ');
}

/** The metric nearest its bar, or the only one in use: what the chart shows while nothing has failed. */
function closestMetric(
  evidence: ReadonlyArray<{ metric: Metric; eValue: number; bar: number }>,
  thresholds: AnalysisThresholds
): Metric {
  const nearest = [...evidence].sort((a, b) => b.eValue / b.bar - a.eValue / a.bar)[0];
  if (nearest && nearest.eValue > 1) return nearest.metric;
  const errors = thresholds.maxErrorRate !== undefined || thresholds.maxErrorRateIncrease !== undefined;
  return errors ? 'errors' : 'latency';
}

/** Why there is nothing to judge now; undefined when there is. */
function whyNotJudged(context: CheckContext, versions: ShiftingVersions | undefined): string | undefined {
  if (!versions) return 'no previous version to compare the new one with';
  if (context.stepStartedAt === undefined) return 'not within a step';
  if (context.weightPercent <= 0) return 'the new version has no traffic yet';
  if (context.weightPercent >= 100) return 'all traffic is on the new version: nothing to compare it with';
  return undefined;
}

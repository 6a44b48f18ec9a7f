import type { AliasMetricsRef, MetricsGateway, VersionSeries } from '../../aws/metrics-gateway.js';
import type { AnalysisThresholds } from '../../core/analysis.js';
import { formatDuration } from '../../core/duration.js';
import type { PreflightFindings } from '../../core/findings.js';
import type { Clock } from '../../core/clock.js';
import type { Strategy } from '../../core/schedule.js';
import type { BakeCheck, CheckContext, DataDelay, ShiftingVersions, Verdict } from '../checks.js';
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
import { describeVersions, formatCount } from './numbers.js';
import { ruleNames, rulesFor, type LatencyThresholds } from './rules.js';
import {
  describeWindow,
  forecastFindings,
  MIN_BASELINE_CALLS,
  readTrafficBefore,
  type TrafficBefore,
  type TrafficRead
} from './traffic.js';
import type { AnalysisOutcome, AnalysisSink, Metric, VersionComparison, VersionNumbers } from './types.js';

const CHECK_NAME = 'analysis';

/** What the check reads of the function itself, once. */
export interface AnalysedFunction {
  /** The version the alias serves and its Timeout in seconds; undefined when the alias does not exist yet. */
  live(signal?: AbortSignal): Promise<{ readonly version: string; readonly timeoutSeconds: number } | undefined>;
  /** The Timeout the new version will have, in seconds. */
  newTimeoutSeconds(signal?: AbortSignal): Promise<number>;
}

/** Everything one function's analysis needs. */
export interface AnalysisCheckOptions {
  readonly gateway: MetricsGateway;
  readonly alias: AliasMetricsRef;
  readonly thresholds: AnalysisThresholds;
  readonly fn: AnalysedFunction;
  /**
   * What the analysis judges: a deployment's weighted steps (its preflight forecasts their traffic),
   * or the promotion of a hold (the hold's window and the steps after it, which no forecast needs:
   * the hold has been taking traffic, and CloudWatch kept it).
   */
  readonly rollout: { readonly kind: 'deployment'; readonly strategy: Strategy } | { readonly kind: 'promotion' };
  /** The time, for the preflight's read of the traffic before the rollout. */
  readonly clock: Pick<Clock, 'now'>;
  /** How many functions the rollout analyses: they share its false-rollback budget. */
  readonly functions: number;
  /** `max-bake-extension` and the poll interval: a step's hold must be able to wait for its last minute. */
  readonly maxBakeExtensionMs: number;
  readonly pollIntervalMs: number;
  /** Where each analysis goes, for the summary. */
  readonly sink?: AnalysisSink;
  /** The triggers that call the function without the alias (the trigger audit's), to name when no call comes through it. */
  readonly bypassing?: (signal?: AbortSignal) => Promise<readonly string[]>;
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
  /** The alias's traffic before the rollout, as the preflight read it. */
  private traffic?: TrafficBefore;
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

  /**
   * Before anything changes: the function's time limits (is max-bake-extension long enough to wait
   * for a step's last minute?), then one read of the alias's traffic over the hour before, which
   * forecasts whether the rollout can gather the calls it needs (refused when it more likely cannot)
   * and gives the latency baseline.
   */
  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    const live = await this.options.fn.live(signal);
    if (live === undefined) {
      return {
        problems: [],
        warnings: [
          `${this.subject} does not exist yet: this first deployment creates the alias on the new version at once, with no ` +
            'previous version to share the traffic with, so the per-version analysis judges nothing this time (min-invocations ' +
            'included); the next deployment is judged'
        ]
      };
    }
    const facts = (this.facts = await this.readFacts(signal, live.timeoutSeconds));
    const problems = this.extensionProblem(facts);
    if (problems.length > 0) return { problems, warnings: [] };
    const { rollout } = this.options;
    if (rollout.kind === 'promotion') return { problems: [], warnings: [] };
    const traffic = (this.traffic = await readTrafficBefore(
      this.trafficRead(facts),
      live.version,
      this.options.clock.now(),
      undefined,
      signal
    ));
    if (traffic.calls === 0) return { problems: [], warnings: [await this.noTrafficWarning(traffic, signal)] };
    const baseline = this.baselineProblem(traffic);
    if (baseline) {
      return {
        problems: [`${baseline}; give max-p99-duration (a fixed limit) instead, or deploy when the alias is busier`],
        warnings: []
      };
    }
    return forecastFindings(traffic, {
      subject: this.subject,
      strategy: rollout.strategy,
      maxBakeExtensionMs: this.options.maxBakeExtensionMs,
      completionDelayMs: facts.completionDelayMs,
      minimum: this.minimum,
      comparative: ruleNames(this.options.thresholds).some((rule) => rule.endsWith('-increase'))
    });
  }

  /** No call through the alias before the rollout: nothing to forecast from. Whether it ever had calls decides the words. */
  private async noTrafficWarning(traffic: TrafficBefore, signal?: AbortSignal): Promise<string> {
    const { gateway, alias, maxBakeExtensionMs } = this.options;
    const held =
      `the first step is held up to max-bake-extension (${formatDuration(maxBakeExtensionMs)}) past its end, then the ` +
      'rollout stops for want of calls and the alias goes back to the previous version';
    if (!(await gateway.aliasHasMetrics(alias, signal))) {
      const culprits = (await this.options.bypassing?.(signal).catch(() => [])) ?? [];
      const callers =
        culprits.length > 0
          ? `these call it without the alias: ${culprits.join('; ')}`
          : 'docs/troubleshooting.md lists the callers to point at the alias';
      return (
        `CloudWatch has no metrics of calls through ${this.subject} (ListMetrics, the last two weeks): the function seems not ` +
        "to be invoked through the alias. Shifting the alias's weights then moves no traffic and the per-version analysis " +
        `sees no calls: ${held}; ${callers}`
      );
    }
    return (
      `${this.subject} served no calls ${describeWindow(traffic)}, though CloudWatch has metrics of earlier calls through ` +
      'it: the traffic forecast has nothing to go on. The per-version analysis holds each step for calls of the new version ' +
      `(it never promotes without them): if none come, ${held}`
    );
  }

  /** Why `max-p99-duration-increase` has no threshold from these calls; undefined when it has one (or is not used). */
  private baselineProblem(traffic: TrafficBefore): string | undefined {
    if (this.options.thresholds.maxP99DurationIncrease === undefined) return undefined;
    const p99 = baselineP99(traffic);
    return typeof p99 === 'number' ? undefined : `${p99.problem(this.subject)}`;
  }

  /**
   * Each step waits, after its bake, for its last minute of metrics: up to a minute for that minute
   * to end (half of one on average), then the function's timeout and CloudWatch's allowance.
   */
  dataDelay(): DataDelay | undefined {
    const { facts, periodMs } = this;
    if (!facts) return undefined;
    const cloudwatch = facts.completionDelayMs - facts.timeoutSeconds * 1000;
    return {
      periodMs,
      completeAfterMs: facts.completionDelayMs,
      what:
        `the analysis's last minute of metrics (up to ${formatDuration(periodMs)} for the minute to end, the function's ` +
        `${formatDuration(facts.timeoutSeconds * 1000)} timeout, ${formatDuration(cloudwatch)} for CloudWatch)`
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
  private async readFacts(signal?: AbortSignal, liveTimeoutSeconds?: number): Promise<Facts> {
    const { fn } = this.options;
    const [live, next] = await Promise.all([
      liveTimeoutSeconds ?? fn.live(signal).then((found) => found?.timeoutSeconds),
      fn.newTimeoutSeconds(signal)
    ]);
    const timeoutSeconds = Math.max(live ?? 0, next);
    return { timeoutSeconds, completionDelayMs: completionDelayMs(timeoutSeconds, this.periodMs) };
  }

  private trafficRead(facts: Facts): TrafficRead {
    const { gateway, alias, thresholds } = this.options;
    return { gateway, alias, periodSeconds: thresholds.periodSeconds, completionDelayMs: facts.completionDelayMs };
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
   * previous version's p99 over the hour before the rollout (one period spanning it, so that the
   * percentile is over all its calls): the preflight's read of it when that had the calls, else
   * one read of the hour before the first shift.
   */
  private async readBaseline(versions: ShiftingVersions, now: number, facts: Facts, signal?: AbortSignal): Promise<Baseline> {
    const { maxP99DurationMs, maxP99DurationIncrease } = this.options.thresholds;
    const maxMs = maxP99DurationMs !== undefined ? { ms: maxP99DurationMs, index: 0 } : undefined;
    const rulesWith = (latency: LatencyThresholds): Baseline => {
      this.judge.use(rulesFor(this.options.thresholds, latency));
      return { latency };
    };
    if (maxP99DurationIncrease === undefined) return rulesWith(maxMs ? { maxMs } : {});
    const reusable = this.traffic?.version === versions.previous && typeof baselineP99(this.traffic) === 'number';
    const traffic =
      reusable && this.traffic
        ? this.traffic
        : await readTrafficBefore(this.trafficRead(facts), versions.previous, now, this.firstShiftAt, signal);
    const p99 = baselineP99(traffic);
    // The other rules judge on; this one holds every step, and says why.
    if (typeof p99 !== 'number') return { ...rulesWith(maxMs ? { maxMs } : {}), problem: p99.problem(this.subject) };
    return rulesWith({
      ...(maxMs ? { maxMs } : {}),
      increaseMs: { ms: p99 * (1 + maxP99DurationIncrease), index: maxMs ? 1 : 0, baselineP99Ms: p99 }
    });
  }

  private get subject(): string {
    return `${this.options.alias.functionName}:${this.options.alias.alias}`;
  }
}

/** The previous version's p99 before the rollout, or why it has none worth judging by. */
function baselineP99(traffic: TrafficBefore): number | { problem: (subject: string) => string } {
  if (traffic.versionCalls >= MIN_BASELINE_CALLS && traffic.p99Ms !== undefined) return traffic.p99Ms;
  const why =
    traffic.versionCalls < MIN_BASELINE_CALLS
      ? `too few for its p99 (${MIN_BASELINE_CALLS} at least)`
      : 'and CloudWatch gave no p99 of their Duration';
  return {
    problem: (subject) =>
      `version ${traffic.version} served ${formatCount(traffic.versionCalls, 'call')} through ${subject} ${describeWindow(traffic)}, ` +
      `${why}: max-p99-duration-increase has no threshold to judge the new version by, and would hold every step until ` +
      'the rollout stops for want of data'
  };
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

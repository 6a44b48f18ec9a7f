import type { AliasMetricsRef, MetricsGateway } from '../../aws/metrics-gateway.js';
import type { AnalysisThresholds } from '../../core/analysis.js';
import { NO_FINDINGS, type PreflightFindings } from '../../core/findings.js';
import type { BakeCheck, CheckContext, ShiftingVersions, Verdict, VersionComparison, VersionNumbers } from '../checks.js';
import { judge, type Judgement } from './judge.js';
import { formatErrorRate, formatMs } from './numbers.js';
import { lastPeriodArrived, periodStart, summarise, type VersionWindow } from './window.js';

const CHECK_NAME = 'analysis';

/**
 * Per-version analysis as a bake check: while both versions take traffic through the alias (a
 * weighted step), it reads both versions' metrics over the current step (one GetMetricData call per
 * poll) and judges the new version against the previous one. Not enough data holds the step (the
 * bake extends it, within `max-bake-extension`); `failed-checks-limit` failed analyses in a row
 * roll back, fewer hold the step too. A read that throws is the bake loop's check error, not a
 * failed analysis.
 */
export class AnalysisCheck implements BakeCheck {
  readonly name = CHECK_NAME;
  /** Failed analyses in a row, each on data the previous one had not seen. */
  private failuresInRow = 0;
  /** The numbers of the last failed analysis: the same data read again is not a new analysis. */
  private lastFailedNumbers?: string;

  constructor(
    private readonly gateway: MetricsGateway,
    private readonly alias: AliasMetricsRef,
    private readonly thresholds: AnalysisThresholds,
    /** The triggers that call the function without the alias (the trigger audit's), to name when no call comes through it. */
    private readonly bypassing?: (signal?: AbortSignal) => Promise<readonly string[]>
  ) {}

  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    if (await this.gateway.aliasHasMetrics(this.alias, signal)) return NO_FINDINGS;
    const consequence =
      this.thresholds.minInvocations !== undefined
        ? ', and with min-invocations set the rollout will stop for want of calls'
        : ', so it can pass a version that served nothing';
    const culprits = (await this.bypassing?.(signal).catch(() => [])) ?? [];
    const callers =
      culprits.length > 0
        ? `; these call it without the alias: ${culprits.join('; ')}`
        : '; docs/troubleshooting.md lists the callers to point at the alias';
    return {
      problems: [],
      warnings: [
        `CloudWatch has no metrics of calls through ${this.subject} (ListMetrics, the last two weeks): the function ` +
          `seems not to be invoked through the alias. Shifting the alias's weights then moves no traffic and the ` +
          `per-version analysis sees no calls${consequence}${callers}`
      ]
    };
  }

  async evaluate(context: CheckContext): Promise<Verdict> {
    const versions = context.versions?.find((v) => v.functionName === this.alias.functionName && v.alias === this.alias.alias);
    const skipped = whyNotJudged(context, versions);
    if (skipped !== undefined || !versions || context.stepStartedAt === undefined) {
      return {
        kind: 'healthy',
        observations: [{ check: CHECK_NAME, subject: this.subject, state: 'not judged', detail: skipped }]
      };
    }
    const comparison = await this.compare(context, versions, context.stepStartedAt);
    return this.verdictOf(comparison.judgement, comparison.metrics);
  }

  /** One read of both versions over the step so far, and its judgement. */
  private async compare(
    context: CheckContext,
    versions: ShiftingVersions,
    stepStartedAt: number
  ): Promise<{ judgement: Judgement; metrics: VersionComparison }> {
    const { periodSeconds } = this.thresholds;
    const periodMs = periodSeconds * 1000;
    const startMs = periodStart(stepStartedAt, periodMs);
    const endMs = Math.max(startMs, periodStart(context.now - 1, periodMs)) + periodMs;
    const series = await this.gateway.versionMetrics(
      { ...this.alias, versions: [versions.target, versions.previous], startMs, endMs, periodSeconds },
      context.signal
    );
    const windowOf = (version: string): VersionWindow =>
      summarise(series.find((s) => s.version === version) ?? { version, periods: [] });
    const target = windowOf(versions.target);
    const previous = windowOf(versions.previous);
    const ended = context.stepEndsAt !== undefined && context.now >= context.stepEndsAt;
    const judgement = judge({
      thresholds: this.thresholds,
      target,
      previous,
      waitingForLastPeriod:
        ended && !lastPeriodArrived({ previous, stepEndsAt: context.stepEndsAt!, periodMs, now: context.now }),
      final: ended
    });
    const latest = Math.max(target.latestPeriodMs ?? -Infinity, previous.latestPeriodMs ?? -Infinity);
    return {
      judgement,
      metrics: {
        functionName: this.alias.functionName,
        alias: this.alias.alias,
        weightPercent: context.weightPercent,
        stepStartedAt,
        windowStartMs: startMs,
        windowEndMs: Number.isFinite(latest) ? latest + periodMs : startMs,
        target: numbersOf(target),
        previous: numbersOf(previous),
        outcome: judgement.outcome,
        decidedBy: judgement.decidedBy
      }
    };
  }

  /** A judgement as the bake loop reads it: failures count up to `failed-checks-limit` before they roll back. */
  private verdictOf(judgement: Judgement, metrics: VersionComparison): Verdict {
    const observations = [
      { check: CHECK_NAME, subject: this.subject, state: stateOf(metrics), detail: judgement.reason, metrics }
    ];
    if (judgement.outcome === 'pass') {
      this.failuresInRow = 0;
      this.lastFailedNumbers = undefined;
      return { kind: 'healthy', observations };
    }
    const reason = `per-version analysis of ${this.subject} (version ${metrics.target.version} against ${metrics.previous.version}, ${judgement.decidedBy}): ${judgement.reason}`;
    if (judgement.outcome === 'not-enough-data') return { kind: 'inconclusive', reason, observations };
    const numbers = JSON.stringify([metrics.target, metrics.previous]);
    if (numbers !== this.lastFailedNumbers) this.failuresInRow += 1;
    this.lastFailedNumbers = numbers;
    const limit = this.thresholds.failedChecksLimit;
    if (this.failuresInRow >= limit) return { kind: 'unhealthy', reason, observations };
    return {
      kind: 'inconclusive',
      reason: `failed analysis ${this.failuresInRow} of the ${limit} in a row that roll back (failed-checks-limit): ${reason}`,
      observations
    };
  }

  private get subject(): string {
    return `${this.alias.functionName}:${this.alias.alias}`;
  }
}

/** Why there is nothing to judge now; undefined when there is. */
function whyNotJudged(context: CheckContext, versions: ShiftingVersions | undefined): string | undefined {
  if (!versions) return 'no previous version to compare the new one with';
  if (context.stepStartedAt === undefined) return 'not within a step';
  if (context.weightPercent <= 0) return 'the new version has no traffic yet';
  if (context.weightPercent >= 100) return 'all traffic is on the new version: nothing to compare it with';
  return undefined;
}

/** The numbers the summary shows of a version (its window without the bookkeeping). */
function numbersOf(window: VersionWindow): VersionNumbers {
  const { version, invocations, errors, p99Ms } = window;
  return { version, invocations, errors, ...(p99Ms !== undefined ? { p99Ms } : {}) };
}

/** `pass (new 2: 1/52 errors (1.9 %), p99 80 ms; previous 1: …)`, `not enough data [min-invocations] (…)`: for the log and the checks table. */
function stateOf(metrics: VersionComparison): string {
  const word = { pass: 'pass', fail: `FAIL [${metrics.decidedBy}]`, 'not-enough-data': `not enough data [${metrics.decidedBy}]` }[
    metrics.outcome
  ];
  const side = (label: string, n: VersionNumbers): string =>
    `${label} ${n.version}: ${n.errors}/${n.invocations} errors (${formatErrorRate(n)})${n.p99Ms !== undefined ? `, p99 ${formatMs(n.p99Ms)}` : ''}`;
  return `${word} (${side('new', metrics.target)}; ${side('previous', metrics.previous)})`;
}

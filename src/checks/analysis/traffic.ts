import type { AliasMetricsRef, MetricsGateway } from '../../aws/metrics-gateway.js';
import { formatDuration } from '../../core/duration.js';
import type { PreflightFindings } from '../../core/findings.js';
import type { Strategy } from '../../core/schedule.js';
import { forecastCalls, REFUSE_BELOW, WARN_BELOW, type Forecast, type Need } from './forecast.js';
import { DEFAULT_MIN_CALLS, type CallMinimum } from './judge.js';
import { lastCompletePeriod, periodStart } from './minutes.js';
import { clockTime, formatCount, formatNumber, formatPercent } from './numbers.js';

/**
 * The alias's traffic before the rollout: one read over the hour of complete minutes before it,
 * which gives both the traffic forecast (the preflight) and the previous version's p99 for
 * `max-p99-duration-increase` (the latency baseline).
 */

/** The window is the hour before the rollout. */
export const BASELINE_MS = 60 * 60_000;
/**
 * With an emulator's periods shorter than a minute, this many of them: a window CloudWatch starts on
 * any second (one of a minute or more starts on a minute).
 */
const EMULATED_BASELINE_PERIODS = 30;
/** Calls the baseline needs for its p99 to mean something (with fewer, it is one of the slowest few calls). */
export const MIN_BASELINE_CALLS = 100;

/** What one read of the alias's traffic before the rollout found. */
export interface TrafficBefore {
  readonly startMs: number;
  readonly endMs: number;
  /** Every call through the alias in the window, whichever version served it. */
  readonly calls: number;
  /** The version the alias served, with its own calls and their p99. */
  readonly version: string;
  readonly versionCalls: number;
  readonly p99Ms?: number;
}

/** Where the traffic is read, and how a minute's completeness is reckoned. */
export interface TrafficRead {
  readonly gateway: MetricsGateway;
  readonly alias: AliasMetricsRef;
  readonly periodSeconds: number;
  readonly completionDelayMs: number;
}

/**
 * One read of the window before `now`: its complete minutes, and never past the minute the first
 * shift fell in (when it is known), so that no call of the rollout counts.
 */
export async function readTrafficBefore(
  read: TrafficRead,
  version: string,
  now: number,
  firstShiftAt: number | undefined,
  signal?: AbortSignal
): Promise<TrafficBefore> {
  const periodMs = read.periodSeconds * 1000;
  const lastComplete = lastCompletePeriod(now, periodMs, read.completionDelayMs) + periodMs;
  const endMs = firstShiftAt === undefined ? lastComplete : Math.min(periodStart(firstShiftAt, periodMs), lastComplete);
  const startMs = endMs - (periodMs >= 60_000 ? BASELINE_MS : EMULATED_BASELINE_PERIODS * periodMs);
  const traffic = await read.gateway.aliasTraffic(
    { ...read.alias, version, startMs, endMs, periodSeconds: read.periodSeconds },
    signal
  );
  return {
    startMs,
    endMs,
    calls: traffic.calls,
    version,
    versionCalls: traffic.version.calls,
    ...(traffic.version.p99Ms !== undefined ? { p99Ms: traffic.version.p99Ms } : {})
  };
}

/** `version 1 served 40 calls in the 1h before (10:00:00–11:00:00 UTC)`. */
export function describeWindow(traffic: Pick<TrafficBefore, 'startMs' | 'endMs'>): string {
  return `in the ${formatDuration(traffic.endMs - traffic.startMs)} before (${clockTime(traffic.startMs)}–${clockTime(traffic.endMs)} UTC)`;
}

/** What the forecast is judged with. */
export interface ForecastSettings {
  /** `function:alias`, as messages name it. */
  readonly subject: string;
  readonly strategy: Strategy;
  readonly maxBakeExtensionMs: number;
  readonly completionDelayMs: number;
  readonly minimum: CallMinimum;
  readonly comparative: boolean;
}

/**
 * The preflight's verdict on the traffic: a refusal when the rollout would more likely stop for want
 * of data than not (a chance below {@link REFUSE_BELOW}), a warning when it might (below
 * {@link WARN_BELOW}), nothing otherwise. Each names the weakest step, its expected calls and the
 * ways out.
 */
export function forecastFindings(traffic: TrafficBefore, settings: ForecastSettings): PreflightFindings {
  const callsPerMs = traffic.calls / (traffic.endMs - traffic.startMs);
  const forecast = forecastCalls({
    callsPerMs,
    steps: settings.strategy.steps,
    maxBakeExtensionMs: settings.maxBakeExtensionMs,
    completionDelayMs: settings.completionDelayMs,
    minimum: settings.minimum,
    comparative: settings.comparative
  });
  if (forecast.chance >= WARN_BELOW) return { problems: [], warnings: [] };
  const story =
    `${settings.subject} served ${formatCount(traffic.calls, 'call')} ${describeWindow(traffic)}, ` +
    `${formatRate(callsPerMs)}: ${describeNeed(forecast, settings)}`;
  if (forecast.chance < REFUSE_BELOW) {
    return {
      problems: [
        `the traffic forecast says the per-version analysis would stop this rollout for want of data, before it could ` +
          `promote: ${story}. Nothing was changed. ${waysOut(settings.minimum)}`
      ],
      warnings: []
    };
  }
  return {
    problems: [],
    warnings: [
      `the traffic forecast gives this rollout a chance of ${formatChance(forecast.chance)} to gather the calls the per-version ` +
        `analysis needs, and otherwise it stops for want of data and rolls back: ${story}. ${waysOut(settings.minimum)}`
    ]
  };
}

/** The weakest need, with its figures. */
function describeNeed(forecast: Forecast, settings: ForecastSettings): string {
  const need: Need = forecast.weakest;
  const { strategy, minimum } = settings;
  const chance = `a chance of ${formatChance(need.chance)}`;
  const extension = `max-bake-extension ${formatDuration(settings.maxBakeExtensionMs)}`;
  const delay = `less the ${formatDuration(settings.completionDelayMs)} until a minute's metrics are complete`;
  if (need.step === undefined) {
    return (
      `${strategy.name} would give the new version about ${formatExpected(need.expected)} across the rollout by the end of ` +
      `the last step's ${extension} (${delay}), against the ${formatCount(need.needed, 'call')} the promotion needs ` +
      `(min-invocations is not set: ${formatNumber(need.needed)} across the rollout): ${chance}`
    );
  }
  const step = strategy.steps[need.step - 1]!;
  const share = need.version === 'new' ? step.weightPercent : 100 - step.weightPercent;
  const against =
    need.version === 'previous'
      ? 'the 1 call a comparison needs on the previous version in each step'
      : minimum.kind === 'per-step'
        ? `the ${formatCount(need.needed, 'call')} min-invocations asks of each step`
        : `the ${formatCount(need.needed, 'call')} each step needs`;
  return (
    `${strategy.name} would give the ${need.version === 'new' ? 'new' : 'previous'} version about ` +
    `${formatExpected(need.expected)} in step ${need.step} of ${strategy.steps.length} (${share} % of the traffic for its ` +
    `${formatDuration(step.bakeMs)} bake and ${extension}, ${delay}), against ${against}: ${chance}`
  );
}

/** What the user can change before deploying again. */
function waysOut(minimum: CallMinimum): string {
  const common = 'longer steps or larger weights, or a longer max-bake-extension';
  return minimum.kind === 'per-step'
    ? `Ways out: ${common}; a lower min-invocations, or none (then 1 call per step and ${formatNumber(DEFAULT_MIN_CALLS)} across the ` +
        'rollout); fewer calls detect less (docs/analysis-method.md, operating characteristics).'
    : `Ways out: ${common}; or min-invocations below ${formatNumber(minimum.calls)} (it then applies to each step); fewer ` +
        'calls detect less (docs/analysis-method.md, operating characteristics).';
}

/** `about 14 calls`, `about 0.4 calls`. */
function formatExpected(calls: number): string {
  return calls >= 10 ? `${formatNumber(calls)} calls` : `${Number(calls.toPrecision(2))} calls`;
}

/** `0.2 calls a second`, `12 calls a second`. */
function formatRate(callsPerMs: number): string {
  const perSecond = callsPerMs * 1000;
  return `${perSecond >= 10 ? formatNumber(perSecond) : Number(perSecond.toPrecision(2))} calls a second`;
}

/** `72.4 %`; `under 0.1 %` and `over 99.9 %` at the ends, where a rounded figure would read as certain. */
function formatChance(chance: number): string {
  if (chance < 0.001) return 'under 0.1 %';
  if (chance > 0.999) return 'over 99.9 %';
  return formatPercent(chance);
}

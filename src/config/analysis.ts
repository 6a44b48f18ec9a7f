import { LAMBDA_METRIC_PERIOD_SECONDS, type AnalysisThresholds } from '../core/analysis.js';
import { formatDuration, parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import type { Env } from '../core/run-context.js';
import type { Strategy } from '../core/schedule.js';
import { Inputs, type InputName } from './keys.js';

/**
 * The per-version analysis inputs (pure). Analysis is on when any threshold or `min-invocations`
 * is given; then the strategy must have weighted steps at least one metric period long, and
 * `max-bake-extension` must leave time for the last period's metrics to arrive.
 */

/**
 * Emulators only: seconds per metric period instead of Lambda's 60, so that tests and the demo need
 * not wait minutes. Honoured only while AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_CLOUDWATCH points the
 * SDK elsewhere; against AWS it is refused, since Lambda's metrics have one-minute resolution.
 */
export const METRICS_PERIOD_VARIABLE = 'LSD_METRICS_PERIOD_SECONDS';

/** The periods CloudWatch accepts below a minute (high resolution), and the minute. */
const PERIODS_SECONDS = [1, 5, 10, 30, 60] as const;

/**
 * A step's last period is complete after the period itself, the function's timeout and two periods
 * for CloudWatch: the extension must cover that (the preflight checks it against the real timeout).
 */
const MIN_EXTENSION_PERIODS = 3;

const THRESHOLD_INPUTS = [
  Inputs.MaxErrorRate,
  Inputs.MaxErrorRateIncrease,
  Inputs.MaxP99Duration,
  Inputs.MaxP99DurationIncrease,
  Inputs.MinInvocations
] as const;

/** What the analysis inputs are parsed against. */
export interface AnalysisContext {
  /** An input's trimmed value, or its default when empty. */
  readonly read: (name: InputName) => string;
  readonly env: Env;
  /** The deployment's strategy, whose steps must suit the analysis; undefined: a promotion's (from the hold's record). */
  readonly strategy?: Strategy;
  readonly maxBakeExtensionMs: number;
}

/** The analysis's thresholds, or undefined when no analysis input is given (behaviour as without analysis). */
export function parseAnalysis({ read, env, strategy, maxBakeExtensionMs }: AnalysisContext): AnalysisThresholds | undefined {
  const given = THRESHOLD_INPUTS.filter((name) => read(name) !== '');
  const failedChecksLimit = parseCount(Inputs.FailedChecksLimit, read(Inputs.FailedChecksLimit), 100);
  if (given.length === 0) return undefined;
  const thresholds: AnalysisThresholds = {
    ...optional('maxErrorRate', parseRate(Inputs.MaxErrorRate, read(Inputs.MaxErrorRate))),
    ...optional('maxErrorRateIncrease', parseRate(Inputs.MaxErrorRateIncrease, read(Inputs.MaxErrorRateIncrease))),
    ...optional('maxP99DurationMs', parseP99(read(Inputs.MaxP99Duration))),
    ...optional('maxP99DurationIncrease', parseIncrease(read(Inputs.MaxP99DurationIncrease))),
    ...optional(
      'minInvocations',
      read(Inputs.MinInvocations) ? parseCount(Inputs.MinInvocations, read(Inputs.MinInvocations), 1_000_000) : undefined
    ),
    failedChecksLimit,
    periodSeconds: metricPeriodSeconds(env)
  };
  if (strategy) checkSchedule(strategy, thresholds.periodSeconds, given);
  checkExtension(read(Inputs.MaxBakeExtension), maxBakeExtensionMs, thresholds.periodSeconds);
  return thresholds;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const PERCENT = /^(\d{1,4}(?:\.\d{1,2})?)\s*%$/;

/** `1%`, `0.5%`: a share of calls above 0 and below 100 %. */
function parseRate(name: InputName, value: string): number | undefined {
  if (value === '') return undefined;
  const percent = Number(PERCENT.exec(value)?.[1] ?? NaN);
  if (!(percent > 0 && percent < 100)) {
    throw new InputError(
      name,
      value,
      'it is not a percentage above 0 and below 100',
      'a percentage with up to two decimals, such as 1% or 0.5%'
    );
  }
  return percent / 100;
}

/** `25%`: how much slower than the previous version's p99 the new one's may be. */
function parseIncrease(value: string): number | undefined {
  if (value === '') return undefined;
  const percent = Number(PERCENT.exec(value)?.[1] ?? NaN);
  if (!(percent > 0 && percent <= 1000)) {
    throw new InputError(
      Inputs.MaxP99DurationIncrease,
      value,
      'it is not a percentage above 0 and at most 1000',
      "a percentage of the previous version's p99 with up to two decimals, such as 25% or 100%"
    );
  }
  return percent / 100;
}

/** `800ms`, `2s`: up to Lambda's longest timeout. */
function parseP99(value: string): number | undefined {
  if (value === '') return undefined;
  return parseDuration(value, Inputs.MaxP99Duration, { min: 1, max: 15 * 60_000 });
}

function parseCount(name: InputName, value: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new InputError(name, value, 'it is not a whole number in range', `a whole number from 1 to ${max}`);
  }
  return Number(value);
}

/** 60 against AWS; against an emulator, `LSD_METRICS_PERIOD_SECONDS` may shorten it. */
function metricPeriodSeconds(env: Env): number {
  const value = env[METRICS_PERIOD_VARIABLE]?.trim();
  if (!value) return LAMBDA_METRIC_PERIOD_SECONDS;
  const name = `${METRICS_PERIOD_VARIABLE} (environment variable)`;
  const emulated = [env.AWS_ENDPOINT_URL, env.AWS_ENDPOINT_URL_CLOUDWATCH].some((url) => url?.trim());
  if (!emulated) {
    throw new InputError(
      name,
      value,
      "it is honoured only against an AWS emulator (AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_CLOUDWATCH set): Lambda's metrics have one-minute resolution",
      'the variable unset when deploying to AWS'
    );
  }
  const seconds = PERIODS_SECONDS.find((period) => String(period) === value);
  if (seconds === undefined) throw new InputError(name, value, 'it is not a CloudWatch period', PERIODS_SECONDS.join(', '));
  return seconds;
}

/** Analysis compares the two versions while both take traffic: it needs weighted steps, each a period or longer. */
function checkSchedule(strategy: Strategy, periodSeconds: number, given: readonly InputName[]): void {
  const period = formatDuration(periodSeconds * 1000);
  const why = `the per-version analysis (${given.join(', ')}) judges the new version on Lambda's metrics, one datapoint per ${period}`;
  // A hold is judged too (by the promotion, over the hold's window), so a step list may hold at once.
  if (strategy.steps.length === 0 && !strategy.hold) {
    throw new InputError(
      Inputs.Strategy,
      strategy.name,
      `${why}, while both versions share the alias, and ${strategy.name} has no such step`,
      'a canary, linear or step-list strategy such as Canary10Percent5Minutes, or no analysis inputs'
    );
  }
  const short = [...strategy.steps, ...(strategy.hold?.then ?? [])].find((step) => step.bakeMs < periodSeconds * 1000);
  if (short) {
    throw new InputError(
      Inputs.Strategy,
      strategy.name,
      `${why}, and a step of ${formatDuration(short.bakeMs)} would end before its first ${period} of calls is complete`,
      `steps of at least ${period} each, such as Canary10Percent5Minutes or Linear10PercentEvery1Minute`
    );
  }
}

/** A step's final judgement waits for its last period's metrics: the extension must leave time for them. */
function checkExtension(value: string, maxBakeExtensionMs: number, periodSeconds: number): void {
  const needed = MIN_EXTENSION_PERIODS * periodSeconds * 1000;
  if (maxBakeExtensionMs >= needed) return;
  throw new InputError(
    Inputs.MaxBakeExtension,
    value,
    "with per-version analysis a step's final judgement waits for its last period of metrics to be complete: the period itself, the function's timeout (Lambda reports a call once it ends) and two periods for CloudWatch",
    `at least ${formatDuration(needed)}`
  );
}

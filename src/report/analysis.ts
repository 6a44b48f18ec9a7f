import { formatErrorRate, formatMs } from '../checks/analysis/numbers.js';
import type { AnalysisOutcome, AnalysisPoint, VersionNumbers } from '../checks/analysis/types.js';
import { escapeForSummary } from './text.js';

/**
 * The per-version analysis in the job summary: per step, both versions' calls, errors and p99 with
 * the verdict and what decided; then a Mermaid chart of the metric that decided (both versions'
 * error rates over the rollout's judged minutes, or their p99 over each step with the latency
 * limit) and a chart of the weight on the new version, on its own axis. Pure; numbers and fixed
 * words only in the charts.
 */

/** Points the charts show at most (evenly picked, the last one always). */
const MAX_CHART_POINTS = 40;
const CELL_CHARS = 100;
/** Red for the new version, blue for the previous one, grey for a limit or the weight (GitHub's palette). */
const VERSION_COLOURS = '#d1242f, #0969da, #8c959f';
const WEIGHT_COLOUR = '#8c959f';

const VERDICTS: Record<AnalysisOutcome, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  'not-enough-data': '⏳ not enough data'
};

/** The section, one table and charts per alias; empty without analyses. */
export function analysisSection(points: readonly AnalysisPoint[] | undefined, startedAtMs: number): string {
  if (!points || points.length === 0) return '';
  const byAlias = new Map<string, AnalysisPoint[]>();
  for (const point of points) {
    const key = `${point.functionName}:${point.alias}`;
    byAlias.set(key, [...(byAlias.get(key) ?? []), point]);
  }
  const several = byAlias.size > 1;
  return [...byAlias.entries()]
    .map(([alias, series]) =>
      [
        `### Per-version analysis${several ? `: ${escapeForSummary(alias, CELL_CHARS)}` : ''}`,
        stepsTable(series),
        charts(series, startedAtMs)
      ]
        .filter((part) => part !== '')
        .join('\n\n')
    )
    .join('\n\n');
}

/** The last analysis of each step: what the step was judged on. */
export function lastOfEachStep(series: readonly AnalysisPoint[]): AnalysisPoint[] {
  const last = new Map<number, AnalysisPoint>();
  for (const point of series) last.set(point.stepStartedAt, point);
  return [...last.values()];
}

function stepsTable(series: readonly AnalysisPoint[]): string {
  const steps = lastOfEachStep(series);
  const { target, previous } = steps.at(-1)!;
  const v = (version: string): string => escapeForSummary(version, CELL_CHARS);
  const intro =
    `New version ${v(target.version)} against the previous version ${v(previous.version)}, over each step's ` +
    'complete minutes: from the start of the minute the step began in to the end of the last one judged. ' +
    'The p99 is CloudWatch’s, over that whole window.';
  const rows = steps.map((point, index) => {
    const cells = [
      String(index + 1),
      `${point.weightPercent}%`,
      `${clockTime(point.windowStartMs)}–${clockTime(point.windowEndMs)}`,
      ...versionCells(point.target),
      ...versionCells(point.previous),
      VERDICTS[point.outcome],
      escapeForSummary(point.decidedBy, CELL_CHARS)
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return [
    intro,
    '',
    `| Step | Weight | Window (UTC) | Calls, v${v(target.version)} | Errors, v${v(target.version)} | p99, v${v(target.version)} | ` +
      `Calls, v${v(previous.version)} | Errors, v${v(previous.version)} | p99, v${v(previous.version)} | Verdict | Decided by |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows
  ].join('\n');
}

function versionCells(numbers: VersionNumbers): string[] {
  const errors = numbers.invocations > 0 ? `${numbers.errors} (${formatErrorRate(numbers)})` : '0';
  return [String(numbers.invocations), errors, numbers.p99Ms !== undefined ? formatMs(numbers.p99Ms) : '–'];
}

/** `10:41:07`: the period boundaries, to the second, in UTC. */
function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** The chart of the metric that decided, then the weight's. */
function charts(series: readonly AnalysisPoint[], startedAtMs: number): string {
  // Categories must differ, or Mermaid draws two points in one place: keep the later of equal labels.
  const labelled = series.map((point) => ({ point, label: elapsed(point.atMs - startedAtMs) }));
  const unique = labelled.filter((entry, i) => labelled[i + 1]?.label !== entry.label);
  if (unique.length < 2) return '';
  const picked = pick(unique, MAX_CHART_POINTS);
  const points = picked.map((entry) => entry.point);
  const axis = `  x-axis "time since the deployment started" [${picked.map((entry) => `"${entry.label}"`).join(', ')}]`;
  const last = points.at(-1)!;
  const label = (version: string): string => (/^\d{1,10}$/.test(version) ? `version ${version}` : 'the version');
  const versions = `Red: ${label(last.target.version)} (new) · blue: ${label(last.previous.version)} (previous)`;
  const metric =
    last.metric === 'latency' && points.some((p) => p.target.p99Ms !== undefined) ? latencyChart(points) : errorChart(points);
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${VERSION_COLOURS}"}}}}%%`,
    'xychart-beta',
    `  title "${metric.title}"`,
    axis,
    `  y-axis "${metric.unit}" 0 --> ${metric.top}`,
    ...metric.lines.map((values) => `  line ${numbers(values)}`),
    '```',
    '',
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${WEIGHT_COLOUR}"}}}}%%`,
    'xychart-beta',
    '  title "Weight on the new version (%)"',
    axis,
    '  y-axis "weight (%)" 0 --> 100',
    `  bar ${numbers(points.map((p) => p.weightPercent))}`,
    '```',
    '',
    `${versions}${metric.legend}`
  ].join('\n');
}

interface MetricChart {
  readonly title: string;
  readonly unit: string;
  readonly top: number;
  readonly lines: number[][];
  readonly legend: string;
}

/** Both versions' error rates over every minute judged so far in the rollout (no drop when a step begins). */
function errorChart(points: readonly AnalysisPoint[]): MetricChart {
  const rate = (n: VersionNumbers): number => (n.invocations > 0 ? (100 * n.errors) / n.invocations : 0);
  const newRates = points.map((p) => rate(p.rollout.target));
  const oldRates = points.map((p) => rate(p.rollout.previous));
  return {
    title: 'Error rate of each version (%)',
    unit: 'error rate (%)',
    top: niceCeiling(Math.max(0.5, ...newRates, ...oldRates) * 1.2),
    lines: [newRates, oldRates],
    legend: '. Each point is the error rate over every minute the analysis had judged since the first shift.'
  };
}

/** Both versions' p99 over their step so far, and the latency limit (a p99 not known yet keeps the last one). */
function latencyChart(points: readonly AnalysisPoint[]): MetricChart {
  const carried = (pickP99: (p: AnalysisPoint) => number | undefined): number[] => {
    let last = 0;
    return points.map((p) => (last = pickP99(p) ?? last));
  };
  const newP99 = carried((p) => p.target.p99Ms);
  const oldP99 = carried((p) => p.previous.p99Ms);
  const limit = points.map((p) => p.slowerThanMs ?? 0);
  const withLimit = limit.some((value) => value > 0);
  return {
    title: 'p99 duration of each version (ms)',
    unit: 'p99 (ms)',
    top: niceCeiling(Math.max(1, ...newP99, ...oldP99, ...limit) * 1.2),
    lines: withLimit ? [newP99, oldP99, limit] : [newP99, oldP99],
    legend:
      ` · ${withLimit ? 'grey: the limit the new version’s p99 is judged against. ' : '. '}` +
      "Each point is CloudWatch's p99 over the step's complete minutes so far."
  };
}

function numbers(values: readonly number[]): string {
  return `[${values.map((value) => Number(value.toFixed(3))).join(', ')}]`;
}

/** At most `max` points, evenly spread, the last one always among them. */
function pick<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}

/** A round number at or above `value`: 1, 2 or 5 times a power of ten (0.5, 1, 2, 5, 10, 20, …). */
function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(value));
  const nice = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= value) ?? 10 * power;
  return Number(nice.toPrecision(3));
}

/** `42.3s` under a minute, `1m05s` above, since the start. */
function elapsed(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

import type { AnalysisOutcome } from '../checks/checks.js';
import { formatErrorRate, formatMs } from '../checks/analysis/numbers.js';
import type { AnalysisPoint } from '../rollout/recorder.js';
import { escapeForSummary } from './text.js';

/**
 * The per-version analysis in the job summary: per step, both versions' calls, errors and p99 with
 * the verdict and the rule that decided; then a Mermaid chart of both versions' error rate over the
 * rollout, with the weight on the new version as bars. Pure; numbers and fixed words only in the chart.
 */

/** Points the chart shows at most (evenly picked, the last one always). */
const MAX_CHART_POINTS = 40;
const CELL_CHARS = 100;
/** Grey for the weight bars, red for the new version, blue for the previous one (GitHub's palette). */
const CHART_COLOURS = '#8c959f, #d1242f, #0969da';

const VERDICTS: Record<AnalysisOutcome, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  'not-enough-data': '⏳ not enough data'
};

/** The section, one table and chart per alias; empty without analyses. */
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
        chart(series, startedAtMs)
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
    'window: from the start of the metric period (the minute) the step began in to the end of the last one with data.';
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

function versionCells(numbers: AnalysisPoint['target']): string[] {
  const errors = numbers.invocations > 0 ? `${numbers.errors} (${formatErrorRate(numbers)})` : '0';
  return [String(numbers.invocations), errors, numbers.p99Ms !== undefined ? formatMs(numbers.p99Ms) : '–'];
}

/** `10:41:07`: the period boundaries, to the second, in UTC. */
function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Both versions' error rate at each analysis, and the weight as bars scaled to the chart's height. */
function chart(series: readonly AnalysisPoint[], startedAtMs: number): string {
  // Categories must differ, or Mermaid draws two points in one place: keep the later of equal labels.
  const labelled = series.map((point) => ({ point, label: elapsed(point.atMs - startedAtMs) }));
  const unique = labelled.filter((entry, i) => labelled[i + 1]?.label !== entry.label);
  if (unique.length < 2) return '';
  const picked = pick(unique, MAX_CHART_POINTS);
  const points = picked.map((entry) => entry.point);
  const rate = (n: AnalysisPoint['target']): number => (n.invocations > 0 ? (100 * n.errors) / n.invocations : 0);
  const newRates = points.map((p) => rate(p.target));
  const oldRates = points.map((p) => rate(p.previous));
  const top = niceCeiling(Math.max(...newRates, ...oldRates) * 1.2);
  const label = (version: string): string => (/^\d{1,10}$/.test(version) ? `version ${version}` : 'the version');
  const last = points.at(-1)!;
  const numbers = (values: number[]): string => `[${values.map((value) => Number(value.toFixed(3))).join(', ')}]`;
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${CHART_COLOURS}"}}}}%%`,
    'xychart-beta',
    '  title "Error rate of each version (%)"',
    `  x-axis "time since the deployment started" [${picked.map((entry) => `"${entry.label}"`).join(', ')}]`,
    `  y-axis "error rate (%)" 0 --> ${top}`,
    `  bar ${numbers(points.map((p) => (p.weightPercent / 100) * top))}`,
    `  line ${numbers(newRates)}`,
    `  line ${numbers(oldRates)}`,
    '```',
    '',
    `Red: ${label(last.target.version)} (new) · blue: ${label(last.previous.version)} (previous) · grey bars: the ` +
      "weight on the new version (the chart's top is 100 %). Each point is the error rate over its step so far."
  ].join('\n');
}

/** At most `max` points, evenly spread, the last one always among them. */
function pick<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = (items.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => items[Math.round(i * step)]!);
}

/** A round number at or above `value` (at least 0.5): 0.5, 1, 2, 5, 10, 20, … */
function niceCeiling(value: number): number {
  const candidates = [0.5, 1, 2, 5, 10, 20, 50, 100];
  return candidates.find((candidate) => candidate >= value) ?? 100;
}

/** `42.3s` under a minute, `1m05s` above, since the start. */
function elapsed(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

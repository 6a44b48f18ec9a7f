import { expect, test } from '@jest/globals';
import { analysisSection } from '../../src/report/analysis.js';
import { renderSummary } from '../../src/report/summary.js';
import type { AnalysisPoint } from '../../src/rollout/recorder.js';
import type { DeploymentResult } from '../../src/rollout/result.js';
import { parseStrategy } from '../../src/config/strategy.js';

const START = Date.UTC(2026, 10, 25, 10, 40, 30);
const MINUTE = 60_000;

function point(atSeconds: number, overrides: Partial<AnalysisPoint> = {}): AnalysisPoint {
  return {
    atMs: START + atSeconds * 1000,
    functionName: 'orders',
    alias: 'live',
    weightPercent: 10,
    stepStartedAt: START + 5_000,
    windowStartMs: START - 30_000,
    windowEndMs: START + 90_000,
    target: { version: '4', invocations: 50, errors: 5, p99Ms: 212.4 },
    previous: { version: '3', invocations: 450, errors: 1, p99Ms: 198 },
    outcome: 'fail',
    decidedBy: 'max-error-rate-increase',
    ...overrides
  };
}

test('one row per step: its last judgement, with both versions, the verdict and the deciding rule', () => {
  const section = analysisSection(
    [
      point(20, {
        outcome: 'not-enough-data',
        decidedBy: 'min-invocations',
        target: { version: '4', invocations: 12, errors: 0 }
      }),
      point(65, {
        outcome: 'pass',
        decidedBy: 'min-invocations, max-error-rate-increase',
        target: { version: '4', invocations: 60, errors: 0, p99Ms: 90 }
      }),
      point(130, {
        weightPercent: 20,
        stepStartedAt: START + 125_000,
        windowStartMs: START + 90_000,
        windowEndMs: START + 3 * MINUTE + 30_000
      })
    ],
    START
  );
  expect(section).toContain('### Per-version analysis');
  expect(section).toContain('New version 4 against the previous version 3');
  expect(section).toContain(
    '| Step | Weight | Window (UTC) | Calls, v4 | Errors, v4 | p99, v4 | Calls, v3 | Errors, v3 | p99, v3 | Verdict | Decided by |'
  );
  expect(section).toContain(
    '| 1 | 10% | 10:40:00–10:42:00 | 60 | 0 (0.0 %) | 90 ms | 450 | 1 (0.2 %) | 198 ms | ✅ pass | min-invocations, max-error-rate-increase |'
  );
  expect(section).toContain(
    '| 2 | 20% | 10:42:00–10:44:00 | 50 | 5 (10.0 %) | 212 ms | 450 | 1 (0.2 %) | 198 ms | ❌ fail | max-error-rate-increase |'
  );
  expect(section.match(/^\| \d /gm)).toHaveLength(2);
});

test('a Mermaid chart of both error rates over time, the weight as bars, with a legend', () => {
  const section = analysisSection(
    [
      point(20, {
        outcome: 'pass',
        target: { version: '4', invocations: 20, errors: 0 },
        previous: { version: '3', invocations: 180, errors: 1 }
      }),
      point(40),
      point(40.04, { outcome: 'fail' }) // the same label as the one before: only the later is drawn
    ],
    START
  );
  const chart = /```mermaid\n([\s\S]*?)```/.exec(section)?.[1];
  expect(chart).toBeDefined();
  expect(chart).toContain('xychart-beta');
  expect(chart).toContain('x-axis "time since the deployment started" ["20.0s", "40.0s"]');
  expect(chart).toContain('y-axis "error rate (%)" 0 --> 20');
  expect(chart).toContain('bar [2, 2]');
  expect(chart).toContain('line [0, 10]');
  expect(chart).toContain('line [0.556, 0.222]');
  expect(section).toContain('Red: version 4 (new) · blue: version 3 (previous) · grey bars: the weight on the new version');
});

test('long rollouts are drawn with at most 40 points', () => {
  const points = Array.from({ length: 500 }, (_, i) => point(10 + i * 10));
  const chart = /```mermaid\n([\s\S]*?)```/.exec(analysisSection(points, START))![1]!;
  const line = chart.split('\n').find((l) => l.startsWith('  line'))!;
  expect(line.split(',')).toHaveLength(40);
  expect(chart).toContain('"83m20s"'); // the last point is always drawn
});

test('untrusted text is escaped in the table and never reaches the chart', () => {
  const hostile = point(20, { target: { version: '4<script>|', invocations: 1, errors: 0 }, decidedBy: 'x|y' });
  const section = analysisSection([hostile, { ...hostile, atMs: hostile.atMs + 20_000 }], START);
  expect(section).not.toContain('<script>');
  expect(section).toContain('4&lt;script&gt;&#124;');
  expect(section).toContain('x&#124;y');
  expect(section).toContain('Red: the version (new)');
});

test('the summary carries the section between the timeline and the checks; nothing without analyses', () => {
  const result: DeploymentResult = {
    status: 'rolled-back',
    deploymentId: 'd',
    targets: [{ functionName: 'orders', alias: 'live', published: true, version: '4', previousVersion: '3' }],
    strategy: parseStrategy('Canary10Percent5Minutes'),
    startedAtMs: START,
    finishedAtMs: START + 5 * MINUTE,
    cancelled: false,
    dryRun: false,
    engine: { kind: 'runner' }
  };
  const base = { result, timeline: [], observations: [], hooks: [], warnings: [], plan: [] };
  expect(renderSummary(base)).not.toContain('Per-version analysis');
  expect(renderSummary({ ...base, analysis: [point(20)] })).toContain('### Per-version analysis');
  expect(analysisSection([point(20)], START)).not.toContain('mermaid');
});

import { expect, test } from '@jest/globals';
import type { AnalysisPoint } from '../../src/checks/analysis/types.js';
import { analysisSection } from '../../src/report/analysis.js';
import { renderSummary } from '../../src/report/summary.js';
import type { DeploymentResult } from '../../src/rollout/result.js';
import { parseStrategy } from '../../src/config/strategy.js';

const START = Date.UTC(2026, 10, 25, 10, 40, 30);
const MINUTE = 60_000;

function point(atSeconds: number, overrides: Partial<AnalysisPoint> = {}): AnalysisPoint {
  const target = overrides.target ?? { version: '4', invocations: 50, errors: 5, p99Ms: 212.4 };
  const previous = overrides.previous ?? { version: '3', invocations: 450, errors: 1, p99Ms: 198 };
  return {
    atMs: START + atSeconds * 1000,
    functionName: 'orders',
    alias: 'live',
    weightPercent: 10,
    stepStartedAt: START + 5_000,
    windowStartMs: START - 30_000,
    windowEndMs: START + 90_000,
    target,
    previous,
    rollout: { target, previous },
    outcome: 'fail',
    decidedBy: 'max-error-rate-increase',
    metric: 'errors',
    evidence: [],
    ...overrides
  };
}

/** The Mermaid blocks of a section. */
const charts = (section: string): string[] => [...section.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('one row per step: its last judgement, with both versions, the verdict and what decided', () => {
  const section = analysisSection(
    [
      point(20, {
        outcome: 'not-enough-data',
        decidedBy: 'min-invocations',
        target: { version: '4', invocations: 12, errors: 0 }
      }),
      point(65, {
        outcome: 'pass',
        decidedBy: 'max-error-rate-increase, min-invocations',
        target: { version: '4', invocations: 160, errors: 0, p99Ms: 90 }
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
    '| 1 | 10% | 10:40:00–10:42:00 | 160 | 0 (0.0 %) | 90 ms | 450 | 1 (0.2 %) | 198 ms | ✅ pass | max-error-rate-increase, min-invocations |'
  );
  expect(section).toContain(
    '| 2 | 20% | 10:42:00–10:44:00 | 50 | 5 (10.0 %) | 212 ms | 450 | 1 (0.2 %) | 198 ms | ❌ fail | max-error-rate-increase |'
  );
  expect(section.match(/^\| \d /gm)).toHaveLength(2);
});

test('errors decided: both error rates over the rollout, and the weight on its own chart and axis', () => {
  const section = analysisSection(
    [
      point(20, {
        outcome: 'pass',
        rollout: { target: { version: '4', invocations: 20, errors: 0 }, previous: { version: '3', invocations: 180, errors: 1 } }
      }),
      // A new step: its own numbers start again, the rollout's do not (no drop to zero at the boundary).
      point(40, {
        weightPercent: 20,
        target: { version: '4', invocations: 0, errors: 0 },
        rollout: { target: { version: '4', invocations: 50, errors: 5 }, previous: { version: '3', invocations: 450, errors: 1 } }
      }),
      point(40.04, { outcome: 'fail' }) // the same label as the one before: only the later is drawn
    ],
    START
  );
  const [metric, weight] = charts(section);
  expect(metric).toContain('title "Error rate of each version (%)"');
  expect(metric).toContain('x-axis "time since the deployment started" ["20.0s", "40.0s"]');
  expect(metric).toContain('y-axis "error rate (%)" 0 --> 20');
  expect(metric).toContain('line [0, 10]');
  expect(metric).toContain('line [0.556, 0.222]');
  expect(metric).not.toContain('bar');
  expect(weight).toContain('title "Weight on the new version (%)"');
  expect(weight).toContain('y-axis "weight (%)" 0 --> 100');
  expect(weight).toContain('bar [10, 10]');
  expect(section).toContain('Red: version 4 (new) · blue: version 3 (previous)');
});

test('latency decided: both p99s with the limit, a p99 not known yet keeping the last one', () => {
  const section = analysisSection(
    [
      point(20, {
        outcome: 'pass',
        metric: 'latency',
        slowerThanMs: 250,
        target: { version: '4', invocations: 50, errors: 0, p99Ms: 180 },
        previous: { version: '3', invocations: 450, errors: 0, p99Ms: 200 }
      }),
      point(80, {
        metric: 'latency',
        slowerThanMs: 250,
        weightPercent: 20,
        stepStartedAt: START + 70_000,
        target: { version: '4', invocations: 0, errors: 0 },
        previous: { version: '3', invocations: 0, errors: 0 }
      }),
      point(140, {
        metric: 'latency',
        decidedBy: 'max-p99-duration-increase',
        slowerThanMs: 250,
        target: { version: '4', invocations: 80, errors: 0, p99Ms: 410 },
        previous: { version: '3', invocations: 300, errors: 0, p99Ms: 205 }
      })
    ],
    START
  );
  const [metric] = charts(section);
  expect(metric).toContain('title "p99 duration of each version (ms)"');
  expect(metric).toContain('y-axis "p99 (ms)" 0 --> 500');
  expect(metric).toContain('line [180, 180, 410]');
  expect(metric).toContain('line [200, 200, 205]');
  expect(metric).toContain('line [250, 250, 250]');
  expect(section).toContain('grey: the limit the new version’s p99 is judged against');
});

test('long rollouts are drawn with at most 40 points', () => {
  const points = Array.from({ length: 500 }, (_, i) => point(10 + i * 10));
  const [metric] = charts(analysisSection(points, START));
  const line = metric!.split('\n').find((l) => l.startsWith('  line'))!;
  expect(line.split(',')).toHaveLength(40);
  expect(metric).toContain('"83m20s"'); // the last point is always drawn
});

test('untrusted text is escaped in the table and never reaches the charts', () => {
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

test('the facts table has no empty header row: its first fact heads it', () => {
  const result: DeploymentResult = {
    status: 'succeeded',
    deploymentId: 'd',
    targets: [{ functionName: 'orders', alias: 'live', published: true, version: '4', previousVersion: '3' }],
    strategy: parseStrategy('AllAtOnce'),
    startedAtMs: START,
    finishedAtMs: START + 5_000,
    cancelled: false,
    dryRun: false,
    engine: { kind: 'runner' }
  };
  const markdown = renderSummary({ result, timeline: [], observations: [], hooks: [], warnings: [], plan: [] });
  expect(markdown).not.toMatch(/^\|\s*\|\s*\|$/m);
  expect(markdown).toContain('| Status | <code>succeeded</code> |\n|---|---|\n| Function | orders |');
});

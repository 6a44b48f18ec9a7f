/**
 * `npm run bench`: what a deployment costs and how fast a bad version is pulled, measured by running
 * the bundled action (the real dist/, spawned as the runner spawns it) against the emulator with a
 * fixed latency per AWS call. Prints one markdown table and writes it to bench/results.md. Then the
 * per-version analysis's operating characteristics, simulated with the real judge
 * (bench/analysis/), written into docs/analysis-method.md.
 *
 *   npm run bench -- [--latency 50] [--runs 5] [--rollbacks 30] [--analysis-rollouts 2000] [--analysis-only] [--probes-only] [--quick]
 *
 * Start-up is a ratio to a bare `node -e ""` measured in the same run; everything else is in ms and
 * in round trips (ms / latency), medians of `--runs` runs. `--quick` (CI) runs each figure once,
 * and 20 simulated rollouts per cell of the analysis's table (it then writes no file).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAction } from '../emulator/runner/action-runner.js';
import {
  characteristicsTable,
  summaryTable,
  endToEndConfiguration,
  operatingCharacteristics,
  THRESHOLDS,
  type Tally
} from './analysis/operating-characteristics.js';
import { FINAL_BAKE_MS, FINAL_BAKE_THRESHOLDS, finalBakeCharacteristics, finalBakeTable } from './analysis/final-bake.js';
import { probeCharacteristics, probeTable, DEFAULT_ROLLOUT } from './probes/simulate.js';
import { aliasWrites, bareNodeMs, deployOnce, median, percentile, repeat, roundTripsUpTo, world } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Options {
  readonly latencyMs: number;
  readonly runs: number;
  readonly rollbacks: number;
  readonly analysisRollouts: number;
  readonly analysisOnly: boolean;
  readonly probesOnly: boolean;
  readonly quick: boolean;
}

/** One row of the table. */
interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
}

function options(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(name);
    const parsed = index >= 0 ? Number(argv[index + 1]) : fallback;
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} takes a number, got ${argv[index + 1]}`);
    return parsed;
  };
  const quick = argv.includes('--quick');
  return {
    latencyMs: value('--latency', 50),
    runs: value('--runs', quick ? 1 : 5),
    rollbacks: value('--rollbacks', quick ? 2 : 30),
    analysisRollouts: value('--analysis-rollouts', quick ? 20 : 2000),
    analysisOnly: argv.includes('--analysis-only'),
    probesOnly: argv.includes('--probes-only'),
    quick
  };
}

const round = (value: number, digits = 1): string => value.toFixed(digits);

/** Start-up of the main step (to its first AWS request, to its exit) and of a post step with nothing to do. */
async function startUp(opts: Options): Promise<Row[]> {
  const bare = median(await repeat(opts.runs + 2, () => bareNodeMs()));
  const mains = await repeat(opts.runs, async () => {
    const w = await world(opts.latencyMs);
    try {
      const { run, calls } = await deployOnce(w, { strategy: 'AllAtOnce' });
      const first = calls[0]!.atMs - run.startedAtMs;
      const writes = aliasWrites(calls);
      const sequential = roundTripsUpTo(calls, writes[0]!, opts.latencyMs);
      // The time from the first call to the first write beyond the round trips: the action's own work.
      const processing = writes[0]!.atMs - calls[0]!.atMs - (sequential - 1) * opts.latencyMs;
      return { first, exit: run.durationMs, sequential, processing };
    } finally {
      await w.emu.close();
    }
  });
  const posts = await repeat(opts.runs, async () => {
    const w = await world(opts.latencyMs);
    try {
      const post = await runAction({ endpoint: w.emu.url, entry: 'dist/post/index.js', inputs: { 'function-name': 'orders' } });
      return post.durationMs;
    } finally {
      await w.emu.close();
    }
  });
  const first = median(mains.map((m) => m.first));
  return [
    { figure: 'Bare `node -e ""` (the unit of the start-up ratios)', value: `${round(bare, 0)} ms`, target: '' },
    {
      figure: 'Main step: process start → first AWS request',
      value: `${round(first / bare, 2)}× (${round(first, 0)} ms)`,
      target: '< 3×'
    },
    {
      figure: 'Main step, AllAtOnce: process start → exit',
      value: `${round(median(mains.map((m) => m.exit)) / bare, 2)}× (${round(median(mains.map((m) => m.exit)), 0)} ms)`,
      target: ''
    },
    {
      figure: 'Post step with nothing to do: process start → exit',
      value: `${round(median(posts) / bare, 2)}× (${round(median(posts), 0)} ms)`,
      target: '< 1.5×'
    },
    {
      figure: 'Round trips in sequence up to and including the first weight change (AllAtOnce, no hooks)',
      value: `${round(median(mains.map((m) => m.sequential)), 0)} (and ${round(median(mains.map((m) => m.processing)), 0)} ms of processing between them)`,
      target: '≤ 3'
    },
    { figure: 'Shipped `dist/`', value: `${round(sizeOf(join(ROOT, 'dist')) / 1024 / 1024, 2)} MB`, target: '≤ 4 MB' }
  ];
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** Overhead: wall time minus the bake the strategy asks for, for several shapes of deployment. */
async function overheads(opts: Options): Promise<{ rows: Row[]; driftRows: Row[]; costRows: Row[] }> {
  const linear = Array.from({ length: 9 }, (_, i) => `${(i + 1) * 10}%:300ms`).join(', ');
  const shapes: Array<{ name: string; inputs: Record<string, string>; alarms: number; bakeMs: number }> = [
    { name: 'AllAtOnce', inputs: { strategy: 'AllAtOnce' }, alarms: 0, bakeMs: 0 },
    { name: 'AllAtOnce, 3 alarms', inputs: { strategy: 'AllAtOnce' }, alarms: 3, bakeMs: 0 },
    {
      name: 'AllAtOnce, a pre-traffic hook',
      inputs: { strategy: 'AllAtOnce', 'pre-traffic-hook': 'smoke' },
      alarms: 0,
      bakeMs: 0
    },
    { name: 'Canary, 1 step of 2 s', inputs: { strategy: '20%:2s' }, alarms: 0, bakeMs: 2_000 },
    { name: 'Canary, 1 step of 2 s, 3 alarms', inputs: { strategy: '20%:2s' }, alarms: 3, bakeMs: 2_000 },
    { name: 'Linear, 9 steps of 300 ms and promotion', inputs: { strategy: linear }, alarms: 0, bakeMs: 2_700 },
    { name: 'Linear, 9 steps of 300 ms and promotion, 3 alarms', inputs: { strategy: linear }, alarms: 3, bakeMs: 2_700 }
  ];
  const rows: Row[] = [];
  const lateness: number[][] = [];
  let cost = '';
  for (const shape of shapes) {
    const runs = await repeat(opts.runs, async () => {
      const w = await world(opts.latencyMs, shape.alarms);
      try {
        const alarms = Array.from({ length: shape.alarms }, (_, i) => `alarm-${i}`).join('\n');
        const { run, calls } = await deployOnce(w, {
          ...shape.inputs,
          ...(alarms ? { alarms, 'alarm-poll-interval': '100ms' } : {})
        });
        if (shape.name.startsWith('Linear') && shape.alarms === 0) lateness.push(latenessOf(calls, 300));
        if (shape.name === 'Canary, 1 step of 2 s, 3 alarms') cost = callsByOperation(calls);
        return run.durationMs - shape.bakeMs;
      } finally {
        await w.emu.close();
      }
    });
    const overhead = median(runs);
    rows.push({
      figure: `Overhead (wall time − bake), ${shape.name}`,
      value: `${round(overhead, 0)} ms = ${round(overhead / opts.latencyMs)} round trips`,
      target: ''
    });
  }
  const perStep = lateness[0]!.map((_, step) => median(lateness.map((run) => run[step]!)));
  const driftRows: Row[] = [
    {
      figure: 'Step lateness (actual − scheduled UpdateAlias), linear of 9 steps + promotion, per step',
      value: `${perStep.map((ms) => round(ms, 0)).join(', ')} ms`,
      target: '< 1 round trip, not growing'
    },
    {
      figure: 'Worst step lateness, in round trips',
      value: round(Math.max(...perStep) / opts.latencyMs),
      target: '< 1'
    }
  ];
  return {
    rows,
    driftRows,
    costRows: [{ figure: 'AWS calls per deployment (canary 1 step, 3 alarms)', value: cost, target: '' }]
  };
}

/** How late each weight change was against its schedule (the first one sets the schedule). */
function latenessOf(calls: readonly { operation: string; status: number; atMs: number }[], bakeMs: number): number[] {
  const writes = aliasWrites(calls as never);
  const start = writes[0]!.atMs;
  return writes.map((write, index) => write.atMs - (start + index * bakeMs));
}

function callsByOperation(calls: readonly { operation: string }[]): string {
  const counts = new Map<string, number>();
  for (const call of calls) counts.set(call.operation, (counts.get(call.operation) ?? 0) + 1);
  return [...counts.entries()].map(([operation, count]) => `${operation} ${count}`).join(', ');
}

/** From an alarm going to ALARM to the alias back on the old version. */
async function rollbackLatency(opts: Options): Promise<Row[]> {
  const pollMs = 1_000;
  const latencies = await repeat(opts.rollbacks, async (index) => {
    const w = await world(opts.latencyMs, 1);
    try {
      let alarmAt = 0;
      const { calls } = await deployOnce(
        w,
        { strategy: 'Canary20Percent30Seconds', alarms: 'alarm-0', 'alarm-poll-interval': `${pollMs}ms` },
        {
          onLine: (line) => {
            if (!line.includes('Step 1/1')) return;
            // Spread over one poll interval, so that the figure covers every phase of the poll.
            setTimeout(
              () => {
                alarmAt = Date.now();
                w.emu.setAlarmState('alarm-0', 'ALARM', { reason: 'bench' });
              },
              (index * 397) % pollMs
            );
          }
        }
      );
      const restore = aliasWrites(calls).at(-1)!;
      // The call log stamps a call when it arrives; the alias changes one latency later.
      return restore.atMs + opts.latencyMs - alarmAt;
    } finally {
      await w.emu.close();
    }
  });
  const bound = pollMs + 2 * opts.latencyMs;
  return [
    {
      figure: `Rollback latency: alarm in ALARM → alias back (poll ${pollMs} ms, ${latencies.length} runs): median, p90, max`,
      value: `${round(median(latencies), 0)}, ${round(percentile(latencies, 0.9), 0)}, ${round(Math.max(...latencies), 0)} ms`,
      target: `≤ poll + 2 round trips = ${bound} ms`
    }
  ];
}

/** Alarm reads per minute of bake at the default 10 s poll, for 1, 10 and 100 alarms. */
async function alarmReads(opts: Options): Promise<Row[]> {
  const rows: Row[] = [];
  const pollMs = 500;
  const bakeMs = 2_000;
  for (const count of [1, 10, 100]) {
    const perRun = await repeat(opts.runs, async () => {
      const w = await world(opts.latencyMs, count);
      try {
        const alarms = Array.from({ length: count }, (_, i) => `alarm-${i}`).join('\n');
        const { calls } = await deployOnce(w, { strategy: `20%:${bakeMs}ms`, alarms, 'alarm-poll-interval': `${pollMs}ms` });
        const writes = aliasWrites(calls);
        return calls.filter((c) => c.operation === 'DescribeAlarms' && c.atMs > writes[0]!.atMs && c.atMs <= writes[1]!.atMs)
          .length;
      } finally {
        await w.emu.close();
      }
    });
    rows.push({
      figure: `DescribeAlarms calls per minute of bake at the default 10 s poll, ${count} alarm${count > 1 ? 's' : ''}`,
      value: round((median(perRun) / (bakeMs / pollMs)) * 6),
      target: '6 (one call per poll)'
    });
  }
  return rows;
}

/**
 * Alarm reads in a 10-step linear (Linear10PercentEvery1Second) with a 1 s poll: how many, and how
 * many came closer than half a poll interval after the previous one without being the read right
 * before a weight change.
 */
async function alarmSpacing(opts: Options): Promise<Row[]> {
  const pollMs = 1_000;
  const runs = await repeat(opts.runs, async () => {
    const w = await world(opts.latencyMs, 1);
    try {
      const { calls } = await deployOnce(w, {
        strategy: 'Linear10PercentEvery1Second',
        alarms: 'alarm-0',
        'alarm-poll-interval': `${pollMs}ms`
      });
      const writes = aliasWrites(calls);
      const reads = calls.filter((c) => c.operation === 'DescribeAlarms' && c.atMs > writes[0]!.atMs);
      // The gate read before a weight change is the last read before that write.
      const gates = new Set(writes.slice(1).map((write) => reads.filter((read) => read.atMs < write.atMs).at(-1)));
      const close = reads.filter((read, i) => i > 0 && !gates.has(read) && read.atMs - reads[i - 1]!.atMs < pollMs / 2);
      return { reads: reads.length, close: close.length };
    } finally {
      await w.emu.close();
    }
  });
  return [
    {
      figure: 'Alarm reads while baking a 10-step linear of 1 s steps, poll 1 s',
      value: round(median(runs.map((r) => r.reads)), 0),
      target: '≤ 10 (one a step at most)'
    },
    {
      figure: '… of them closer than half a poll after the previous one (gate reads before a weight change aside)',
      value: round(median(runs.map((r) => r.close)), 0),
      target: '0'
    }
  ];
}

/**
 * GetMetricData calls per metric period of a step with per-version analysis (1-second periods
 * against the emulator, a poll every 500 ms): the analysis reads once per newly complete period,
 * not at every poll.
 */
async function analysisReads(opts: Options): Promise<Row[]> {
  const pollMs = 500;
  const bakeMs = 3_000;
  const runs = await repeat(opts.runs, async () => {
    const w = await world(opts.latencyMs);
    try {
      w.emu.startTraffic({ functionName: 'orders', alias: 'live', ratePerSecond: 200 });
      const { calls } = await deployOnce(
        w,
        { strategy: `20%:${bakeMs}ms`, 'max-error-rate-increase': '5%', 'alarm-poll-interval': `${pollMs}ms` },
        { env: { LSD_METRICS_PERIOD_SECONDS: '1' } }
      );
      const writes = aliasWrites(calls);
      const reads = calls.filter((c) => c.operation === 'GetMetricData' && c.atMs > writes[0]!.atMs && c.atMs <= writes[1]!.atMs);
      const polls = (writes[1]!.atMs - writes[0]!.atMs) / pollMs;
      return { reads: reads.length, periods: (writes[1]!.atMs - writes[0]!.atMs) / 1000, polls };
    } finally {
      await w.emu.close();
    }
  });
  return [
    {
      figure:
        'GetMetricData calls per metric period of a step with per-version analysis of one function (1 s periods, a poll every 500 ms)',
      value: `${round(median(runs.map((r) => r.reads / r.periods)), 2)} (over ${round(median(runs.map((r) => r.polls)), 0)} polls)`,
      target: '≤ 1 (one read per newly complete period, none at the polls between)'
    }
  ];
}

/** How a version turns bad in the detection race: every call of version 2 fails, real traffic and probes alike. */
const HEALTHY = { errorRate: 0, latency: { medianMs: 20, p99Ms: 50 } };
const BROKEN = { errorRate: 1, latency: { medianMs: 20, p99Ms: 50 } };

/**
 * The race of issue 23: from a bad version's first failed call to the alias restored, with probes
 * (5 calls/s, a 1 s poll) and with the per-version analysis of metrics only, side by side, and the
 * probe calls it cost (the confirmation burst included). Real traffic of 50 calls/s, 20 % on the new
 * version, so its first failed call comes within a few tenths of a second of it turning bad; with
 * probes, also from its first failed probe (a probe reaches it once a second on average at 20 %). The metrics are scaled (5 s periods, the
 * emulator only) so that a run takes seconds; against AWS a period is a minute and its data comes a
 * minute or more later, while the probes' time does not depend on it.
 */
async function probeRace(opts: Options): Promise<Row[]> {
  const pollMs = 1_000;
  const periodSeconds = 5;
  const race = async (index: number, probes: boolean) => {
    const w = await world(opts.latencyMs);
    try {
      const traffic = (next: typeof HEALTHY, historyMs = 0) =>
        w.emu.startTraffic({
          functionName: 'orders',
          alias: 'live',
          ratePerSecond: 50,
          versions: { '1': HEALTHY },
          defaultVersion: next,
          historyMs
        });
      w.emu.setMetricPublication({ delayMs: periodSeconds * 1000 });
      traffic(HEALTHY, 32 * periodSeconds * 1000);
      let badAt = 0;
      const { calls, run } = await deployOnce(
        w,
        {
          strategy: 'Canary20Percent60Seconds',
          'alarm-poll-interval': `${pollMs}ms`,
          'max-bake-extension': '1m',
          ...(probes
            ? { 'probe-payload': '{"path": "/health"}', 'probe-rate': '5' }
            : { 'max-error-rate-increase': '5%', 'min-invocations': '5' })
        },
        {
          env: { LSD_METRICS_PERIOD_SECONDS: String(periodSeconds) },
          onLine: (line) => {
            if (badAt !== 0 || !line.includes('Step 1/1')) return;
            badAt = -1;
            // A few seconds in, at a different phase of the poll in each run.
            setTimeout(
              () => {
                badAt = Date.now();
                w.emu.setInvokeBehaviour('orders', '2', { errorRate: 1 });
                traffic(BROKEN);
              },
              2_000 + ((index * 397) % pollMs)
            );
          }
        }
      );
      if (run.outputs.status !== 'rolled-back') throw new Error(`the bad version was not rolled back: ${run.outputs.status}`);
      const restore = aliasWrites(calls).at(-1)!;
      const probeCalls = calls.filter((call) => call.operation === 'Invoke' && call.params.InvocationType !== 'DryRun').length;
      const firstFailedProbe = w.emu
        .invocationRecords('orders')
        .find((r) => r.source === 'invoke' && r.resource === 'orders:live' && r.executedVersion === '2' && r.error);
      const restoredAt = restore.atMs + opts.latencyMs;
      return {
        ms: restoredAt - badAt,
        probeCalls,
        ...(firstFailedProbe ? { fromProbeMs: restoredAt - firstFailedProbe.atMs } : {})
      };
    } finally {
      await w.emu.close();
    }
  };
  const runs = Math.max(1, Math.min(opts.runs, 3));
  const withProbes = await repeat(runs, (index) => race(index, true));
  const metricsOnly = await repeat(runs, (index) => race(index, false));
  const probesMs = median(withProbes.map((r) => r.ms));
  const metricsMs = median(metricsOnly.map((r) => r.ms));
  const fromProbe = withProbes.flatMap((r) => (r.fromProbeMs !== undefined ? [r.fromProbeMs] : []));
  return [
    {
      figure:
        `A bad version's first failed call → alias back, probes at 5 calls/s and a ${pollMs} ms poll vs the analysis of metrics only ` +
        `(${periodSeconds} s periods published ${periodSeconds} s late, emulator-scaled; ${runs} run${runs === 1 ? '' : 's'} each)`,
      value:
        `${round(probesMs, 0)} ms with probes (${round(median(withProbes.map((r) => r.probeCalls)), 0)} probe calls in the run) vs ` +
        `${round(metricsMs, 0)} ms metrics only: ${round(metricsMs / probesMs, 1)}× sooner`,
      target: `probes: the wait for a probe to reach the new version (≈ 1 s at 20 %) + a poll + 2 round trips; metrics: their delay plus a poll`
    },
    {
      figure: `With probes: the new version's first failed probe → alias back (the longest of ${runs} run${runs === 1 ? '' : 's'})`,
      value: fromProbe.length > 0 ? `${round(Math.max(...fromProbe), 0)} ms` : 'no failed probe recorded',
      target: `≤ a poll + 2 round trips (${pollMs} ms + 2 × ${opts.latencyMs} ms latency and the function's answer)`
    }
  ];
}

/**
 * Replaces what lies between `<!-- name:start -->` and `<!-- name:end -->` in a file of the
 * repository: the full run writes the analysis's table into docs/analysis-method.md, its short form
 * into the README.
 */
function writeBetweenMarkers(file: string, name: string, markdown: string): void {
  const [startMarker, endMarker] = [`<!-- ${name}:start -->`, `<!-- ${name}:end -->`];
  const path = join(ROOT, file);
  const doc = readFileSync(path, 'utf8');
  const start = doc.indexOf(startMarker);
  const end = doc.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`${file} has no ${startMarker} … ${endMarker} markers`);
  writeFileSync(path, `${doc.slice(0, start + startMarker.length)}\n${markdown}\n${doc.slice(end)}`);
}

/** The per-version analysis's operating characteristics (bench/analysis/), simulated with the real judge. */
async function analysisCharacteristics(opts: Options): Promise<string> {
  const started = Date.now();
  const cells = await operatingCharacteristics(opts.analysisRollouts, (cell) =>
    console.error(`  simulated ${cell.strategy}, ${cell.baseErrorRate * 100} % errors, ${cell.callsPerSecond} calls/s`)
  );
  const inputs =
    `max-error-rate-increase: ${(THRESHOLDS.maxErrorRateIncrease ?? 0) * 100}%, ` +
    `max-p99-duration-increase: ${(THRESHOLDS.maxP99DurationIncrease ?? 0) * 100}%, the other inputs at their defaults`;
  const markdown =
    `${opts.analysisRollouts} simulated rollouts per cell and column (${inputs}); measured ${new Date().toISOString().slice(0, 10)} ` +
    `by \`npm run bench\` in ${round((Date.now() - started) / 1000, 0)} s.\n\n${characteristicsTable(cells)}`;
  const e2e = await endToEndConfiguration(opts.analysisRollouts);
  const seconds = (ms: number | undefined): string => (ms === undefined ? '–' : `${round(ms / 1000)} s`);
  const outcome = (tally: Tally): string =>
    `${tally.promoted} promoted, ${tally.rolledBack} rolled back, ${tally.wantOfData} stopped for want of data, ${tally.refused} refused`;
  console.log(
    `The end-to-end test's configuration (__tests__/e2e/analysis-runs.test.ts), ${opts.analysisRollouts} simulated rollouts each: ` +
      `identical versions ${outcome(e2e.identical)} (the shortest promotion after ${seconds(e2e.identical.shortestPromotionMs)}); ` +
      `a version at 5 % errors ${outcome(e2e.bad)} (the latest rollback after ${seconds(e2e.bad.latestRollbackMs)}).\n`
  );
  const finalBake = await finalBakeCharacteristicsMarkdown(opts.analysisRollouts);
  console.log(`The final bake's operating characteristics:\n\n${finalBake}\n`);
  if (!opts.quick) {
    writeBetweenMarkers('docs/analysis-method.md', 'final-bake-characteristics', finalBake);
    writeBetweenMarkers('docs/analysis-method.md', 'operating-characteristics', markdown);
    const measured = `${opts.analysisRollouts} simulated rollouts per cell, measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\``;
    writeBetweenMarkers('README.md', 'analysis-summary', `${summaryTable(cells)}\n\n${measured}.`);
  }
  return markdown;
}

/** The final bake's analysis against the baseline (bench/analysis/final-bake.ts), simulated with the real judge. */
async function finalBakeCharacteristicsMarkdown(runs: number): Promise<string> {
  const started = Date.now();
  const cells = await finalBakeCharacteristics(runs);
  const t = FINAL_BAKE_THRESHOLDS;
  return (
    `${runs} simulated final bakes of ${FINAL_BAKE_MS / 60_000} min per cell and column (max-error-rate-increase: ` +
    `${(t.maxErrorRateIncrease ?? 0) * 100}%, max-p99-duration-increase: ${(t.maxP99DurationIncrease ?? 0) * 100}%, the other ` +
    `inputs at their defaults); measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` in ` +
    `${round((Date.now() - started) / 1000, 0)} s.\n\n${finalBakeTable(cells)}`
  );
}

/** The probes' operating characteristics (bench/probes/), simulated with the real judge; the full run writes them into docs/probes.md. */
function probeCharacteristicsMarkdown(opts: Options): string {
  const rollouts = opts.quick ? 50 : 2000;
  const started = Date.now();
  const cells = probeCharacteristics(rollouts);
  const { rate, steps, finalSeconds, pollSeconds } = DEFAULT_ROLLOUT;
  const setting =
    `${steps.map((step) => `${step.weightPercent} % for ${step.seconds} s`).join(', ')}, then ${finalSeconds} s with all ` +
    `traffic on the new version; ${rate} probes a second, a poll every ${pollSeconds} s`;
  const markdown =
    `${rollouts} simulated rollouts per scenario (${setting}); measured ${new Date().toISOString().slice(0, 10)} by ` +
    `\`npm run bench\` in ${round((Date.now() - started) / 1000, 0)} s.\n\n${probeTable(cells)}`;
  if (!opts.quick) writeBetweenMarkers('docs/probes.md', 'probe-characteristics', markdown);
  return markdown;
}

function table(rows: readonly Row[]): string {
  return [
    '| Figure | Measured | Target |',
    '|---|---|---|',
    ...rows.map((row) => `| ${row.figure} | ${row.value} | ${row.target} |`)
  ].join('\n');
}

function machine(opts: Options): string {
  const cpu = cpus();
  return (
    `Measured ${new Date().toISOString().slice(0, 10)} on ${platform()} ${arch()}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ` +
    `${round(totalmem() / 1024 ** 3, 0)} GiB, Node.js ${process.version}; ${opts.latencyMs} ms per AWS call` +
    `${opts.quick ? ' (quick: one run per figure)' : `; medians of ${opts.runs} runs`}.`
  );
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const started = Date.now();
  if (opts.probesOnly) {
    console.log(`${probeCharacteristicsMarkdown(opts)}\n\n${table(await probeRace(opts))}`);
    return;
  }
  const characteristics = await analysisCharacteristics(opts);
  console.log(`Per-version analysis, operating characteristics:\n\n${characteristics}\n`);
  console.log(`Probes, operating characteristics:\n\n${probeCharacteristicsMarkdown(opts)}\n`);
  if (opts.analysisOnly) return;
  if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/index.js is missing: run `npm run bundle` first');
  const rows = await startUp(opts);
  const { rows: overheadRows, driftRows, costRows } = await overheads(opts);
  const rollback = await rollbackLatency(opts);
  const reads = await alarmReads(opts);
  const spacing = await alarmSpacing(opts);
  const analysis = await analysisReads(opts);
  const probes = await probeRace(opts);
  const all = [...rows, ...overheadRows, ...driftRows, ...rollback, ...probes, ...costRows, ...reads, ...spacing, ...analysis];
  const markdown = `${machine(opts)}\n\n${table(all)}\n`;
  console.log(markdown);
  console.log(`(the bench took ${round((Date.now() - started) / 1000, 0)} s)`);
  if (!opts.quick) writeFileSync(join(ROOT, 'bench/results.md'), `# Benchmark results\n\n${markdown}`);
}

await main();

/**
 * `npm run demo`: the action end to end on this machine, with no AWS account. Starts the emulator,
 * creates a function with an alarm and a smoke-test hook, and runs the bundled action three times
 * with a seconds-long canary: once to success; once with the alarm going off mid-bake so that it
 * rolls back; once with live traffic through the alias, no alarm at all, and a new version that
 * fails far more calls than the old one, so that the per-version analysis alone rolls it back.
 * Exits 0 when every run behaved as expected.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../index.js';
import { runAction, type ActionResult } from './action-runner.js';
import type { VersionBehaviour } from '../lambda/types.js';
import { logLineForTerminal, summaryForTerminal } from './terminal.js';

const BUNDLE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const INPUTS = {
  'function-name': 'orders',
  alias: 'live',
  strategy: 'Canary20Percent3Seconds',
  alarms: 'orders-errors',
  'pre-traffic-hook': 'orders-smoke-test',
  'alarm-poll-interval': '500ms'
};
/** Run 3: no alarm; the new version is judged against the old one on their own calls through the alias. */
const ANALYSIS_INPUTS = {
  'function-name': 'orders',
  alias: 'live',
  strategy: 'Canary20Percent3Seconds',
  'max-error-rate-increase': '1%',
  'min-invocations': '50',
  'max-bake-extension': '10s',
  'pre-traffic-hook': 'orders-smoke-test',
  'alarm-poll-interval': '500ms'
};
/** Lambda's metrics come per minute; the emulator may use one-second periods so the demo takes seconds. */
const ANALYSIS_ENV = { LSD_METRICS_PERIOD_SECONDS: '1' };
const HEALTHY: VersionBehaviour = { errorRate: 0.005, latency: { medianMs: 40, p99Ms: 120 } };
const FAULTY: VersionBehaviour = { errorRate: 0.15, latency: { medianMs: 45, p99Ms: 140 } };

async function main(): Promise<number> {
  if (!existsSync(BUNDLE)) {
    console.error('dist/index.js is missing: run `npm run bundle` first.');
    return 1;
  }
  const emu = await startEmulator();
  try {
    // A one-second timeout: with one-second periods a period of metrics is complete 3 s after it ends.
    emu.createFunction({ name: 'orders', timeout: 1, versions: 1, alias: { name: 'live', version: '1' } });
    emu.createFunction({ name: 'orders-smoke-test' });
    emu.putAlarm({ name: 'orders-errors', state: 'OK', reason: 'errors below threshold' });
    console.log(
      `AWS emulator on ${emu.url}: function orders (version 1 live on alias live), alarm orders-errors, hook orders-smoke-test.`
    );

    banner('Run 1: a good version (Canary20Percent3Seconds)');
    emu.updateCode('orders');
    const good = await show(emu);

    banner('Run 2: a bad version; orders-errors goes off 1.5 s into the canary');
    emu.updateCode('orders');
    emu.setAlarmState('orders-errors', 'ALARM', { afterMs: 1_500, reason: 'Threshold Crossed: 12 errors in 1 minute' });
    const bad = await show(emu);

    banner('Run 3: no alarm; live traffic, and the new version fails 15 % of its calls against 0.5 %');
    emu.updateCode('orders');
    emu.setMetricPublication({ delayMs: 300 });
    emu.startTraffic({
      functionName: 'orders',
      alias: 'live',
      ratePerSecond: 300,
      versions: { '2': HEALTHY },
      defaultVersion: FAULTY
    });
    const callsBefore = emu.calls().length;
    const analysed = await show(emu, ANALYSIS_INPUTS, ANALYSIS_ENV);
    emu.stopTraffic();
    const alarmReads = emu
      .calls()
      .slice(callsBefore)
      .filter((call) => call.operation === 'DescribeAlarms').length;

    return verdict(emu, good, bad, { run: analysed, alarmReads });
  } finally {
    await emu.close();
  }
}

async function show(
  emu: RunningEmulator,
  inputs: Record<string, string> = INPUTS,
  env: Record<string, string> = {}
): Promise<ActionResult> {
  const result = await runAction({
    endpoint: emu.url,
    inputs,
    env,
    onLine: (line) => {
      const shown = logLineForTerminal(line);
      if (shown !== undefined) console.log(shown);
    }
  });
  console.log(`\n  exit code ${result.exitCode}; outputs: ${JSON.stringify(result.outputs, null, 0)}`);
  console.log('\n  ── Job summary ──────────────────────────────────────────────');
  console.log(summaryForTerminal(result.summary));
  return result;
}

function verdict(
  emu: RunningEmulator,
  good: ActionResult,
  bad: ActionResult,
  analysis: { run: ActionResult; alarmReads: number }
): number {
  const alias = emu
    .state()
    .functions.find((f) => f.name === 'orders')
    ?.aliases.find((a) => a.name === 'live');
  const checks: Array<[string, boolean]> = [
    [
      'run 1 succeeded with exit code 0',
      good.exitCode === 0 && good.outputs.status === 'succeeded' && good.outputs.version === '2'
    ],
    [
      'run 2 rolled back with exit code 1',
      bad.exitCode === 1 && bad.outputs.status === 'rolled-back' && bad.outputs.version === '3'
    ],
    [
      'run 3 rolled back with exit code 1, by the per-version analysis alone (no alarm read)',
      analysis.run.exitCode === 1 &&
        analysis.run.outputs.status === 'rolled-back' &&
        analysis.run.outputs.version === '4' &&
        (analysis.run.outputs['failure-reason'] ?? '').startsWith('per-version analysis of orders:live') &&
        analysis.alarmReads === 0
    ],
    ['alias live serves version 2 alone', alias?.functionVersion === '2' && Object.keys(alias.weights).length === 0]
  ];
  banner('Demo verdict');
  for (const [what, ok] of checks) console.log(`  ${ok ? '✔' : '✘'} ${what}`);
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

function banner(title: string): void {
  console.log(`\n════ ${title} ${'═'.repeat(Math.max(0, 70 - title.length))}`);
}

process.exitCode = await main();

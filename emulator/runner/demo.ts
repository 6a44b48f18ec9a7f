/**
 * `npm run demo`: the action end to end on this machine, with no AWS account. Starts the emulator,
 * creates a function with an alarm and a smoke-test hook, and runs the bundled action three times
 * with a seconds-long canary (a second stands for a minute, so each bake prints a progress line a
 * second): once to success, with a final bake at 100 %; once with the alarm going off mid-bake so that it
 * rolls back; once with live traffic through the alias, no alarm at all, and a new version that
 * fails far more calls than the old one, so that the per-version analysis alone rolls it back.
 * Exits 0 when every run behaved as expected.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../index.js';
import { runAction, type ActionResult } from './action-runner.js';
import { ANALYSIS_ENV, ANALYSIS_INPUTS, CANARY_INPUTS, seedDemoWorld, startDemoTraffic } from './demo-world.js';
import { logLineForTerminal, outputsForTerminal, summaryForTerminal, terminalWidth, wrapLine } from './terminal.js';

const BUNDLE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
/** Every line fits the terminal (120 columns when the output is not one). */
const WIDTH = terminalWidth();

async function main(): Promise<number> {
  if (!existsSync(BUNDLE)) {
    console.error('dist/index.js is missing: run `npm run bundle` first.');
    return 1;
  }
  const emu = await startEmulator();
  try {
    seedDemoWorld(emu);
    console.log(
      wrapLine(
        `AWS emulator on ${emu.url}: function orders (version 1 live on alias live), alarm orders-errors, hook orders-smoke-test.`,
        WIDTH
      )
    );

    banner('Run 1: a good version (Canary20Percent3Seconds, then a final bake of 3s at 100 %)');
    emu.updateCode('orders');
    const good = await show(emu, { ...CANARY_INPUTS, 'final-bake': '3s' });

    banner('Run 2: a bad version; orders-errors goes off 1.5 s into the canary');
    emu.updateCode('orders');
    emu.setAlarmState('orders-errors', 'ALARM', { afterMs: 1_500, reason: 'Threshold Crossed: 12 errors in 1 minute' });
    const bad = await show(emu);

    banner('Run 3: no alarm; live traffic, and the new version fails 15 % of its calls against 0.5 %');
    emu.updateCode('orders');
    startDemoTraffic(emu, '2');
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
  inputs: Readonly<Record<string, string>> = CANARY_INPUTS,
  // A second stands for a minute: the metrics' period, and how often a bake prints its progress line.
  env: Readonly<Record<string, string>> = ANALYSIS_ENV
): Promise<ActionResult> {
  const result = await runAction({
    endpoint: emu.url,
    inputs,
    env,
    onLine: (line) => {
      const shown = logLineForTerminal(line, WIDTH);
      if (shown !== undefined) console.log(shown);
    }
  });
  console.log(`\n${outputsForTerminal(result.exitCode, result.outputs, WIDTH)}`);
  console.log('\n  ── Job summary ──────────────────────────────────────────────');
  console.log(summaryForTerminal(result.summary, WIDTH));
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
  for (const [what, ok] of checks) console.log(wrapLine(`  ${ok ? '✔' : '✘'} ${what}`, WIDTH));
  return checks.every(([, ok]) => ok) ? 0 : 1;
}

function banner(title: string): void {
  const line = `════ ${title} `;
  console.log(
    `\n${line.length < WIDTH ? line + '═'.repeat(Math.max(0, Math.min(75, WIDTH) - line.length)) : wrapLine(line, WIDTH)}`
  );
}

process.exitCode = await main();

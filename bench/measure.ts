import { spawn } from 'node:child_process';
import { startEmulator, type CallLogEntry, type RunningEmulator } from '../emulator/index.js';
import { runAction, type ActionResult } from '../emulator/runner/action-runner.js';

/** How the bench talks to AWS: the emulator, every call delayed by a fixed latency. */
export interface BenchWorld {
  readonly emu: RunningEmulator;
  readonly latencyMs: number;
}

/** A fresh emulator holding `orders` (version 1 live on `live`, new code waiting), `alarms` alarms and a hook. */
export async function world(latencyMs: number, alarms = 0): Promise<BenchWorld> {
  const emu = await startEmulator();
  emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
  emu.updateCode('orders');
  emu.createFunction({ name: 'smoke' });
  for (let i = 0; i < alarms; i++) emu.putAlarm({ name: `alarm-${i}`, state: 'OK' });
  emu.setFaults({ latencyMs });
  return { emu, latencyMs };
}

/** Runs the bundled action once against the world; the AWS calls it made come back with the result. */
export async function deployOnce(
  { emu }: BenchWorld,
  inputs: Record<string, string>,
  extra: { onLine?: (line: string) => void } = {}
): Promise<{ run: ActionResult; calls: CallLogEntry[] }> {
  const run = await runAction({
    endpoint: emu.url,
    inputs: { 'function-name': 'orders', 'max-retries': '2', ...inputs },
    ...(extra.onLine ? { onLine: extra.onLine } : {}),
    timeoutMs: 120_000
  });
  if (run.exitCode !== 0 && run.outputs.status !== 'rolled-back') {
    throw new Error(`bench run failed (${run.outputs.status}): ${run.outputs['failure-reason'] ?? run.stderr.slice(0, 500)}`);
  }
  return { run, calls: emu.calls() };
}

/** Wall time of a bare `node -e ""`, the unit of every start-up ratio. */
export function bareNodeMs(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve(Date.now() - started));
  });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The value below which `fraction` of the values fall (nearest rank). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))]!;
}

/** Runs `measure` `times` times, one after the other (never in parallel: they would share the CPUs). */
export async function repeat<T>(times: number, measure: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await measure(i));
  return results;
}

/** The successful UpdateAlias calls, in order. */
export function aliasWrites(calls: readonly CallLogEntry[]): CallLogEntry[] {
  return calls.filter((call) => call.operation === 'UpdateAlias' && call.status === 200);
}

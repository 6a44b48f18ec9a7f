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
  extra: { onLine?: (line: string) => void; env?: Record<string, string> } = {}
): Promise<{ run: ActionResult; calls: CallLogEntry[] }> {
  const run = await runAction({
    endpoint: emu.url,
    inputs: { 'function-name': 'orders', 'max-retries': '2', ...inputs },
    ...(extra.onLine ? { onLine: extra.onLine } : {}),
    ...(extra.env ? { env: extra.env } : {}),
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
    // The environment of an action's process (see runAction): not the bench's own, whose
    // NODE_OPTIONS (tsx's loader) would make every bare start look slow.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore', env });
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

/**
 * How many round trips in sequence up to and including `call`: a call is one round trip after the
 * deepest call whose answer had arrived when it was sent (an answer arrives `latencyMs` after its
 * call does), so calls sent together count once.
 */
export function roundTripsUpTo(calls: readonly CallLogEntry[], call: CallLogEntry, latencyMs: number): number {
  const depth = new Map<CallLogEntry, number>();
  for (const each of calls) {
    const answered = calls.filter((earlier) => depth.has(earlier) && earlier.atMs + latencyMs <= each.atMs);
    depth.set(each, Math.max(0, ...answered.map((earlier) => depth.get(earlier)!)) + 1);
    if (each === call) return depth.get(each)!;
  }
  throw new Error('the call is not in the list');
}

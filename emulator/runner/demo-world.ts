/**
 * The demo's world and inputs, shared by `npm run demo` and the script that draws the job summary
 * for the docs (scripts/job-summary-screenshot.ts): a function `orders` with version 1 live on alias
 * `live`, a smoke-test hook, an alarm, and the inputs of a seconds-long canary.
 */
import type { RunningEmulator } from '../index.js';
import type { VersionBehaviour } from '../lambda/types.js';

/** A canary watched by one alarm, with a pre-traffic hook. */
export const CANARY_INPUTS: Readonly<Record<string, string>> = {
  'function-name': 'orders',
  alias: 'live',
  strategy: 'Canary20Percent3Seconds',
  alarms: 'orders-errors',
  'pre-traffic-hook': 'orders-smoke-test',
  'alarm-poll-interval': '500ms'
};

/** No alarm; the new version is judged against the old one on their own calls through the alias. */
export const ANALYSIS_INPUTS: Readonly<Record<string, string>> = {
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
export const ANALYSIS_ENV: Readonly<Record<string, string>> = { LSD_METRICS_PERIOD_SECONDS: '1' };

const HEALTHY: VersionBehaviour = { errorRate: 0.005, latency: { medianMs: 40, p99Ms: 120 } };
const FAULTY: VersionBehaviour = { errorRate: 0.15, latency: { medianMs: 45, p99Ms: 140 } };

/** Function `orders` (version 1 live on `live`), hook `orders-smoke-test`, alarm `orders-errors` (OK). */
export function seedDemoWorld(emu: RunningEmulator): void {
  // A one-second timeout: with one-second periods a period of metrics is complete 3 s after it ends.
  emu.createFunction({ name: 'orders', timeout: 1, versions: 1, alias: { name: 'live', version: '1' } });
  emu.createFunction({ name: 'orders-smoke-test' });
  emu.putAlarm({ name: 'orders-errors', state: 'OK', reason: 'errors below threshold' });
}

/**
 * Live traffic through `orders:live`, 300 calls a second (and for the 35 s before, as a busy alias
 * has a history): version `healthyVersion` fails 0.5 % of its calls, any other (the new one) 15 %.
 * Metrics arrive 300 ms after their period, as Lambda's arrive late. Stop it with `emu.stopTraffic()`.
 */
export function startDemoTraffic(emu: RunningEmulator, healthyVersion: string): void {
  emu.setMetricPublication({ delayMs: 300 });
  emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond: 300,
    versions: { [healthyVersion]: HEALTHY },
    defaultVersion: FAULTY,
    // Busy before the rollout too: the analysis forecasts the rollout's calls from the 30 s before.
    historyMs: 35_000
  });
}

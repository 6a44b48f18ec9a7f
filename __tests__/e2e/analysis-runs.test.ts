import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator, VersionBehaviour } from '../../emulator/index.js';
import { runAction, type ActionResult } from '../../emulator/runner/action-runner.js';
import { ordersWorld } from './scenario.js';

// The judge users can leave on: the bundled action, 20 times with a new version identical to the
// previous one (0.5 % errors each) and 20 times with one at 5 %, each against its own emulator (its
// own traffic, its own clock of periods), all at once so that the whole takes tens of seconds.
//
// The Linear10PercentEvery1Minute shape, scaled down: nine steps of 10 % every second, with
// one-second metric periods, a one-second function timeout (a period is complete 3 s after it ends),
// a poll every 200 ms, 400 calls a second through the alias.
//
// How sure the outcome is. With failed-checks-limit 3 a rollback needs three failed checks, each on
// periods no earlier one counted; each is a crossing of a test supermartingale whose probability,
// for an identical version, is at most α = 1 % (Ville's inequality), so a false rollback has
// probability at most (1 %)³ = 10⁻⁶ per run and 2·10⁻⁵ for the 20 runs. A missed 5 % version: of the
// rollouts of this configuration simulated with the real judge (2,000 in `npm run bench`, "the
// end-to-end test's configuration", and 20,000 in a longer run), every one was rolled back, the latest
// about 21 s after the first shift, while the earliest possible promotion comes after 36 s; the
// evidence against a 5 % version grows by a near-constant amount every second, so a miss would need
// 15 s of evidence to go missing.
jest.setTimeout(240_000);

const RUNS = 20;
const RATE_PER_SECOND = 400;
const INPUTS = {
  strategy: 'Linear10PercentEvery1Second',
  'max-error-rate-increase': '1%',
  'min-invocations': '20',
  'failed-checks-limit': '3',
  'max-bake-extension': '30s',
  'alarm-poll-interval': '200ms',
  'max-retries': '8'
};

const behaviour = (errorRate: number): VersionBehaviour => ({ errorRate, latency: { medianMs: 40, p99Ms: 100 } });

async function world(newErrorRate: number, seed: number): Promise<RunningEmulator> {
  const emu = await ordersWorld({ timeout: 1 });
  emu.setMetricPublication({ delayMs: 300 });
  emu.startTraffic({
    functionName: 'orders',
    alias: 'live',
    ratePerSecond: RATE_PER_SECOND,
    versions: { '1': behaviour(0.005) },
    defaultVersion: behaviour(newErrorRate),
    seed
  });
  return emu;
}

function run(emu: RunningEmulator): Promise<ActionResult> {
  return runAction({
    endpoint: emu.url,
    inputs: { 'function-name': 'orders', ...INPUTS },
    env: { LSD_METRICS_PERIOD_SECONDS: '1' },
    timeoutMs: 200_000
  });
}

test(`${RUNS} identical versions at 0.5 % errors all promote; ${RUNS} at 5 % against 0.5 % all roll back`, async () => {
  const worlds = await Promise.all(
    Array.from({ length: 2 * RUNS }, (_, i) => (i < RUNS ? world(0.005, i + 1) : world(0.05, i + 1)))
  );
  try {
    const results = await Promise.all(worlds.map(run));
    const outcome = (result: ActionResult) => `${result.outputs.status}: ${result.outputs['failure-reason'] ?? ''}`;
    const identical = results.slice(0, RUNS);
    const bad = results.slice(RUNS);
    expect(identical.map(outcome)).toEqual(Array.from({ length: RUNS }, () => 'succeeded: '));
    for (const result of bad) {
      expect(result.outputs.status).toBe('rolled-back');
      expect(result.outputs['failure-reason']).toMatch(
        /^per-version analysis of orders:live \(version 2 against 1, max-error-rate-increase\): new version: .*; failed check 3 of 3, each on minutes no earlier one counted$/
      );
    }
    // Rolled back before the last step: the 5 % version never reached 90 % of the traffic.
    for (const emu of worlds.slice(RUNS)) {
      const weights = emu
        .calls()
        .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
        .map((call) => (call.params as { RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> } }).RoutingConfig);
      expect(weights.map((routing) => routing?.AdditionalVersionWeights?.['2'] ?? 0)).not.toContain(0.9);
    }
  } finally {
    await Promise.all(worlds.map((emu) => emu.close()));
  }
});

import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator } from '../../emulator/index.js';
import { deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// Many short deployments under random faults: about 2 s each.
jest.setTimeout(120_000);

const world = emulatorPerTest();

/** A small seeded generator, so a failing round can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Puts orders-errors into ALARM `afterMs` after the first UpdateAlias that splits the traffic. */
function raiseAlarmMidShift(emu: RunningEmulator, afterMs: number, reason: string): void {
  const stop = emu.onCall((call) => {
    const weights = (call.params as { RoutingConfig?: { AdditionalVersionWeights?: object } }).RoutingConfig
      ?.AdditionalVersionWeights;
    if (call.operation !== 'UpdateAlias' || call.status !== 200 || !weights || Object.keys(weights).length === 0) return;
    stop();
    emu.setAlarmState('orders-errors', 'ALARM', { afterMs, reason });
  });
}

const ROUNDS = 12;
const STRATEGIES = ['Canary30Percent1Second', 'Linear50PercentEvery1Second', '10%:500ms, 60%:500ms', 'AllAtOnce'];

test(`the alias ends on exactly one version, the one the outputs report, through ${ROUNDS} faulty deployments`, async () => {
  const outcomes: string[] = [];
  let faults = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const rand = random(round);
    const emu = await world.start();
    emu.setFaults({
      seed: round,
      throttleFraction: rand() * 0.2,
      serverErrorFraction: rand() * 0.1,
      dropFraction: rand() * 0.05,
      lostResponseFraction: rand() * 0.08,
      latencyMs: Math.floor(rand() * 30),
      retryAfterSeconds: 0
    });
    // Half the rounds raise the alarm while the new version takes part of the traffic: counted from
    // the first weight change that reached the emulator, not from now, so a slow machine (a late
    // start) cannot move it before the rollout. The earliest step ends 500 ms after that change.
    if (rand() < 0.5) raiseAlarmMidShift(emu, Math.floor(rand() * 300), `round ${round}`);
    const strategy = STRATEGIES[round % STRATEGIES.length]!;
    const run = await deploy(emu, { strategy, alarms: 'orders-errors' });

    const alias = liveAlias(emu)!;
    const context = `round ${round} (${strategy}): ${run.outputs.status} ${run.outputs['failure-reason'] ?? ''}`;
    expect([context, alias.weights]).toEqual([context, {}]);
    const expectedLive =
      run.outputs.status === 'succeeded' || run.outputs.status === 'skipped'
        ? run.outputs.version
        : run.outputs['previous-version'];
    expect([context, alias.functionVersion]).toEqual([context, expectedLive]);
    expect([context, run.exitCode]).toEqual([context, run.outputs.status === 'succeeded' ? 0 : 1]);
    outcomes.push(run.outputs.status!);
    faults += emu.calls().filter((call) => call.fault && call.fault !== 'latency').length;
  }
  // Not vacuous: faults were injected, and both ways out were taken.
  expect(faults).toBeGreaterThan(ROUNDS);
  expect(outcomes).toContain('succeeded');
  expect(outcomes).toContain('rolled-back');
});

testIamPolicyCoversCalls();

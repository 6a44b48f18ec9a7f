import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator, VersionBehaviour } from '../../emulator/index.js';
import { postStepEnv, runAction, type ActionResult } from '../../emulator/runner/action-runner.js';
import { aliasUpdates, deploy, emulatorPerTest, liveAlias } from './scenario.js';

// The final bake end to end: the bundled action keeps watching after 100 % (`final-bake`), and puts
// the alias back with one UpdateAlias when the new version turns bad then. One-second metric periods
// stand for Lambda's minutes (LSD_METRICS_PERIOD_SECONDS), so a progress line "a minute" is one a
// second here. Tests wait on the action's own log lines, never on fixed delays.
jest.setTimeout(90_000);

const world = emulatorPerTest();

/** The emulator's minute: one second. */
const EMULATED = { LSD_METRICS_PERIOD_SECONDS: '1' };
const behaviour = (errorRate: number): VersionBehaviour => ({ errorRate, latency: { medianMs: 40, p99Ms: 100 } });

/** `orders` with a one-second timeout, called 200 times a second through its alias, with a minute of history. */
async function busyWorld(): Promise<RunningEmulator> {
  const emu = await world.start({ timeout: 1 });
  emu.setMetricPublication({ delayMs: 300 });
  emu.startTraffic({ ...traffic(0.005), historyMs: 60_000 });
  return emu;
}

/** The traffic: version 1 at 0.5 % errors, the new version at `newErrorRate`. */
function traffic(newErrorRate: number) {
  return {
    functionName: 'orders',
    alias: 'live',
    ratePerSecond: 200,
    versions: { '1': behaviour(0.005) },
    defaultVersion: behaviour(newErrorRate),
    seed: 7
  };
}

/** A 20 % step of 5 emulated minutes, then 100 % and a final bake of 5 emulated minutes, judged by alarms and analysis. */
const INPUTS = {
  strategy: '20%:5s',
  alarms: 'orders-errors',
  'final-bake': '5s',
  'max-error-rate-increase': '1%',
  'min-invocations': '20',
  'max-bake-extension': '30s'
};

/** The post step of the job `run` was, against the same emulator. */
function postStep(emu: RunningEmulator, run: ActionResult): Promise<ActionResult> {
  return runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs: { 'function-name': 'orders' },
    env: postStepEnv(run.state)
  });
}

/** The alias writes after the promotion (the one that sent all traffic to version 2), the promotion included. */
function fromPromotion(emu: RunningEmulator): Array<[string, Record<string, number>]> {
  const updates = aliasUpdates(emu);
  return updates.slice(updates.findIndex(([version, weights]) => version === '2' && Object.keys(weights).length === 0));
}

test('a healthy version passes the final bake, and each bake prints a progress line every emulated minute', async () => {
  const emu = await busyWorld();
  const run = await deploy(emu, INPUTS, { env: EMULATED });
  expect(run.outputs).toMatchObject({ status: 'succeeded', 'failure-reason': '' });
  expect(run.exitCode).toBe(0);
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['2', {}]
  ]);
  expect(JSON.parse(run.outputs.plan!)).toEqual([
    { weightPercent: 20, bakeSeconds: 5 },
    { weightPercent: 100, bakeSeconds: 5 }
  ]);
  expect(run.summary).toMatch(
    /Final bake<\/td><td>passed: 5s with all traffic on the new version|\| Final bake \| passed: 5s with all traffic on the new version/
  );
  const lines = run.stdout.split('\n');
  // A 5-minute bake (5 emulated minutes) prints at least 5 progress lines: step, weight, time left, each check, the calls.
  const step = lines.filter((line) => line.startsWith('Step 1/1 at 20%: '));
  expect(step.length).toBeGreaterThanOrEqual(5);
  expect(step[0]).toMatch(
    /^Step 1\/1 at 20%: \d+s left; .*alarms orders-errors=OK; analysis orders:live=.*\(new 2: \d+\/[\d,]+ calls? failed/
  );
  const finalBake = lines.filter((line) => line.startsWith('Final bake at 100%: '));
  expect(finalBake.length).toBeGreaterThanOrEqual(5);
  expect(finalBake.some((line) => /before the rollout 1: \d+\/[\d,]+ calls failed/.test(line))).toBe(true);
});

test('an alarm that goes to ALARM during the final bake puts the alias back with one UpdateAlias', async () => {
  const emu = await busyWorld();
  const run = await deploy(emu, INPUTS, {
    env: EMULATED,
    onLine: (line) => {
      if (line.startsWith('Final bake: watching')) emu.setAlarmState('orders-errors', 'ALARM');
    }
  });
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(/^the final bake failed: alarm orders-errors is in ALARM/);
  expect(fromPromotion(emu)).toEqual([
    ['2', {}],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(run.summary).toContain('failed: the alias goes back to version 1');
});

test('errors that rise against the baseline during the final bake put the alias back with one UpdateAlias', async () => {
  const emu = await busyWorld();
  const run = await deploy(emu, INPUTS, {
    env: EMULATED,
    // Healthy through the step; once all traffic is on it, the new version fails a fifth of its calls.
    onLine: (line) => {
      if (line.startsWith('Final bake: watching')) emu.startTraffic(traffic(0.2));
    }
  });
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(
    /^the final bake: per-version analysis of orders:live \(version 2 with all traffic, against version 1's own figures from before the rollout, max-error-rate-increase\): new version: [\d,]+ errors in [\d,]+ calls/
  );
  expect(fromPromotion(emu)).toEqual([
    ['2', {}],
    ['1', {}]
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('SIGTERM during the final bake: the main step puts the alias back at once, the post step has nothing left', async () => {
  const emu = await busyWorld();
  const run = await deploy(emu, INPUTS, {
    env: EMULATED,
    signal: { name: 'SIGTERM', afterMs: 300, afterLine: 'Final bake: watching' }
  });
  expect(run.outputs).toMatchObject({
    status: 'rolled-back',
    'failure-reason': 'the deployment was cancelled during final-bake (SIGTERM)'
  });
  expect(fromPromotion(emu)).toEqual([
    ['2', {}],
    ['1', {}]
  ]);
  const post = await postStep(emu, run);
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain('The deployment ended rolled-back: nothing to clean up.');
});

test('a main step killed during the final bake: the post step puts the alias back with one UpdateAlias', async () => {
  const emu = await busyWorld();
  const run = await deploy(emu, INPUTS, {
    env: EMULATED,
    signal: { name: 'SIGKILL', afterMs: 300, afterLine: 'Final bake: watching' }
  });
  expect(run.exitCode).toBeNull();
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
  expect(JSON.parse(run.state.deployment!)).toMatchObject({
    phase: 'final-bake',
    targets: [{ previousVersion: '1', targetVersion: '2', aliasTouched: true }]
  });
  const post = await postStep(emu, run);
  expect(post.exitCode).toBe(0);
  expect(post.summary).toContain(
    'was interrupted during final-bake. The post step rolled it back: the alias live routes 100% to version 1 (read back from Lambda).'
  );
  expect(fromPromotion(emu)).toEqual([
    ['2', {}],
    ['1', {}]
  ]);
});

const ROLE = 'arn:aws:iam::123456789012:role/codedeploy-lambda';

test('engine codedeploy: the final bake runs after CodeDeploy reports success, and an alarm then puts the alias back', async () => {
  const emu = await world.start();
  emu.setCodeDeployTiming({ minuteMs: 100, hookTimeoutMs: 60_000 });
  const run = await deploy(
    emu,
    { engine: 'codedeploy', 'codedeploy-service-role': ROLE, strategy: 'AllAtOnce', alarms: 'orders-errors', 'final-bake': '3s' },
    {
      onLine: (line) => {
        if (line.startsWith('Final bake: watching')) emu.setAlarmState('orders-errors', 'ALARM', { afterMs: 1_000 });
      }
    }
  );
  expect(run.outputs.status).toBe('rolled-back');
  expect(run.outputs['failure-reason']).toMatch(/^the final bake failed: alarm orders-errors is in ALARM/);
  const deployment = emu.codeDeployState().deployments[0];
  expect(deployment).toMatchObject({ status: 'Succeeded' });
  // CodeDeploy's own write, the action's description-only write that records version 2 as good, then
  // the action's one UpdateAlias back (which takes it out of the record in the same write).
  const writes = emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .map((call) => [call.origin ?? 'action', (call.params as { FunctionVersion: string }).FunctionVersion]);
  expect(writes).toEqual([
    ['codedeploy', '2'],
    ['action', '2'],
    ['action', '1']
  ]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('engine codedeploy: a healthy version passes the final bake after CodeDeploy', async () => {
  const emu = await world.start();
  emu.setCodeDeployTiming({ minuteMs: 100, hookTimeoutMs: 60_000 });
  const run = await deploy(emu, {
    engine: 'codedeploy',
    'codedeploy-service-role': ROLE,
    strategy: 'AllAtOnce',
    alarms: 'orders-errors',
    'final-bake': '2s'
  });
  expect(run.outputs).toMatchObject({ status: 'succeeded', 'failure-reason': '' });
  expect(run.stdout).toContain('The final bake passed: 2s with all traffic on version 2');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
});

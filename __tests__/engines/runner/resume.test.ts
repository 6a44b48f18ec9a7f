import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { SdkLambdaGateway } from '../../../src/aws/sdk-lambda-gateway.js';
import { RunnerEngine, type RunnerDeps } from '../../../src/engines/runner/runner.js';
import { readRunnerSnapshot, type RunnerState } from '../../../src/engines/runner/state.js';
import type { BakeCheck } from '../../../src/checks/checks.js';
import type { RolloutControl } from '../../../src/rollout/engine.js';
import { Recorder } from '../../../src/rollout/recorder.js';
import { parseStrategy } from '../../../src/config/strategy.js';
import { CaptureLog } from '../../support/capture-log.js';
import { EmulatedAws, FUNCTION, FUNCTION_ARN, testClients } from '../../support/engine-harness.js';

// The runner's state is a plain value: saved (as JSON, as the post step or a later job reads it),
// a new runner made from it goes on where the first one stopped, guarded by what it last confirmed.

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
  // Version 2 is published and waits; live serves version 1.
  aws.emu.createFunction({ name: FUNCTION, versions: 2, alias: { name: 'live', version: '1' } });
});
afterEach(() => aws.restore());

const settings = {
  strategy: parseStrategy('10%:1m, 50%:1m'),
  alarmPollIntervalMs: 10_000,
  maxBakeExtensionMs: 0,
  provisionedConcurrency: { timeoutMs: 600_000, pollIntervalMs: 5_000 },
  holdMaxAgeMs: 86_400_000
};
const control: RolloutControl = { enter: () => undefined, save: () => undefined };

function deps(): RunnerDeps {
  return {
    lambda: new SdkLambdaGateway(testClients()),
    clock: aws.clock,
    recorder: new Recorder(new CaptureLog(), aws.clock),
    checks: [],
    hooks: { BeforeAllowTraffic: [], AfterAllowTraffic: [] }
  };
}

test('a runner made from a saved state goes on from the step it reached, guarded by the RevisionId it saved', async () => {
  const first = new RunnerEngine(deps(), settings, 'deploy-1');
  const found = await new SdkLambdaGateway(testClients()).getAlias(FUNCTION_ARN, 'live');
  const { steps } = first.plan([{ name: FUNCTION, arn: FUNCTION_ARN, alias: 'live', ...(found ? { found } : {}) }]);
  expect(steps.map((step) => step.kind)).toEqual(['shift', 'bake', 'shift', 'bake', 'promote']);
  const run = first.begin([{ target: 0, version: '2', alreadyLive: false, ...(found ? { alias: found } : {}) }]);
  // The first job shifts to 10 % and bakes; then it stops (a hold, in a later issue).
  for (const step of steps.slice(0, 2)) expect(await run.apply(step, control)).toEqual({ kind: 'done' });
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: { '2': 0.1 } });

  const saved: unknown = JSON.parse(JSON.stringify(first.snapshot()));
  const state = readRunnerSnapshot(saved as Record<string, unknown>);
  expect(state).toMatchObject({ applied: 2, targets: [{ targetVersion: '2', aliasTouched: true }] });
  expect(state!.targets[0]!.confirmed?.revisionId).toBe(aws.alias()!.revisionId);

  // A later job: a new runner from the saved state, given nothing more, applies the rest.
  const revisions = aws.recordRevisions();
  const resumed = new RunnerEngine(deps(), settings, 'deploy-1', state as RunnerState);
  const rest = resumed.begin([]);
  for (const step of steps.slice(state!.applied)) expect(await rest.apply(step, control)).toEqual({ kind: 'done' });
  expect(aws.aliasUpdates().slice(-2)).toEqual([
    ['1', { '2': 0.5 }],
    ['2', {}]
  ]);
  // Its first write was guarded by the RevisionId the first job saved: nobody had changed the alias since.
  expect(revisions[0]).toEqual({ sent: state!.targets[0]!.confirmed?.revisionId, lastAnswered: undefined });
  expect(resumed.snapshot()).toMatchObject({ applied: 5, targets: [{ aliasWritten: true }] });
});

test('a saved state that someone changed the alias after is refused at the first write, never overwritten', async () => {
  const first = new RunnerEngine(deps(), settings, 'deploy-1');
  const found = await new SdkLambdaGateway(testClients()).getAlias(FUNCTION_ARN, 'live');
  const { steps } = first.plan([{ name: FUNCTION, arn: FUNCTION_ARN, alias: 'live', ...(found ? { found } : {}) }]);
  const run = first.begin([{ target: 0, version: '2', alreadyLive: false, ...(found ? { alias: found } : {}) }]);
  for (const step of steps.slice(0, 2)) await run.apply(step, control);
  const state = readRunnerSnapshot(JSON.parse(JSON.stringify(first.snapshot())) as Record<string, unknown>)!;
  const theirs = await aws.changedBySomeoneElse('1');

  const resumed = new RunnerEngine(deps(), settings, 'deploy-1', state);
  const outcome = await resumed.begin([]).apply(steps[state.applied]!, control);
  expect(outcome).toMatchObject({ kind: 'failed', error: { name: 'AliasConflict' } });
  expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {}, revisionId: theirs });
});

test('the time a step was held for want of data is in the saved state: a resumed runner moves its later deadlines by as much', async () => {
  const heldUntil = { at: Infinity };
  // Not enough data until `heldUntil.at`: the first step is held past its end.
  const holding: BakeCheck = {
    name: 'holding',
    preflight: async () => ({ problems: [], warnings: [] }),
    dataDelay: () => undefined,
    evaluate: async ({ now }) =>
      now < heldUntil.at ? { kind: 'inconclusive', reason: 'waiting', observations: [] } : { kind: 'healthy', observations: [] }
  };
  const withCheck = (): RunnerDeps => ({ ...deps(), checks: [holding] });
  const held = { ...settings, maxBakeExtensionMs: 5 * 60_000 };
  const first = new RunnerEngine(withCheck(), held, 'deploy-1');
  const found = await new SdkLambdaGateway(testClients()).getAlias(FUNCTION_ARN, 'live');
  const { steps } = first.plan([{ name: FUNCTION, arn: FUNCTION_ARN, alias: 'live', ...(found ? { found } : {}) }]);
  const run = first.begin([{ target: 0, version: '2', alreadyLive: false, ...(found ? { alias: found } : {}) }]);
  expect(steps.map((step) => step.kind).slice(0, 3)).toEqual(['check', 'shift', 'bake']);
  heldUntil.at = 0;
  expect(await run.apply(steps[0]!, control)).toEqual({ kind: 'done' });
  const firstShift = aws.clock.now();
  heldUntil.at = firstShift + 60_000 + 45_000; // 45 s past the first step's end
  for (const step of steps.slice(1, 3)) expect(await run.apply(step, control)).toEqual({ kind: 'done' });
  const state = readRunnerSnapshot(JSON.parse(JSON.stringify(first.snapshot())) as Record<string, unknown>)!;
  expect(state.heldMs).toBe(50_000); // to the poll that saw the data: 50 s past its end, on the 10 s grid

  heldUntil.at = 0;
  const resumed = new RunnerEngine(withCheck(), held, 'deploy-1', state);
  const rest = resumed.begin([]);
  for (const step of steps.slice(state.applied)) expect(await rest.apply(step, control)).toEqual({ kind: 'done' });
  // The second step ends 2m after the first shift, moved by the 50 s the first was held.
  const promotion = aws
    .calls()
    .filter((call) => call.operation === 'UpdateAlias')
    .at(-1)!;
  expect(promotion.atMs - firstShift).toBe(2 * 60_000 + 50_000);
});

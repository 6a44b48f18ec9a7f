import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { AccessDenied } from '../../src/aws/failures.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { SdkLambdaInventoryGateway } from '../../src/aws/sdk-lambda-inventory-gateway.js';
import { TriggerAudit } from '../../src/release/triggers/audit.js';
import type { Engine, EngineLook, RolloutControl, StepOutcome, Undo } from '../../src/rollout/engine.js';
import { Recorder } from '../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../src/rollout/result.js';
import { deploy } from '../../src/rollout/rollout.js';
import { CaptureLog } from '../support/capture-log.js';
import { EmulatedAws, settingsFor, testClients, type SettingsOverrides } from '../support/engine-harness.js';

// The spine with a fake engine: a plain object implementing the port, which records what the spine
// asks of it. The functions are the emulator's (in-process, on a fake clock): the spine's own
// preflight and publish are real; what moves the traffic is the fake's.

type FakeStep = { readonly kind: 'move'; readonly to: number } | { readonly kind: 'wait' };

interface FakeScript {
  /** What the engine's own look finds. */
  readonly look?: EngineLook<string>;
  /** Problems its plan finds. */
  readonly planProblems?: readonly string[];
  /** How applying a step goes; default: done. */
  readonly apply?: (step: FakeStep, control: RolloutControl) => StepOutcome | Promise<StepOutcome>;
  /** What undoing comes to. */
  readonly undo?: Undo;
}

/** The fake engine, and the calls the spine made to it, in order. */
function fakeEngine(script: FakeScript = {}) {
  const calls: string[] = [];
  let moved = 0;
  const describeStep = (step: FakeStep): string => (step.kind === 'move' ? `Move to ${step.to}%` : 'Wait');
  const engine: Engine<FakeStep, string> = {
    phaseTitles: { moving: 'Move the fake traffic' },
    async preflight() {
      calls.push('preflight');
      return script.look ?? { problems: [], facts: 'looked' };
    },
    plan(functions, look) {
      calls.push(`plan ${functions.map((fn) => `${fn.name}:${fn.alias}@${fn.found?.version ?? 'none'}`).join(',')} (${look})`);
      return {
        problems: script.planProblems ?? [],
        steps: [{ kind: 'move', to: 50 }, { kind: 'wait' }, { kind: 'move', to: 100 }]
      };
    },
    describe: describeStep,
    phaseOf(step) {
      return step.kind === 'move' ? 'moving' : undefined;
    },
    begin(releases) {
      calls.push(
        `begin ${releases.map((release) => `${release.target}:${release.version}${release.alreadyLive ? ' (live)' : ''}`).join(',')}`
      );
      return {
        async apply(step, control) {
          calls.push(`apply ${describeStep(step)}`);
          const outcome = await (script.apply ?? (() => ({ kind: 'done' }) as const))(step, control);
          if (outcome.kind === 'done' && step.kind === 'move') moved = step.to;
          return outcome;
        }
      };
    },
    async onFailure(failure, control) {
      calls.push(`onFailure ${failure.reason}${failure.cancelled ? ' (cancelled)' : ''}`);
      if (script.undo?.kind === 'undone' || script.undo?.kind === 'not-undone') control.enter('undoing');
      return script.undo ?? { kind: 'nothing-to-undo' };
    },
    snapshot() {
      return { engine: 'fake', moved };
    },
    result() {
      calls.push('result');
      return { kind: 'fake', trackingId: `fake-${moved}` };
    }
  };
  return { engine, calls };
}

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

/** Runs the spine with `engine` over the emulator's Lambda. */
async function run(engine: Engine<FakeStep, string>, overrides: SettingsOverrides = {}, signal?: AbortSignal) {
  const log = new CaptureLog();
  const recorder = new Recorder(log, aws.clock);
  const snapshots: Array<DeploymentSnapshot<{ engine: 'fake'; moved: number }>> = [];
  const inventory = new SdkLambdaInventoryGateway(testClients());
  const report = await deploy(
    engine,
    {
      lambda: new SdkLambdaGateway(testClients()),
      inventory,
      triggers: new TriggerAudit(new SdkLambdaGateway(testClients()), inventory),
      checks: [],
      hooks: [],
      clock: aws.clock,
      recorder,
      onTransition: (snapshot) => snapshots.push(snapshot as DeploymentSnapshot<{ engine: 'fake'; moved: number }>)
    },
    settingsFor(overrides),
    'deploy-1',
    signal
  );
  return { report, result: report.result, snapshots, log };
}

describe('the spine and an engine', () => {
  test('preflight and plan, the head, then the engine’s steps one by one; the plan reads both', async () => {
    aws.orders({ live: '1' });
    const { engine, calls } = fakeEngine();
    const { result, report, log } = await run(engine);
    expect(calls).toEqual([
      'preflight',
      'plan orders:live@1 (looked)',
      'begin 0:2',
      'apply Move to 50%',
      'apply Wait',
      'apply Move to 100%',
      'result'
    ]);
    expect(result).toMatchObject({ status: 'succeeded', engine: { kind: 'fake', trackingId: 'fake-100' } });
    expect(result.targets).toMatchObject([{ functionName: 'orders', version: '2', previousVersion: '1', published: true }]);
    expect(report.plan).toEqual([
      '1. Publish a new version of orders (unless its alias already serves this code and configuration)',
      '2. Move to 50%',
      '3. Wait',
      '4. Move to 100%'
    ]);
    // The engine's phases get its titles as log groups; a step without a phase keeps the one before.
    expect(log.groups).toEqual(['Preflight (read-only checks)', 'Publish a new version', 'Move the fake traffic']);
    expect(aws.mutatingOps()).toEqual(['PublishVersion']);
  });

  test('a snapshot at every phase change and whenever the engine saves, the envelope around the engine’s part', async () => {
    aws.orders({ live: '1' });
    const { engine } = fakeEngine({
      apply: (step, control) => {
        if (step.kind === 'wait') control.save();
        return { kind: 'done' };
      }
    });
    const { snapshots } = await run(engine);
    expect(snapshots.map(({ phase, moved, rollbackOwed }) => [phase, moved, rollbackOwed])).toEqual([
      ['preflight', 0, false],
      ['preflight', 0, false], // the preflight passed: what the engine now holds of the functions
      ['publish', 0, false],
      ['moving', 0, false],
      ['moving', 50, false], // saved by the engine, during the wait
      ['succeeded', 100, false]
    ]);
    expect(snapshots.at(-1)).toEqual({
      engine: 'fake',
      moved: 100,
      phase: 'succeeded',
      deploymentId: 'deploy-1',
      rollbackOwed: false
    });
  });

  test('a failed step is a value: the spine words it, the engine undoes, and the result says what that came to', async () => {
    aws.orders({ live: '1' });
    const denied = new AccessDenied('AccessDeniedException: no', 'UpdateAlias', 'lambda:UpdateAlias');
    const fail = (step: FakeStep): StepOutcome =>
      step.kind === 'move' && step.to === 100 ? { kind: 'failed', error: denied, where: 'orders:live' } : { kind: 'done' };
    const undone = fakeEngine({ apply: fail, undo: { kind: 'undone' } });
    const { result, snapshots } = await run(undone.engine);
    // A refused permission: what to add, and what AWS said (it can name the policy or SCP that refused it).
    const reason =
      "moving stopped on orders:live: these credentials may not lambda:UpdateAlias (add it to the role's policy; docs/iam.md lists " +
      'every permission). AWS said: AccessDeniedException: no';
    expect(undone.calls.slice(-3)).toEqual(['apply Move to 100%', `onFailure ${reason}`, 'result']);
    expect(result).toMatchObject({ status: 'rolled-back', failureReason: reason, cancelled: false });
    expect(snapshots.map((snapshot) => snapshot.phase).slice(-2)).toEqual(['undoing', 'rolled-back']);

    const owed = fakeEngine({
      apply: fail,
      undo: { kind: 'not-undone', problem: 'gave up', manualFix: 'aws lambda …', owed: true }
    });
    const notUndone = await run(owed.engine);
    expect(notUndone.result).toMatchObject({
      status: 'failed',
      failureReason: `${reason}; then the rollback failed: gave up. The post step of this job will try again.`,
      manualFix: 'aws lambda …'
    });
    expect(notUndone.snapshots.at(-1)).toMatchObject({ phase: 'failed', rollbackOwed: true });

    const conflict = fakeEngine({ apply: fail, undo: { kind: 'left-alone' } });
    const leftAlone = await run(conflict.engine);
    expect(leftAlone.result).toMatchObject({ status: 'failed', failureReason: reason });
    expect(leftAlone.report.timeline.map((event) => event.message)).toContain(
      `Stopped without touching the alias again: ${reason}`
    );

    // Another actor took one alias; the engine put the others back beside it (several functions, one fate).
    const others = fakeEngine({
      apply: fail,
      undo: { kind: 'left-alone', others: { aliases: ['api:live', 'cron:live'], undo: { kind: 'undone' } } }
    });
    expect((await run(others.engine)).result).toMatchObject({
      status: 'failed',
      failureReason: `${reason}; the other aliases (api:live, cron:live) were put back on their previous versions`
    });
    const othersOwed = fakeEngine({
      apply: fail,
      undo: {
        kind: 'left-alone',
        others: {
          aliases: ['api:live'],
          undo: { kind: 'not-undone', problem: 'api: gave up', manualFix: 'aws lambda …', owed: true }
        }
      }
    });
    const stuck = await run(othersOwed.engine);
    expect(stuck.result).toMatchObject({
      status: 'failed',
      failureReason: `${reason}; then putting back the other aliases (api:live) failed: api: gave up. The post step of this job will try again.`,
      manualFix: 'aws lambda …'
    });
    expect(stuck.snapshots.at(-1)).toMatchObject({ phase: 'failed', rollbackOwed: true });

    const nothing = fakeEngine({ apply: fail });
    const stopped = await run(nothing.engine);
    expect(stopped.result).toMatchObject({ status: 'failed', failureReason: reason });
    expect(stopped.report.timeline.map((event) => event.message)).toContain(
      `Stopped before any traffic reached a new version: ${reason}`
    );
  });

  test('an engine that throws, against the port, still ends in a result after its undo', async () => {
    aws.orders({ live: '1' });
    const { engine, calls } = fakeEngine({
      apply: () => {
        throw new TypeError('bug');
      }
    });
    const { result } = await run(engine);
    expect(result).toMatchObject({ status: 'failed', failureReason: 'error during moving: TypeError: bug' });
    expect(calls).toContain('onFailure error during moving: TypeError: bug');
  });

  test('an end the engine’s service decided ends the rollout as it is: no further step, nothing undone', async () => {
    aws.orders({ live: '1' });
    const { engine, calls } = fakeEngine({
      apply: (step) =>
        step.kind === 'wait'
          ? { kind: 'ended', ending: { status: 'in-progress', cancelled: false, owed: true } }
          : { kind: 'done' }
    });
    const { result, snapshots } = await run(engine);
    expect(calls).toEqual(['preflight', 'plan orders:live@1 (looked)', 'begin 0:2', 'apply Move to 50%', 'apply Wait', 'result']);
    expect(result.status).toBe('in-progress');
    expect(snapshots.at(-1)).toMatchObject({ phase: 'in-progress', rollbackOwed: true });
  });

  test('problems of the engine’s look and of its plan refuse the deployment with the spine’s, before anything changes', async () => {
    aws.orders({ live: '1' });
    const { engine, calls } = fakeEngine({
      look: { problems: ['the fake service is busy'], facts: 'busy' },
      planProblems: ['the fake cannot move live']
    });
    const { result, report } = await run(engine, { alarms: [] });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toBe(
      'preflight refused the deployment, nothing was changed: the fake service is busy; the fake cannot move live'
    );
    expect(calls).toEqual([
      'preflight',
      'plan orders:live@1 (busy)',
      'onFailure preflight refused the deployment, nothing was changed: the fake service is busy; the fake cannot move live',
      'result'
    ]);
    expect(report.plan).toEqual([]);
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('a head that fails (the publish) is undone by the engine before it ever began', async () => {
    aws.orders({ live: '1' });
    aws.emu.denyActions(['lambda:PublishVersion']);
    const { engine, calls } = fakeEngine();
    const { result } = await run(engine);
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.failureReason).toMatch(/^publish stopped: these credentials may not lambda:PublishVersion/);
    expect(calls.filter((call) => call.startsWith('begin') || call.startsWith('apply'))).toEqual([]);
    expect(calls.at(-2)).toMatch(/^onFailure publish stopped/);
  });

  test('a version already live is handed over as such, and the engine is not asked to apply anything', async () => {
    aws.orders({ live: '3', newCode: false }); // nothing new waits to be published
    const { engine, calls } = fakeEngine();
    const { result } = await run(engine);
    expect(result.status).toBe('skipped');
    expect(calls).toEqual(['preflight', 'plan orders:live@3 (looked)', 'begin 0:3 (live)', 'result']);
  });

  test('a cancellation reaches the engine’s undo as such', async () => {
    aws.orders({ live: '1' });
    const controller = new AbortController();
    const { engine, calls } = fakeEngine({
      apply: (step) => {
        if (step.kind === 'wait') controller.abort('SIGINT');
        return step.kind === 'wait' ? { kind: 'failed', error: new Error('aborted') } : { kind: 'done' };
      },
      undo: { kind: 'undone' }
    });
    const { result } = await run(engine, {}, controller.signal);
    expect(result).toMatchObject({
      status: 'rolled-back',
      cancelled: true,
      failureReason: 'the deployment was cancelled during moving (SIGINT)'
    });
    expect(calls).toContain('onFailure the deployment was cancelled during moving (SIGINT) (cancelled)');
  });

  test('a dry run plans and applies nothing', async () => {
    aws.orders({ live: '1' });
    const { engine, calls } = fakeEngine();
    const { result, log } = await run(engine, { dryRun: true });
    expect(result).toMatchObject({ status: 'skipped', dryRun: true });
    expect(calls).toEqual(['preflight', 'plan orders:live@1 (looked)', 'result']);
    expect(log.lines).toContain('  3. Wait');
    expect(aws.mutatingOps()).toEqual([]);
  });
});

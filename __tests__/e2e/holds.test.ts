import { expect, jest, test } from '@jest/globals';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import type { RunningEmulator } from '../../emulator/index.js';
import { readAliasRecord, writeAliasRecord, withHold } from '../../src/alias/record.js';
import { aliasUpdates, changes, deploy, emulatorPerTest, FAST, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

// A rollout held at a weight for a person's approval, then promoted, aborted or guarded by later
// jobs: the bundled action against the emulator, each job a run of its own, the hold kept on the
// alias alone (each run starts from nothing but its inputs and the alias).
jest.setTimeout(60_000);

const world = emulatorPerTest();

const HOLD = { strategy: '20%:300ms, 50%:hold', alarms: 'orders-errors' } as const;
const ACTOR = { GITHUB_ACTOR: 'octocat' };

/** The deploy job: publishes version 2, bakes 20 %, holds at 50 %. */
async function holdAtHalf(emu: RunningEmulator, inputs: Record<string, string> = {}) {
  const run = await deploy(emu, { ...HOLD, ...inputs });
  expect(run.outputs).toMatchObject({ status: 'held', 'held-weight': '50', version: '2', 'previous-version': '1' });
  expect(run.exitCode).toBe(0);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
  return run;
}

/** A later job, in a run of its own: only its inputs and the alias. */
function operate(emu: RunningEmulator, operation: string, inputs: Record<string, string> = {}) {
  return deploy(emu, { operation, ...inputs }, { env: ACTOR });
}

/** The hold on the alias, as its record keeps it. */
function holdOnAlias(emu: RunningEmulator) {
  return readAliasRecord(liveAlias(emu)?.description).record.hold;
}

/** Operations that changed something since `from` calls, in order. */
function changesSince(emu: RunningEmulator, from: number): string[] {
  return changes({ calls: () => emu.calls().slice(from) } as RunningEmulator);
}

test('hold, then promote: the hold is judged, the alias ends on the new version, the record cleared', async () => {
  const emu = await world.start();
  const held = await holdAtHalf(emu);
  expect(held.outputs['deployment-id']).toMatch(/^local-1-[0-9a-f]{8}$/);
  expect(holdOnAlias(emu)).toMatchObject({
    deploymentId: held.outputs['deployment-id'],
    previousVersion: '1',
    newVersion: '2',
    weightPercent: 50,
    remaining: '100%',
    maxAgeSeconds: 86_400
  });
  expect(held.summary).toContain('Held for approval');
  expect(held.stdout).toContain('waiting for approval');
  // The hold's record went in the same UpdateAlias as the weight: no write of its own.
  expect(aliasUpdates(emu)).toEqual([
    ['1', { '2': 0.2 }],
    ['1', { '2': 0.5 }]
  ]);

  const before = emu.calls().length;
  const promoted = await operate(emu, 'promote', { alarms: 'orders-errors' });
  expect(promoted.outputs).toMatchObject({
    status: 'succeeded',
    version: '2',
    'previous-version': '1',
    'deployment-id': held.outputs['deployment-id']
  });
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2', weights: {} });
  expect(holdOnAlias(emu)).toBeUndefined();
  expect(changesSince(emu, before)).toEqual(['UpdateAlias']);
  expect(promoted.stdout).toContain("The hold's window passed the checks (alarms)");
  expect(promoted.summary).toContain('promoted by octocat');
});

test('the holding job’s post step leaves the hold alone', async () => {
  const emu = await world.start();
  const held = await holdAtHalf(emu);
  const before = emu.calls().length;
  const post = await runAction({
    endpoint: emu.url,
    inputs: { 'function-name': 'orders', ...HOLD },
    entry: 'dist/post/index.js',
    env: postStepEnv(held.state)
  });
  expect(post.exitCode).toBe(0);
  expect(post.stdout).toContain('held for approval on purpose');
  expect(emu.calls().length).toBe(before);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
});

test('hold, then steps after it: a promotion bakes them, and expedite skips them for a reason it records', async () => {
  const emu = await world.start();
  await holdAtHalf(emu, { strategy: '20%:300ms, 50%:hold, 80%:300ms' });
  expect(holdOnAlias(emu)).toMatchObject({ remaining: '80%:300ms, 100%' });
  const before = aliasUpdates(emu).length;
  const promoted = await operate(emu, 'promote', { alarms: 'orders-errors' });
  expect(promoted.outputs.status).toBe('succeeded');
  expect(aliasUpdates(emu).slice(before)).toEqual([
    ['1', { '2': 0.8 }],
    ['2', {}]
  ]);

  const again = await world.start();
  await holdAtHalf(again, { strategy: '20%:300ms, 50%:hold, 80%:10m' });
  const from = aliasUpdates(again).length;
  const expedited = await operate(again, 'promote', { alarms: 'orders-errors', expedite: 'the fix for INC-42' });
  expect(expedited.outputs.status).toBe('succeeded');
  expect(aliasUpdates(again).slice(from)).toEqual([['2', {}]]);
  expect(expedited.summary).toContain('Expedited');
  expect(expedited.summary).toContain('by octocat: the fix for INC-42');
});

test('hold, then an alarm in ALARM: promote judges the hold, rolls back and says why', async () => {
  const emu = await world.start();
  await holdAtHalf(emu);
  emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed' });
  const promoted = await operate(emu, 'promote', { alarms: 'orders-errors' });
  expect(promoted.outputs.status).toBe('rolled-back');
  expect(promoted.outputs['failure-reason']).toBe('alarm orders-errors is in ALARM (Threshold Crossed)');
  expect(promoted.exitCode).toBe(1);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(holdOnAlias(emu)).toBeUndefined();
});

test('hold, then abort: back on the previous version, the record cleared, who and why said', async () => {
  const emu = await world.start();
  const held = await holdAtHalf(emu);
  const aborted = await operate(emu, 'abort', { reason: 'wrong build' });
  expect(aborted.outputs).toMatchObject({
    status: 'aborted',
    'deployment-id': held.outputs['deployment-id'],
    version: '2',
    'previous-version': '1'
  });
  expect(aborted.exitCode).toBe(0);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(holdOnAlias(emu)).toBeUndefined();
  expect(aborted.summary).toContain('octocat');
  expect(aborted.summary).toContain('wrong build');
  // Nothing is left to abort: a second abort changes nothing.
  const before = emu.calls().length;
  const again = await operate(emu, 'abort');
  expect(again.outputs.status).toBe('skipped');
  expect(changesSince(emu, before)).toEqual([]);
});

test('a second deployment on a held alias is refused before any write, naming the hold and how to end it', async () => {
  const emu = await world.start();
  const held = await holdAtHalf(emu);
  emu.updateCode('orders');
  const before = emu.calls().length;
  // Even with on-split-alias rollback: a hold is a person's pending decision, not an interrupted run.
  const second = await deploy(emu, { strategy: 'Canary10Percent1Second', 'on-split-alias': 'rollback' });
  expect(second.outputs.status).toBe('failed');
  const reason = second.outputs['failure-reason']!;
  expect(reason).toContain(`deployment ${held.outputs['deployment-id']} holds version 2 at 50%`);
  expect(reason).toMatch(/ago \(limit 24h\)/);
  expect(reason).toContain('operation: promote');
  expect(reason).toContain('operation: abort');
  expect(changesSince(emu, before)).toEqual([]);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
});

test('a hold past its age is refused by promote and aborted by the guard', async () => {
  const emu = await world.start();
  await holdAtHalf(emu);
  await ageHold(emu, 25 * 3600);
  const before = emu.calls().length;
  const promoted = await operate(emu, 'promote', { alarms: 'orders-errors' });
  expect(promoted.outputs.status).toBe('failed');
  expect(promoted.outputs['failure-reason']).toMatch(/^the promotion was refused, nothing was changed: the hold is past its age/);
  expect(changesSince(emu, before)).toEqual([]);

  const guarded = await operate(emu, 'guard', { alarms: 'orders-errors' });
  expect(guarded.outputs.status).toBe('aborted');
  expect(guarded.stdout).toContain('aborted by the guard: the hold is past its age (limit 24h)');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(holdOnAlias(emu)).toBeUndefined();
});

test('the guard leaves a hold within its age alone, aborts one with an alarm in ALARM, and never touches an alias without a hold', async () => {
  const emu = await world.start();
  const quiet = await operate(emu, 'guard', { alarms: 'orders-errors' });
  expect(quiet.outputs.status).toBe('skipped');
  expect(changes(emu)).toEqual([]);

  await holdAtHalf(emu);
  const before = emu.calls().length;
  const watched = await operate(emu, 'guard', { alarms: 'orders-errors' });
  expect(watched.outputs).toMatchObject({ status: 'held', 'held-weight': '50' });
  expect(changesSince(emu, before)).toEqual([]);

  emu.setAlarmState('orders-errors', 'ALARM', { reason: 'Threshold Crossed' });
  const alarmed = await operate(emu, 'guard', { alarms: 'orders-errors' });
  expect(alarmed.outputs.status).toBe('aborted');
  expect(alarmed.stdout).toContain('aborted by the guard: alarm orders-errors is in ALARM');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
});

test('an alias someone changed during the hold is detected: promote, abort and guard overwrite nothing', async () => {
  const emu = await world.start();
  await holdAtHalf(emu);
  // Someone puts the alias back by hand, leaving its description (and the record) as it was.
  await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders',
    Name: 'live',
    FunctionVersion: '1',
    RoutingConfig: { AdditionalVersionWeights: { '2': 0.3 } }
  });
  const theirs = liveAlias(emu)!;
  const before = emu.calls().length;
  for (const operation of ['promote', 'abort', 'guard']) {
    const run = await operate(emu, operation);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs['failure-reason']).toContain('was changed by someone else during the hold');
    expect(run.outputs['failure-reason']).toContain('now routes 70% to version 1 and 30% to version 2');
  }
  expect(changesSince(emu, before)).toEqual([]);
  expect(liveAlias(emu)).toEqual(theirs);
});

test('several functions hold together, each alias with its record, and are promoted together', async () => {
  const emu = await world.start();
  for (const name of ['orders-api', 'orders-worker']) {
    emu.createFunction({ name, versions: 1, alias: { name: 'live', version: '1' } });
    emu.updateCode(name);
  }
  const functions = '- orders-api\n- orders-worker';
  const alias = (name: string) =>
    emu
      .state()
      .functions.find((fn) => fn.name === name)
      ?.aliases.find((a) => a.name === 'live');
  const run = (inputs: Record<string, string>) =>
    runAction({ endpoint: emu.url, inputs: { functions, ...FAST, ...inputs }, env: ACTOR, timeoutMs: 60_000 });
  const held = await run({ strategy: '20%:300ms, 50%:hold' });
  expect(held.outputs).toMatchObject({ status: 'held', 'held-weight': '50' });
  for (const name of ['orders-api', 'orders-worker']) {
    expect(alias(name)).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
    expect(readAliasRecord(alias(name)?.description).record.hold).toMatchObject({ deploymentId: held.outputs['deployment-id'] });
  }
  const promoted = await run({ operation: 'promote', 'deployment-id': held.outputs['deployment-id']! });
  expect(promoted.outputs.status).toBe('succeeded');
  for (const name of ['orders-api', 'orders-worker']) {
    expect(alias(name)).toMatchObject({ functionVersion: '2', weights: {} });
    expect(readAliasRecord(alias(name)?.description).record.hold).toBeUndefined();
  }
});

test('outside its deploy window a deployment is refused before anything is read; an override runs it and says who and why', async () => {
  const emu = await world.start();
  // A window of one minute, six hours from now: closed for as long as this test runs.
  const window = { strategy: '20%:300ms, 50%:hold', 'deploy-window': `daily ${minuteOfDayUtc(Date.now() + 6 * 3_600_000)} UTC` };
  const refused = await deploy(emu, window);
  expect(refused.outputs.status).toBe('failed');
  expect(refused.outputs['failure-reason']).toMatch(
    /^the deployment \(its bakes take 300ms\) was refused before anything changed: it is /
  );
  expect(refused.outputs['failure-reason']).toContain('; it next opens ');
  expect(emu.calls()).toEqual([]);

  const overridden = await deploy(emu, { ...window, 'deploy-window-override': 'INC-42 cannot wait' }, { env: ACTOR });
  expect(overridden.outputs.status).toBe('held');
  expect(overridden.summary).toContain('outside its deploy window');
  expect(overridden.summary).toContain('Overridden by octocat: INC-42 cannot wait');
});

/** `HH:MM-HH:MM`, the minute that holds `ms`, in UTC. */
function minuteOfDayUtc(ms: number): string {
  const at = (time: number) => new Date(time).toISOString().slice(11, 16);
  return `${at(ms)}-${at(ms + 60_000)}`;
}

testIamPolicyCoversCalls();

/** The hold began `seconds` earlier than it did, as if its job had run then: its record rewritten on the alias. */
async function ageHold(emu: RunningEmulator, seconds: number): Promise<void> {
  const read = readAliasRecord(liveAlias(emu)?.description);
  const hold = read.record.hold!;
  await emu.handleOperation('lambda', 'UpdateAlias', {
    FunctionName: 'orders',
    Name: 'live',
    Description: writeAliasRecord(withHold(read.record, { ...hold, heldAt: hold.heldAt - seconds }), read.text)
  });
}

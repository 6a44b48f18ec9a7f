import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { savedState } from '../../../src/action/state.js';
import { readAliasRecord, type HoldRecord } from '../../../src/alias/record.js';
import { CloudWatchAlarmGateway } from '../../../src/aws/alarm-gateway.js';
import { CloudWatchMetricsGateway } from '../../../src/aws/cloudwatch-metrics-gateway.js';
import { SdkCodeDeployGateway } from '../../../src/aws/sdk-codedeploy-gateway.js';
import { SdkLambdaInventoryGateway } from '../../../src/aws/sdk-lambda-inventory-gateway.js';
import { SdkLambdaGateway } from '../../../src/aws/sdk-lambda-gateway.js';
import { AlarmCheck } from '../../../src/checks/alarm-check.js';
import { analysedFunction } from '../../../src/action/analysed-function.js';
import { AnalysisCheck } from '../../../src/checks/analysis/analysis-check.js';
import { AnalysisLog } from '../../../src/checks/analysis/analysis-log.js';
import type { BakeCheck, CheckContext, Verdict } from '../../../src/checks/checks.js';
import { parseDeployWindow } from '../../../src/config/deploy-window.js';
import type { PromoteOperation } from '../../../src/config/settings.js';
import type { Wiring } from '../../../src/engines/index.js';
import { recoverInterrupted } from '../../../src/engines/runner/recover.js';
import type { RunnerState } from '../../../src/engines/runner/state.js';
import { promote } from '../../../src/operations/promote.js';
import { Recorder } from '../../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../../src/rollout/result.js';
import { CaptureLog } from '../../support/capture-log.js';
import { EmulatedAws, runEngine, settingsFor, testClients, type SettingsOverrides } from '../../support/engine-harness.js';

// A hold, and its promotion by a later job, over the real SDK gateways against the emulator
// in-process, on a fake clock: a hold of hours takes milliseconds, and every age is exact.

const M = 60_000;
const H = 60 * M;

let aws: EmulatedAws;
beforeEach(() => {
  aws = new EmulatedAws();
});
afterEach(() => aws.restore());

/** The hold the alias's record keeps now. */
const holdOnAlias = (): HoldRecord | undefined => readAliasRecord(aws.alias()?.description).record.hold;

/** A check that answers as told and keeps what it was asked. */
class ScriptedCheck implements BakeCheck {
  readonly contexts: CheckContext[] = [];
  constructor(
    readonly name: string,
    private readonly verdict: (context: CheckContext) => Verdict = () => ({ kind: 'healthy', observations: [] })
  ) {}
  async preflight() {
    return { problems: [], warnings: [] };
  }
  dataDelay() {
    return undefined;
  }
  async evaluate(context: CheckContext): Promise<Verdict> {
    this.contexts.push(context);
    return this.verdict(context);
  }
}

/** The job that promotes: the operation, wired as on-hold.ts wires it, on the test's clock. */
async function promoteWith(
  options: {
    checks?: BakeCheck[];
    operation?: Partial<PromoteOperation>;
    settings?: SettingsOverrides;
    signal?: AbortSignal;
  } = {}
) {
  const log = new CaptureLog();
  const recorder = new Recorder(log, aws.clock);
  const lambda = new SdkLambdaGateway(testClients());
  const snapshots: DeploymentSnapshot[] = [];
  const wiring: Wiring = {
    aws: {
      lambda,
      codedeploy: new SdkCodeDeployGateway(testClients()),
      inventory: new SdkLambdaInventoryGateway(testClients())
    },
    checks: options.checks ?? [],
    hooks: { BeforeAllowTraffic: [], AfterAllowTraffic: [] },
    clock: aws.clock,
    recorder,
    onTransition: (snapshot) => snapshots.push(snapshot),
    rollbackBudgetMs: 10_000
  };
  const outcome = await promote(
    {
      settings: settingsFor({ ...options.settings, operation: { kind: 'promote', ...options.operation } }),
      operation: { kind: 'promote', ...options.operation },
      wiring,
      actor: 'octocat'
    },
    options.signal
  );
  return { outcome, log, recorder, snapshots };
}

describe('holding', () => {
  test('bakes the steps before the hold, shifts to it with the record in the same UpdateAlias, and ends held', async () => {
    aws.orders({ live: '1' }).alarm('errors');
    const held = await aws.deploy({ strategy: '10%:5m, 50%:hold, 75%:10m', alarms: ['errors'], holdMaxAgeMs: 2 * H });
    expect(held.result).toMatchObject({
      status: 'held',
      engine: { held: { weightPercent: 50, maxAgeMs: 2 * H, afterHold: '75%:10m, 100%' } }
    });
    expect(held.elapsedMs).toBe(5 * M);
    expect(aws.aliasUpdates()).toEqual([
      ['1', { '2': 0.1 }],
      ['1', { '2': 0.5 }]
    ]);
    const [shift, hold] = aws.callsOf('UpdateAlias');
    expect(shift!.params.Description).toBeUndefined();
    expect(readAliasRecord(hold!.params.Description as string).record.hold).toEqual({
      deploymentId: 'deploy-1',
      previousVersion: '1',
      newVersion: '2',
      weightPercent: 50,
      remaining: '75%:10m, 100%',
      heldAt: aws.clock.now() / 1000,
      maxAgeSeconds: 7200
    });
    expect(holdOnAlias()).toMatchObject({ deploymentId: 'deploy-1' });
    // The post step reads the last snapshot and leaves the deliberate split alone.
    const last = held.snapshots.at(-1)!;
    expect(last.phase).toBe('held');
    expect(savedState.nothingToCleanUp({ STATE_deployment: JSON.stringify(last) })).toContain('held for approval on purpose');
  });

  test('a first deployment has nothing to hold against: the alias is created, as without a hold', async () => {
    aws.orders();
    const { result, recorder } = await aws.deploy({ strategy: '10%:5m, 50%:hold' });
    expect(result.status).toBe('succeeded');
    expect(aws.mutatingOps()).toEqual(['PublishVersion', 'CreateAlias']);
    expect(recorder.warnings).toContain(
      'the strategy holds for approval, but this is a first deployment: with no version to shift from there is nothing to hold against, so the alias is created on the new version'
    );
  });

  test('a hold with several functions needs every alias to exist, or none', async () => {
    aws.orders({ live: '1' });
    aws.emu.createFunction({ name: 'orders-worker' });
    const settings = settingsFor({ strategy: '10%:5m, 50%:hold' });
    const { result } = await runEngine(
      { ...settings, targets: [...settings.targets, { functionName: 'orders-worker', alias: 'live' }] },
      { clock: aws.clock }
    );
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('orders-worker:live does not exist yet: a new alias has no version to hold against');
    expect(aws.mutatingOps()).toEqual([]);
  });

  test('an alias someone changes right before the hold is left as they set it, with no hold written', async () => {
    aws.orders({ live: '1' });
    aws.clock.at(aws.clock.now() + 4 * M, () => void aws.changedBySomeoneElse('1'));
    const { result } = await aws.deploy({ strategy: '10%:5m, 50%:hold' });
    expect(result.status).toBe('failed');
    expect(result.failureReason).toContain('was changed by someone else');
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
    expect(holdOnAlias()).toBeUndefined();
  });
});

describe('promoting', () => {
  async function held(strategy = '10%:5m, 50%:hold', overrides: SettingsOverrides = {}) {
    aws.orders({ live: '1' });
    const run = await aws.deploy({ strategy, ...overrides });
    expect(run.result.status).toBe('held');
    return holdOnAlias()!;
  }

  test('judges the whole hold, from when it began until now, then promotes with the hold cleared in the same write', async () => {
    const hold = await held();
    aws.clock.advance(3 * H);
    const alarms = new ScriptedCheck('alarms');
    const { outcome, snapshots } = await promoteWith({ checks: [alarms] });
    expect(outcome).toMatchObject({
      kind: 'continued',
      report: { result: { status: 'succeeded', deploymentId: hold.deploymentId } }
    });
    const judged = alarms.contexts[0]!;
    expect(judged).toMatchObject({ weightPercent: 50, stepStartedAt: hold.heldAt * 1000, stepEndsAt: judged.now });
    expect(judged.now - hold.heldAt * 1000).toBe(3 * H);
    expect(judged.versions).toEqual([{ functionName: 'orders', alias: 'live', target: '2', previous: '1' }]);
    const promoting = aws.callsOf('UpdateAlias').at(-1)!;
    expect(promoting.params).toMatchObject({ FunctionVersion: '2' });
    // The hold ends in the promoting write, which records the version as good (rollback-to: last-good).
    expect(readAliasRecord(promoting.params.Description as string).record).toEqual({ good: ['2'] });
    expect(aws.alias()).toMatchObject({ functionVersion: '2', weights: {} });
    expect(snapshots.map((s) => s.phase)).toEqual(expect.arrayContaining(['judge-hold', 'promote', 'succeeded']));
  });

  test('the steps after the hold bake from the promotion’s first shift; expedite skips them', async () => {
    await held('10%:5m, 50%:hold, 75%:10m');
    aws.clock.advance(H);
    const started = aws.clock.now();
    const { outcome } = await promoteWith({ checks: [new ScriptedCheck('alarms')] });
    expect(outcome.kind === 'continued' && outcome.report.result.status).toBe('succeeded');
    expect(aws.clock.now() - started).toBe(10 * M);
    expect(aws.aliasUpdates().slice(-2)).toEqual([
      ['1', { '2': 0.75 }],
      ['2', {}]
    ]);
  });

  test('expedited: straight to 100 % once the hold passes, who and why in the facts', async () => {
    await held('10%:5m, 50%:hold, 75%:10m');
    const started = aws.clock.now();
    const { outcome } = await promoteWith({ checks: [new ScriptedCheck('alarms')], operation: { expedite: 'INC-42' } });
    expect(aws.clock.now()).toBe(started);
    expect(aws.aliasUpdates().at(-1)).toEqual(['2', {}]);
    expect(outcome.kind === 'continued' && outcome.report.result.engine.facts).toEqual(
      expect.arrayContaining([{ label: 'Expedited', parts: [{ text: 'by octocat: INC-42 (remaining bakes skipped)' }] }])
    );
  });

  test('a hold is promotable up to its age exactly, and refused a second later, without a write', async () => {
    await held('10%:5m, 50%:hold', { holdMaxAgeMs: 2 * H });
    aws.clock.advance(2 * H + 1_000);
    const late = await promoteWith();
    expect(late.outcome).toMatchObject({ kind: 'refused' });
    expect(late.outcome.kind === 'refused' && late.outcome.reason).toContain('the hold is past its age');
    expect(aws.aliasUpdates()).toHaveLength(2);

    aws.restore();
    aws = new EmulatedAws();
    await held('10%:5m, 50%:hold', { holdMaxAgeMs: 2 * H });
    aws.clock.advance(2 * H);
    expect((await promoteWith()).outcome).toMatchObject({ kind: 'continued' });
  });

  test('an alarm in ALARM when the promotion begins rolls the hold back, the record cleared', async () => {
    await held();
    aws.alarm('errors', 'ALARM');
    const check = new AlarmCheck(new CloudWatchAlarmGateway(testClients()), [{ name: 'errors' }], false, true);
    const { outcome } = await promoteWith({ checks: [check], settings: { alarms: ['errors'] } });
    expect(outcome).toMatchObject({ kind: 'continued', report: { result: { status: 'rolled-back' } } });
    expect(outcome.kind === 'continued' && outcome.report.result.failureReason).toMatch(/^alarm errors is in ALARM/);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
    expect(holdOnAlias()).toBeUndefined();
  });

  test('a missing alarm refuses the promotion (a typo must not roll anything back)', async () => {
    await held();
    const check = new AlarmCheck(new CloudWatchAlarmGateway(testClients()), [{ name: 'erors' }], false, true);
    const { outcome } = await promoteWith({ checks: [check] });
    expect(outcome.kind === 'refused' && outcome.reason).toContain('CloudWatch alarm not found: erors');
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: { '2': 0.5 } });
  });

  test('the per-version analysis judges the minutes nobody watched: a version that failed all night is rolled back', async () => {
    aws.emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
    aws.emu.updateCode('orders');
    aws.emu.startTraffic({
      functionName: 'orders',
      alias: 'live',
      ratePerSecond: 2,
      versions: {
        '1': { errorRate: 0.001, latency: { medianMs: 20, p99Ms: 50 } },
        '2': { errorRate: 0.2, latency: { medianMs: 20, p99Ms: 50 } }
      }
    });
    expect((await aws.deploy({ strategy: '50%:hold' })).result.status).toBe('held');
    aws.clock.advance(H);
    const heldAtMs = aws.clock.now() - H;
    const log = new AnalysisLog();
    const analysis = new AnalysisCheck({
      gateway: new CloudWatchMetricsGateway(testClients()),
      alias: { functionName: 'orders', alias: 'live' },
      thresholds: { maxErrorRateIncrease: 0.01, failedChecksLimit: 1, periodSeconds: 60 },
      fn: analysedFunction(new SdkLambdaGateway(testClients()), { functionName: 'orders', alias: 'live' }),
      rollout: { kind: 'promotion' },
      clock: aws.clock,
      functions: 1,
      maxBakeExtensionMs: 10 * M,
      pollIntervalMs: 10_000,
      sink: log
    });
    const promotedAtMs = aws.clock.now();
    const { outcome } = await promoteWith({ checks: [analysis] });
    expect(outcome).toMatchObject({ kind: 'continued', report: { result: { status: 'rolled-back' } } });
    const reason = outcome.kind === 'continued' ? outcome.report.result.failureReason : '';
    expect(reason).toContain('per-version analysis of orders:live (version 2 against 1, max-error-rate-increase)');
    // The hold's minutes were judged at the promotion's first read, not minutes after it began.
    const point = log.points.at(-1)!;
    expect(point.atMs).toBe(promotedAtMs);
    expect(point.windowStartMs).toBe(Math.floor(heldAtMs / M) * M);
    expect(point.windowEndMs).toBeLessThanOrEqual(promotedAtMs);
    expect(point.target.invocations).toBeGreaterThan(0);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });

  test('outside the deploy window, with the remaining bakes, it is refused; with an override it runs and says so', async () => {
    // 25 November 2026 12:00 UTC is a Wednesday: 13:00 in Berlin.
    await held('10%:5m, 50%:hold, 75%:3h');
    const window = { window: parseDeployWindow('Mon-Fri 09:00-16:00 Europe/Berlin', 'deploy-window')! };
    const closed = await promoteWith({ operation: { window } });
    expect(closed.outcome.kind === 'refused' && closed.outcome.reason).toContain(
      'the promotion (its bakes take 3h) was refused before anything changed'
    );
    const overridden = await promoteWith({ operation: { window: { ...window, override: 'release train' } } });
    expect(overridden.outcome).toMatchObject({ kind: 'continued', report: { result: { status: 'succeeded' } } });
    expect(overridden.recorder.warnings[0]).toMatch(
      /^The promotion \(its bakes take 3h\) runs outside its deploy window: .* Overridden by octocat: release train$/
    );
    // Expedited, nothing bakes after the hold: the promotion fits in the window.
    aws.restore();
    aws = new EmulatedAws();
    await held('10%:5m, 50%:hold, 75%:3h');
    expect((await promoteWith({ operation: { window, expedite: 'now' } })).outcome).toMatchObject({ kind: 'continued' });
  });

  test('deployment-id pins the hold meant: another one is refused', async () => {
    const hold = await held();
    const { outcome } = await promoteWith({ operation: { deploymentId: 'other-1-00000000' } });
    expect(outcome.kind === 'refused' && outcome.reason).toContain(`holds deployment ${hold.deploymentId}, not other-1-00000000`);
  });

  test('cancelled during a bake after the hold: rolled back, and an interrupted one is put back by the post step', async () => {
    await held('10%:5m, 50%:hold, 75%:10m');
    const controller = new AbortController();
    aws.clock.at(aws.clock.now() + 5 * M, () => controller.abort('SIGINT'));
    const { outcome, snapshots } = await promoteWith({ signal: controller.signal });
    expect(outcome).toMatchObject({ kind: 'continued', report: { result: { status: 'rolled-back', cancelled: true } } });
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });

    // Had the process been killed instead, its last snapshot in the bake tells the post step to put the alias back.
    const midBake = snapshots.find((snapshot) => snapshot.phase === 'shift') as DeploymentSnapshot<RunnerState>;
    await aws.changedBySomeoneElse('1', { '2': 0.75 });
    const recovery = await recoverInterrupted(midBake, {
      lambda: new SdkLambdaGateway(testClients()),
      clock: aws.clock,
      recorder: new Recorder(new CaptureLog(), aws.clock),
      budgetMs: 10_000,
      provisioned: { timeoutMs: 60_000, pollIntervalMs: 5_000 }
    });
    expect(recovery.acted).toBe(true);
    expect(aws.alias()).toMatchObject({ functionVersion: '1', weights: {} });
  });
});

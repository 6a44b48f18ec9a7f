import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { Emulator } from '../../emulator/index.js';
import { attachToSdkMocks, emulatorAnswer, SDK_COMMANDS } from '../../emulator/sdk-mock.js';
import type { AlarmState, AliasSnapshot, CallLogEntry, InvokeResultSpec } from '../../emulator/types.js';
import { AwsClients } from '../../src/aws/clients.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { SdkLambdaInventoryGateway } from '../../src/aws/sdk-lambda-inventory-gateway.js';
import { CloudWatchAlarmGateway } from '../../src/aws/alarm-gateway.js';
import { SdkCodeDeployGateway } from '../../src/aws/sdk-codedeploy-gateway.js';
import { LambdaTrafficHook } from '../../src/hooks/lambda-hook.js';
import { AlarmCheck } from '../../src/checks/alarm-check.js';
import { AnalysisCheck } from '../../src/checks/analysis/analysis-check.js';
import { AnalysisLog } from '../../src/checks/analysis/analysis-log.js';
import { CloudWatchMetricsGateway } from '../../src/aws/cloudwatch-metrics-gateway.js';
import { analysedFunction } from '../../src/action/analysed-function.js';
import { plainFunctionName } from '../../src/aws/arn.js';
import type { BakeCheck } from '../../src/checks/checks.js';
import { chooseEngine } from '../../src/engines/index.js';
import type { RunnerState } from '../../src/engines/runner/state.js';
import { Recorder } from '../../src/rollout/recorder.js';
import type { DeploymentSnapshot, EngineSnapshot } from '../../src/rollout/result.js';
import type { Settings, TargetSettings } from '../../src/config/settings.js';
import type { RunContext } from '../../src/core/run-context.js';
import { parseStrategy } from '../../src/config/strategy.js';
import { FakeClock } from './fake-clock.js';
import { CaptureLog } from './capture-log.js';

export const FUNCTION = 'orders';
export const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

/** Settings of one function, `orders` on `live`, with what a test changes (the function's own fields too). */
export type SettingsOverrides = Partial<Omit<Settings, 'strategy' | 'alarms'>> &
  Partial<TargetSettings> & {
    strategy?: string;
    alarms?: readonly string[];
  };

export function settingsFor(overrides: SettingsOverrides = {}): Settings {
  const { strategy, alarms, functionName, functionRegion, alias, code, preTrafficHook, postTrafficHook, ...rest } = overrides;
  const target: TargetSettings = {
    functionName: functionName ?? FUNCTION,
    alias: alias ?? 'live',
    ...(functionRegion ? { functionRegion } : {}),
    ...(code ? { code } : {}),
    ...(preTrafficHook ? { preTrafficHook } : {}),
    ...(postTrafficHook ? { postTrafficHook } : {})
  };
  return {
    targets: [target],
    strategy: parseStrategy(strategy ?? 'AllAtOnce'),
    alarms: (alarms ?? []).map((name) => ({ name })),
    allowNewAlias: false,
    alarmPollIntervalMs: 10_000,
    maxBakeExtensionMs: 600_000,
    allowAlarmAtStart: false,
    versionDescription: 'test',
    aws: { maxRetries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 5_000 },
    dryRun: false,
    onSplitAlias: 'fail',
    symlinks: { kind: 'inside' },
    commandTimeoutMs: 60_000,
    engine: { kind: 'runner' },
    provisionedConcurrency: { timeoutMs: 600_000, pollIntervalMs: 5_000 },
    release: { kind: 'publish' },
    onUnroutedTriggers: 'warn',
    pruning: { kind: 'off' },
    operation: { kind: 'deploy' },
    holdMaxAgeMs: 86_400_000,
    ...rest
  };
}

/** Real SDK clients (aws-sdk-client-mock intercepts their calls), without retries. */
export function testClients(): AwsClients {
  return new AwsClients({ maxRetries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 5_000, region: 'us-east-1' }, {});
}

/** How `orders` stands before the deployment. */
export interface OrdersOptions {
  /** The version the alias `live` serves (versions 1 to it exist); undefined: no version and no alias yet. */
  readonly live?: string;
  /** The alias is split, as an interrupted deployment leaves it: another version and its weight, e.g. `{ '2': 0.1 }`. */
  readonly split?: Record<string, number>;
  /** New code waits to be published (default): PublishVersion gives a new version. False: it gives the live one back. */
  readonly newCode?: boolean;
  /** The function's Timeout in seconds (default Lambda's 3). */
  readonly timeout?: number;
}

/** Lambda operations a test can slow down or fault. */
type LambdaOperation = keyof typeof SDK_COMMANDS.lambda;

/** The part of an aws-sdk-client-mock stub the overrides use (its generics do not survive a union of commands). */
interface CommandStub {
  on(
    command: unknown,
    input?: Record<string, unknown>
  ): { callsFake(fake: (input: Record<string, unknown>, getClient: () => unknown) => unknown): unknown };
}

/**
 * The AWS of an engine test: the emulator, in-process (no HTTP), on the test's fake clock. The real
 * SDK gateways send real SDK commands; aws-sdk-client-mock hands each one to the emulator, which
 * answers as Lambda and CloudWatch would (RevisionIds, version numbers, IAM denials, faults) and logs
 * it. Tests set the world up with the emulator's control API and read `calls()` and `state()`.
 */
export class EmulatedAws {
  readonly clock = new FakeClock();
  readonly emu = new Emulator({ now: () => this.clock.now() });
  readonly lambda: AwsClientStub<LambdaClient> = mockClient(LambdaClient);
  readonly cloudwatch: AwsClientStub<CloudWatchClient> = mockClient(CloudWatchClient);

  constructor() {
    attachToSdkMocks(this.emu, { lambda: this.lambda, cloudwatch: this.cloudwatch });
  }

  /** Creates `orders` (see OrdersOptions). */
  orders(options: OrdersOptions = {}): this {
    const { live, split } = options;
    const timeout = options.timeout !== undefined ? { timeout: options.timeout } : {};
    if (live === undefined) {
      this.emu.createFunction({ name: FUNCTION, ...timeout });
      return this;
    }
    const highest = Math.max(Number(live), ...Object.keys(split ?? {}).map(Number));
    this.emu.createFunction({
      name: FUNCTION,
      ...timeout,
      versions: highest,
      alias: { name: 'live', version: live, ...(split ? { weights: split } : {}) }
    });
    if (options.newCode !== false) this.emu.updateCode(FUNCTION);
    return this;
  }

  /** A hook function; its invocations answer `results` in turn (then `{"status":"Succeeded"}`). */
  hook(name: string, ...results: InvokeResultSpec[]): this {
    this.emu.createFunction({ name });
    if (results.length > 0) this.emu.queueInvokeResults(name, results);
    return this;
  }

  alarm(name: string, state: AlarmState = 'OK'): this {
    this.emu.putAlarm({ name, state });
    return this;
  }

  /** What the emulator answers to `operation`: for a test's own override of one command that still reaches it. */
  answer(operation: LambdaOperation): (input: Record<string, unknown>, getClient?: () => unknown) => Promise<unknown> {
    return emulatorAnswer(this.emu, 'lambda', operation);
  }

  /** Each call of `operation` answers `ms` after it ran, on the fake clock (a slow call, a hook that runs a while). */
  slow(operation: LambdaOperation, ms: number): void {
    const answer = this.answer(operation);
    this.override(operation).callsFake(async (input, getClient) => {
      try {
        return await answer(input, getClient);
      } finally {
        this.clock.advance(ms);
      }
    });
  }

  /**
   * The calls of `operation` whose input has the members of `input` meet `fault` in the emulator (a
   * failNext code: 'hang', 'hang-after-run', an AWS error code), `times` times (default every time);
   * the other calls are answered as usual. E.g. every rollback write, `{ FunctionVersion: '1' }`, hangs.
   */
  fault(operation: LambdaOperation, input: Record<string, unknown>, fault: string, times = Infinity): void {
    const answer = this.answer(operation);
    let left = times;
    this.override(operation, input).callsFake((sent, getClient) => {
      if (left-- > 0) this.emu.failNext(operation, 1, fault);
      return answer(sent, getClient);
    });
  }

  /** The calls of `operation` (whose input has the members of `input`) from now on, to answer them otherwise. */
  private override(operation: LambdaOperation, input?: Record<string, unknown>) {
    return (this.lambda as unknown as CommandStub).on(SDK_COMMANDS.lambda[operation], input);
  }

  /** Someone else (a person, another pipeline) updates the alias now, as it stands; returns the RevisionId Lambda gave them. */
  async changedBySomeoneElse(version: string, weights: Record<string, number> = {}): Promise<string> {
    const { RevisionId } = (await this.emu.handleOperation('lambda', 'UpdateAlias', {
      FunctionName: FUNCTION,
      Name: 'live',
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: weights },
      RevisionId: this.alias()!.revisionId
    })) as { RevisionId: string };
    return RevisionId;
  }

  /** Every AWS call the emulator answered, in order. */
  calls(): CallLogEntry[] {
    return this.emu.calls();
  }

  /** Calls of one operation. */
  callsOf(operation: string): CallLogEntry[] {
    return this.calls().filter((call) => call.operation === operation);
  }

  /** The operations that change something or run a hook, in order, whatever they answered. */
  mutatingOps(): string[] {
    return this.calls()
      .filter((call) => call.mutating || (call.operation === 'Invoke' && call.params.InvocationType !== 'DryRun'))
      .map((call) => call.operation);
  }

  /** Each UpdateAlias asked for, whatever it answered: [FunctionVersion, AdditionalVersionWeights]. */
  aliasUpdates(): Array<[string, Record<string, number>]> {
    return this.callsOf('UpdateAlias').map((call) => {
      const params = call.params as {
        FunctionVersion: string;
        RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
      };
      return [params.FunctionVersion, params.RoutingConfig?.AdditionalVersionWeights ?? {}];
    });
  }

  /** The alias `live` of orders as Lambda holds it now; undefined when there is none. */
  alias(): AliasSnapshot | undefined {
    return this.emu
      .state()
      .functions.find((fn) => fn.name === FUNCTION)
      ?.aliases.find((alias) => alias.name === 'live');
  }

  /**
   * From now on, for each UpdateAlias: the RevisionId it sent, and the one the alias had when Lambda
   * last answered about it (GetAlias, CreateAlias or UpdateAlias) — what the engine should have sent.
   */
  recordRevisions(): Array<{ sent: unknown; lastAnswered: string | undefined }> {
    const chain: Array<{ sent: unknown; lastAnswered: string | undefined }> = [];
    let lastAnswered: string | undefined;
    this.emu.onCall((call) => {
      if (!['GetAlias', 'CreateAlias', 'UpdateAlias'].includes(call.operation)) return;
      if (call.operation === 'UpdateAlias') chain.push({ sent: call.params.RevisionId, lastAnswered });
      if (call.status >= 200 && call.status < 300) lastAnswered = this.alias()?.revisionId;
    });
    return chain;
  }

  /** Runs the real engine against this AWS, on its clock. */
  deploy(overrides: SettingsOverrides = {}, options: { signal?: AbortSignal; source?: RunContext } = {}) {
    return runDeployment(overrides, { ...options, clock: this.clock });
  }

  restore(): void {
    this.lambda.restore();
    this.cloudwatch.restore();
  }
}

/**
 * Runs the real engine over the real SDK gateways (whose clients aws-sdk-client-mock intercepts)
 * with a fake clock: a thirty-minute canary takes milliseconds.
 */
export function runDeployment(
  overrides: SettingsOverrides = {},
  options: { clock?: FakeClock; signal?: AbortSignal; source?: RunContext } = {}
) {
  return runEngine(settingsFor(overrides), options);
}

/**
 * The engine the settings choose, run the way main runs it; the snapshots it saved are of type
 * `S`, the engine part the test expects (the runner's, unless told otherwise).
 */
export async function runEngine<S extends EngineSnapshot = RunnerState>(
  settings: Settings,
  options: { clock?: FakeClock; signal?: AbortSignal; source?: RunContext } = {}
) {
  const clock = options.clock ?? new FakeClock();
  const log = new CaptureLog();
  const recorder = new Recorder(log, clock);
  const clients = testClients();
  const lambda = new SdkLambdaGateway(clients);
  const alarms = new CloudWatchAlarmGateway(clients);
  const codedeploy = new SdkCodeDeployGateway(clients);
  const hook = (ref?: string) => (ref ? [{ hook: new LambdaTrafficHook(lambda, ref, clock), target: 0 }] : []);
  const snapshots: Array<DeploymentSnapshot<S>> = [];
  const startedAt = clock.now();
  const analysisLog = new AnalysisLog();
  const checks: BakeCheck[] = [
    ...(settings.alarms.length > 0 ? [new AlarmCheck(alarms, settings.alarms, settings.allowAlarmAtStart)] : []),
    ...analysisChecks(settings, clients, lambda, analysisLog, clock)
  ];
  const report = await chooseEngine(settings).run(
    {
      aws: {
        lambda,
        codedeploy,
        inventory: new SdkLambdaInventoryGateway(clients),
        metrics: new CloudWatchMetricsGateway(clients)
      },
      checks,
      hooks: {
        BeforeAllowTraffic: hook(settings.targets[0]!.preTrafficHook),
        AfterAllowTraffic: hook(settings.targets[0]!.postTrafficHook)
      },
      clock,
      recorder,
      onTransition: (snapshot) => snapshots.push(snapshot as DeploymentSnapshot<S>),
      ...(options.source ? { source: options.source } : {}),
      rollbackBudgetMs: 10_000
    },
    'deploy-1',
    options.signal
  );
  const { result } = report;
  /** The one function's result (these tests deploy one). */
  const only = result.targets[0]!;
  return {
    report,
    result,
    only,
    log,
    recorder,
    clock,
    snapshots,
    codedeploy,
    analysis: analysisLog.points,
    elapsedMs: clock.now() - startedAt
  };
}

/** The per-version analysis of each function, wired as the action wires it (see src/main.ts). */
function analysisChecks(
  settings: Settings,
  clients: AwsClients,
  lambda: SdkLambdaGateway,
  sink: AnalysisLog,
  clock: FakeClock
): BakeCheck[] {
  const { analysis } = settings;
  if (!analysis) return [];
  const gateway = new CloudWatchMetricsGateway(clients);
  return settings.targets.map(
    (target) =>
      new AnalysisCheck({
        gateway,
        alias: { functionName: plainFunctionName(target.functionName), alias: target.alias },
        thresholds: analysis,
        fn: analysedFunction(lambda, target, settings.configuration?.timeoutSeconds),
        rollout: { kind: 'deployment', strategy: settings.strategy },
        clock,
        functions: settings.targets.length,
        maxBakeExtensionMs: settings.maxBakeExtensionMs,
        pollIntervalMs: settings.alarmPollIntervalMs,
        sink
      })
  );
}

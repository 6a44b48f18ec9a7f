import { AwsClients } from '../../src/aws/clients.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { CloudWatchAlarmGateway } from '../../src/aws/alarm-gateway.js';
import { LambdaTrafficHook } from '../../src/hooks/lambda-hook.js';
import { AlarmCheck } from '../../src/checks/alarm-check.js';
import { deploy } from '../../src/rollout/engine.js';
import { Recorder } from '../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../src/rollout/result.js';
import type { Settings } from '../../src/config/settings.js';
import type { RunContext } from '../../src/core/run-context.js';
import { parseStrategy } from '../../src/strategy/parse.js';
import { FakeClock } from './fake-clock.js';
import { CaptureLog } from './capture-log.js';
import { FUNCTION } from './mocked-aws.js';

export type SettingsOverrides = Partial<Omit<Settings, 'strategy' | 'alarms'>> & { strategy?: string; alarms?: readonly string[] };

export function settingsFor(overrides: SettingsOverrides = {}): Settings {
  const { strategy, alarms, ...rest } = overrides;
  return {
    functionName: FUNCTION,
    alias: 'live',
    strategy: parseStrategy(strategy ?? 'AllAtOnce'),
    alarms: (alarms ?? []).map((name) => ({ name })),
    allowNewAlias: false,
    alarmPollIntervalMs: 10_000,
    maxBakeExtensionMs: 600_000,
    allowAlarmAtStart: false,
    versionDescription: 'test',
    maxRetries: 0,
    awsConnectTimeoutMs: 1_000,
    awsRequestTimeoutMs: 5_000,
    dryRun: false,
    onSplitAlias: 'fail',
    commandTimeoutMs: 60_000,
    ...rest
  };
}

/** Real SDK clients (aws-sdk-client-mock intercepts their calls), without retries. */
export function testClients(): AwsClients {
  return new AwsClients({ maxRetries: 0, connectTimeoutMs: 1_000, requestTimeoutMs: 5_000, region: 'us-east-1' }, {});
}

/**
 * Runs the real engine over the real SDK gateways (whose clients aws-sdk-client-mock intercepts)
 * with a fake clock: a thirty-minute canary takes milliseconds.
 */
export async function runDeployment(
  overrides: SettingsOverrides = {},
  options: { clock?: FakeClock; signal?: AbortSignal; source?: RunContext } = {}
) {
  const settings = settingsFor(overrides);
  const clock = options.clock ?? new FakeClock();
  const log = new CaptureLog();
  const recorder = new Recorder(log, clock);
  const clients = testClients();
  const lambda = new SdkLambdaGateway(clients);
  const alarms = new CloudWatchAlarmGateway(clients);
  const hook = (ref?: string) => (ref ? [new LambdaTrafficHook(lambda, ref, clock)] : []);
  const snapshots: DeploymentSnapshot[] = [];
  const startedAt = clock.now();
  const report = await deploy(
    {
      lambda,
      checks: settings.alarms.length > 0 ? [new AlarmCheck(alarms, settings.alarms, settings.allowAlarmAtStart)] : [],
      hooks: { BeforeAllowTraffic: hook(settings.preTrafficHook), AfterAllowTraffic: hook(settings.postTrafficHook) },
      clock,
      recorder,
      onTransition: (snapshot) => snapshots.push(snapshot),
      source: options.source,
      rollbackBudgetMs: 10_000
    },
    settings,
    'deploy-1',
    options.signal
  );
  const { result } = report;
  /** The one function's result (these tests deploy one). */
  const only = result.targets[0]!;
  return { report, result, only, log, recorder, clock, snapshots, elapsedMs: clock.now() - startedAt };
}

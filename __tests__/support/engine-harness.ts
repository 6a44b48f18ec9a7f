import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { CloudWatchAlarmGateway } from '../../src/aws/alarm-gateway.js';
import { LambdaTrafficHook } from '../../src/hooks/lambda-hook.js';
import { AlarmCheck } from '../../src/rollout/alarm-check.js';
import { deploy } from '../../src/rollout/engine.js';
import { Recorder } from '../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../src/rollout/result.js';
import type { Settings } from '../../src/config/settings.js';
import type { RunContext } from '../../src/github/context.js';
import { parseStrategy } from '../../src/strategy/parse.js';
import { FakeClock } from './fake-clock.js';
import { CaptureLog } from './capture-log.js';
import { FUNCTION } from './mocked-aws.js';

export type SettingsOverrides = Partial<Omit<Settings, 'strategy'>> & { strategy?: string };

export function settingsFor(overrides: SettingsOverrides = {}): Settings {
  const { strategy, ...rest } = overrides;
  return {
    functionName: FUNCTION,
    alias: 'live',
    strategy: parseStrategy(strategy ?? 'AllAtOnce'),
    alarms: [],
    alarmPollIntervalMs: 10_000,
    allowAlarmAtStart: false,
    versionDescription: 'test',
    maxRetries: 0,
    dryRun: false,
    onSplitAlias: 'fail',
    commandTimeoutMs: 60_000,
    ...rest
  };
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
  const lambda = new SdkLambdaGateway(new LambdaClient({ region: 'us-east-1', maxAttempts: 1 }));
  const alarms = new CloudWatchAlarmGateway(new CloudWatchClient({ region: 'us-east-1', maxAttempts: 1 }));
  const hook = (ref?: string) => (ref ? [new LambdaTrafficHook(lambda, ref, clock)] : []);
  const snapshots: DeploymentSnapshot[] = [];
  const startedAt = clock.now();
  const result = await deploy(
    {
      lambda,
      checks: [new AlarmCheck(alarms, settings.alarms, settings.allowAlarmAtStart)],
      hooks: { before: hook(settings.preTrafficHook), after: hook(settings.postTrafficHook) },
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
  return { result, log, recorder, clock, snapshots, elapsedMs: clock.now() - startedAt };
}

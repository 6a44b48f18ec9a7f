import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { attachToSdkMocks } from '../../emulator/sdk-mock.js';
import { CloudWatchAlarmGateway } from '../../src/aws/alarm-gateway.js';
import { SdkCodeDeployGateway } from '../../src/aws/sdk-codedeploy-gateway.js';
import { SdkLambdaGateway } from '../../src/aws/sdk-lambda-gateway.js';
import { AlarmCheck } from '../../src/checks/alarm-check.js';
import type { CodeDeploySettings } from '../../src/config/settings.js';
import type { Settings } from '../../src/config/settings.js';
import { LambdaTrafficHook } from '../../src/hooks/lambda-hook.js';
import { deploy } from '../../src/rollout/engine.js';
import { Recorder } from '../../src/rollout/recorder.js';
import type { DeploymentSnapshot } from '../../src/rollout/result.js';
import { deploymentConfigFor } from '../../src/strategy/codedeploy.js';
import { CaptureLog } from './capture-log.js';
import { EmulatedAws, settingsFor, testClients, type SettingsOverrides } from './engine-harness.js';

export const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/codedeploy-lambda';

/** The engine's AWS with CodeDeploy too: the in-process emulator behind mocked Lambda, CloudWatch and CodeDeploy clients. */
export class EmulatedCodeDeployAws extends EmulatedAws {
  readonly codedeploy: AwsClientStub<CodeDeployClient> = mockClient(CodeDeployClient);

  constructor() {
    super();
    attachToSdkMocks(this.emu, { codedeploy: this.codedeploy });
  }

  /** Sends a CodeDeploy operation to the emulator as another client would (a person, another pipeline, a hook). */
  cd(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.emu.handleOperation('codedeploy', operation, input) as Promise<Record<string, unknown>>;
  }

  /** Runs the real engine with `engine: codedeploy` against this AWS, on its clock. */
  runCodeDeploy(
    overrides: SettingsOverrides = {},
    codedeploy: Partial<CodeDeploySettings> = {},
    options: { signal?: AbortSignal } = {}
  ) {
    return runCodeDeploy(codeDeploySettings(overrides, codedeploy), { clock: this.clock, ...options });
  }

  override restore(): void {
    super.restore();
    this.codedeploy.restore();
  }
}

/** Settings of `engine: codedeploy`: application `orders`, group `live`, the service role, wait, and the strategy's configuration. */
export function codeDeploySettings(overrides: SettingsOverrides = {}, codedeploy: Partial<CodeDeploySettings> = {}): Settings {
  const settings = settingsFor(overrides);
  const mapping = deploymentConfigFor(settings.strategy);
  if (!mapping.ok) throw new Error(`the test's strategy cannot be handed to CodeDeploy: ${mapping.problem}`);
  return {
    ...settings,
    codedeploy: {
      application: 'orders',
      deploymentGroup: 'live',
      serviceRoleArn: SERVICE_ROLE,
      wait: true,
      ...(codedeploy.deploymentId === undefined ? { config: mapping.config } : {}),
      ...codedeploy
    }
  };
}

/** Runs the engine over the real SDK gateways (CodeDeploy's too), with a fake clock. */
export async function runCodeDeploy(settings: Settings, options: { clock: EmulatedAws['clock']; signal?: AbortSignal }) {
  const { clock } = options;
  const log = new CaptureLog();
  const recorder = new Recorder(log, clock);
  const clients = testClients();
  const lambda = new SdkLambdaGateway(clients);
  const alarms = new CloudWatchAlarmGateway(clients);
  const codedeploy = new SdkCodeDeployGateway(clients);
  const hook = (ref?: string) => (ref ? [{ hook: new LambdaTrafficHook(lambda, ref, clock), target: 0 }] : []);
  const snapshots: DeploymentSnapshot[] = [];
  const report = await deploy(
    {
      lambda,
      codedeploy,
      checks: settings.alarms.length > 0 ? [new AlarmCheck(alarms, settings.alarms, settings.allowAlarmAtStart)] : [],
      hooks: {
        BeforeAllowTraffic: hook(settings.targets[0]!.preTrafficHook),
        AfterAllowTraffic: hook(settings.targets[0]!.postTrafficHook)
      },
      clock,
      recorder,
      onTransition: (snapshot) => snapshots.push(snapshot),
      rollbackBudgetMs: 10_000
    },
    settings,
    'deploy-1',
    options.signal
  );
  return { report, result: report.result, log, recorder, snapshots, codedeploy };
}

import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { attachToSdkMocks } from '../../emulator/sdk-mock.js';
import type { Settings } from '../../src/config/settings.js';
import type { CodeDeployResult } from '../../src/engines/codedeploy/result.js';
import type { CodeDeploySnapshot } from '../../src/engines/codedeploy/snapshot.js';
import { EmulatedAws, runEngine, settingsFor, type SettingsOverrides } from './engine-harness.js';

export const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/codedeploy-lambda';

/** What a test changes of the CodeDeploy inputs; a deployment id makes it a step that only watches. */
export interface CodeDeployOverrides {
  readonly application?: string;
  readonly deploymentGroup?: string;
  readonly serviceRoleArn?: string | undefined;
  readonly wait?: boolean;
  readonly deploymentId?: string;
  readonly pollIntervalMs?: number;
}

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
  runCodeDeploy(overrides: SettingsOverrides = {}, codedeploy: CodeDeployOverrides = {}, options: { signal?: AbortSignal } = {}) {
    return runCodeDeploy(codeDeploySettings(overrides, codedeploy), { clock: this.clock, ...options });
  }

  override restore(): void {
    super.restore();
    this.codedeploy.restore();
  }
}

/** Settings of `engine: codedeploy`: application `orders`, group `live`, the service role and wait. */
export function codeDeploySettings(overrides: SettingsOverrides = {}, codedeploy: CodeDeployOverrides = {}): Settings {
  const settings = settingsFor(overrides);
  const { deploymentId, serviceRoleArn, wait = true, ...names } = { serviceRoleArn: SERVICE_ROLE, ...codedeploy };
  const where = { application: 'orders', deploymentGroup: 'live', pollIntervalMs: settings.alarmPollIntervalMs, ...names };
  if (deploymentId !== undefined) {
    return { ...settings, engine: { kind: 'codedeploy-watch', ...where, deploymentId } };
  }
  return {
    ...settings,
    engine: {
      kind: 'codedeploy',
      ...where,
      ...(serviceRoleArn !== undefined ? { serviceRoleArn } : {}),
      wait
    }
  };
}

/** Runs the engine over the real SDK gateways (CodeDeploy's too), with a fake clock. */
export async function runCodeDeploy(settings: Settings, options: { clock: EmulatedAws['clock']; signal?: AbortSignal }) {
  const run = await runEngine<CodeDeploySnapshot>(settings, options);
  return { ...run, engine: run.result.engine as CodeDeployResult };
}

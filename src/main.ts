import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { createAwsClients } from './aws/clients.js';
import { CloudWatchAlarmGateway } from './aws/alarm-gateway.js';
import { SdkLambdaGateway } from './aws/sdk-lambda-gateway.js';
import type { LambdaGateway } from './aws/lambda-gateway.js';
import { describeError } from './aws/errors.js';
import { getInputs } from './config/inputs.js';
import { InputError } from './config/input-error.js';
import { Outputs, State } from './config/keys.js';
import type { Settings } from './config/settings.js';
import { LambdaTrafficHook } from './hooks/lambda-hook.js';
import type { TrafficHook } from './hooks/traffic-hook.js';
import { outputsFor } from './report/outputs.js';
import { renderSummary } from './report/summary.js';
import { AlarmCheck } from './rollout/alarm-check.js';
import { systemClock, type Clock } from './rollout/clock.js';
import { deploy } from './rollout/engine.js';
import { Recorder } from './rollout/recorder.js';
import type { DeploymentResult, DeploymentSnapshot } from './rollout/result.js';

/** The action's main step: read inputs, deploy, report. Only wiring lives here. */
export async function run(): Promise<void> {
  let settings: Settings;
  try {
    settings = getInputs();
  } catch (error: unknown) {
    // Refused before anything in AWS was touched; an InputError's message is already the full story.
    const reason = error instanceof InputError ? error.message : describeError(error);
    core.setOutput(Outputs.Status, 'failed');
    core.setOutput(Outputs.FailureReason, reason);
    core.setFailed(reason);
    return;
  }
  const cancellation = cancelOnSignals();
  const clients = createAwsClients({ maxRetries: settings.maxRetries, fallbackRegion: settings.functionRegion });
  try {
    const clock = systemClock;
    const lambda = new SdkLambdaGateway(clients.lambda);
    const recorder = new Recorder(core, clock);
    const checks = [new AlarmCheck(new CloudWatchAlarmGateway(clients.cloudwatch), settings.alarms, settings.allowAlarmAtStart)];
    const hooks = {
      before: lambdaHooks(lambda, settings.preTrafficHook, clock),
      after: lambdaHooks(lambda, settings.postTrafficHook, clock)
    };
    // Saved at every phase change: if this process is killed, the post step knows what to undo.
    const onTransition = (snapshot: DeploymentSnapshot): void => core.saveState(State.Snapshot, JSON.stringify(snapshot));
    const result = await deploy(
      { lambda, checks, hooks, clock, recorder, onTransition },
      settings,
      newDeploymentId(),
      cancellation.signal
    );
    await report(result, recorder);
  } finally {
    cancellation.dispose();
    clients.lambda.destroy();
    clients.cloudwatch.destroy();
  }
}

async function report(result: DeploymentResult, recorder: Recorder): Promise<void> {
  for (const [name, value] of Object.entries(outputsFor(result))) core.setOutput(name, value);
  const markdown = renderSummary({
    result,
    timeline: recorder.timeline,
    observations: recorder.observations,
    hooks: recorder.hookOutcomes
  });
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error: unknown) {
    // Outside the runner there is no summary file; the logs still say everything.
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
  if (result.status === 'failed' || result.status === 'rolled-back') {
    core.setFailed(`${result.status}: ${result.failureReason ?? 'unknown reason'}`);
  } else {
    core.info(`${result.status}: version ${result.version ?? '?'} on ${result.alias}`);
  }
}

function lambdaHooks(lambda: LambdaGateway, ref: string | undefined, clock: Clock): TrafficHook[] {
  return ref ? [new LambdaTrafficHook(lambda, ref, clock)] : [];
}

/** Unique per run attempt, and traceable back to the run. */
function newDeploymentId(): string {
  const run = process.env.GITHUB_RUN_ID ?? 'local';
  const attempt = process.env.GITHUB_RUN_ATTEMPT ?? '1';
  return `${run}-${attempt}-${randomUUID().slice(0, 8)}`;
}

/**
 * The runner cancels with SIGINT, then SIGTERM 7.5 s later: either aborts the deployment, whose
 * waits and calls stop at once so that the rollback can run.
 */
function cancelOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    core.warning(`Received ${name}: cancelling the deployment and rolling back`);
    controller.abort(name);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const name of signals) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of signals) process.off(name, onSignal);
    }
  };
}

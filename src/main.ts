import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { AwsClients } from './aws/clients.js';
import { CloudWatchAlarmGateway } from './aws/alarm-gateway.js';
import { SdkLambdaGateway } from './aws/sdk-lambda-gateway.js';
import type { LambdaGateway } from './aws/lambda-gateway.js';
import { describeError } from './core/errors.js';
import { getInputs } from './config/inputs.js';
import { InputError } from './core/input-error.js';
import { Outputs, State } from './config/keys.js';
import type { Settings } from './config/settings.js';
import { createDeploymentTracker, outcomeFor, type DeploymentTracker } from './github/deployments.js';
import { readRunContext, type RunContext } from './github/context.js';
import { CommandTrafficHook } from './hooks/command-hook.js';
import { LambdaTrafficHook } from './hooks/lambda-hook.js';
import type { TrafficHook } from './hooks/traffic-hook.js';
import { outputsFor } from './report/outputs.js';
import { closingLine, renderSummary } from './report/summary.js';
import { AlarmCheck } from './rollout/alarm-check.js';
import { systemClock } from './core/clock.js';
import { deploy, type EngineDeps } from './rollout/engine.js';
import { Recorder, singleLine } from './rollout/recorder.js';
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
  const deploymentId = newDeploymentId();
  const cancellation = cancelOnSignals();
  const clients = awsClients(settings);
  const recorder = new Recorder(core, systemClock);
  const tracking = trackOnGitHub(settings, deploymentId);
  try {
    const deps = engineDeps(settings, clients, recorder);
    const result = await deploy(deps, settings, deploymentId, cancellation.signal);
    await report(result, recorder);
    await tracking.finish(result);
  } finally {
    cancellation.dispose();
    clients.destroy();
  }
}

/** One client per service and region, with the retry and time limits of the inputs. */
export function awsClients(settings: Settings): AwsClients {
  return new AwsClients({
    maxRetries: settings.maxRetries,
    connectTimeoutMs: settings.awsConnectTimeoutMs,
    requestTimeoutMs: settings.awsRequestTimeoutMs,
    ...(settings.functionRegion ? { region: settings.functionRegion } : {})
  });
}

function engineDeps(settings: Settings, clients: AwsClients, recorder: Recorder): EngineDeps {
  const clock = systemClock;
  const lambda = new SdkLambdaGateway(clients);
  const alarms = new CloudWatchAlarmGateway(clients);
  return {
    lambda,
    checks: settings.alarms.length > 0 ? [new AlarmCheck(alarms, settings.alarms, settings.allowAlarmAtStart)] : [],
    // Both kinds may be given: the Lambda hook runs first, then the command.
    hooks: {
      before: trafficHooks(lambda, settings.preTrafficHook, settings.preTrafficCommand, settings, recorder),
      after: trafficHooks(lambda, settings.postTrafficHook, settings.postTrafficCommand, settings, recorder)
    },
    clock,
    recorder,
    source: runSource(),
    // Saved at every phase change: if this process is killed, the post step knows what to undo.
    onTransition: (snapshot: DeploymentSnapshot) => core.saveState(State.Snapshot, JSON.stringify(snapshot))
  };
}

async function report(result: DeploymentResult, recorder: Recorder): Promise<void> {
  for (const [name, value] of Object.entries(outputsFor(result))) core.setOutput(name, value);
  const markdown = renderSummary({
    result,
    timeline: recorder.timeline,
    observations: recorder.observations,
    hooks: recorder.hookOutcomes,
    warnings: recorder.warnings
  });
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error: unknown) {
    // Outside the runner there is no summary file; the logs still say everything.
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
  if (result.status === 'failed' || result.status === 'rolled-back') {
    core.setFailed(singleLine(`${result.status}: ${result.failureReason ?? 'unknown reason'}`));
  } else {
    core.info(closingLine(result));
  }
}

/**
 * The optional GitHub deployment. It is created alongside the AWS deployment, never in front of
 * it, so a slow or failing GitHub API cannot hold the rollout up; its id is saved for the post step.
 */
function trackOnGitHub(settings: Settings, deploymentId: string): { finish(result: DeploymentResult): Promise<void> } {
  if (settings.dryRun || !settings.environment) return { finish: async () => undefined };
  const tracker: DeploymentTracker = createDeploymentTracker({
    environment: settings.environment,
    token: settings.githubToken,
    env: process.env,
    warn: (message) => core.warning(message)
  });
  const started = tracker
    .start({ functionName: settings.functionName, alias: settings.alias, strategy: settings.strategy.name, deploymentId })
    .then((id) => {
      if (id !== undefined) core.saveState(State.GithubDeploymentId, String(id));
      return id;
    })
    .catch((error: unknown) => {
      core.warning(`GitHub deployment not recorded: ${describeError(error)}`);
      return undefined;
    });
  return {
    async finish(result) {
      const id = await started;
      const outcome = outcomeFor(result);
      if (id !== undefined && outcome) await tracker.finish(id, outcome.state, outcome.description);
    }
  };
}

function trafficHooks(
  lambda: LambdaGateway,
  functionRef: string | undefined,
  command: string | undefined,
  settings: Settings,
  recorder: Recorder
): TrafficHook[] {
  const clock = systemClock;
  const hooks: TrafficHook[] = [];
  if (functionRef) hooks.push(new LambdaTrafficHook(lambda, functionRef, clock));
  if (command) {
    hooks.push(new CommandTrafficHook({ command, timeoutMs: settings.commandTimeoutMs, clock, log: (line) => recorder.detail(line) }));
  }
  return hooks;
}

/** The workflow run behind this deployment; undefined when not running in GitHub Actions. */
function runSource(): RunContext | undefined {
  try {
    return readRunContext(process.env);
  } catch {
    return undefined;
  }
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

import * as core from '@actions/core';
import { describeError } from './core/errors.js';
import { SdkLambdaGateway } from './aws/sdk-lambda-gateway.js';
import { State } from './config/keys.js';
import { getInputs } from './config/inputs.js';
import type { Settings } from './config/settings.js';
import { capDescription, createDeploymentTracker } from './github/deployments.js';
import { escapeForSummary } from './report/text.js';
import { systemClock } from './core/clock.js';
import { isFinal } from './rollout/phases.js';
import { Recorder } from './rollout/recorder.js';
import { restoreAlias } from './rollout/restore.js';
import { describeRouting } from './rollout/routing.js';
import { awsClients } from './main.js';
import { planRollback } from './rollout/rollback-plan.js';
import type { DeploymentSnapshot } from './rollout/result.js';

/** The post step keeps retrying a rollback this long: it has no runner deadline of its own. */
const CLEANUP_BUDGET_MS = 60_000;

/**
 * The post step. Main saves the deployment's phase at every change; if it was killed before a
 * final phase (a cancel whose rollback ran out of time, a crash), or ended owing a rollback it
 * could not finish (an outage), the alias may be left split: put it back. Problems here are
 * warnings: the job's result was decided by the main step.
 */
export async function runCleanup(): Promise<void> {
  try {
    const snapshot = readSnapshot();
    if (!snapshot) {
      core.info('The main step started no deployment: nothing to clean up.');
      return;
    }
    if (isFinal(snapshot.phase) && !snapshot.rollbackOwed) {
      core.info(`The deployment ended ${snapshot.phase}: nothing to clean up.`);
      return;
    }
    // The post step gets the same inputs as main, which validated them before saving any snapshot.
    const settings = getInputs();
    const outcome = await rollBackInterrupted(snapshot, settings);
    await markGitHubDeploymentErrored(settings, `Interrupted during ${snapshot.phase}; ${outcome}`);
  } catch (error: unknown) {
    core.warning(`Cleanup after the deployment failed: ${describeError(error)}`);
  }
}

function readSnapshot(): DeploymentSnapshot | undefined {
  const saved = core.getState(State.Snapshot);
  return saved ? (JSON.parse(saved) as DeploymentSnapshot) : undefined;
}

/** Rolls back what an interrupted main step left; returns one line on what was done. */
async function rollBackInterrupted(snapshot: DeploymentSnapshot, settings: Settings): Promise<string> {
  const action = planRollback(snapshot);
  const where = snapshot.rollbackOwed
    ? `The deployment ${snapshot.deploymentId} of ${snapshot.functionName}:${snapshot.alias} ended ${snapshot.phase} with its rollback unfinished`
    : `The deployment ${snapshot.deploymentId} of ${snapshot.functionName}:${snapshot.alias} was interrupted during ${snapshot.phase}`;
  if (action.kind === 'none' || snapshot.targetVersion === undefined) {
    core.warning(`${where}, before the alias was changed: nothing to undo.`);
    await writeSummary(`${where}, before the alias was changed: nothing to undo.`);
    return 'the alias was never changed';
  }
  core.warning(`${where}: rolling the alias back.`);
  const clients = awsClients(settings);
  try {
    const recorder = new Recorder(core, systemClock);
    const outcome = await restoreAlias({
      lambda: new SdkLambdaGateway(clients),
      clock: systemClock,
      recorder,
      functionRef: snapshot.functionRef,
      alias: snapshot.alias,
      targetVersion: snapshot.targetVersion,
      action,
      budgetMs: CLEANUP_BUDGET_MS
    });
    if (outcome.ok) {
      const what =
        action.kind === 'restore'
          ? `the alias ${snapshot.alias} routes ${describeRouting(outcome.alias)} (read back from Lambda)`
          : `the alias ${snapshot.alias}, which the deployment had created, is deleted`;
      core.info(`Rolled back: ${what}.`);
      await writeSummary(`${where}. The post step rolled it back: ${what}.`);
      return `rolled back by the post step: ${what}`;
    }
    const fix = outcome.manualFix ? ` Fix it by hand: ${outcome.manualFix}` : '';
    core.warning(`${where}, and the rollback did not succeed: ${outcome.problem}.${fix}`);
    await writeSummary(`${where}, and the post step could not roll it back: ${outcome.problem}.${fix}`);
    return `the rollback failed: ${outcome.problem}`;
  } finally {
    clients.destroy();
  }
}

/** The GitHub deployment main created, if any, ends in `error`: the run never reached a result. */
async function markGitHubDeploymentErrored(settings: Settings, description: string): Promise<void> {
  const id = Number(core.getState(State.GithubDeploymentId));
  if (!id) return;
  const tracker = createDeploymentTracker({
    environment: settings.environment,
    token: settings.githubToken,
    env: process.env,
    warn: (message) => core.warning(message)
  });
  await tracker.finish(id, 'error', capDescription(description));
}

async function writeSummary(text: string): Promise<void> {
  try {
    await core.summary.addRaw(`## ⚠️ Lambda Safe Deploy: cleanup\n\n${escapeForSummary(text, 4000)}\n`).write();
  } catch (error: unknown) {
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
}

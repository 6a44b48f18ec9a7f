import { markGitHubDeploymentErrored } from './action/github.js';
import { readSettings } from './action/inputs.js';
import { lambdaObserver, out, redactor } from './action/output.js';
import { savedState } from './action/state.js';
import { AwsSession } from './aws/session.js';
import { systemClock } from './core/clock.js';
import { describeError } from './core/errors.js';
import { readEngineSnapshot, recoverDeployment } from './engines/index.js';
import { renderCleanupSummary } from './report/summary.js';
import { Recorder } from './rollout/recorder.js';

/** The post step keeps retrying a rollback this long: it has no runner deadline of its own. */
const CLEANUP_BUDGET_MS = 60_000;

/**
 * The post step, the safety net after the main step: if main was killed before a final phase or
 * ended owing a rollback, the engine that saved the snapshot finishes its work (puts every alias
 * back, or stops the deployment it watched). Wiring only; problems here are warnings, since the
 * job's result was decided by the main step.
 */
export async function runCleanup(): Promise<void> {
  try {
    const idle = savedState.nothingToCleanUp();
    if (idle !== undefined) return out.info(idle);
    // Read again, validated (the engine's part by its engine): a state that cannot be read is this step's warning (below).
    const snapshot = savedState.loadSnapshot(readEngineSnapshot);
    if (!snapshot) return out.info('The main step started no deployment: nothing to clean up.');
    // The same inputs as main, which validated them before it saved any state.
    const settings = readSettings();
    const session = new AwsSession(settings.aws, lambdaObserver);
    try {
      const recovery = await recoverDeployment(snapshot, {
        aws: session,
        clock: systemClock,
        recorder: new Recorder(out, systemClock),
        budgetMs: CLEANUP_BUDGET_MS,
        provisioned: settings.provisionedConcurrency
      });
      for (const line of recovery.lines) out.warning(line);
      await out.summary(recovery.lines, renderCleanupSummary);
      await markGitHubDeploymentErrored(settings, `Interrupted during ${snapshot.phase}; ${recovery.outcome}`);
    } finally {
      session.close();
      redactor.settleMasks();
    }
  } catch (error: unknown) {
    out.warning(`Cleanup after the deployment failed: ${describeError(error)}`);
  }
}

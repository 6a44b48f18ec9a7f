import { markGitHubDeploymentErrored } from './action/github.js';
import { readSettings } from './action/inputs.js';
import { out, redactor } from './action/output.js';
import { writeSummary } from './action/report.js';
import { AwsSession } from './action/session.js';
import { savedState } from './action/state.js';
import { systemClock } from './core/clock.js';
import { describeError } from './core/errors.js';
import { renderCleanupSummary } from './report/summary.js';
import { Recorder } from './rollout/recorder.js';
import { recoverInterrupted } from './rollout/recover.js';
import { recoverCodeDeploy } from './rollout/recover-codedeploy.js';

/** The post step keeps retrying a rollback this long: it has no runner deadline of its own. */
const CLEANUP_BUDGET_MS = 60_000;

/**
 * The post step, the safety net after the main step: if main was killed before a final phase or
 * ended owing a rollback, put back every alias it may have left changed. Wiring only; problems
 * here are warnings, since the job's result was decided by the main step.
 */
export async function runCleanup(): Promise<void> {
  try {
    const idle = savedState.nothingToCleanUp();
    if (idle !== undefined) return out.info(idle);
    // Read again, validated: a state that cannot be read is this step's warning (below).
    const snapshot = savedState.loadSnapshot()!;
    // The same inputs as main, which validated them before it saved any state.
    const settings = readSettings();
    const session = new AwsSession(settings);
    try {
      // engine: codedeploy: CodeDeploy owns the alias; a deployment the killed job watched is stopped.
      const recovery = snapshot.codedeploy
        ? await recoverCodeDeploy(snapshot, { codedeploy: session.codedeploy, clock: systemClock, budgetMs: CLEANUP_BUDGET_MS })
        : await recoverInterrupted(snapshot, {
            lambda: session.lambda,
            clock: systemClock,
            recorder: new Recorder(out, systemClock),
            budgetMs: CLEANUP_BUDGET_MS
          });
      for (const line of recovery.lines) out.warning(line);
      // Redacted before it is escaped for Markdown (an escaped value would no longer be found).
      await writeSummary(renderCleanupSummary(redactor.redactDeep(recovery.lines)));
      await markGitHubDeploymentErrored(settings, `Interrupted during ${snapshot.phase}; ${recovery.outcome}`);
    } finally {
      session.close();
    }
  } catch (error: unknown) {
    out.warning(`Cleanup after the deployment failed: ${describeError(error)}`);
  }
}

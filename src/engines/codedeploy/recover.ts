import type { CodeDeployGateway } from '../../aws/codedeploy-gateway.js';
import { explainFailure } from '../../aws/failures.js';
import type { Clock } from '../../core/clock.js';
import { withDeadline } from '../../core/deadline.js';
import type { Recovery } from '../../rollout/engine.js';
import type { DeploymentSnapshot } from '../../rollout/result.js';
import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import type { Journal } from '../../core/journal.js';
import { describePutBack, putBack } from './final-bake.js';
import type { CodeDeploySnapshot, FinalBakeRollback } from './snapshot.js';
import { stopAndSettle } from './stop.js';

/** What the post step needs to finish a rollout handed to CodeDeploy. */
export interface CodeDeployRecoveryDeps {
  readonly codedeploy: CodeDeployGateway;
  /** To put the alias back after a final bake that was cut short. */
  readonly lambda: LambdaGateway;
  readonly recorder: Journal;
  readonly clock: Clock;
  /** The post step's budget: the stop, and a look at it settling. */
  readonly budgetMs: number;
}

/** How often the post step reads a deployment it stopped, until it ends. */
const SETTLE_POLL_MS = 1_000;
/** How many of a group's running deployments the post step looks through for the one whose answer was lost. */
const LOOKUP_LIMIT = 25;

/**
 * The post step of `engine: codedeploy`, after a main step that was killed while it watched a
 * deployment (or that ended owing its stop): stop the deployment with automatic rollback, and
 * say so. A deployment handed over on purpose (`wait: false`) is left to run. A deployment whose
 * CreateDeployment answer was lost is found again by the marker in its description.
 */
export async function recoverCodeDeploy(
  snapshot: DeploymentSnapshot<CodeDeploySnapshot>,
  deps: CodeDeployRecoveryDeps
): Promise<Recovery> {
  const cd = snapshot.codedeploy;
  const names = cd.alias ?? 'the function';
  const how = snapshot.rollbackOwed
    ? `ended ${snapshot.phase} without stopping its CodeDeploy deployment`
    : `was interrupted during ${snapshot.phase}`;
  const where = `The deployment ${snapshot.deploymentId} of ${names} ${how}`;
  if (cd.finalBake) return finishFinalBake(cd.finalBake, deps, where);
  if (!cd.watching) {
    return {
      acted: false,
      lines: [
        `${where}; it had handed the rollout to CodeDeploy on purpose (wait: false)${cd.deploymentId ? `, deployment ${cd.deploymentId}` : ''}, which goes on by itself.`
      ],
      outcome: 'handed over to CodeDeploy'
    };
  }
  let deploymentId = cd.deploymentId;
  if (!deploymentId && cd.creating) {
    try {
      deploymentId = await withDeadline(deps.clock, deps.budgetMs, 'looking up the deployment', undefined, (signal) =>
        findByMarker(deps.codedeploy, cd.application, cd.deploymentGroup, cd.marker, signal)
      );
    } catch (error: unknown) {
      return {
        acted: false,
        lines: [
          `${where}, while CreateDeployment was on its way, and the post step could not look for the deployment in ` +
            `${cd.application}/${cd.deploymentGroup} (${explainFailure(error)}). If one is running there, stop it: ` +
            `aws deploy list-deployments --application-name ${cd.application} --deployment-group-name ${cd.deploymentGroup} --include-only-statuses InProgress`
        ],
        outcome: 'the CodeDeploy deployment could not be looked up'
      };
    }
  }
  if (!deploymentId) {
    return {
      acted: false,
      lines: [`${where}, before CodeDeploy had a deployment of it: nothing to stop, and the alias was never changed.`],
      outcome: 'no CodeDeploy deployment was started'
    };
  }
  return stopAndReport(deps, deploymentId, where);
}

async function stopAndReport(deps: CodeDeployRecoveryDeps, deploymentId: string, where: string): Promise<Recovery> {
  const fix = `aws deploy stop-deployment --deployment-id ${deploymentId} --auto-rollback-enabled`;
  const settled = await stopAndSettle(deps, deploymentId, {
    budgetMs: deps.budgetMs,
    stopCallMs: deps.budgetMs,
    pollMs: SETTLE_POLL_MS
  });
  if (!settled.stopped) {
    const why = explainFailure(settled.error);
    return {
      acted: true,
      lines: [
        `${where}, and the post step could not stop CodeDeploy deployment ${deploymentId}: ${why}. Stop it by hand: ${fix}`
      ],
      outcome: `the CodeDeploy deployment could not be stopped: ${why}`
    };
  }
  const last = settled.deployment;
  if (settled.stop.kind === 'already-ended') {
    return {
      acted: false,
      lines: [
        `${where}; CodeDeploy deployment ${deploymentId} had already ended${last ? ` ${last.status}` : ''}: nothing to stop.`
      ],
      outcome: `the CodeDeploy deployment had already ended${last ? ` ${last.status}` : ''}`
    };
  }
  const { ended } = settled;
  const rolledBack = ended?.rollback?.rollbackDeploymentId;
  const state = ended
    ? `CodeDeploy reports it ${ended.status}${rolledBack ? `, rolled back by deployment ${rolledBack}` : ''}`
    : 'CodeDeploy accepted the stop and rolls the alias back by itself';
  return {
    acted: true,
    lines: [`${where}. The post step stopped CodeDeploy deployment ${deploymentId} with automatic rollback: ${state}.`],
    outcome: 'stopped and rolled back by the post step'
  };
}

/**
 * A job killed during the final bake (after CodeDeploy's success: there is no deployment to stop):
 * the alias goes back on the previous version with one UpdateAlias, as the main step would have.
 */
async function finishFinalBake(rollback: FinalBakeRollback, deps: CodeDeployRecoveryDeps, where: string): Promise<Recovery> {
  if (rollback.restored) {
    return {
      acted: false,
      lines: [`${where}, after its final bake had put the alias back: nothing to undo.`],
      outcome: 'rolled back'
    };
  }
  const outcome = await putBack(rollback, deps, deps.budgetMs);
  if (!outcome.ok) {
    const fix = outcome.manualFix ? ` Fix it by hand: ${outcome.manualFix}` : '';
    return {
      acted: true,
      lines: [`${where}, during its final bake, and the post step could not put the alias back: ${outcome.problem}.${fix}`],
      outcome: `the rollback failed: ${outcome.problem}`
    };
  }
  return {
    acted: true,
    lines: [
      `${where}, during its final bake (CodeDeploy had finished). The post step rolled it back: ${describePutBack(rollback, outcome)}.`
    ],
    outcome: 'rolled back by the post step'
  };
}

/** The running deployment of the group whose description carries `marker`, if any. */
async function findByMarker(
  codedeploy: CodeDeployGateway,
  application: string,
  group: string,
  marker: string,
  signal: AbortSignal
): Promise<string | undefined> {
  const running = await codedeploy.listActiveDeployments(application, group, LOOKUP_LIMIT, signal);
  return running.find((deployment) => deployment.description?.startsWith(`${marker}:`))?.deploymentId;
}

import {
  isEndStatus,
  type CodeDeployGateway,
  type DeploymentView,
  type LambdaTargetView,
  type StopOutcome
} from '../../aws/codedeploy-gateway.js';
import type { Clock } from '../../core/clock.js';
import { withDeadline } from '../../core/deadline.js';

/** How stopping a deployment went. */
export type Stopped =
  /** StopDeployment failed or got no answer in time: the deployment may go on. */
  | { readonly stopped: false; readonly error: unknown }
  /** StopDeployment was answered; the deployment (and its target) as last read while it settled. */
  | {
      readonly stopped: true;
      readonly stop: StopOutcome;
      readonly deployment?: DeploymentView;
      readonly target?: LambdaTargetView;
      /** The deployment as last read, once it has ended; undefined while it had not, when the budget ran out. */
      readonly ended?: DeploymentView;
    };

/** How long stopping may take, and what is read while the deployment settles. */
export interface StopOptions {
  /** The whole budget: the stop, and the reads until the deployment ends. */
  readonly budgetMs: number;
  /** Of the budget, how long StopDeployment itself may take. */
  readonly stopCallMs: number;
  /** How often the deployment is read while it settles. */
  readonly pollMs: number;
  /** Also read the deployment's Lambda target at each read, and hand both to `onRead` (to log its events and weights). */
  readonly readTarget?: (deployment: DeploymentView, target: LambdaTargetView | undefined) => void;
  /** What is known already of the deployment and its target. */
  readonly last?: { readonly deployment?: DeploymentView; readonly target?: LambdaTargetView };
}

/**
 * StopDeployment with automatic rollback, then reads of the deployment until it ends or the budget
 * runs out, every call bounded by what is left of it. The one loop of a cancelled watch (in the
 * runner's last seconds) and of the post step. Never throws: a read that fails is read again, and
 * what was last known is what is reported.
 */
export async function stopAndSettle(
  deps: { readonly codedeploy: CodeDeployGateway; readonly clock: Clock },
  deploymentId: string,
  options: StopOptions
): Promise<Stopped> {
  const { codedeploy, clock } = deps;
  const until = clock.now() + options.budgetMs;
  let stop: StopOutcome;
  try {
    stop = await withDeadline(
      clock,
      Math.min(options.stopCallMs, options.budgetMs),
      `StopDeployment of ${deploymentId}`,
      undefined,
      (signal) => codedeploy.stopDeployment(deploymentId, true, signal)
    );
  } catch (error: unknown) {
    return { stopped: false, error };
  }
  let { deployment, target } = options.last ?? {};
  const left = (): number => Math.max(1, until - clock.now());
  while (clock.now() < until) {
    try {
      deployment = await withDeadline(clock, left(), `GetDeployment of ${deploymentId}`, undefined, (signal) =>
        codedeploy.getDeployment(deploymentId, signal)
      );
      if (options.readTarget) {
        target =
          (await withDeadline(clock, left(), `the target of ${deploymentId}`, undefined, (signal) =>
            codedeploy.getLambdaTarget(deploymentId, signal)
          )) ?? target;
        options.readTarget(deployment, target);
      }
      if (isEndStatus(deployment.status)) break;
    } catch {
      // settling is best effort: what is known is reported
    }
    await clock.sleepUntil(Math.min(until, clock.now() + options.pollMs)).catch(() => undefined);
  }
  const ended = deployment && isEndStatus(deployment.status) ? deployment : undefined;
  return {
    stopped: true,
    stop,
    ...(deployment ? { deployment } : {}),
    ...(target ? { target } : {}),
    ...(ended ? { ended } : {})
  };
}

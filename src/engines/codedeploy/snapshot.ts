import { CODEDEPLOY_DEPLOYMENT_ID } from '../../aws/traffic-routing.js';

/** The prefix of the text every deployment's description starts with, and the post step looks for. */
const MARKER_PREFIX = 'lambda-safe-deploy';

/** The marker in a deployment's description: this action's own deployment id. */
export function deploymentMarker(deploymentId: string): string {
  return `${MARKER_PREFIX} ${deploymentId}`;
}

/** What the post step must know of a rollout handed to CodeDeploy. */
export interface HandOverState {
  readonly application: string;
  readonly deploymentGroup: string;
  /** CodeDeploy's id, once CreateDeployment answered. */
  readonly deploymentId?: string;
  /** CreateDeployment was sent (its answer may have been lost: the post step looks the deployment up by `marker`). */
  readonly creating: boolean;
  /** Text the deployment's description carries, to find it again (this action's own deployment id). */
  readonly marker: string;
  /**
   * The job watches the deployment: a killed job's post step stops it. False when it was handed
   * over on purpose (`wait: false`).
   */
  readonly watching: boolean;
  /** The alias it moves, `function:alias`, once the preflight found it (for the post step's messages). */
  readonly alias?: string;
  /**
   * Set once CodeDeploy reported success and the final bake began: the deployment is over, and
   * putting the alias back is one UpdateAlias to the previous version (this process's, or the post
   * step's when the job is killed during the final bake). `restored`: that write was confirmed.
   */
  readonly finalBake?: FinalBakeRollback;
}

/** What putting the alias back after the final bake needs. */
export interface FinalBakeRollback {
  /** The function, by its full ARN. */
  readonly functionRef: string;
  readonly alias: string;
  readonly previousVersion: string;
  readonly targetVersion: string;
  readonly restored: boolean;
}

/** The CodeDeploy engine's part of the snapshot (a hand-over, or a step that only watches). */
export interface CodeDeploySnapshot {
  readonly engine: 'codedeploy';
  readonly codedeploy: HandOverState;
}

/**
 * The CodeDeploy part of a saved snapshot, read back and checked: undefined when it is not one this
 * engine wrote (a post step must not act on a half-written or foreign value, nor pass one to AWS).
 */
export function readCodeDeploySnapshot(value: Record<string, unknown>): CodeDeploySnapshot | undefined {
  const state = value.codedeploy;
  if (value.engine !== 'codedeploy' || typeof state !== 'object' || state === null || Array.isArray(state)) return undefined;
  const cd = state as Record<string, unknown>;
  const valid =
    typeof cd.application === 'string' &&
    typeof cd.deploymentGroup === 'string' &&
    (cd.deploymentId === undefined || (typeof cd.deploymentId === 'string' && CODEDEPLOY_DEPLOYMENT_ID.test(cd.deploymentId))) &&
    typeof cd.creating === 'boolean' &&
    typeof cd.marker === 'string' &&
    typeof cd.watching === 'boolean' &&
    (cd.alias === undefined || typeof cd.alias === 'string') &&
    (cd.finalBake === undefined || isFinalBakeRollback(cd.finalBake));
  return valid ? (value as unknown as CodeDeploySnapshot) : undefined;
}

function isFinalBakeRollback(value: unknown): value is FinalBakeRollback {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.functionRef === 'string' &&
    typeof record.alias === 'string' &&
    typeof record.previousVersion === 'string' &&
    typeof record.targetVersion === 'string' &&
    typeof record.restored === 'boolean'
  );
}

import { State } from '../config/keys.js';
import { isFinal, needsRecovery } from '../rollout/phases.js';
import type { CodeDeploySnapshot, DeploymentSnapshot, TargetSnapshot } from '../rollout/result.js';

/**
 * The state the main step leaves for the post step (`core.saveState`, which the runner keeps even
 * when the process is killed), written and read here only. What is read back is validated: a
 * post step must not act on a half-written or foreign value. Nothing here loads @actions/core:
 * the writer is passed in, and the runner hands saved state to the post step as `STATE_<name>`
 * variables (what `core.getState` reads), so the post step's first look (see post.ts) costs
 * no more than node itself.
 */
export const savedState = {
  /** @param save `core.saveState` */
  saveSnapshot(save: SaveState, snapshot: DeploymentSnapshot): void {
    save(State.Snapshot, JSON.stringify(snapshot));
  },

  /** @param save `core.saveState` */
  saveGithubDeploymentId(save: SaveState, id: number): void {
    save(State.GithubDeploymentId, String(id));
  },

  /** The last snapshot main saved; undefined when it saved none. Throws when it cannot be read. */
  loadSnapshot(env: NodeJS.ProcessEnv = process.env): DeploymentSnapshot | undefined {
    const saved = readState(env, State.Snapshot);
    if (!saved) return undefined;
    const value: unknown = JSON.parse(saved);
    if (!isSnapshot(value)) throw new Error(`the saved deployment state is not one this action wrote: ${saved.slice(0, 200)}`);
    return value;
  },

  /** The GitHub deployment main created, if any. */
  loadGithubDeploymentId(env: NodeJS.ProcessEnv = process.env): number | undefined {
    const id = Number(readState(env, State.GithubDeploymentId));
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  },

  /**
   * Why the post step has nothing to do (main started no deployment, or ended it cleanly); undefined
   * when it has work, or when the state cannot be read (the full post step then says why).
   */
  nothingToCleanUp(env: NodeJS.ProcessEnv = process.env): string | undefined {
    let snapshot: DeploymentSnapshot | undefined;
    try {
      snapshot = savedState.loadSnapshot(env);
    } catch {
      return undefined;
    }
    if (!snapshot) return 'The main step started no deployment: nothing to clean up.';
    return needsRecovery(snapshot) ? undefined : `The deployment ended ${snapshot.phase}: nothing to clean up.`;
  }
};

/** Saves one value for the post step: `core.saveState`. */
export type SaveState = (name: string, value: string) => void;

function readState(env: NodeJS.ProcessEnv, name: string): string {
  return env[`STATE_${name}`] ?? '';
}

function isSnapshot(value: unknown): value is DeploymentSnapshot {
  if (!isRecord(value)) return false;
  return (
    typeof value.phase === 'string' &&
    (isFinal(value.phase as DeploymentSnapshot['phase']) || ACTIVE_PHASES.has(value.phase)) &&
    typeof value.deploymentId === 'string' &&
    typeof value.rollbackOwed === 'boolean' &&
    Array.isArray(value.targets) &&
    value.targets.every(isTargetSnapshot) &&
    (value.codedeploy === undefined || isCodeDeploySnapshot(value.codedeploy))
  );
}

function isCodeDeploySnapshot(value: unknown): value is CodeDeploySnapshot {
  if (!isRecord(value)) return false;
  return (
    typeof value.application === 'string' &&
    typeof value.deploymentGroup === 'string' &&
    (value.deploymentId === undefined ||
      (typeof value.deploymentId === 'string' && /^d-[A-Z0-9]{9}$/.test(value.deploymentId))) &&
    typeof value.creating === 'boolean' &&
    typeof value.marker === 'string' &&
    typeof value.watching === 'boolean'
  );
}

const ACTIVE_PHASES = new Set([
  'preflight',
  'update',
  'publish',
  'pre-traffic-hook',
  'shift',
  'promote',
  'post-traffic-hook',
  'rollback',
  'hand-over',
  'watch'
]);

function isTargetSnapshot(value: unknown): value is TargetSnapshot {
  if (!isRecord(value)) return false;
  const optionalString = (key: string): boolean => value[key] === undefined || typeof value[key] === 'string';
  return (
    typeof value.functionName === 'string' &&
    typeof value.functionRef === 'string' &&
    typeof value.alias === 'string' &&
    optionalString('previousVersion') &&
    optionalString('targetVersion') &&
    typeof value.aliasTouched === 'boolean' &&
    typeof value.aliasCreated === 'boolean' &&
    (value.leftToOtherWriter === undefined || typeof value.leftToOtherWriter === 'boolean') &&
    (value.latest === undefined ||
      (isRecord(value.latest) && (value.latest.codeSha256 === undefined || typeof value.latest.codeSha256 === 'string')))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

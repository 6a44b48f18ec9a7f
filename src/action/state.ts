import * as core from '@actions/core';
import { State } from '../config/keys.js';
import { isFinal } from '../rollout/phases.js';
import type { CodeDeploySnapshot, DeploymentSnapshot, TargetSnapshot } from '../rollout/result.js';

/**
 * The state the main step leaves for the post step (`core.saveState`, which the runner keeps even
 * when the process is killed), written and read here only. What is read back is validated: a
 * post step must not act on a half-written or foreign value.
 */
export const savedState = {
  saveSnapshot(snapshot: DeploymentSnapshot): void {
    core.saveState(State.Snapshot, JSON.stringify(snapshot));
  },

  saveGithubDeploymentId(id: number): void {
    core.saveState(State.GithubDeploymentId, String(id));
  },

  /** The last snapshot main saved; undefined when it saved none. Throws when it cannot be read. */
  loadSnapshot(): DeploymentSnapshot | undefined {
    const saved = core.getState(State.Snapshot);
    if (!saved) return undefined;
    const value: unknown = JSON.parse(saved);
    if (!isSnapshot(value)) throw new Error(`the saved deployment state is not one this action wrote: ${saved.slice(0, 200)}`);
    return value;
  },

  /** The GitHub deployment main created, if any. */
  loadGithubDeploymentId(): number | undefined {
    const id = Number(core.getState(State.GithubDeploymentId));
    return Number.isSafeInteger(id) && id > 0 ? id : undefined;
  }
};

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
    typeof value.aliasCreated === 'boolean'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

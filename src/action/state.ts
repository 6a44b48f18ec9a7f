import { State } from '../config/keys.js';
import type { LatestSnapshot } from '../release/latest-report.js';
import { needsRecovery, PHASE_NAME } from '../rollout/phases.js';
import type { DeploymentSnapshot, EngineSnapshot, SnapshotEnvelope } from '../rollout/result.js';

/**
 * The state the main step leaves for the post step (`core.saveState`, which the runner keeps even
 * when the process is killed), written and read here only. What is read back is validated: a
 * post step must not act on a half-written or foreign value. The envelope (phase, id, whether a
 * rollback is owed) is checked here; the engine's part by the engine that wrote it (handed in as
 * `readEngine`). Nothing here loads @actions/core or an engine: the writer is passed in, and the
 * runner hands saved state to the post step as `STATE_<name>` variables (what `core.getState`
 * reads), so the post step's first look (see post.ts) costs no more than node itself.
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

  /**
   * The last snapshot main saved, its engine part read back by `readEngine` (undefined when it is not
   * one that engine wrote); undefined when main saved none. Throws when it cannot be read.
   */
  loadSnapshot<E extends EngineSnapshot>(
    readEngine: (value: Record<string, unknown>) => E | undefined,
    env: NodeJS.ProcessEnv = process.env
  ): DeploymentSnapshot<E> | undefined {
    const saved = readState(env, State.Snapshot);
    const read = readEnvelope(saved);
    if (!read) return undefined;
    const engine = readEngine(read.value);
    if (!engine) throw notOurs(saved);
    return { ...engine, ...read.envelope };
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
    let read: ReturnType<typeof readEnvelope>;
    try {
      read = readEnvelope(readState(env, State.Snapshot));
    } catch {
      return undefined;
    }
    if (!read) return 'The main step started no deployment: nothing to clean up.';
    const { envelope } = read;
    if (needsRecovery(envelope)) return undefined;
    // The split is deliberate: a later job promotes or aborts it (the alias's record says so).
    if (envelope.phase === 'held')
      return 'The deployment is held for approval on purpose: the post step leaves the alias split for operation promote or abort.';
    return `The deployment ended ${envelope.phase}: nothing to clean up.`;
  }
};

/** Saves one value for the post step: `core.saveState`. */
export type SaveState = (name: string, value: string) => void;

function readState(env: NodeJS.ProcessEnv, name: string): string {
  return env[`STATE_${name}`] ?? '';
}

/** The saved value, its envelope checked; undefined when none was saved. Throws when it is not one this action wrote. */
function readEnvelope(saved: string): { value: Record<string, unknown>; envelope: SnapshotEnvelope } | undefined {
  if (!saved) return undefined;
  const value: unknown = JSON.parse(saved);
  if (!isRecord(value)) throw notOurs(saved);
  const { phase, deploymentId, rollbackOwed, latest } = value;
  if (
    typeof phase !== 'string' ||
    !PHASE_NAME.test(phase) ||
    typeof deploymentId !== 'string' ||
    typeof rollbackOwed !== 'boolean' ||
    typeof value.engine !== 'string' ||
    (latest !== undefined && !(Array.isArray(latest) && latest.every(isLatestSnapshot)))
  )
    throw notOurs(saved);
  return {
    value,
    envelope: { phase, deploymentId, rollbackOwed, ...(latest !== undefined ? { latest: latest as LatestSnapshot[] } : {}) }
  };
}

function notOurs(saved: string): Error {
  return new Error(`the saved deployment state is not one this action wrote: ${saved.slice(0, 200)}`);
}

/** One function whose $LATEST the run writes, as the spine saved it (see SnapshotEnvelope.latest). */
function isLatestSnapshot(value: unknown): value is LatestSnapshot {
  if (!isRecord(value)) return false;
  const { functionName, functionRef, alias, label, codeSha256 } = value;
  return (
    typeof functionName === 'string' &&
    typeof functionRef === 'string' &&
    typeof alias === 'string' &&
    typeof label === 'string' &&
    (codeSha256 === undefined || typeof codeSha256 === 'string')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

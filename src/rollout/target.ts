import { mayHaveApplied } from '../aws/failures.js';
import type { AliasState, FunctionInfo, PublishedVersion } from '../aws/lambda-gateway.js';
import type { LatestChange } from './latest-change.js';
import { planRollback, type RollbackAction } from './rollback-plan.js';
import type { TargetSnapshot } from './result.js';

/**
 * One function being deployed and everything the rollout knows of its alias: what it served
 * before, what Lambda last confirmed, and what our writes may have done to it.
 */
export class Target {
  /** The alias as Lambda last confirmed it; undefined if it does not exist or a write's outcome is unknown. */
  alias?: AliasState;
  /** The version this deployment published. */
  published?: PublishedVersion;
  /** PublishVersion gave back the live version: this function has nothing to deploy and drops out. */
  unchanged = false;
  /** The code and configuration this deployment writes to $LATEST before publishing, when it brings any. */
  change?: LatestChange;
  /** A write was applied, or sent and its outcome is unknown: undoing may be needed. */
  private touched = false;
  /** A write was confirmed applied. */
  private written = false;
  /** This deployment created the alias (or sent its creation and heard nothing back). */
  private created = false;
  /** Another writer changed the alias during the deployment: it is theirs now, never written or undone again. */
  private released = false;

  constructor(
    readonly fn: FunctionInfo,
    readonly aliasName: string,
    /** The alias before the deployment; undefined when it did not exist. */
    readonly before: AliasState | undefined
  ) {
    this.alias = before;
  }

  /** The version the alias served before the deployment (its main version). */
  get previousVersion(): string | undefined {
    return this.before?.version;
  }

  /** The published version; only asked for after the publish step. */
  get version(): PublishedVersion {
    if (!this.published) throw new Error(`internal: ${this.fn.name} has not been published`);
    return this.published;
  }

  /**
   * Sends one alias write and keeps track of what it may have done. `beforeSend` runs first (the
   * post step must know a write may be under way); a write AWS refused changed nothing; a write
   * whose answer never came may have changed the alias, which must then be read back.
   */
  async write(send: () => Promise<AliasState>, options: { creates: boolean; beforeSend: () => void }): Promise<void> {
    const was = { touched: this.touched, created: this.created };
    this.touched = true;
    if (options.creates) this.created = true;
    options.beforeSend();
    try {
      this.alias = await send();
      this.written = true;
    } catch (error: unknown) {
      if (mayHaveApplied(error)) {
        this.alias = undefined;
      } else if (!this.written) {
        this.touched = was.touched;
        this.created = was.created;
      }
      throw error;
    }
  }

  /**
   * Another writer changed the alias (a refused write showed it): it is left to them. `found` is
   * the alias as read back then. Nothing is undone on it any more, here or by the post step.
   */
  release(found: AliasState | undefined): void {
    this.released = true;
    this.touched = false;
    this.created = false;
    this.alias = found;
  }

  /** The alias was left to another writer (see release). */
  get leftToOtherWriter(): boolean {
    return this.released;
  }

  /** What undoing this target's changes means now. */
  rollbackAction(): RollbackAction {
    return planRollback({ aliasTouched: this.touched, previousVersion: this.previousVersion, aliasCreated: this.created });
  }

  snapshot(): TargetSnapshot {
    return {
      functionName: this.fn.name,
      functionRef: this.fn.arn,
      alias: this.aliasName,
      ...(this.previousVersion !== undefined ? { previousVersion: this.previousVersion } : {}),
      ...(this.published ? { targetVersion: this.published.version } : {}),
      aliasTouched: this.touched,
      aliasCreated: this.created,
      ...(this.released ? { leftToOtherWriter: true } : {}),
      ...latestOf(this.change)
    };
  }
}

/** What the saved state says of $LATEST: that this run writes it, and the new code's hash (see TargetSnapshot.latest). */
function latestOf(change: LatestChange | undefined): Pick<TargetSnapshot, 'latest'> {
  if (!change) return {};
  const { comparison, wanted } = change.plan;
  if (!comparison.uploadCode && !comparison.configuration) return {};
  const codeSha256 = change.uploaded ? change.codeSha256 : wanted.code?.codeSha256;
  return { latest: codeSha256 !== undefined ? { codeSha256 } : {} };
}

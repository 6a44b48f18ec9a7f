import type { RunContext } from '../github/context.js';
import type { Strategy } from '../strategy/schedule.js';
import type { FinalStatus, Phase } from './phases.js';

/** How a deployment ended: everything the outputs and the job summary report. */
export interface DeploymentResult {
  readonly status: FinalStatus;
  readonly deploymentId: string;
  readonly functionName: string;
  readonly functionArn?: string;
  readonly alias: string;
  readonly aliasArn?: string;
  /** The version this deployment published (and, on success, the one now live). */
  readonly version?: string;
  /**
   * False when PublishVersion gave back the version the alias already serves (nothing had changed
   * since it was published): the run is skipped and nothing new was published.
   */
  readonly published: boolean;
  /** The version the alias served before; undefined on a first deployment. */
  readonly previousVersion?: string;
  readonly strategy: Strategy;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** Why the deployment did not succeed (capped, untrusted parts included: escape before display). */
  readonly failureReason?: string;
  readonly cancelled: boolean;
  readonly dryRun: boolean;
  /** When the rollback itself failed: the command that puts the alias back by hand. */
  readonly manualFix?: string;
  /** The workflow run the deployment came from, when running in GitHub Actions. */
  readonly source?: RunContext;
}

/** What is saved at each phase change, so a later process (the post step) can finish the job. */
export interface DeploymentSnapshot {
  readonly phase: Phase;
  readonly deploymentId: string;
  /** The function as named in messages. */
  readonly functionName: string;
  /** The function as every call names it: its full ARN once read (the input until then). */
  readonly functionRef: string;
  readonly alias: string;
  readonly previousVersion?: string;
  readonly targetVersion?: string;
  /** A write to the alias was sent that may have been applied: an interruption needs a rollback. */
  readonly aliasTouched: boolean;
  readonly aliasCreated: boolean;
  /**
   * The main step ended without finishing its rollback (its budget ran out): the alias may still
   * send traffic to the target version, and the post step must finish the job.
   */
  readonly rollbackOwed: boolean;
}

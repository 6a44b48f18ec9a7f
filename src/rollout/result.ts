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
  readonly functionName: string;
  readonly alias: string;
  readonly previousVersion?: string;
  readonly targetVersion?: string;
  /** A mutating alias call was sent: from here on an interruption needs a rollback. */
  readonly aliasTouched: boolean;
  readonly aliasCreated: boolean;
}

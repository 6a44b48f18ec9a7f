import type { Observation } from '../checks/checks.js';
import type { RunContext } from '../core/run-context.js';
import type { Strategy } from '../core/schedule.js';
import type { HookOutcome } from '../hooks/traffic-hook.js';
import type { FinalStatus, Phase } from './phases.js';
import type { AnalysisPoint, TimelineEvent } from './recorder.js';

/** How one function of the deployment ended. */
export interface TargetResult {
  readonly functionName: string;
  readonly functionArn?: string;
  readonly alias: string;
  readonly aliasArn?: string;
  /** The version this deployment published (and, on success, the one now live). */
  readonly version?: string;
  /**
   * False when PublishVersion gave back the version the alias already serves (nothing had changed
   * since it was published): nothing new was published for this function.
   */
  readonly published: boolean;
  /** The version the alias served before; undefined on a first deployment. */
  readonly previousVersion?: string;
  /** The CodeSha256 of `version` (or, when nothing was published, of the code this deployment brought). */
  readonly codeSha256?: string;
  /** The code this deployment brought, when it brought any. */
  readonly code?: CodeReport;
  /** What the new version changes compared with the live one, as the inputs name it (variable names only, never values). */
  readonly changes?: readonly string[];
  /**
   * What this deployment wrote to $LATEST (`new code`, `new configuration`, `new code and
   * configuration`), which keeps it whatever becomes of the alias; undefined when it wrote nothing.
   */
  readonly latestChanged?: string;
}

/** The code a deployment brought: where it came from, its size and hash, and whether it was uploaded. */
export interface CodeReport {
  /** `directory build/`, `s3://bucket/key`, `image …:v2`. */
  readonly source: string;
  readonly size?: number;
  readonly files?: number;
  readonly codeSha256?: string;
  /**
   * `uploaded`; `in-latest`: $LATEST held it already; `not-uploaded`: the deployment ended first (or
   * was a dry run), or its upload was not applied (read back); `unknown`: the upload was sent, its
   * answer never came, and $LATEST could not be read back.
   */
  readonly upload: 'uploaded' | 'in-latest' | 'not-uploaded' | 'unknown';
}

/** How a deployment ended: everything the outputs and the job summary report. */
export interface DeploymentResult {
  readonly status: FinalStatus;
  readonly deploymentId: string;
  /** Every function of the deployment, in the order given (one, unless several were deployed). */
  readonly targets: readonly TargetResult[];
  readonly strategy: Strategy;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** Why the deployment did not succeed (capped, untrusted parts included: escape before display). */
  readonly failureReason?: string;
  readonly cancelled: boolean;
  readonly dryRun: boolean;
  /** When the rollback itself failed: the commands that put the aliases back by hand. */
  readonly manualFix?: string;
  /** The workflow run the deployment came from, when running in GitHub Actions. */
  readonly source?: RunContext;
  /** `engine: codedeploy`: the CodeDeploy deployment the rollout was handed to. */
  readonly codedeploy?: CodeDeployResult;
}

/** The CodeDeploy side of a result (`engine: codedeploy`). */
export interface CodeDeployResult {
  readonly application: string;
  readonly deploymentGroup: string;
  /** CodeDeploy's id; undefined when no deployment was created. */
  readonly deploymentId?: string;
  readonly deploymentConfig?: string;
  /** CodeDeploy's own status when the step ended (Succeeded, Failed, Stopped, InProgress, …). */
  readonly status?: string;
  /** The deployment's page in the AWS console. */
  readonly consoleUrl?: string;
}

/** Everything a deployment leaves to report: its result and what happened along the way. */
export interface DeploymentReport {
  readonly result: DeploymentResult;
  readonly timeline: readonly TimelineEvent[];
  /** The last state seen of everything the checks watched. */
  readonly observations: readonly Observation[];
  readonly hooks: readonly HookOutcome[];
  readonly warnings: readonly string[];
  /** The plan as numbered lines (empty when the preflight refused the deployment). */
  readonly plan: readonly string[];
  /** The per-version analyses, when analysis was on and judged something. */
  readonly analysis?: readonly AnalysisPoint[];
}

/** What a later process must know of one function to undo this deployment's changes to its alias. */
export interface TargetSnapshot {
  /** The function as named in messages. */
  readonly functionName: string;
  /** The function as every call names it: its full ARN. */
  readonly functionRef: string;
  readonly alias: string;
  readonly previousVersion?: string;
  readonly targetVersion?: string;
  /** A write to the alias was sent that may have been applied: an interruption needs a rollback. */
  readonly aliasTouched: boolean;
  readonly aliasCreated: boolean;
  /** Another writer changed the alias during the deployment: it is theirs, and never undone. */
  readonly leftToOtherWriter?: boolean;
  /**
   * This run writes $LATEST (new code or configuration), which no rollback undoes: a later process
   * says what it holds. `codeSha256`: the new code's hash, when known beforehand.
   */
  readonly latest?: { readonly codeSha256?: string };
}

/** What is saved at each phase change, so a later process (the post step) can finish the job. */
export interface DeploymentSnapshot {
  readonly phase: Phase;
  readonly deploymentId: string;
  /** Every function whose alias the deployment may change (empty before the preflight read them). */
  readonly targets: readonly TargetSnapshot[];
  /**
   * The main step ended without finishing its rollback (its budget ran out): an alias may still
   * send traffic to a new version, and the post step must finish the job.
   */
  readonly rollbackOwed: boolean;
  /** `engine: codedeploy`: the deployment handed to CodeDeploy, for the post step. */
  readonly codedeploy?: CodeDeploySnapshot;
}

/** What the post step must know of a rollout handed to CodeDeploy. */
export interface CodeDeploySnapshot {
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
}

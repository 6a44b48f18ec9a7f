import type { LifecycleEvent } from '../core/lifecycle.js';
import type { Strategy } from '../core/schedule.js';

/**
 * A deployment as a list of steps a person can read: what `planDeployment` returns, what a dry run
 * prints, and what the engine applies one by one. Pure data, about one function or several.
 */

/** One function of the rollout, as the preflight found it. */
export interface PlanTarget {
  /** How the function is named in the plan (its name). */
  readonly name: string;
  readonly alias: string;
  /** The version the alias serves; undefined when the alias does not exist yet (it is created). */
  readonly liveVersion?: string;
  /** The alias was left split by an interrupted deployment and is to be put back on this version first. */
  readonly repairTo?: string;
  /**
   * The live version already has the code and configuration this deployment brings: nothing to
   * publish or shift for this function (decided before anything is written).
   */
  readonly upToDate?: boolean;
  /** What must change in $LATEST before publishing, when the deployment brings code or configuration. */
  readonly updates?: TargetUpdates;
}

/** The writes to a function's $LATEST that come before its new version is published. */
export interface TargetUpdates {
  /** The configuration values to set, as the inputs name them (`memory-size`, `env-vars (DB_URL)`). */
  readonly configuration?: readonly string[];
  /** The code to upload, described (`directory build/ (12 files, 1.2 MB)`). */
  readonly code?: string;
}

/** What the plan is made from: the preflight's findings and the settings that shape the rollout. */
export interface PlanFacts {
  readonly targets: readonly PlanTarget[];
  readonly strategy: Strategy;
  /** The hooks of each lifecycle event, by label (`lambda:smoke`, `command:npm test`), in order. */
  readonly hooks: { readonly [event in LifecycleEvent]: readonly string[] };
  /** What watches the new version while it bakes, by name (`alarms`); empty: nothing does. */
  readonly checks: readonly string[];
  /** How often the checks are read during a bake. */
  readonly pollIntervalMs: number;
  /** `engine: codedeploy`: the rollout after the publish is CodeDeploy's (absent: the runner drives it). */
  readonly codedeploy?: PlanHandOver;
}

/** Where and how the rollout is handed to AWS CodeDeploy. */
export interface PlanHandOver {
  readonly application: string;
  readonly deploymentGroup: string;
  /** The deployment configuration the strategy became. */
  readonly deploymentConfig: string;
  /** What the hand-over creates first, because it does not exist yet (`deployment group live`, …). */
  readonly creates: readonly string[];
  /** Watch the deployment to its end (`wait: true`). */
  readonly wait: boolean;
}

/** One step of a deployment. Targets are indexes into `PlanFacts.targets`. */
export type DeploymentStep =
  /** Put a split alias back on its main version before anything else (`on-split-alias: rollback`). */
  | { readonly kind: 'repair-split'; readonly target: number; readonly toVersion: string }
  /** Set configuration values of a function's $LATEST (UpdateFunctionConfiguration), then wait for it. */
  | { readonly kind: 'update-configuration'; readonly target: number; readonly changes: readonly string[] }
  /** Upload a function's new code to $LATEST without publishing (UpdateFunctionCode), then wait for it. */
  | { readonly kind: 'update-code'; readonly target: number; readonly source: string }
  /** Publish a new version of every function (a function whose version is already live drops out). */
  | { readonly kind: 'publish' }
  | { readonly kind: 'hooks'; readonly event: LifecycleEvent; readonly hooks: readonly string[] }
  /** Read every check once; any failure stops the rollout (before traffic moves, or after promotion). */
  | { readonly kind: 'check'; readonly moment: 'before-first-shift' | 'after-promotion' }
  /** Give the new versions `weightPercent` of their aliases' traffic, all aliases together. */
  | {
      readonly kind: 'shift';
      readonly number: number;
      readonly of: number;
      readonly weightPercent: number;
      readonly bakeMs: number;
    }
  /** Watch the checks until `untilMs` after the first shift (absolute, so that drift cannot add up). */
  | { readonly kind: 'bake'; readonly untilMs: number; readonly weightPercent: number }
  /** All traffic to the new versions; an alias that does not exist yet is created on its new version. */
  | { readonly kind: 'promote' }
  /** `engine: codedeploy`: create what is missing, then CreateDeployment; CodeDeploy runs the hooks and shifts the alias. */
  | { readonly kind: 'hand-over' }
  /** Watch the CodeDeploy deployment to its end. */
  | { readonly kind: 'watch' };

export interface DeploymentPlan {
  readonly facts: PlanFacts;
  readonly steps: readonly DeploymentStep[];
}

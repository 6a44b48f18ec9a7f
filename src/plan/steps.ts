/**
 * A deployment as a list of steps a person can read: what a dry run prints, and what is applied
 * one by one. The head (this folder's steps) is the work on the functions themselves, the same for
 * every engine: repair a split alias, update $LATEST, publish. The tail is the engine's own steps
 * (how the traffic moves), planned by the engine. Pure data, each step carrying its own facts.
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
  /** The existing version deployed instead of a new one (`version`, `from-alias`, `rollback-to`): nothing is published. */
  readonly existing?: ExistingVersionPlan;
}

/** An existing version to deploy, as the preflight found it. */
export interface ExistingVersionPlan {
  readonly version: string;
  /** How it was chosen: `the version input`, `the version alias staging serves`, … */
  readonly from: string;
  /** Its state when read: `Inactive` is woken by one invocation, `Pending` waited for. */
  readonly state: string;
}

/** The writes to a function's $LATEST that come before its new version is published. */
export interface TargetUpdates {
  /** The configuration values to set, as the inputs name them (`memory-size`, `env-vars (DB_URL)`). */
  readonly configuration?: readonly string[];
  /** The code to upload, described (`directory build/ (12 files, 1.2 MB)`). */
  readonly code?: string;
}

/** One step of the plan's head. `target` is an index into the plan's targets; `function` its name. */
export type HeadStep =
  /** Put a split alias back on its main version before anything else (`on-split-alias: rollback`). */
  | {
      readonly kind: 'repair-split';
      readonly target: number;
      readonly function: string;
      readonly alias: string;
      readonly toVersion: string;
    }
  /** Set configuration values of a function's $LATEST (UpdateFunctionConfiguration), then wait for it. */
  | {
      readonly kind: 'update-configuration';
      readonly target: number;
      readonly function: string;
      readonly changes: readonly string[];
    }
  /** Upload a function's new code to $LATEST without publishing (UpdateFunctionCode), then wait for it. */
  | { readonly kind: 'update-code'; readonly target: number; readonly function: string; readonly source: string }
  /** Publish a new version of every function that is not up to date (one whose version is already live drops out). */
  | { readonly kind: 'publish'; readonly functions: readonly string[] }
  /** Deploy existing versions instead (no upload, no publish): each made ready (an Inactive one woken), then handed to the engine. */
  | {
      readonly kind: 'use-existing';
      readonly versions: ReadonlyArray<{
        readonly target: number;
        readonly function: string;
        readonly version: string;
        readonly from: string;
        readonly state: string;
      }>;
    };

/** A step after the engine's, once the deployment succeeded; it never changes the deployment's status. */
export type ClosingStep =
  /** Delete (or only list) old versions of each function, keeping every protected one. */
  {
    readonly kind: 'prune';
    readonly functions: readonly string[];
    readonly keepVersions?: number;
    readonly keepDays?: number;
    /** `prune: true`; otherwise the versions are only listed. */
    readonly delete: boolean;
  };

/** The whole plan: the functions, the head's steps, then the engine's. */
export interface DeploymentPlan<Step> {
  readonly targets: readonly PlanTarget[];
  readonly head: readonly HeadStep[];
  /** The engine's steps, applied after the head; empty when every function is up to date. */
  readonly tail: readonly Step[];
  /** After a successful deployment (pruning); empty when the engine has nothing to do. */
  readonly closing: readonly ClosingStep[];
  /** What the preflight found that no step changes, for the reader (each function's triggers). */
  readonly notes: readonly string[];
}

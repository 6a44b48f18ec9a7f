import type { AlarmRef } from '../aws/alarm-gateway.js';
import type { AwsCallSettings } from '../aws/clients.js';
import type { AnalysisThresholds } from '../core/analysis.js';
import type { ConfigurationChanges } from '../aws/lambda-gateway.js';
import type { CodeSource } from '../code/source.js';
import type { SymlinkPolicy } from '../code/symlink-policy.js';
import type { ProbeSettings } from '../core/probes.js';
import type { Strategy } from '../core/schedule.js';
import type { DeployWindow } from './deploy-window.js';

/** One function of the rollout and what belongs to it alone. */
export interface TargetSettings {
  /** The function as given: name, partial ARN or full ARN (no qualifier). */
  readonly functionName: string;
  /** Region from a full function ARN: the function's calls go there, whatever region is configured. */
  readonly functionRegion?: string;
  /** The alias that carries production traffic. */
  readonly alias: string;
  /** Where the new code comes from; undefined: publish what $LATEST holds, as without these inputs. */
  readonly code?: CodeSource;
  /** Lambda hook functions (name or ARN, optionally qualified). */
  readonly preTrafficHook?: string;
  readonly postTrafficHook?: string;
}

/** The action's inputs, validated and typed. Produced by `parseSettings()` only. */
export interface Settings {
  /**
   * The functions to deploy, in order: one from `function-name`, or several from `functions`,
   * shifted in lockstep.
   */
  readonly targets: readonly TargetSettings[];
  readonly strategy: Strategy;
  /** CloudWatch alarms by name or ARN (deduplicated, at most 100). */
  readonly alarms: readonly AlarmRef[];
  /** Create the alias even though the function has other aliases (else only its first alias is created). */
  readonly allowNewAlias: boolean;
  readonly alarmPollIntervalMs: number;
  /** How long a step may be held past its end while a check has not enough data to judge. */
  readonly maxBakeExtensionMs: number;
  /**
   * How long the checks keep watching once all traffic is on the new version (`final-bake`), the
   * alias put back on the previous version if one fails; undefined: off.
   */
  readonly finalBake?: FinalBake;
  /**
   * How often a bake or a wait prints a progress line: a minute, or the emulator's shorter metrics
   * period (LSD_METRICS_PERIOD_SECONDS); undefined: a minute.
   */
  readonly progressIntervalMs?: number;
  /** Per-version analysis of the new version against the previous one; undefined: off (no analysis input given). */
  readonly analysis?: AnalysisThresholds;
  /** Probes before traffic and through the alias (`probe-payload`, …); undefined: none. */
  readonly probes?: ProbeSettings;
  /** Start even if an alarm is already in ALARM; those alarms are ignored until they recover. */
  readonly allowAlarmAtStart: boolean;
  /** Description of the published version (Lambda caps it at 256 characters). */
  readonly versionDescription: string;
  /** Publish only if $LATEST has this code hash. */
  readonly codeSha256?: string;
  /** Configuration values the new version must have; undefined when none is given. */
  readonly configuration?: ConfigurationChanges;
  /** `x86_64` or `arm64`: Lambda sets it with the code, so it comes with a code source only. */
  readonly architecture?: Architecture;
  /** Where a symbolic link under `code-dir` may lead (`allow-external-symlinks`, GITHUB_WORKSPACE). */
  readonly symlinks: SymlinkPolicy;
  /**
   * How every AWS call is made: retries per call, the time limits of a connection and of one
   * attempt, and the region of everything named without an ARN when the functions' ARNs agree on one.
   */
  readonly aws: AwsCallSettings;
  /** Run the read-only preflight and print the plan; change nothing. */
  readonly dryRun: boolean;
  /** An alias found split by an interrupted deployment: refuse, or restore its main version and go on. */
  readonly onSplitAlias: 'fail' | 'rollback';
  /** Shell commands run on the runner as traffic hooks. */
  readonly preTrafficCommand?: string;
  readonly postTrafficCommand?: string;
  /** Time limit of each traffic command. */
  readonly commandTimeoutMs: number;
  /** GitHub environment to record a GitHub deployment in (`deployment-environment`); undefined: none. */
  readonly deploymentEnvironment?: string;
  /** Token for the GitHub Deployments API (masked in logs). */
  readonly githubToken?: string;
  /** Who shifts the traffic: chosen once, from the `engine` input (and `codedeploy-deployment-id`). */
  readonly engine: EngineSettings;
  /** Aliases with provisioned concurrency: the bound of each wait for Lambda's allocation, and the headroom. */
  readonly provisionedConcurrency: ProvisionedConcurrencySettings;
  /** Where the version to shift comes from: published now, or one that exists (`version`, `from-alias`, `rollback-to`). */
  readonly release: ReleaseSource;
  /** A trigger that does not follow the alias (on $LATEST or a version number): warn, or refuse before any write. */
  readonly onUnroutedTriggers: 'warn' | 'fail';
  /** Old versions deleted (or listed) after a successful promotion: `keep-versions`, `keep-days`, `prune`. */
  readonly pruning: PruneSettings;
  /** What the run does: deploy (the default), or promote, abort or guard a rollout held for approval. */
  readonly operation: OperationSettings;
  /** How long a hold of the strategy may last before `promote` refuses it and `guard` aborts it (`hold-max-age`). */
  readonly holdMaxAgeMs: number;
}

/** The `operation` input's choices. */
export type OperationKind = OperationSettings['kind'];

/** What the run does, as a tagged union: each operation's own inputs, and nothing of the others'. */
export type OperationSettings = DeployOperation | PromoteOperation | AbortOperation | GuardOperation;

/** `operation: deploy` (the default): publish and roll out, as the strategy says (it may hold). */
export interface DeployOperation {
  readonly kind: 'deploy';
  /** When the rollout may run (`deploy-window`); undefined: any time. */
  readonly window?: WindowGate;
}

/** `operation: promote`: judge a held rollout's window, then go on with its remaining steps to 100 %. */
export interface PromoteOperation {
  readonly kind: 'promote';
  readonly window?: WindowGate;
  /** `expedite`: skip the remaining bakes, for this reason (recorded with who asked). */
  readonly expedite?: string;
  /** `deployment-id`: the held deployment meant; refused when the alias holds another. */
  readonly deploymentId?: string;
}

/** `operation: abort`: put a held alias back on its previous version. */
export interface AbortOperation {
  readonly kind: 'abort';
  /** `reason`: why, recorded with who asked. */
  readonly reason?: string;
  readonly deploymentId?: string;
}

/** `operation: guard` (a scheduled workflow): abort holds past their age or with an alarm in ALARM. */
export interface GuardOperation {
  readonly kind: 'guard';
}

/** A deploy window, and the reason it is overridden this time (`deploy-window-override`). */
export interface WindowGate {
  readonly window: DeployWindow;
  readonly override?: string;
}

/** What the action does on an alias that has provisioned concurrency. */
export interface ProvisionedConcurrencySettings {
  /** How long one wait for Lambda to report the allocation READY may last (`provisioned-concurrency-timeout`). */
  readonly timeoutMs: number;
  /** How often Lambda is asked during that wait: `alarm-poll-interval`, between 1 and 5 seconds. */
  readonly pollIntervalMs: number;
  /** Raised on the alias before the first shift and put back after; undefined: none (`provisioned-concurrency-headroom`). */
  readonly headroom?: Headroom;
}

/** Extra provisioned concurrency for the rollout: a share of the alias's, or a number of executions. */
export type Headroom =
  { readonly kind: 'percent'; readonly percent: number } | { readonly kind: 'executions'; readonly executions: number };
/**
 * Where each function's version to shift comes from, chosen once. `publish`: a new version of what
 * $LATEST holds (after the code and configuration inputs, if any); the others deploy a published
 * version as it is, with no upload and no publish.
 */
export type ReleaseSource =
  | { readonly kind: 'publish' }
  /** `version`: this version number, one per function in the order of the functions. */
  | { readonly kind: 'version'; readonly versions: readonly string[] }
  /** `from-alias`: the version another alias of each function serves (promote what staging ran). */
  | { readonly kind: 'from-alias'; readonly alias: string }
  /** `rollback-to: last-good`: from the record on the alias, the newest promoted version other than the live one. */
  | { readonly kind: 'last-good' };

/** Pruning after a successful promotion: off, or what to keep and whether to delete the rest or only list it. */
export type PruneSettings =
  | { readonly kind: 'off' }
  | {
      readonly kind: 'prune';
      /** Delete (`prune: true`), or only list what would be deleted. */
      readonly delete: boolean;
      /** The newest versions kept, whatever else. */
      readonly keepVersions?: number;
      /** Versions published fewer days ago than this are kept. */
      readonly keepDays?: number;
    };

/** The instruction set a function runs on. */
export type Architecture = 'x86_64' | 'arm64';

/** Who shifts the traffic, as a tagged union: each engine's settings, and nothing of the others'. */
export type EngineSettings = RunnerEngineSettings | CodeDeployEngineSettings | CodeDeployWatchSettings;

/** `engine: runner` (the default): this action shifts the traffic from the runner. */
export interface RunnerEngineSettings {
  readonly kind: 'runner';
}

/** `engine: codedeploy`: the rollout is AWS CodeDeploy's; the action hands it over and watches it. */
export interface CodeDeployEngineSettings {
  readonly kind: 'codedeploy';
  /** The CodeDeploy application (compute platform Lambda); created when absent, given the service role. */
  readonly application: string;
  /** Its deployment group; created when absent, given the service role. */
  readonly deploymentGroup: string;
  /** The role CodeDeploy assumes (an IAM role ARN); needed only to create the application or group. */
  readonly serviceRoleArn?: string;
  /** Watch the deployment to its end (true), or hand it over and exit (false). */
  readonly wait: boolean;
  /** How often the deployment is read while it is watched (`codedeploy-poll-interval`). */
  readonly pollIntervalMs: number;
}

/**
 * `engine: codedeploy` with `codedeploy-deployment-id`: only watch that existing deployment and
 * report it (no preflight, no publish, no new deployment).
 */
export interface CodeDeployWatchSettings {
  readonly kind: 'codedeploy-watch';
  /** The application and group the deployment is reported in until it is read (its own then). */
  readonly application: string;
  readonly deploymentGroup: string;
  /** The deployment to watch. */
  readonly deploymentId: string;
  /** How often the deployment is read (`codedeploy-poll-interval`). */
  readonly pollIntervalMs: number;
}

/** The final bake: the checks keep watching the new version at 100 % for `durationMs` (`final-bake`). */
export interface FinalBake {
  readonly durationMs: number;
}

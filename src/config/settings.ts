import type { AlarmRef } from '../aws/alarm-gateway.js';
import type { Strategy } from '../core/schedule.js';
import type { CodeDeploySettings } from './codedeploy.js';

/** The action's inputs, validated and typed. Produced by `getInputs()` only. */
export interface Settings {
  /** The function as given: name, partial ARN or full ARN (no qualifier). */
  readonly functionName: string;
  /** Region from a full function ARN: the deployment's calls go there, whatever region is configured. */
  readonly functionRegion?: string;
  /** The alias that carries production traffic. */
  readonly alias: string;
  readonly strategy: Strategy;
  /** CloudWatch alarms by name or ARN (deduplicated, at most 100). */
  readonly alarms: readonly AlarmRef[];
  /** Create the alias even though the function has other aliases (else only its first alias is created). */
  readonly allowNewAlias: boolean;
  /** Lambda hook functions (name or ARN, optionally qualified). */
  readonly preTrafficHook?: string;
  readonly postTrafficHook?: string;
  readonly alarmPollIntervalMs: number;
  /** How long a step may be held past its end while a check has not enough data to judge. */
  readonly maxBakeExtensionMs: number;
  /** Start even if an alarm is already in ALARM; those alarms are ignored until they recover. */
  readonly allowAlarmAtStart: boolean;
  /** Description of the published version (Lambda caps it at 256 characters). */
  readonly versionDescription: string;
  /** Publish only if $LATEST has this code hash. */
  readonly codeSha256?: string;
  /** Retries per AWS call (SDK standard retry mode). */
  readonly maxRetries: number;
  /** Time limit to open a connection to AWS. */
  readonly awsConnectTimeoutMs: number;
  /** Time limit of one attempt of an AWS call, until the answer's headers. */
  readonly awsRequestTimeoutMs: number;
  /** Run the read-only preflight and print the plan; change nothing. */
  readonly dryRun: boolean;
  /** An alias found split by an interrupted deployment: refuse, or restore its main version and go on. */
  readonly onSplitAlias: 'fail' | 'rollback';
  /** Shell commands run on the runner as traffic hooks. */
  readonly preTrafficCommand?: string;
  readonly postTrafficCommand?: string;
  /** Time limit of each traffic command. */
  readonly commandTimeoutMs: number;
  /** GitHub environment to record a GitHub deployment in; undefined: none. */
  readonly environment?: string;
  /** Token for the GitHub Deployments API (masked in logs). */
  readonly githubToken?: string;
  /** `engine: codedeploy`: the rollout is handed to AWS CodeDeploy (absent: the runner drives it). */
  readonly codedeploy?: CodeDeploySettings;
}

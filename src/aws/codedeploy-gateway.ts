import type { TrafficRouting } from './traffic-routing.js';

/**
 * The AWS CodeDeploy calls of `engine: codedeploy`, behind one small interface so that the rollout
 * never sees the SDK. Failures are the domain failures of failures.ts; what CodeDeploy reports is
 * turned into the plain views below (its text is untrusted: escape it before display).
 */

/** CodeDeploy's automatic rollback events. */
export type RollbackEvent = 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';

/** Alarms that stop a deployment, and when it rolls back by itself. */
export interface AlarmSettings {
  /** CloudWatch alarm names (CodeDeploy reads them in its own account and region; at most 10). */
  readonly alarms: readonly string[];
  readonly autoRollbackEvents: readonly RollbackEvent[];
}

/** An application as GetApplication reports it. */
export interface ApplicationInfo {
  readonly name: string;
  /** `Lambda`, `Server` or `ECS`: only a Lambda application can deploy a function. */
  readonly computePlatform: string;
}

/** A deployment of a group, as the group reports its last attempt. */
export interface DeploymentRef {
  readonly deploymentId: string;
  readonly status: string;
}

/** A deployment group as GetDeploymentGroup reports it. */
export interface DeploymentGroupInfo {
  readonly name: string;
  readonly computePlatform?: string;
  readonly serviceRoleArn?: string;
  /** The group's alarms when its alarm configuration is enabled; empty otherwise. */
  readonly alarms: readonly string[];
  /** The group's automatic rollback events when it is enabled; empty otherwise. */
  readonly autoRollbackEvents: readonly RollbackEvent[];
  /** The group's last deployment, when it has one. */
  readonly lastAttempted?: DeploymentRef;
}

/** What a Lambda deployment's AppSpec names: one alias moved from one version to another, and its hooks. */
export interface LambdaAppSpec {
  /** The function's name (CodeDeploy deploys functions of its own account and region). */
  readonly functionName: string;
  readonly alias: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
  /** Hook functions CodeDeploy invokes (asynchronously; they answer with PutLifecycleEventHookExecutionStatus). */
  readonly beforeAllowTraffic: readonly string[];
  readonly afterAllowTraffic: readonly string[];
}

/** What CreateDeployment is given. */
export interface NewDeployment {
  readonly application: string;
  readonly deploymentGroup: string;
  readonly deploymentConfig: string;
  readonly appSpec: LambdaAppSpec;
  /** Shown in the console; carries this action's own deployment id, so that a lost answer can be found again. */
  readonly description: string;
  /** The deployment's own alarms and rollback (the group is left as it is); undefined: the group's apply. */
  readonly alarms?: AlarmSettings;
  /** The deployment's own rollback events (whatever the group says). */
  readonly autoRollbackEvents: readonly RollbackEvent[];
}

/** A lifecycle event of the Lambda target: BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic. */
export interface LifecycleEventView {
  readonly name: string;
  /** `Pending`, `InProgress`, `Succeeded`, `Failed`, `Skipped` or `Unknown`. */
  readonly status: string;
  /** CodeDeploy's diagnostics of a failed event: `<errorCode> (<scriptName>): <message>`. */
  readonly diagnostics?: string;
}

/** The deployment's Lambda target: its events and where the alias's traffic is. */
export interface LambdaTargetView {
  readonly functionName: string;
  readonly alias: string;
  readonly currentVersion: string;
  readonly targetVersion: string;
  /** The target version's share of the alias's traffic, in percent (0 to 100). */
  readonly weightPercent?: number;
  /** The alias's ARN, when CodeDeploy reports it. */
  readonly targetArn?: string;
  readonly lifecycleEvents: readonly LifecycleEventView[];
}

/** CodeDeploy's statuses of a deployment; the last three are ends. */
export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped';

/** A deployment as GetDeployment reports it. */
export interface DeploymentView {
  readonly deploymentId: string;
  readonly status: DeploymentStatus | string;
  readonly application: string;
  readonly deploymentGroup: string;
  readonly deploymentConfig: string;
  readonly description?: string;
  /** `user`, `autoscaling`, `codeDeployRollback`, … */
  readonly creator?: string;
  /** CodeDeploy's error code (`ALARM_ACTIVE`, `HOOK_EXECUTION_FAILURE`, …) and message, when it failed or stopped. */
  readonly error?: { readonly code: string; readonly message: string };
  readonly rollback?: {
    readonly rollbackDeploymentId?: string;
    readonly rollbackTriggeringDeploymentId?: string;
    readonly message?: string;
  };
  readonly createdAtMs?: number;
  readonly completedAtMs?: number;
}

/** What StopDeployment did. */
export type StopOutcome =
  /** Accepted: CodeDeploy stops the deployment (and rolls it back, if asked) by itself. */
  | { readonly kind: 'stopping'; readonly status: string; readonly message?: string }
  /** The deployment had already ended. */
  | { readonly kind: 'already-ended' };

export interface CodeDeployGateway {
  /** The region CodeDeploy is called in (undefined: none configured). */
  readonly region: string | undefined;
  /** The application, or undefined when it does not exist. */
  getApplication(name: string, signal?: AbortSignal): Promise<ApplicationInfo | undefined>;
  /** Creates an application of compute platform Lambda; one that exists already is left as it is. */
  createApplication(name: string, signal?: AbortSignal): Promise<void>;
  /** The group, or undefined when it (or its application) does not exist. */
  getDeploymentGroup(application: string, name: string, signal?: AbortSignal): Promise<DeploymentGroupInfo | undefined>;
  /** Creates a Lambda deployment group (BLUE_GREEN WITH_TRAFFIC_CONTROL) with these alarms and rollback. */
  createDeploymentGroup(
    application: string,
    name: string,
    options: { readonly serviceRoleArn: string; readonly alarms: AlarmSettings },
    signal?: AbortSignal
  ): Promise<void>;
  /** A deployment configuration's routing, or undefined when it does not exist. */
  getDeploymentConfig(name: string, signal?: AbortSignal): Promise<TrafficRouting | undefined>;
  /** Creates a Lambda deployment configuration; false when one of that name exists already. */
  createDeploymentConfig(name: string, routing: TrafficRouting, signal?: AbortSignal): Promise<boolean>;
  /** Starts a deployment; its id. */
  createDeployment(deployment: NewDeployment, signal?: AbortSignal): Promise<string>;
  /** The deployment; throws ResourceNotFound when there is none of that id. */
  getDeployment(deploymentId: string, signal?: AbortSignal): Promise<DeploymentView>;
  /** The deployment's Lambda target, or undefined while CodeDeploy has not made it yet. */
  getLambdaTarget(deploymentId: string, signal?: AbortSignal): Promise<LambdaTargetView | undefined>;
  /** Deployments of a group that have not ended, newest first (at most `limit`). */
  listActiveDeployments(application: string, group: string, limit: number, signal?: AbortSignal): Promise<DeploymentView[]>;
  /** Stops a deployment; `autoRollback` puts the alias back on its current version. */
  stopDeployment(deploymentId: string, autoRollback: boolean, signal?: AbortSignal): Promise<StopOutcome>;
}

/** True for the statuses a deployment ends in. */
export function isEndStatus(status: string): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}

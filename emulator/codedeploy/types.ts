/**
 * Public types of the CodeDeploy model: its timing knob and what the control API shows of it.
 * (Re-exported by emulator/types.ts.)
 */

/** Deployment statuses as CodeDeploy reports them (a Lambda deployment uses Created, InProgress and the three ends). */
export type DeploymentStatus = 'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Succeeded' | 'Failed' | 'Stopped' | 'Ready';

/** Lifecycle event statuses as CodeDeploy reports them. */
export type LifecycleEventStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';

/** The events of automatic rollback (AutoRollbackConfiguration.events). */
export type AutoRollbackEvent = 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';

/**
 * How CodeDeploy's durations map onto the emulator's clock (control API `setCodeDeployTiming`).
 * Every wait of a deployment (a canary's bake, a linear step, a hook's deadline) is counted in
 * CodeDeploy minutes; a minute lasts `minuteMs` of emulator time.
 */
export interface CodeDeployTiming {
  /** How long one CodeDeploy minute lasts on the emulator clock (ms); default 60 000 (real time). */
  minuteMs: number;
  /**
   * How long a lifecycle event waits for PutLifecycleEventHookExecutionStatus before the deployment fails (ms of
   * emulator time); default one hour of CodeDeploy minutes (60 × minuteMs), as CodeDeploy's one-hour limit.
   */
  hookTimeoutMs: number;
}

/** Control API: what an emulated hook function does when CodeDeploy invokes it (`setHookResponse`). */
export interface HookResponseOptions {
  /** Answer this long (ms of emulator time) after the invocation; default 0. */
  afterMs?: number;
}

/** How traffic moves, as a deployment configuration says (CodeDeploy's TrafficRoutingConfig, flattened). */
export type TrafficRoutingSnapshot =
  | { type: 'AllAtOnce' }
  | { type: 'TimeBasedCanary'; percentage: number; intervalMinutes: number }
  | { type: 'TimeBasedLinear'; percentage: number; intervalMinutes: number };

/** One hook invocation of a lifecycle event and its answer so far. */
export interface HookExecutionSnapshot {
  functionName: string;
  /** The LifecycleEventHookExecutionId the hook was invoked with (to pass to PutLifecycleEventHookExecutionStatus). */
  executionId: string;
  status: 'Pending' | 'Succeeded' | 'Failed';
  invokedMs: number;
  answeredMs?: number;
}

/** One lifecycle event of a Lambda deployment: BeforeAllowTraffic, AllowTraffic, AfterAllowTraffic. */
export interface LifecycleEventSnapshot {
  name: string;
  status: LifecycleEventStatus;
  startMs?: number;
  endMs?: number;
  hooks: HookExecutionSnapshot[];
}

/** One deployment as the control API shows it (times are emulator ms). */
export interface DeploymentSnapshot {
  deploymentId: string;
  accountId: string;
  region: string;
  applicationName: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  /** 'user' for CreateDeployment, 'codeDeployRollback' for the deployments automatic rollback creates. */
  creator: 'user' | 'codeDeployRollback';
  status: DeploymentStatus;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  createMs: number;
  startMs?: number;
  completeMs?: number;
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  /** Percentage of the alias's traffic on the target version, as the deployment target reports it. */
  targetVersionWeight: number;
  lifecycleEvents: LifecycleEventSnapshot[];
  /** Emulator time of the deployment's next step (a traffic shift, a hook deadline); absent when it waits for nothing timed. */
  nextStepMs?: number;
}

/** Everything emulated CodeDeploy holds (control API `codeDeployState`). */
export interface CodeDeploySnapshot {
  nowMs: number;
  timing: CodeDeployTiming;
  applications: { accountId: string; region: string; applicationName: string; applicationId: string; computePlatform: string }[];
  deploymentGroups: {
    accountId: string;
    region: string;
    applicationName: string;
    deploymentGroupName: string;
    deploymentGroupId: string;
    deploymentConfigName: string;
    alarms: { enabled: boolean; ignorePollAlarmFailure: boolean; names: string[] };
    autoRollback: { enabled: boolean; events: AutoRollbackEvent[] };
  }[];
  /** The custom configurations (the nine predefined `CodeDeployDefault.Lambda…` ones exist everywhere and are not listed). */
  deploymentConfigs: {
    accountId: string;
    region: string;
    deploymentConfigName: string;
    trafficRouting: TrafficRoutingSnapshot;
  }[];
  /** Oldest first. */
  deployments: DeploymentSnapshot[];
  /** Hook functions the emulator answers for (setHookResponse). */
  hookResponses: { functionName: string; status: 'Succeeded' | 'Failed'; afterMs: number }[];
}

import { randomInt, randomUUID } from 'node:crypto';
import { namespacedKey, type Namespace } from '../shared/arn.js';
import type { LambdaAppSpec, HookEvent } from './appspec.js';
import type { DeploymentConfigRecord, ShiftStep } from './configs.js';
import type { AutoRollbackEvent, DeploymentStatus, LifecycleEventStatus, TrafficRoutingSnapshot } from './types.js';

/** An application (compute platform Lambda). */
export interface ApplicationRecord extends Namespace {
  name: string;
  id: string;
  createMs: number;
  computePlatform: string;
}

/** A deployment group's (or a deployment's override) alarm configuration. */
export interface AlarmConfig {
  enabled: boolean;
  ignorePollAlarmFailure: boolean;
  names: string[];
}

/** When a deployment rolls back by itself. */
export interface AutoRollback {
  enabled: boolean;
  events: AutoRollbackEvent[];
}

/** A deployment group of a Lambda application. */
export interface GroupRecord extends Namespace {
  applicationName: string;
  name: string;
  id: string;
  serviceRoleArn: string;
  configName: string;
  alarms: AlarmConfig;
  autoRollback: AutoRollback;
  lastAttemptedId?: string;
  lastSuccessfulId?: string;
}

/** A custom deployment configuration, in its namespace. */
export interface CustomConfigRecord extends DeploymentConfigRecord, Namespace {}

/** One invocation of a hook function and its answer. */
export interface HookExecution {
  id: string;
  event: HookEvent;
  functionName: string;
  status: 'Pending' | 'Succeeded' | 'Failed';
  invokedMs: number;
  answeredMs?: number;
}

/** A lifecycle event of the Lambda target. */
export interface EventRecord {
  name: 'BeforeAllowTraffic' | 'AllowTraffic' | 'AfterAllowTraffic';
  status: LifecycleEventStatus;
  startMs?: number;
  endMs?: number;
  diagnostics?: { errorCode: string; scriptName?: string; message: string };
}

/** An answer due at a time (what an emulated hook function reports: setHookResponse). */
export interface ScheduledAnswer {
  atMs: number;
  executionId: string;
  status: 'Succeeded' | 'Failed';
}

/** A Lambda deployment and where it stands. */
export interface DeploymentRecord extends Namespace {
  id: string;
  applicationName: string;
  groupName: string;
  configName: string;
  routing: TrafficRoutingSnapshot;
  plan: ShiftStep[];
  creator: 'user' | 'codeDeployRollback';
  description?: string;
  /** RevisionLocation as given (or, for a rollback, as made). */
  revision: Record<string, unknown>;
  spec: LambdaAppSpec;
  autoRollback: AutoRollback;
  alarmOverride?: AlarmConfig;
  status: DeploymentStatus;
  createMs: number;
  startMs?: number;
  completeMs?: number;
  error?: { code: string; message: string };
  rollback?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  events: EventRecord[];
  /** Index of the lifecycle event under way (-1 before the first). */
  eventIndex: number;
  /** Index of the next step of the shift plan. */
  shiftIndex: number;
  /** When the deployment acts next by itself: the next shift, or the running event's hook deadline. */
  wakeAtMs?: number;
  /** Alarms have been watched up to this time. */
  checkedMs: number;
  /** Percentage of the alias's traffic on TargetVersion. */
  weight: number;
  targetStatus: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  targetUpdatedMs: number;
  hooks: HookExecution[];
  answers: ScheduledAnswer[];
}

/** The three lifecycle events of a Lambda deployment, all Pending. */
export function newEvents(): EventRecord[] {
  return [
    { name: 'BeforeAllowTraffic', status: 'Pending' },
    { name: 'AllowTraffic', status: 'Pending' },
    { name: 'AfterAllowTraffic', status: 'Pending' }
  ];
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A deployment id as CodeDeploy makes them: `d-` and nine upper-case letters or digits. */
export function newDeploymentId(): string {
  return `d-${Array.from({ length: 9 }, () => ID_CHARS[randomInt(ID_CHARS.length)]).join('')}`;
}

/** True for strings shaped like a deployment id. */
export function isDeploymentId(id: string): boolean {
  return /^d-[A-Z0-9]{9}$/.test(id);
}

/** An opaque LifecycleEventHookExecutionId (CodeDeploy's are long base64 tokens). */
export function newHookExecutionId(deploymentId: string, event: string): string {
  return Buffer.from(JSON.stringify({ deploymentId, event, token: randomUUID() })).toString('base64');
}

/** Applications, groups, custom configurations and deployments, by namespace. */
export class CodeDeployStore {
  readonly applications = new Map<string, ApplicationRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly configs = new Map<string, CustomConfigRecord>();
  /** By id, in creation order. */
  readonly deployments = new Map<string, DeploymentRecord>();

  reset(): void {
    this.applications.clear();
    this.groups.clear();
    this.configs.clear();
    this.deployments.clear();
  }

  application(ns: Namespace, name: string): ApplicationRecord | undefined {
    return this.applications.get(namespacedKey(ns, name));
  }

  group(ns: Namespace, applicationName: string, name: string): GroupRecord | undefined {
    return this.groups.get(groupKey(ns, applicationName, name));
  }

  putGroup(group: GroupRecord): void {
    this.groups.set(groupKey(group, group.applicationName, group.name), group);
  }

  deleteGroup(group: GroupRecord): void {
    this.groups.delete(groupKey(group, group.applicationName, group.name));
  }

  /** The deployment `id` if it belongs to the namespace (others' deployments do not exist for a caller). */
  deployment(ns: Namespace, id: string): DeploymentRecord | undefined {
    const d = this.deployments.get(id);
    return d && d.accountId === ns.accountId && d.region === ns.region ? d : undefined;
  }

  /** The deployment of a group that is under way, if any. */
  activeDeployment(group: GroupRecord): DeploymentRecord | undefined {
    return [...this.deployments.values()].find(
      (d) =>
        d.status === 'InProgress' &&
        d.accountId === group.accountId &&
        d.region === group.region &&
        d.applicationName === group.applicationName &&
        d.groupName === group.name
    );
  }
}

function groupKey(ns: Namespace, applicationName: string, name: string): string {
  return namespacedKey(ns, `${applicationName}/${name}`);
}

import type { AlarmStore } from '../cloudwatch/alarms.js';
import type { LambdaService } from '../lambda/service.js';
import { namespacedKey, parseFunctionRef, type Namespace } from '../shared/arn.js';
import type { CallLog } from '../shared/call-log.js';
import type { Clock } from '../shared/clock.js';
import { predefinedConfig, type DeploymentConfigRecord } from './configs.js';
import { DeploymentEngine } from './engine.js';
import { CodeDeployStore, type DeploymentRecord } from './records.js';
import type { CodeDeploySnapshot, CodeDeployTiming, DeploymentSnapshot, HookResponseOptions } from './types.js';

/** One CodeDeploy minute on the emulator clock by default: real time. */
export const DEFAULT_MINUTE_MS = 60_000;

/** A hook function's emulated answer. */
interface HookResponse {
  status: 'Succeeded' | 'Failed';
  afterMs: number;
}

/**
 * The CodeDeploy side of the emulator: applications, deployment groups, configurations and Lambda
 * deployments that shift the emulated aliases on the emulator's clock. The AWS operations on it are in
 * operations.ts; it reaches into the Lambda model (aliases, Invoke) and CloudWatch's alarms, never the reverse.
 */
export class CodeDeployService {
  readonly store = new CodeDeployStore();
  readonly engine: DeploymentEngine;
  private timing: CodeDeployTiming;
  private readonly responses = new Map<string, HookResponse>();

  constructor(
    readonly defaults: Namespace,
    private readonly clock: Clock,
    lambda: LambdaService,
    alarms: AlarmStore,
    log: CallLog,
    private readonly defaultMinuteMs: number = DEFAULT_MINUTE_MS
  ) {
    this.timing = timingOf(defaultMinuteMs, undefined);
    this.engine = new DeploymentEngine(this.store, {
      lambda,
      alarms,
      log,
      timing: () => this.timing,
      hookResponse: (name) => this.responses.get(plainName(name))
    });
  }

  /** Current emulator time. */
  now(): number {
    return this.clock.now();
  }

  /** Catches every deployment up with the emulator's clock (shifts, hook deadlines, alarms, emulated hook answers). */
  settle(): void {
    this.engine.settle(this.clock.now());
  }

  /** Forgets applications, groups, custom configurations, deployments and hook responses; the timing is the default again. */
  reset(): void {
    this.store.reset();
    this.responses.clear();
    this.timing = timingOf(this.defaultMinuteMs, undefined);
  }

  /** Sets how long a CodeDeploy minute and a hook's deadline last on the emulator clock (members left out: their defaults). */
  setTiming(options: Partial<CodeDeployTiming>): CodeDeployTiming {
    this.timing = timingOf(options.minuteMs ?? DEFAULT_MINUTE_MS, options.hookTimeoutMs);
    return { ...this.timing };
  }

  /** When CodeDeploy invokes hook function `functionName`, it answers `status` `afterMs` later; 'None' forgets it. */
  setHookResponse(functionName: string, status: 'Succeeded' | 'Failed' | 'None', options: HookResponseOptions = {}): void {
    const name = plainName(functionName);
    if (status === 'None') {
      this.responses.delete(name);
      return;
    }
    const afterMs = options.afterMs ?? 0;
    if (!Number.isFinite(afterMs) || afterMs < 0) throw new RangeError(`afterMs must be a non-negative number, got ${afterMs}`);
    this.responses.set(name, { status, afterMs });
  }

  /** A deployment configuration of a namespace: predefined or custom. */
  config(ns: Namespace, name: string): DeploymentConfigRecord | undefined {
    return predefinedConfig(name) ?? this.store.configs.get(namespacedKey(ns, name));
  }

  /** Everything CodeDeploy holds, as plain JSON. */
  snapshot(): CodeDeploySnapshot {
    const { store } = this;
    return {
      nowMs: this.clock.now(),
      timing: { ...this.timing },
      applications: [...store.applications.values()].map((a) => ({
        accountId: a.accountId,
        region: a.region,
        applicationName: a.name,
        applicationId: a.id,
        computePlatform: a.computePlatform
      })),
      deploymentGroups: [...store.groups.values()].map((g) => ({
        accountId: g.accountId,
        region: g.region,
        applicationName: g.applicationName,
        deploymentGroupName: g.name,
        deploymentGroupId: g.id,
        deploymentConfigName: g.configName,
        alarms: { ...g.alarms, names: [...g.alarms.names] },
        autoRollback: { enabled: g.autoRollback.enabled, events: [...g.autoRollback.events] }
      })),
      deploymentConfigs: [...store.configs.values()].map((c) => ({
        accountId: c.accountId,
        region: c.region,
        deploymentConfigName: c.name,
        trafficRouting: { ...c.routing }
      })),
      deployments: [...store.deployments.values()].map(deploymentSnapshot),
      hookResponses: [...this.responses.entries()].map(([functionName, r]) => ({ functionName, ...r }))
    };
  }
}

function deploymentSnapshot(d: DeploymentRecord): DeploymentSnapshot {
  return {
    deploymentId: d.id,
    accountId: d.accountId,
    region: d.region,
    applicationName: d.applicationName,
    deploymentGroupName: d.groupName,
    deploymentConfigName: d.configName,
    creator: d.creator,
    status: d.status,
    ...(d.error ? { errorInformation: { ...d.error } } : {}),
    ...(d.rollback ? { rollbackInfo: { ...d.rollback } } : {}),
    createMs: d.createMs,
    ...(d.startMs !== undefined ? { startMs: d.startMs } : {}),
    ...(d.completeMs !== undefined ? { completeMs: d.completeMs } : {}),
    functionName: d.spec.functionName,
    alias: d.spec.alias,
    currentVersion: d.spec.currentVersion,
    targetVersion: d.spec.targetVersion,
    targetVersionWeight: d.weight,
    lifecycleEvents: d.events.map((e) => ({
      name: e.name,
      status: e.status,
      ...(e.startMs !== undefined ? { startMs: e.startMs } : {}),
      ...(e.endMs !== undefined ? { endMs: e.endMs } : {}),
      hooks: d.hooks
        .filter((h) => h.event === e.name)
        .map((h) => ({
          functionName: h.functionName,
          executionId: h.id,
          status: h.status,
          invokedMs: h.invokedMs,
          ...(h.answeredMs !== undefined ? { answeredMs: h.answeredMs } : {})
        }))
    })),
    ...nextStep(d)
  };
}

function nextStep(d: DeploymentRecord): { nextStepMs?: number } {
  const times = [d.wakeAtMs, d.answers[0]?.atMs].filter((x): x is number => x !== undefined);
  return times.length > 0 ? { nextStepMs: Math.min(...times) } : {};
}

function timingOf(minuteMs: number, hookTimeoutMs: number | undefined): CodeDeployTiming {
  positive(minuteMs, 'minuteMs');
  if (hookTimeoutMs !== undefined) positive(hookTimeoutMs, 'hookTimeoutMs');
  return { minuteMs, hookTimeoutMs: hookTimeoutMs ?? 60 * minuteMs };
}

function positive(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
}

/** The function a hook name designates, without account, region or qualifier. */
function plainName(name: string): string {
  try {
    return parseFunctionRef(name).name;
  } catch {
    return name;
  }
}

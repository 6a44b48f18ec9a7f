/**
 * How a Lambda deployment runs on the emulator's clock, as CodeDeploy runs one: BeforeAllowTraffic
 * (hooks invoked asynchronously, awaited through PutLifecycleEventHookExecutionStatus), AllowTraffic
 * (the alias shifted step by step), AfterAllowTraffic (hooks again), while the deployment group's alarms
 * are watched; on failure or stop, automatic rollback as a new deployment.
 *
 * Nothing runs on real timers: `settle` catches every deployment up with the clock, step by step, each
 * step at the emulator time it was due (the pipeline and the control API settle before anything else).
 */
import type { AlarmStore, AlarmTransition } from '../cloudwatch/alarms.js';
import type { FunctionRecord } from '../lambda/records.js';
import type { LambdaService } from '../lambda/service.js';
import { arnsOf, parseFunctionRef, type Namespace } from '../shared/arn.js';
import type { CallLog } from '../shared/call-log.js';
import { ApiError } from '../shared/errors.js';
import type { HookEvent } from './appspec.js';
import {
  newDeploymentId,
  newEvents,
  newHookExecutionId,
  type AlarmConfig,
  type CodeDeployStore,
  type DeploymentRecord,
  type HookExecution
} from './records.js';
import type { AutoRollbackEvent, CodeDeployTiming } from './types.js';

/** What the engine works with besides its store. */
export interface EngineDeps {
  lambda: LambdaService;
  alarms: AlarmStore;
  log: CallLog;
  timing(): CodeDeployTiming;
  /** The answer an emulated hook function gives (setHookResponse), if any. */
  hookResponse(functionName: string): { status: 'Succeeded' | 'Failed'; afterMs: number } | undefined;
}

/** How a deployment ends when it does not succeed. */
interface Ending {
  status: 'Failed' | 'Stopped';
  code: string;
  message: string;
  /** The AutoRollbackEvent this ending is. */
  cause: AutoRollbackEvent;
  /** Roll back or not, whatever the configuration says (StopDeployment's autoRollbackEnabled; nothing to undo). */
  rollback?: boolean;
  diagnostics?: { errorCode: string; scriptName?: string; message: string };
}

export class DeploymentEngine {
  constructor(
    private readonly store: CodeDeployStore,
    private readonly deps: EngineDeps
  ) {}

  /** Starts a deployment just created: CodeDeploy's checks of the function and alias, the alarms, then BeforeAllowTraffic. */
  start(d: DeploymentRecord): void {
    const t = d.createMs;
    d.status = 'InProgress';
    d.startMs = t;
    d.checkedMs = t;
    d.targetStatus = 'InProgress';
    d.targetUpdatedMs = t;
    const group = this.store.group(d, d.applicationName, d.groupName);
    if (group) group.lastAttemptedId = d.id;
    const problem = this.validate(d);
    // Nothing was changed: there is nothing to roll back.
    if (problem) return this.end(d, t, { status: 'Failed', ...problem, cause: 'DEPLOYMENT_FAILURE', rollback: false });
    const inAlarm = this.alarmsInAlarmAt(d, t);
    if (inAlarm.length > 0) {
      return this.end(d, t, {
        status: 'Failed',
        code: 'ALARM_ACTIVE',
        message: alarmMessage(inAlarm),
        cause: 'DEPLOYMENT_STOP_ON_ALARM'
      });
    }
    this.startEvent(d, 0, t);
  }

  /** Catches every deployment under way up with `now`. */
  settle(now: number): void {
    for (const d of this.store.deployments.values()) {
      if (d.status === 'InProgress') this.run(d, now);
    }
  }

  /** PutLifecycleEventHookExecutionStatus at `t` (the deployment is settled up to `t`). */
  answer(d: DeploymentRecord, execution: HookExecution, status: 'Succeeded' | 'Failed', t: number): void {
    execution.status = status;
    execution.answeredMs = t;
    d.answers = d.answers.filter((a) => a.executionId !== execution.id);
    if (status === 'Failed') {
      return this.end(d, t, {
        status: 'Failed',
        code: 'HOOK_EXECUTION_FAILURE',
        message: `The deployment failed because the ${execution.event} lifecycle event hook ${execution.functionName} reported Failed.`,
        cause: 'DEPLOYMENT_FAILURE',
        diagnostics: {
          errorCode: 'ScriptFailed',
          scriptName: execution.functionName,
          message: `PutLifecycleEventHookExecutionStatus: Failed`
        }
      });
    }
    const event = d.events[d.eventIndex]!;
    if (d.hooks.filter((h) => h.event === event.name).every((h) => h.status === 'Succeeded')) {
      event.status = 'Succeeded';
      event.endMs = t;
      d.wakeAtMs = undefined;
      this.startEvent(d, d.eventIndex + 1, t);
    }
  }

  /** StopDeployment at `t`: Stopped, rolled back when asked (or, when not said, as the deployment's configuration says). */
  stop(d: DeploymentRecord, autoRollbackEnabled: boolean | undefined, t: number): void {
    this.end(d, t, {
      status: 'Stopped',
      code: 'MANUAL_STOP',
      message: 'The deployment was stopped by a StopDeployment request.',
      cause: 'DEPLOYMENT_STOP_ON_REQUEST',
      ...(autoRollbackEnabled !== undefined ? { rollback: autoRollbackEnabled } : {})
    });
  }

  /** Runs `d` up to `until`: its own steps and answers in time order, stopping at the first alarm. */
  private run(d: DeploymentRecord, until: number): void {
    while (d.status === 'InProgress') {
      const wake = nextWake(d);
      const horizon = wake === undefined ? until : Math.min(wake, until);
      const alarm = this.firstAlarm(d, d.checkedMs, horizon);
      if (alarm) {
        return this.end(d, alarm.atMs, {
          status: 'Stopped',
          code: 'ALARM_ACTIVE',
          message: alarmMessage(alarm.names),
          cause: 'DEPLOYMENT_STOP_ON_ALARM'
        });
      }
      d.checkedMs = horizon;
      if (wake === undefined || wake > until) return;
      this.wake(d, wake);
    }
  }

  /** What is due at `t`: an emulated hook's answer first, else the running event's timer. */
  private wake(d: DeploymentRecord, t: number): void {
    const due = d.answers[0];
    if (due && due.atMs <= t) {
      const execution = d.hooks.find((h) => h.id === due.executionId)!;
      return this.answer(d, execution, due.status, due.atMs);
    }
    d.wakeAtMs = undefined;
    const event = d.events[d.eventIndex]!;
    if (event.name === 'AllowTraffic') return this.shift(d, t);
    const waiting = d.hooks.filter((h) => h.event === event.name && h.status === 'Pending');
    const { hookTimeoutMs, minuteMs } = this.deps.timing();
    const minutes = Math.round((hookTimeoutMs / minuteMs) * 100) / 100;
    this.end(d, t, {
      status: 'Failed',
      code: 'HOOK_EXECUTION_FAILURE',
      message: `The deployment failed because the ${event.name} lifecycle event timed out: ${waiting.map((h) => h.functionName).join(', ')} did not call PutLifecycleEventHookExecutionStatus within ${minutes} minutes.`,
      cause: 'DEPLOYMENT_FAILURE',
      diagnostics: {
        errorCode: 'ScriptTimedOut',
        ...(waiting[0] ? { scriptName: waiting[0].functionName } : {}),
        message: 'No PutLifecycleEventHookExecutionStatus before the deadline'
      }
    });
  }

  private startEvent(d: DeploymentRecord, index: number, t: number): void {
    d.eventIndex = index;
    const event = d.events[index];
    if (!event) return this.succeed(d, t);
    event.startMs = t;
    if (event.name === 'AllowTraffic') {
      event.status = 'InProgress';
      d.shiftIndex = 0;
      return this.shift(d, t);
    }
    const functions = d.spec.hooks[event.name];
    if (functions.length === 0) {
      event.status = 'Skipped';
      event.endMs = t;
      return this.startEvent(d, index + 1, t);
    }
    event.status = 'InProgress';
    d.wakeAtMs = t + this.deps.timing().hookTimeoutMs;
    for (const functionName of functions) {
      if (!this.invokeHook(d, event.name, functionName, t)) return;
    }
  }

  /** Invokes one hook function asynchronously, as CodeDeploy does; false when the invocation failed (and so did `d`). */
  private invokeHook(d: DeploymentRecord, event: HookEvent, functionName: string, t: number): boolean {
    const execution: HookExecution = {
      id: newHookExecutionId(d.id, event),
      event,
      functionName,
      status: 'Pending',
      invokedMs: t
    };
    d.hooks.push(execution);
    const payload = JSON.stringify({ DeploymentId: d.id, LifecycleEventHookExecutionId: execution.id });
    const error = this.invoke(d, functionName, payload, t);
    if (error !== undefined) {
      this.end(d, t, {
        status: 'Failed',
        code: 'HOOK_EXECUTION_FAILURE',
        message: `The deployment failed because the ${event} lifecycle event hook ${functionName} could not be invoked: ${error}`,
        cause: 'DEPLOYMENT_FAILURE',
        diagnostics: { errorCode: 'UnknownError', scriptName: functionName, message: error }
      });
      return false;
    }
    const response = this.deps.hookResponse(functionName);
    if (response) {
      d.answers.push({ atMs: t + response.afterMs, executionId: execution.id, status: response.status });
      d.answers.sort((a, b) => a.atMs - b.atMs);
    }
    return true;
  }

  /** The next step of AllowTraffic, due at `t`. */
  private shift(d: DeploymentRecord, t: number): void {
    const step = d.plan[d.shiftIndex]!;
    const error = this.setWeight(d, step.percent, t);
    if (error !== undefined) {
      return this.end(d, t, {
        status: 'Failed',
        code: 'INVALID_LAMBDA_CONFIGURATION',
        message: error,
        cause: 'DEPLOYMENT_FAILURE'
      });
    }
    d.weight = step.percent;
    d.targetUpdatedMs = t;
    d.shiftIndex++;
    const next = d.plan[d.shiftIndex];
    if (next) {
      d.wakeAtMs = t + (next.afterMinutes - step.afterMinutes) * this.deps.timing().minuteMs;
      return;
    }
    const event = d.events[d.eventIndex]!;
    event.status = 'Succeeded';
    event.endMs = t;
    this.startEvent(d, d.eventIndex + 1, t);
  }

  private succeed(d: DeploymentRecord, t: number): void {
    d.status = 'Succeeded';
    d.completeMs = t;
    d.targetStatus = 'Succeeded';
    d.targetUpdatedMs = t;
    d.wakeAtMs = undefined;
    const group = this.store.group(d, d.applicationName, d.groupName);
    if (group) group.lastSuccessfulId = d.id;
  }

  private end(d: DeploymentRecord, t: number, ending: Ending): void {
    const running = d.events[d.eventIndex];
    if (running && running.status === 'InProgress') {
      running.status = 'Failed';
      running.endMs = t;
      if (ending.diagnostics) running.diagnostics = ending.diagnostics;
    }
    for (const event of d.events) if (event.status === 'Pending') event.status = 'Skipped';
    d.status = ending.status;
    d.completeMs = t;
    d.error = { code: ending.code, message: ending.message };
    d.targetStatus = 'Failed';
    d.targetUpdatedMs = t;
    d.wakeAtMs = undefined;
    d.answers = [];
    const rollback = ending.rollback ?? (d.autoRollback.enabled && d.autoRollback.events.includes(ending.cause));
    if (rollback) this.rollBack(d, t);
  }

  /**
   * Automatic rollback, as CodeDeploy does it: a new deployment (creator codeDeployRollback) that puts the
   * alias back on CurrentVersion alone, at once; the two deployments name each other in rollbackInfo.
   */
  private rollBack(d: DeploymentRecord, t: number): void {
    const id = newDeploymentId();
    const { spec } = d;
    const error = this.setWeight(d, 0, t);
    if (error === undefined) d.weight = 0;
    d.rollback = {
      rollbackDeploymentId: id,
      rollbackMessage:
        error === undefined
          ? `Deployment ${d.id} was rolled back by deployment ${id}: alias ${spec.alias} of ${spec.functionName} is on version ${spec.currentVersion} again.`
          : `Rollback deployment ${id} failed: ${error}`
    };
    const events = newEvents();
    events[0]!.status = 'Skipped';
    events[1]!.status = error === undefined ? 'Succeeded' : 'Failed';
    events[2]!.status = 'Skipped';
    Object.assign(events[1]!, { startMs: t, endMs: t });
    const rollbackSpec = {
      ...spec,
      currentVersion: spec.targetVersion,
      targetVersion: spec.currentVersion,
      hooks: { ...spec.hooks }
    };
    this.store.deployments.set(id, {
      id,
      accountId: d.accountId,
      region: d.region,
      applicationName: d.applicationName,
      groupName: d.groupName,
      configName: d.configName,
      routing: { type: 'AllAtOnce' },
      plan: [{ afterMinutes: 0, percent: 100 }],
      creator: 'codeDeployRollback',
      revision: d.revision,
      spec: rollbackSpec,
      autoRollback: { enabled: false, events: [] },
      status: error === undefined ? 'Succeeded' : 'Failed',
      createMs: t,
      startMs: t,
      completeMs: t,
      ...(error === undefined ? {} : { error: { code: 'INVALID_LAMBDA_CONFIGURATION', message: error } }),
      rollback: { rollbackTriggeringDeploymentId: d.id },
      events,
      eventIndex: 3,
      shiftIndex: 1,
      checkedMs: t,
      weight: error === undefined ? 100 : 0,
      targetStatus: error === undefined ? 'Succeeded' : 'Failed',
      targetUpdatedMs: t,
      hooks: [],
      answers: []
    });
  }

  /** CodeDeploy's checks before it starts: the function, the alias on CurrentVersion alone, both versions published. */
  private validate(d: DeploymentRecord): { code: string; message: string } | undefined {
    const { spec } = d;
    const found = this.findFunction(d, spec.functionName);
    if ('error' in found) return { code: 'INVALID_LAMBDA_FUNCTION', message: found.error };
    const { fn } = found;
    for (const version of [spec.currentVersion, spec.targetVersion]) {
      if (!fn.versions.some((v) => v.version === version)) {
        return {
          code: 'INVALID_LAMBDA_CONFIGURATION',
          message: `Version ${version} of Lambda function ${spec.functionName} does not exist.`
        };
      }
    }
    const alias = fn.aliases.get(spec.alias);
    if (!alias) {
      return {
        code: 'INVALID_LAMBDA_CONFIGURATION',
        message: `The alias ${spec.alias} of Lambda function ${spec.functionName} does not exist.`
      };
    }
    const weighted = Object.entries(alias.weights);
    if (alias.functionVersion !== spec.currentVersion || weighted.length > 0) {
      const routes =
        weighted.length > 0
          ? `version ${alias.functionVersion} and, weighted ${weighted.map(([v, w]) => `${w} to version ${v}`).join(', ')}`
          : `version ${alias.functionVersion}`;
      return {
        code: 'INVALID_LAMBDA_CONFIGURATION',
        message: `The alias ${spec.alias} of Lambda function ${spec.functionName} must point to the current version ${spec.currentVersion} alone, but it points to ${routes}.`
      };
    }
    return undefined;
  }

  /** Routes `percent` % of the alias's traffic to TargetVersion (0: CurrentVersion alone; 100: TargetVersion alone). */
  private setWeight(d: DeploymentRecord, percent: number, t: number): string | undefined {
    const { spec } = d;
    if (spec.currentVersion === spec.targetVersion) return undefined;
    const found = this.findFunction(d, spec.functionName);
    if ('error' in found) return found.error;
    const weights: Record<string, number> =
      percent > 0 && percent < 100 ? { [spec.targetVersion]: Math.round(percent * 100) / 10_000 } : {};
    const input = {
      FunctionVersion: percent >= 100 ? spec.targetVersion : spec.currentVersion,
      RoutingConfig: { AdditionalVersionWeights: weights }
    };
    const alias = found.fn.aliases.get(spec.alias);
    // Already there (e.g. a rollback before any shift): nothing to update.
    if (alias && alias.functionVersion === input.FunctionVersion && sameWeights(alias.weights, weights)) return undefined;
    let failure: ApiError | undefined;
    try {
      this.deps.lambda.aliases.update(found.fn, spec.alias, input);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      failure = error;
    }
    this.logLambdaCall(
      found.ns,
      t,
      'UpdateAlias',
      spec.functionName,
      { FunctionName: spec.functionName, Name: spec.alias, ...input },
      {
        status: failure?.status ?? 200,
        errorCode: failure?.code,
        mutating: true
      }
    );
    return failure && `Lambda refused to update alias ${spec.alias} of ${spec.functionName}: ${failure.message}`;
  }

  /** Invokes a hook function with InvocationType Event; the Lambda error message when it fails. */
  private invoke(d: DeploymentRecord, functionName: string, payload: string, t: number): string | undefined {
    const found = this.findFunction(d, functionName);
    const ns = 'error' in found ? d : found.ns;
    let failure: ApiError | undefined;
    if ('error' in found) {
      failure = new ApiError('ResourceNotFoundException', found.error, 404);
    } else {
      try {
        this.deps.lambda.invoker.invoke(found.fn, {
          ...(found.qualifier !== undefined ? { qualifier: found.qualifier } : {}),
          invocationType: 'Event',
          payload: Buffer.from(payload, 'utf8')
        });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        failure = error;
      }
    }
    const params = { FunctionName: functionName, InvocationType: 'Event', Payload: payload };
    this.logLambdaCall(ns, t, 'Invoke', functionName, params, {
      status: failure?.status ?? 202,
      errorCode: failure?.code,
      mutating: false
    });
    return failure?.message;
  }

  /** A function named in the AppSpec: a name in the deployment's account and region, or an ARN. */
  private findFunction(
    d: DeploymentRecord,
    name: string
  ): { fn: FunctionRecord; ns: Namespace; qualifier?: string } | { error: string } {
    let ref;
    try {
      ref = parseFunctionRef(name);
    } catch {
      return { error: `Invalid Lambda function name: ${name}` };
    }
    const ns = { accountId: ref.accountId ?? d.accountId, region: ref.region ?? d.region };
    const fn = this.deps.lambda.model.find(ns, ref.name);
    if (!fn) return { error: `Function not found: ${arnsOf(ns).function(ref.name)}` };
    return { fn, ns, ...(ref.qualifier !== undefined ? { qualifier: ref.qualifier } : {}) };
  }

  private logLambdaCall(
    ns: Namespace,
    t: number,
    operation: string,
    functionName: string,
    params: Record<string, unknown>,
    outcome: { status: number; errorCode: string | undefined; mutating: boolean }
  ): void {
    const { log } = this.deps;
    log.add({
      seq: log.nextSeq(),
      atMs: t,
      service: 'lambda',
      region: ns.region,
      accountId: ns.accountId,
      operation,
      functionName,
      params,
      status: outcome.status,
      ...(outcome.errorCode !== undefined ? { errorCode: outcome.errorCode } : {}),
      mutating: outcome.mutating,
      origin: 'codedeploy'
    });
  }

  /** The alarms a deployment watches: its override, else its group's (read now: UpdateDeploymentGroup applies at once). */
  private alarmConfig(d: DeploymentRecord): AlarmConfig | undefined {
    return d.alarmOverride ?? this.store.group(d, d.applicationName, d.groupName)?.alarms;
  }

  private alarmsInAlarmAt(d: DeploymentRecord, t: number): string[] {
    return this.firstAlarm(d, t, t)?.names ?? [];
  }

  /**
   * The earliest time in [from, to] an alarm the deployment watches is in ALARM, and which alarms are then.
   * INSUFFICIENT_DATA does not stop a deployment; an alarm that does not exist is not watched.
   */
  private firstAlarm(d: DeploymentRecord, from: number, to: number): { atMs: number; names: string[] } | undefined {
    const config = this.alarmConfig(d);
    if (!config?.enabled) return undefined;
    let first: { atMs: number; names: string[] } | undefined;
    for (const name of config.names) {
      const timeline = this.deps.alarms.timeline(d, name);
      const at = timeline && firstAlarmTime(timeline, from, to);
      if (at === undefined) continue;
      if (!first || at < first.atMs) first = { atMs: at, names: [name] };
      else if (at === first.atMs) first.names.push(name);
    }
    return first;
  }
}

function sameWeights(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function nextWake(d: DeploymentRecord): number | undefined {
  const times = [d.wakeAtMs, d.answers[0]?.atMs].filter((x): x is number => x !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** The first time in [from, to] a timeline is in ALARM. */
function firstAlarmTime(timeline: AlarmTransition[], from: number, to: number): number | undefined {
  let state: string | undefined;
  for (const change of timeline) {
    if (change.atMs <= from) state = change.state;
  }
  if (state === 'ALARM') return from;
  return timeline.find((c) => c.atMs > from && c.atMs <= to && c.state === 'ALARM')?.atMs;
}

function alarmMessage(names: string[]): string {
  return `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: ${names.join(', ')}`;
}

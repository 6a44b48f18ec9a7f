import type { AlarmRef } from '../aws/alarm-gateway.js';
import { parseAlarmArn } from '../aws/arn.js';
import type {
  ApplicationInfo,
  CodeDeployGateway,
  DeploymentGroupInfo,
  NewDeployment,
  RollbackEvent
} from '../aws/codedeploy-gateway.js';
import { mayHaveApplied } from '../aws/failures.js';
import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { CodeDeploySettings } from '../config/settings.js';
import type { Settings } from '../config/settings.js';
import type { Clock } from '../core/clock.js';
import { describeError } from '../core/errors.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import type { RunContext } from '../core/run-context.js';
import { capText } from '../core/text.js';
import { codeDeployConsoleUrl, sameRouting, type TrafficRouting } from '../core/traffic-routing.js';
import type { PlanHandOver } from '../plan/steps.js';
import type { DeploymentConfigChoice } from '../strategy/codedeploy.js';
import { CodeDeployEnded, DeploymentLog, stopOnCancel, watchDeployment, type WatchOutcome } from './codedeploy-watch.js';
import type { FinalStatus } from './phases.js';
import { readProblem, type FoundTarget } from './preflight.js';
import type { Recorder } from './recorder.js';
import type { CodeDeployResult, CodeDeploySnapshot } from './result.js';
import type { Target } from './target.js';

/**
 * `engine: codedeploy`: the rollout after the publish is AWS CodeDeploy's. The preflight reads the
 * application, deployment group and configuration (read-only, like every preflight); the hand-over
 * creates what is missing and the deployment; the watch follows it to its end.
 */

/** What the hand-over talks to. */
export interface HandOverDeps {
  readonly codedeploy: CodeDeployGateway;
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly source?: RunContext;
  /** How long a cancelled job may take to stop the deployment; default 8 s. */
  readonly cancelledRollbackBudgetMs?: number;
}

/**
 * The deployments this action creates roll back on every failure, an alarm and a stop request,
 * whatever their group says: the action's own rule ("roll back on any failure") holds in this mode too.
 */
export const ROLLBACK_EVENTS: readonly RollbackEvent[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST'
];

/** How long CreateDeployment may still run after a cancellation, so that its answer (the id to stop) is not lost. */
const CREATE_GRACE_MS = 4_000;
/** The prefix of the text every deployment's description starts with, and the post step looks for. */
const MARKER_PREFIX = 'lambda-safe-deploy';
/** CodeDeploy's descriptions are kept short. */
const DESCRIPTION_MAX_CHARS = 256;
/** The managed policy AWSCodeDeployRoleForLambda lets CodeDeploy invoke only hooks named so. */
const HOOK_PREFIX = 'CodeDeployHook_';

/** The marker in a deployment's description: this action's own deployment id. */
export function deploymentMarker(deploymentId: string): string {
  return `${MARKER_PREFIX} ${deploymentId}`;
}

/** The rollout handed to CodeDeploy, from the preflight to the end of the watch. */
export class HandOver {
  /** CodeDeploy's id, once CreateDeployment answered. */
  deploymentId?: string;
  private creating = false;
  private application?: ApplicationInfo;
  private group?: DeploymentGroupInfo;
  /** The custom configuration exists already (predefined ones always do). */
  private configExists = true;
  private outcome?: WatchOutcome;
  private readonly cd: CodeDeploySettings;
  private readonly config: DeploymentConfigChoice;

  constructor(
    private readonly deps: HandOverDeps,
    private readonly settings: Settings,
    /** This action's own deployment id. */
    private readonly ownId: string
  ) {
    if (!settings.codedeploy?.config) throw new Error('internal: engine codedeploy without a deployment configuration');
    this.cd = settings.codedeploy;
    this.config = settings.codedeploy.config;
  }

  /**
   * The read-only look at CodeDeploy: the application, the group (and a deployment already running
   * in it), the custom configuration. Returns every problem; warnings go to the recorder.
   */
  async preflight(signal?: AbortSignal): Promise<string[]> {
    const { codedeploy, recorder } = this.deps;
    const { application, deploymentGroup } = this.cd;
    const [app, group, config] = await Promise.allSettled([
      codedeploy.getApplication(application, signal),
      codedeploy.getDeploymentGroup(application, deploymentGroup, signal),
      this.config.predefined ? Promise.resolve(undefined) : codedeploy.getDeploymentConfig(this.config.name, signal)
    ]);
    const problems: string[] = [];
    const role = this.cd.serviceRoleArn;
    const create = (what: string): string =>
      `${what} does not exist, and codedeploy-service-role is empty: give the role CodeDeploy assumes (docs/iam.md shows ` +
      `its policy) for the action to create it, or name an existing one`;
    if (app.status === 'rejected') problems.push(readProblem(`CodeDeploy application ${application}`, app.reason));
    else if (app.value === undefined) {
      if (!role) problems.push(create(`CodeDeploy application ${application}`));
    } else if (app.value.computePlatform !== 'Lambda') {
      problems.push(
        `CodeDeploy application ${application} is for the ${app.value.computePlatform} compute platform, and a function ` +
          `needs a Lambda one: name another application in codedeploy-application`
      );
    } else this.application = app.value;
    if (group.status === 'rejected')
      problems.push(readProblem(`CodeDeploy deployment group ${application}/${deploymentGroup}`, group.reason));
    else if (group.value === undefined) {
      if (!role && app.status === 'fulfilled' && app.value !== undefined) {
        problems.push(create(`CodeDeploy deployment group ${application}/${deploymentGroup}`));
      }
    } else {
      this.group = group.value;
      const last = group.value.lastAttempted;
      if (last && ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'].includes(last.status)) {
        problems.push(
          `CodeDeploy deployment group ${application}/${deploymentGroup} has a deployment in progress (${last.deploymentId}, ` +
            `${last.status}), and CodeDeploy runs one at a time: wait for it, or stop it ` +
            `(aws deploy stop-deployment --deployment-id ${last.deploymentId} --auto-rollback-enabled)`
        );
      }
    }
    if (config.status === 'rejected')
      problems.push(readProblem(`CodeDeploy deployment configuration ${this.config.name}`, config.reason));
    else if (!this.config.predefined) {
      this.configExists = config.value !== undefined;
      if (config.value && !sameRouting(config.value, this.config.routing)) {
        problems.push(
          `CodeDeploy deployment configuration ${this.config.name} exists but shifts traffic otherwise (${describeShift(config.value)}, ` +
            `not ${describeShift(this.config.routing)}): delete it (aws deploy delete-deployment-config --deployment-config-name ` +
            `${this.config.name}) for the action to create it again`
        );
      }
    }
    this.warnAboutAlarmsAndHooks(recorder);
    return problems;
  }

  /** What CodeDeploy needs of the function and the alarms, once the preflight read them. */
  targetProblems(targets: readonly FoundTarget[]): string[] {
    const problems: string[] = [];
    for (const { fn, ref, alias } of targets) {
      if (!alias) {
        problems.push(
          `alias ${ref.alias} does not exist, and CodeDeploy shifts an alias that exists: create it on a published version ` +
            `first (aws lambda create-alias --function-name ${fn.name} --name ${ref.alias} --function-version <n>), or deploy ` +
            `this first version with engine: runner`
        );
      } else if (alias.version === '$LATEST' && this.settings.strategy.steps.length === 0) {
        problems.push(
          `alias ${alias.name} points at $LATEST, and CodeDeploy moves an alias from one published version to another: ` +
            `point it at a published version first`
        );
      }
      const [, , , region, account] = fn.arn.split(':');
      for (const alarm of this.settings.alarms) problems.push(...alarmProblems(alarm, region, account));
    }
    return problems;
  }

  /** The plan's facts of the hand-over. */
  planFacts(): PlanHandOver {
    return {
      application: this.cd.application,
      deploymentGroup: this.cd.deploymentGroup,
      deploymentConfig: this.config.name,
      creates: this.toCreate(),
      wait: this.cd.wait
    };
  }

  /**
   * Creates what is missing, then the deployment. Its id is saved (`save`) before anything else
   * happens, so that a killed job's post step can stop it. A cancellation while CreateDeployment
   * is on its way lets it answer (a few seconds), then stops what it created.
   */
  async start(target: Target, save: () => void, signal?: AbortSignal): Promise<void> {
    const { codedeploy, recorder } = this.deps;
    const { application, deploymentGroup } = this.cd;
    if (!this.application) {
      await codedeploy.createApplication(application, signal);
      recorder.event(`Created CodeDeploy application ${application} (compute platform Lambda)`);
    }
    if (!this.group) {
      await codedeploy.createDeploymentGroup(
        application,
        deploymentGroup,
        { serviceRoleArn: this.cd.serviceRoleArn!, alarms: { alarms: this.alarmNames(), autoRollbackEvents: ROLLBACK_EVENTS } },
        signal
      );
      recorder.event(
        `Created CodeDeploy deployment group ${application}/${deploymentGroup} (service role ${this.cd.serviceRoleArn}` +
          `${this.alarmNames().length > 0 ? `, alarms ${this.alarmNames().join(', ')}` : ''}, automatic rollback)`
      );
    }
    if (!this.configExists) {
      const created = await codedeploy.createDeploymentConfig(this.config.name, this.config.routing, signal);
      recorder.event(
        created
          ? `Created CodeDeploy deployment configuration ${this.config.name} (${describeShift(this.config.routing)})`
          : `CodeDeploy deployment configuration ${this.config.name} was created meanwhile; using it`
      );
    }
    const deployment = this.newDeployment(target);
    this.creating = true;
    save();
    const grace = graceAfter(this.deps.clock, CREATE_GRACE_MS, signal);
    try {
      this.deploymentId = await codedeploy.createDeployment(deployment, grace.signal);
    } catch (error: unknown) {
      if (!mayHaveApplied(error)) throw error;
      // No answer: CodeDeploy may have created it. The post step looks it up by its marker and stops it.
      const reason =
        `${signal?.aborted ? `the deployment was cancelled during hand-over (${String(signal.reason ?? 'aborted')}), and ` : ''}` +
        `CreateDeployment got no answer (${describeError(error)}): if CodeDeploy created the deployment, the post step of this ` +
        `job finds it and stops it`;
      throw new CodeDeployEnded({
        status: 'failed',
        reason: capText(reason, FAILURE_REASON_MAX_CHARS),
        cancelled: signal?.aborted === true,
        stopOwed: true
      });
    } finally {
      grace.dispose();
    }
    save();
    const where = this.consoleUrl();
    recorder.event(
      `Handed over: CodeDeploy deployment ${this.deploymentId} moves alias ${target.aliasName} from version ` +
        `${target.previousVersion} to ${target.version.version} with ${this.config.name}${where ? `; watch it at ${where}` : ''}`
    );
    if (signal?.aborted) {
      const watched = this.watched(target.fn.arn);
      throw new CodeDeployEnded(
        await stopOnCancel(this.watchDeps(), watched, new DeploymentLog(recorder, watched.deploymentId), signal, {})
      );
    }
    if (!this.cd.wait) {
      recorder.event(
        `wait is false: the step ends here, and CodeDeploy goes on by itself. A later step with ` +
          `codedeploy-deployment-id: ${this.deploymentId} watches it and reports its result`
      );
    }
  }

  /** Watches the deployment to its end; anything but success ends the rollout as CodeDeploy ended it. */
  async watch(target: Target, signal?: AbortSignal): Promise<void> {
    this.outcome = await watchDeployment(this.watchDeps(), this.watched(target.fn.arn), signal);
    if (this.outcome.status !== 'succeeded') throw new CodeDeployEnded(this.outcome);
    this.deps.recorder.event(
      `CodeDeploy deployment ${this.deploymentId} succeeded: alias ${target.aliasName} sends all traffic to version ${target.version.version}`,
      100
    );
  }

  /** How a run that got through its steps ends: succeeded, or in progress when it did not wait. */
  get endStatus(): FinalStatus {
    return this.cd.wait ? 'succeeded' : 'in-progress';
  }

  /** What the post step needs. */
  snapshot(): CodeDeploySnapshot {
    return {
      application: this.cd.application,
      deploymentGroup: this.cd.deploymentGroup,
      ...(this.deploymentId ? { deploymentId: this.deploymentId } : {}),
      creating: this.creating,
      marker: deploymentMarker(this.ownId),
      watching: this.cd.wait
    };
  }

  /** The CodeDeploy side of the result. */
  result(ended?: WatchOutcome): CodeDeployResult {
    const outcome = ended ?? this.outcome;
    const url = this.consoleUrl();
    return {
      application: this.cd.application,
      deploymentGroup: this.cd.deploymentGroup,
      deploymentConfig: this.config.name,
      ...(this.deploymentId ? { deploymentId: this.deploymentId } : {}),
      ...(outcome?.deployment ? { status: outcome.deployment.status } : {}),
      ...(url ? { consoleUrl: url } : {})
    };
  }

  private consoleUrl(): string | undefined {
    const region = this.deps.codedeploy.region;
    return region && this.deploymentId ? codeDeployConsoleUrl(region, this.deploymentId) : undefined;
  }

  private watched(functionRef: string) {
    const url = this.consoleUrl();
    return { deploymentId: this.deploymentId!, functionRef, ...(url ? { consoleUrl: url } : {}) };
  }

  private watchDeps() {
    const { codedeploy, lambda, clock, recorder, cancelledRollbackBudgetMs } = this.deps;
    return {
      codedeploy,
      lambda,
      clock,
      recorder,
      pollMs: this.settings.alarmPollIntervalMs,
      ...(cancelledRollbackBudgetMs !== undefined ? { cancelledBudgetMs: cancelledRollbackBudgetMs } : {})
    };
  }

  private newDeployment(target: Target): NewDeployment {
    const { settings } = this;
    const alarms = this.alarmNames();
    return {
      application: this.cd.application,
      deploymentGroup: this.cd.deploymentGroup,
      deploymentConfig: this.config.name,
      appSpec: {
        functionName: target.fn.name,
        alias: target.aliasName,
        currentVersion: target.previousVersion!,
        targetVersion: target.version.version,
        beforeAllowTraffic: settings.targets[0]!.preTrafficHook ? [settings.targets[0]!.preTrafficHook] : [],
        afterAllowTraffic: settings.targets[0]!.postTrafficHook ? [settings.targets[0]!.postTrafficHook] : []
      },
      description: this.description(target),
      // The alarms input, when given, is this deployment's own alarm configuration: the group is left as it is.
      ...(alarms.length > 0 ? { alarms: { alarms, autoRollbackEvents: ROLLBACK_EVENTS } } : {}),
      autoRollbackEvents: ROLLBACK_EVENTS
    };
  }

  /** `lambda-safe-deploy <id>: orders:live 1 → 2 (Canary10Percent5Minutes), acme/orders@0123456789ab <run url>`. */
  private description(target: Target): string {
    const { source } = this.deps;
    const from = source ? `, ${source.owner}/${source.repo}@${source.sha.slice(0, 12)} ${source.runUrl}` : '';
    const text =
      `${deploymentMarker(this.ownId)}: ${target.fn.name}:${target.aliasName} ${target.previousVersion} → ` +
      `${target.version.version} (${this.settings.strategy.name})${from}`;
    return text.length > DESCRIPTION_MAX_CHARS ? text.slice(0, DESCRIPTION_MAX_CHARS) : text;
  }

  /** CodeDeploy reads alarms by name, in its own account and region. */
  private alarmNames(): string[] {
    return [...new Set(this.settings.alarms.map((alarm) => alarm.name))];
  }

  private toCreate(): string[] {
    const { application, deploymentGroup } = this.cd;
    return [
      ...(this.application ? [] : [`application ${application}`]),
      ...(this.group ? [] : [`deployment group ${deploymentGroup}`]),
      ...(this.configExists ? [] : [`deployment configuration ${this.config.name}`])
    ];
  }

  private warnAboutAlarmsAndHooks(recorder: Recorder): void {
    const mine = this.alarmNames();
    const groups = this.group?.alarms ?? [];
    if (mine.length === 0 && groups.length === 0) {
      recorder.warning(
        `no alarms: neither the alarms input nor deployment group ${this.cd.deploymentGroup} names one, so CodeDeploy will not stop a bad version while it bakes`
      );
    } else if (mine.length === 0) {
      recorder.detail(`CodeDeploy watches deployment group ${this.cd.deploymentGroup}'s alarms: ${groups.join(', ')}`);
    } else if (groups.length > 0 && groups.join('\n') !== mine.join('\n')) {
      recorder.detail(
        `The alarms input is this deployment's own alarm configuration; deployment group ${this.cd.deploymentGroup}'s (${groups.join(', ')}) do not apply to it, and the group is left as it is`
      );
    }
    for (const hook of [this.settings.targets[0]!.preTrafficHook, this.settings.targets[0]!.postTrafficHook]) {
      if (hook === undefined) continue;
      const name = hook.includes(':function:') ? hook.split(':function:')[1]!.split(':')[0]! : hook.split(':')[0]!;
      if (!name.startsWith(HOOK_PREFIX)) {
        recorder.warning(
          `hook ${hook} is not named ${HOOK_PREFIX}…: the AWSCodeDeployRoleForLambda managed policy lets CodeDeploy invoke only ` +
            `such functions, so give the service role lambda:InvokeFunction on it (or rename it)`
        );
      }
    }
  }
}

/** An alarm ARN CodeDeploy cannot read: another region or account than the deployment's. */
function alarmProblems(alarm: AlarmRef, region: string | undefined, account: string | undefined): string[] {
  if (!alarm.arn) return [];
  const parsed = parseAlarmArn(alarm.arn);
  if (!parsed) return [];
  if ((region && parsed.region !== region) || (account && parsed.accountId !== account)) {
    return [
      `alarm ${alarm.arn} is in ${parsed.region} (account ${parsed.accountId}), and CodeDeploy reads alarms by name in the ` +
        `deployment's own region and account (${region ?? '?'}, ${account ?? '?'}): create it there, or use engine: runner`
    ];
  }
  return [];
}

/** `TimeBasedCanary: 25% for 2 minutes, then 100%`, for messages. */
export function describeShift(routing: TrafficRouting): string {
  if (routing.type === 'AllAtOnce') return 'AllAtOnce: 100% at once';
  const minutes = `${routing.intervalMinutes} minute${routing.intervalMinutes === 1 ? '' : 's'}`;
  return routing.type === 'TimeBasedCanary'
    ? `TimeBasedCanary: ${routing.percentage}% for ${minutes}, then 100%`
    : `TimeBasedLinear: +${routing.percentage}% every ${minutes}`;
}

/** A signal that fires `graceMs` after `parent` does: a call that must not lose its answer gets a little longer. */
function graceAfter(clock: Clock, graceMs: number, parent?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const timer = new AbortController();
  const onAbort = (): void => {
    clock.sleepUntil(clock.now() + graceMs, timer.signal).then(
      () => controller.abort(parent?.reason),
      () => undefined
    );
  };
  if (parent?.aborted) onAbort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    dispose: () => {
      timer.abort();
      parent?.removeEventListener('abort', onAbort);
    }
  };
}

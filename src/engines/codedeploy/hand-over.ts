import type { AlarmRef } from '../../aws/alarm-gateway.js';
import { parseAlarmArn, parseFunctionRef, plainFunctionName } from '../../aws/arn.js';
import type { CodeDeployGateway, LambdaAppSpec, NewDeployment, RollbackEvent } from '../../aws/codedeploy-gateway.js';
import { sameRouting, type TrafficRouting } from '../../aws/traffic-routing.js';
import type { CodeDeployEngineSettings } from '../../config/settings.js';
import type { Clock } from '../../core/clock.js';
import type { Journal } from '../../core/journal.js';
import type { RunContext } from '../../core/run-context.js';
import type { Strategy } from '../../core/schedule.js';
import { readProblem } from '../../release/preflight.js';
import type { EngineLook, FoundFunction, TailPlan } from '../../rollout/engine.js';
import type { DeploymentConfigChoice } from './deployment-config.js';
import { deploymentMarker } from './snapshot.js';

/**
 * `engine: codedeploy`, up to the deployment: the read-only look at CodeDeploy (the application,
 * the deployment group and the configuration), the plan of the hand-over from what that look
 * found, and the creation of what is missing. The engine (codedeploy.ts) applies it and watches.
 */

/**
 * The deployments this action creates roll back on every failure, an alarm and a stop request,
 * whatever their group says: the action's own rule ("roll back on any failure") holds in this mode too.
 */
export const ROLLBACK_EVENTS: readonly RollbackEvent[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST'
];

/** The CodeDeploy engine's phases, and their log group titles (no '%': the runner escapes it in titles). */
export const CODEDEPLOY_PHASE_TITLES = {
  'hand-over': 'Hand the rollout over to AWS CodeDeploy',
  watch: 'Watch the CodeDeploy deployment',
  'final-bake': 'Final bake: the checks watch all traffic on the new version',
  rollback: 'Roll back: the alias back on the previous version'
} as const;

/** CodeDeploy's descriptions are kept short. */
const DESCRIPTION_MAX_CHARS = 256;
/** The managed policy AWSCodeDeployRoleForLambda lets CodeDeploy invoke only hooks named so. */
const HOOK_PREFIX = 'CodeDeployHook_';

/** What a hand-over is made of: where to, with which configuration, and what the deployment carries. */
export interface HandOverSettings {
  readonly engine: CodeDeployEngineSettings;
  /** The deployment configuration the strategy became. */
  readonly config: DeploymentConfigChoice;
  readonly strategy: Strategy;
  readonly alarms: readonly AlarmRef[];
  /** The function's Lambda hooks, as given: CodeDeploy invokes them. */
  readonly preTrafficHook?: string;
  readonly postTrafficHook?: string;
}

/** Whether something exists in CodeDeploy; `unknown`: it could not be read (a problem of its own). */
export type Existence = 'exists' | 'absent' | 'unknown';

/** What the look at CodeDeploy found (predefined configurations always exist). */
export interface HandOverLook {
  readonly application: Existence;
  readonly group: Existence;
  readonly config: Existence;
}

/** Something the hand-over creates first, because it does not exist yet. */
export type Creation =
  | { readonly kind: 'application'; readonly name: string }
  | {
      readonly kind: 'deployment-group';
      readonly name: string;
      readonly serviceRoleArn: string;
      readonly alarms: readonly string[];
    }
  | { readonly kind: 'deployment-config'; readonly name: string; readonly routing: TrafficRouting };

/** The CodeDeploy engine's part of the plan: pure data, each step with its own facts. */
export type CodeDeployStep =
  /** Create what is missing, then CreateDeployment: CodeDeploy runs the hooks and shifts the alias. */
  | {
      readonly kind: 'hand-over';
      /** The function, as Lambda calls name it. */
      readonly functionRef: string;
      readonly application: string;
      readonly deploymentGroup: string;
      readonly deploymentConfig: string;
      readonly creates: readonly Creation[];
      /** The AppSpec but for the version to deploy, which the publish gives. */
      readonly appSpec: Omit<LambdaAppSpec, 'targetVersion'>;
      /** The deployment's own alarms (the alarms input, by name); empty: the group's apply. */
      readonly alarms: readonly string[];
      /** The hooks, as the plan names them (`lambda:CodeDeployHook_smoke before`). */
      readonly hookLabels: readonly string[];
      /** The strategy as given, for the deployment's description. */
      readonly strategy: string;
      /** Watch the deployment to its end (`wait: true`), or end the step once CodeDeploy has it. */
      readonly wait: boolean;
    }
  /** Watch the CodeDeploy deployment to its end, then read the alias back. */
  | { readonly kind: 'watch'; readonly functionRef: string; readonly alias: string };

/**
 * The read-only look at CodeDeploy: the application, the group (and a deployment already running
 * in it), the custom configuration. Returns every problem, and what exists; warnings and notes on
 * the alarms and hooks go to the journal.
 */
export async function lookAtCodeDeploy(
  deps: { readonly codedeploy: CodeDeployGateway; readonly recorder: Journal },
  settings: HandOverSettings,
  signal?: AbortSignal
): Promise<EngineLook<HandOverLook>> {
  const { codedeploy, recorder } = deps;
  const { engine, config } = settings;
  const { application, deploymentGroup } = engine;
  const [app, group, existing] = await Promise.allSettled([
    codedeploy.getApplication(application, signal),
    codedeploy.getDeploymentGroup(application, deploymentGroup, signal),
    config.predefined ? Promise.resolve(undefined) : codedeploy.getDeploymentConfig(config.name, signal)
  ]);
  const problems: string[] = [];
  if (app.status === 'rejected') problems.push(readProblem(`CodeDeploy application ${application}`, app.reason));
  else if (app.value !== undefined && app.value.computePlatform !== 'Lambda') {
    problems.push(
      `CodeDeploy application ${application} is for the ${app.value.computePlatform} compute platform, and a function ` +
        `needs a Lambda one: name another application in codedeploy-application`
    );
  }
  if (group.status === 'rejected')
    problems.push(readProblem(`CodeDeploy deployment group ${application}/${deploymentGroup}`, group.reason));
  const last = group.status === 'fulfilled' ? group.value?.lastAttempted : undefined;
  if (last && ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'].includes(last.status)) {
    problems.push(
      `CodeDeploy deployment group ${application}/${deploymentGroup} has a deployment in progress (${last.deploymentId}, ` +
        `${last.status}), and CodeDeploy runs one at a time: wait for it, or stop it ` +
        `(aws deploy stop-deployment --deployment-id ${last.deploymentId} --auto-rollback-enabled)`
    );
  }
  if (existing.status === 'rejected')
    problems.push(readProblem(`CodeDeploy deployment configuration ${config.name}`, existing.reason));
  else if (existing.value && !sameRouting(existing.value, config.routing)) {
    problems.push(
      `CodeDeploy deployment configuration ${config.name} exists but shifts traffic otherwise (${describeShift(existing.value)}, ` +
        `not ${describeShift(config.routing)}): delete it (aws deploy delete-deployment-config --deployment-config-name ` +
        `${config.name}) for the action to create it again`
    );
  }
  noteAlarmsAndHooks(recorder, settings, group.status === 'fulfilled' ? (group.value?.alarms ?? []) : []);
  return {
    problems,
    facts: {
      application: existence(app),
      group: existence(group),
      config: config.predefined ? 'exists' : existence(existing)
    }
  };
}

function existence(read: PromiseSettledResult<unknown>): Existence {
  if (read.status === 'rejected') return 'unknown';
  return read.value === undefined ? 'absent' : 'exists';
}

/**
 * The hand-over (and the watch, unless `wait` is false) for the function the preflight found, or
 * what CodeDeploy cannot do with it: an alias that does not exist, one on $LATEST, an alarm it
 * cannot read, an application or group to create without a service role.
 */
export function planHandOver(
  functions: readonly FoundFunction[],
  look: HandOverLook,
  settings: HandOverSettings,
  hookLabels: readonly string[]
): TailPlan<CodeDeployStep> {
  const { engine, config } = settings;
  const problems: string[] = [];
  const role = engine.serviceRoleArn;
  const missing = (what: string): string =>
    `${what} does not exist, and codedeploy-service-role is empty: give the role CodeDeploy assumes (docs/iam.md shows ` +
    `its policy) for the action to create it, or name an existing one`;
  const creates: Creation[] = [];
  const alarms = alarmNames(settings.alarms);
  if (look.application === 'absent') {
    if (role) creates.push({ kind: 'application', name: engine.application });
    else problems.push(missing(`CodeDeploy application ${engine.application}`));
  }
  if (look.group === 'absent') {
    if (role) creates.push({ kind: 'deployment-group', name: engine.deploymentGroup, serviceRoleArn: role, alarms });
    // Without the application, its missing group goes without saying.
    else if (look.application === 'exists')
      problems.push(missing(`CodeDeploy deployment group ${engine.application}/${engine.deploymentGroup}`));
  }
  if (look.config === 'absent') creates.push({ kind: 'deployment-config', name: config.name, routing: config.routing });
  problems.push(...functions.flatMap((fn) => functionProblems(fn, settings)));
  const [fn] = functions;
  if (!fn?.found || problems.length > 0) return { problems, steps: [] };
  const handOver: CodeDeployStep = {
    kind: 'hand-over',
    functionRef: fn.arn,
    application: engine.application,
    deploymentGroup: engine.deploymentGroup,
    deploymentConfig: config.name,
    creates,
    appSpec: {
      functionName: fn.name,
      alias: fn.alias,
      currentVersion: fn.found.version,
      beforeAllowTraffic: settings.preTrafficHook ? [settings.preTrafficHook] : [],
      afterAllowTraffic: settings.postTrafficHook ? [settings.postTrafficHook] : []
    },
    alarms,
    hookLabels,
    strategy: settings.strategy.name,
    wait: engine.wait
  };
  return { problems, steps: engine.wait ? [handOver, { kind: 'watch', functionRef: fn.arn, alias: fn.alias }] : [handOver] };
}

/** What CodeDeploy needs of the function and the alarms. */
function functionProblems({ name, arn, alias: aliasName, found }: FoundFunction, settings: HandOverSettings): string[] {
  const problems: string[] = [];
  if (!found) {
    problems.push(
      `alias ${aliasName} does not exist, and CodeDeploy shifts an alias that exists: create it on a published version ` +
        `first (aws lambda create-alias --function-name ${name} --name ${aliasName} --function-version <n>), or deploy ` +
        `this first version with engine: runner`
    );
  } else if (found.version === '$LATEST' && settings.strategy.steps.length === 0) {
    problems.push(
      `alias ${found.name} points at $LATEST, and CodeDeploy moves an alias from one published version to another: ` +
        `point it at a published version first`
    );
  }
  const { region, accountId } = parseFunctionRef(arn) ?? {};
  for (const alarm of settings.alarms) problems.push(...alarmProblems(alarm, region, accountId));
  return problems;
}

/** A step as the plan's numbered lines say it. */
export function describeCodeDeployStep(step: CodeDeployStep): string {
  if (step.kind === 'watch') {
    return (
      `Watch the CodeDeploy deployment to its end: each lifecycle event, and each weight as CodeDeploy moves it; ` +
      'cancelling the job stops it with automatic rollback'
    );
  }
  const creates = step.creates.length > 0 ? `create ${step.creates.map(describeCreation).join(', ')}, then ` : '';
  return (
    `Hand over to AWS CodeDeploy: ${creates}a deployment in ${step.application}/${step.deploymentGroup} with ` +
    `${step.deploymentConfig}; CodeDeploy ${step.hookLabels.length > 0 ? `runs the hooks (${step.hookLabels.join(', ')}), ` : ''}` +
    `shifts the alias and watches ${step.alarms.length > 0 ? 'the alarms' : "the group's alarms, if any"}` +
    (step.wait ? '' : '; the step ends there (wait: false)')
  );
}

function describeCreation(creation: Creation): string {
  switch (creation.kind) {
    case 'application':
      return `application ${creation.name}`;
    case 'deployment-group':
      return `deployment group ${creation.name}`;
    case 'deployment-config':
      return `deployment configuration ${creation.name}`;
  }
}

/** Creates one thing the hand-over needs, and says so. */
export async function create(
  application: string,
  creation: Creation,
  deps: { readonly codedeploy: CodeDeployGateway; readonly recorder: Journal },
  signal?: AbortSignal
): Promise<void> {
  const { codedeploy, recorder } = deps;
  switch (creation.kind) {
    case 'application':
      await codedeploy.createApplication(creation.name, signal);
      recorder.event(`Created CodeDeploy application ${creation.name} (compute platform Lambda)`);
      return;
    case 'deployment-group':
      await codedeploy.createDeploymentGroup(
        application,
        creation.name,
        { serviceRoleArn: creation.serviceRoleArn, alarms: { alarms: creation.alarms, autoRollbackEvents: ROLLBACK_EVENTS } },
        signal
      );
      recorder.event(
        `Created CodeDeploy deployment group ${application}/${creation.name} (service role ${creation.serviceRoleArn}` +
          `${creation.alarms.length > 0 ? `, alarms ${creation.alarms.join(', ')}` : ''}, automatic rollback)`
      );
      return;
    case 'deployment-config': {
      const created = await codedeploy.createDeploymentConfig(creation.name, creation.routing, signal);
      recorder.event(
        created
          ? `Created CodeDeploy deployment configuration ${creation.name} (${describeShift(creation.routing)})`
          : `CodeDeploy deployment configuration ${creation.name} was created meanwhile; using it`
      );
      return;
    }
  }
}

/** What CreateDeployment is given for the hand-over of `targetVersion`. */
export function newDeployment(
  step: Extract<CodeDeployStep, { kind: 'hand-over' }>,
  targetVersion: string,
  ownId: string,
  source: RunContext | undefined
): NewDeployment {
  const { appSpec } = step;
  // `lambda-safe-deploy <id>: orders:live 1 → 2 (Canary10Percent5Minutes), acme/orders@0123456789ab <run url>`.
  const from = source ? `, ${source.owner}/${source.repo}@${source.sha.slice(0, 12)} ${source.runUrl}` : '';
  const description =
    `${deploymentMarker(ownId)}: ${appSpec.functionName}:${appSpec.alias} ${appSpec.currentVersion} → ` +
    `${targetVersion} (${step.strategy})${from}`;
  return {
    application: step.application,
    deploymentGroup: step.deploymentGroup,
    deploymentConfig: step.deploymentConfig,
    appSpec: { ...appSpec, targetVersion },
    description: description.length > DESCRIPTION_MAX_CHARS ? description.slice(0, DESCRIPTION_MAX_CHARS) : description,
    // The alarms input, when given, is this deployment's own alarm configuration: the group is left as it is.
    ...(step.alarms.length > 0 ? { alarms: { alarms: step.alarms, autoRollbackEvents: ROLLBACK_EVENTS } } : {}),
    autoRollbackEvents: ROLLBACK_EVENTS
  };
}

/** CodeDeploy reads alarms by name, in its own account and region. */
function alarmNames(alarms: readonly AlarmRef[]): string[] {
  return [...new Set(alarms.map((alarm) => alarm.name))];
}

/** Which alarms CodeDeploy will watch, and hooks its service role may not be allowed to invoke. */
function noteAlarmsAndHooks(recorder: Journal, settings: HandOverSettings, groupAlarms: readonly string[]): void {
  const mine = alarmNames(settings.alarms);
  const group = settings.engine.deploymentGroup;
  if (mine.length === 0 && groupAlarms.length === 0) {
    recorder.warning(
      `no alarms: neither the alarms input nor deployment group ${group} names one, so CodeDeploy will not stop a bad version while it bakes`
    );
  } else if (mine.length === 0) {
    recorder.detail(`CodeDeploy watches deployment group ${group}'s alarms: ${groupAlarms.join(', ')}`);
  } else if (groupAlarms.length > 0 && groupAlarms.join('\n') !== mine.join('\n')) {
    recorder.detail(
      `The alarms input is this deployment's own alarm configuration; deployment group ${group}'s (${groupAlarms.join(', ')}) do not apply to it, and the group is left as it is`
    );
  }
  for (const hook of [settings.preTrafficHook, settings.postTrafficHook]) {
    if (hook === undefined) continue;
    if (!plainFunctionName(hook).startsWith(HOOK_PREFIX)) {
      recorder.warning(
        `hook ${hook} is not named ${HOOK_PREFIX}…: the AWSCodeDeployRoleForLambda managed policy lets CodeDeploy invoke only ` +
          `such functions, so give the service role lambda:InvokeFunction on it (or rename it)`
      );
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
export function graceAfter(clock: Clock, graceMs: number, parent?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
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

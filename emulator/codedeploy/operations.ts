/**
 * The CodeDeploy API operations the emulator runs, on SDK-shaped inputs and outputs (timestamps are
 * Dates, as the SDK gives and takes them). Shared by the HTTP front (server/codedeploy-json.ts) and the
 * in-process API (Emulator.handleOperation). Everything lives in the caller's account and region.
 */
import { createHash, randomUUID } from 'node:crypto';
import { namespacedKey } from '../shared/arn.js';
import { ApiError, codeDeployError } from '../shared/errors.js';
import { iamAction, type Caller } from '../shared/identity.js';
import type { PreparedCall } from '../shared/operation.js';
import { parseAppSpec } from './appspec.js';
import {
  DEFAULT_LAMBDA_CONFIG,
  isReservedConfigName,
  parseTrafficRouting,
  shiftPlan,
  trafficRoutingConfig,
  type DeploymentConfigRecord
} from './configs.js';
import {
  isDeploymentId,
  newDeploymentId,
  newEvents,
  type AlarmConfig,
  type ApplicationRecord,
  type AutoRollback,
  type DeploymentRecord,
  type GroupRecord
} from './records.js';
import type { CodeDeployService } from './service.js';
import type { AutoRollbackEvent, DeploymentStatus } from './types.js';

/** A CodeDeploy command's input as the SDK takes it (e.g. CreateDeploymentCommandInput). */
export type CodeDeployInput = Record<string, unknown>;

interface CodeDeployCall {
  cd: CodeDeployService;
  caller: Caller;
  input: CodeDeployInput;
}

interface CodeDeployOperation {
  mutating?: boolean;
  run(call: CodeDeployCall): Record<string, unknown>;
}

const OPERATIONS: Record<string, CodeDeployOperation> = {
  CreateApplication: { mutating: true, run: createApplication },
  GetApplication: { run: (c) => ({ application: applicationInfo(requireApplication(c, c.input.applicationName)) }) },
  CreateDeploymentGroup: { mutating: true, run: createDeploymentGroup },
  GetDeploymentGroup: { run: getDeploymentGroup },
  UpdateDeploymentGroup: { mutating: true, run: updateDeploymentGroup },
  CreateDeploymentConfig: { mutating: true, run: createDeploymentConfig },
  GetDeploymentConfig: { run: getDeploymentConfig },
  CreateDeployment: { mutating: true, run: createDeployment },
  GetDeployment: { run: (c) => ({ deploymentInfo: deploymentInfo(requireDeployment(c, c.input.deploymentId)) }) },
  BatchGetDeployments: { run: batchGetDeployments },
  ListDeployments: { run: listDeployments },
  ListDeploymentTargets: { run: listDeploymentTargets },
  GetDeploymentTarget: { run: getDeploymentTarget },
  BatchGetDeploymentTargets: { run: batchGetDeploymentTargets },
  StopDeployment: { mutating: true, run: stopDeployment },
  PutLifecycleEventHookExecutionStatus: { mutating: true, run: putLifecycleEventHookExecutionStatus }
};

/** The CodeDeploy operations the emulator runs (others are answered UnknownOperationException). */
export const CODEDEPLOY_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/**
 * Prepares one CodeDeploy call by `caller`. `inputError` is what the protocol layer could not parse:
 * the answer once the call is authorised.
 */
export function prepareCodeDeployCall(
  cd: CodeDeployService,
  caller: Caller,
  operation: string,
  input: CodeDeployInput,
  inputError?: ApiError
): PreparedCall {
  const op = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
  const resource = op ? resourceArn(cd, caller, input) : undefined;
  return {
    service: 'codedeploy',
    operation,
    params: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    mutating: op?.mutating === true,
    ...(op ? { iamAction: iamAction('codedeploy', operation) } : {}),
    ...(resource !== undefined ? { resource } : {}),
    execute: () => {
      if (!op) throw new ApiError('UnknownOperationException', `Operation ${operation} is not supported by the emulator`, 400);
      if (inputError) throw inputError;
      return { status: 200, output: op.run({ cd, caller, input }) };
    }
  };
}

/** The ARN IAM authorises a call on: the deployment group (of a deployment), the application or the configuration it names. */
function resourceArn(cd: CodeDeployService, caller: Caller, input: CodeDeployInput): string | undefined {
  const base = `arn:aws:codedeploy:${caller.region}:${caller.accountId}`;
  let app = optionalText(input.applicationName);
  let group = optionalText(input.deploymentGroupName) ?? optionalText(input.currentDeploymentGroupName);
  const deploymentId = optionalText(input.deploymentId);
  if (deploymentId !== undefined) {
    const d = cd.store.deployment(caller, deploymentId);
    if (d) [app, group] = [d.applicationName, d.groupName];
  }
  if (app !== undefined && group !== undefined) return `${base}:deploymentgroup:${app}/${group}`;
  if (app !== undefined) return `${base}:application:${app}`;
  const config = optionalText(input.deploymentConfigName);
  return config !== undefined ? `${base}:deploymentconfig:${config}` : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Applications

function createApplication(c: CodeDeployCall): Record<string, unknown> {
  const name = applicationName(c.input.applicationName);
  const platform = c.input.computePlatform ?? 'Server';
  if (platform !== 'Lambda') {
    throw codeDeployError(
      'InvalidComputePlatformException',
      `The emulator runs Lambda deployments only: computePlatform must be Lambda, got ${String(platform)}`
    );
  }
  if (c.cd.store.application(c.caller, name)) {
    throw codeDeployError('ApplicationAlreadyExistsException', `The application ${name} already exists.`);
  }
  const app: ApplicationRecord = {
    accountId: c.caller.accountId,
    region: c.caller.region,
    name,
    id: randomUUID(),
    createMs: c.cd.now(),
    computePlatform: platform
  };
  c.cd.store.applications.set(namespacedKey(app, name), app);
  return { applicationId: app.id };
}

function applicationInfo(app: ApplicationRecord): Record<string, unknown> {
  return {
    applicationId: app.id,
    applicationName: app.name,
    createTime: new Date(app.createMs),
    linkedToGitHub: false,
    computePlatform: app.computePlatform
  };
}

// ---------------------------------------------------------------------------------------------------
// Deployment groups

const ROLLBACK_EVENTS: readonly AutoRollbackEvent[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST'
];

function createDeploymentGroup(c: CodeDeployCall): Record<string, unknown> {
  const app = requireApplication(c, c.input.applicationName);
  const name = groupName(c.input.deploymentGroupName);
  if (c.cd.store.group(c.caller, app.name, name)) {
    throw codeDeployError(
      'DeploymentGroupAlreadyExistsException',
      `A deployment group named ${name} already exists for application ${app.name}.`
    );
  }
  checkDeploymentStyle(c.input.deploymentStyle);
  const group: GroupRecord = {
    accountId: c.caller.accountId,
    region: c.caller.region,
    applicationName: app.name,
    name,
    id: randomUUID(),
    serviceRoleArn: serviceRole(c.input.serviceRoleArn, true)!,
    configName: lambdaConfig(c, c.input.deploymentConfigName ?? DEFAULT_LAMBDA_CONFIG).name,
    alarms: alarmConfig(c.input.alarmConfiguration) ?? { enabled: false, ignorePollAlarmFailure: false, names: [] },
    autoRollback: autoRollback(c.input.autoRollbackConfiguration) ?? { enabled: false, events: [] }
  };
  c.cd.store.putGroup(group);
  return { deploymentGroupId: group.id };
}

function getDeploymentGroup(c: CodeDeployCall): Record<string, unknown> {
  const app = requireApplication(c, c.input.applicationName);
  const group = requireGroup(c, app, c.input.deploymentGroupName);
  const last = (id: string | undefined) => {
    const d = id === undefined ? undefined : c.cd.store.deployments.get(id);
    if (!d) return undefined;
    return {
      deploymentId: d.id,
      status: d.status,
      createTime: new Date(d.createMs),
      ...(d.completeMs !== undefined ? { endTime: new Date(d.completeMs) } : {})
    };
  };
  const lastAttempted = last(group.lastAttemptedId);
  const lastSuccessful = last(group.lastSuccessfulId);
  return {
    deploymentGroupInfo: {
      applicationName: group.applicationName,
      deploymentGroupId: group.id,
      deploymentGroupName: group.name,
      deploymentConfigName: group.configName,
      ec2TagFilters: [],
      onPremisesInstanceTagFilters: [],
      autoScalingGroups: [],
      serviceRoleArn: group.serviceRoleArn,
      triggerConfigurations: [],
      alarmConfiguration: alarmConfigurationOf(group.alarms),
      autoRollbackConfiguration: autoRollbackConfigurationOf(group.autoRollback),
      deploymentStyle: LAMBDA_STYLE,
      ...(lastSuccessful ? { lastSuccessfulDeployment: lastSuccessful } : {}),
      ...(lastAttempted ? { lastAttemptedDeployment: lastAttempted } : {}),
      computePlatform: 'Lambda'
    }
  };
}

function updateDeploymentGroup(c: CodeDeployCall): Record<string, unknown> {
  const app = requireApplication(c, c.input.applicationName);
  const group = requireGroup(c, app, c.input.currentDeploymentGroupName);
  checkDeploymentStyle(c.input.deploymentStyle);
  const newName = c.input.newDeploymentGroupName === undefined ? undefined : groupName(c.input.newDeploymentGroupName);
  if (newName !== undefined && newName !== group.name && c.cd.store.group(c.caller, app.name, newName)) {
    throw codeDeployError(
      'DeploymentGroupAlreadyExistsException',
      `A deployment group named ${newName} already exists for application ${app.name}.`
    );
  }
  // Everything is checked before anything changes.
  const configName = c.input.deploymentConfigName === undefined ? undefined : lambdaConfig(c, c.input.deploymentConfigName).name;
  const role = serviceRole(c.input.serviceRoleArn, false);
  const alarms = alarmConfig(c.input.alarmConfiguration);
  const rollback = autoRollback(c.input.autoRollbackConfiguration);
  if (configName !== undefined) group.configName = configName;
  if (role !== undefined) group.serviceRoleArn = role;
  if (alarms) group.alarms = alarms;
  if (rollback) group.autoRollback = rollback;
  if (newName !== undefined && newName !== group.name) {
    c.cd.store.deleteGroup(group);
    group.name = newName;
    c.cd.store.putGroup(group);
  }
  return { hooksNotCleanedUp: [] };
}

const LAMBDA_STYLE = { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' };

function checkDeploymentStyle(raw: unknown): void {
  if (raw === undefined || raw === null) return;
  const style = raw as Record<string, unknown>;
  if (
    (style.deploymentType !== undefined && style.deploymentType !== LAMBDA_STYLE.deploymentType) ||
    (style.deploymentOption !== undefined && style.deploymentOption !== LAMBDA_STYLE.deploymentOption)
  ) {
    throw codeDeployError(
      'InvalidDeploymentStyleException',
      'A Lambda deployment group deploys BLUE_GREEN WITH_TRAFFIC_CONTROL only.'
    );
  }
}

function serviceRole(raw: unknown, required: boolean): string | undefined {
  if (raw === undefined || raw === null || raw === '') {
    if (required) throw codeDeployError('RoleRequiredException', 'The service role ARN was not specified.');
    return undefined;
  }
  if (typeof raw !== 'string' || !/^arn:aws[a-zA-Z-]*:iam::\d{12}:role\/.+$/.test(raw)) {
    throw codeDeployError('InvalidRoleException', `The service role ARN ${String(raw)} is not a valid IAM role ARN.`);
  }
  return raw;
}

/** AlarmConfiguration as given (undefined when absent): at most 10 alarms, each named. */
function alarmConfig(raw: unknown): AlarmConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  const config = raw as Record<string, unknown>;
  const alarms = (config.alarms ?? []) as unknown[];
  if (!Array.isArray(alarms)) throw codeDeployError('InvalidAlarmConfigException', 'alarms must be a list of { name }.');
  if (alarms.length > 10) {
    throw codeDeployError(
      'AlarmsLimitExceededException',
      'The maximum number of alarms for a deployment group (10) was exceeded.'
    );
  }
  const names = alarms.map((a) => (a as { name?: unknown } | null)?.name);
  if (names.some((n) => typeof n !== 'string' || n === '')) {
    throw codeDeployError('InvalidAlarmConfigException', 'Every alarm of the alarm configuration needs a name.');
  }
  return {
    enabled: config.enabled === true,
    ignorePollAlarmFailure: config.ignorePollAlarmFailure === true,
    names: names as string[]
  };
}

function alarmConfigurationOf(alarms: AlarmConfig): Record<string, unknown> {
  return {
    enabled: alarms.enabled,
    ignorePollAlarmFailure: alarms.ignorePollAlarmFailure,
    alarms: alarms.names.map((name) => ({ name }))
  };
}

/** AutoRollbackConfiguration as given (undefined when absent). */
function autoRollback(raw: unknown): AutoRollback | undefined {
  if (raw === undefined || raw === null) return undefined;
  const config = raw as Record<string, unknown>;
  const events = (config.events ?? []) as unknown[];
  if (!Array.isArray(events) || events.some((e) => !(ROLLBACK_EVENTS as readonly unknown[]).includes(e))) {
    throw codeDeployError(
      'InvalidAutoRollbackConfigException',
      `Automatic rollback events must be among ${ROLLBACK_EVENTS.join(', ')}.`
    );
  }
  const enabled = config.enabled === true;
  if (enabled && events.length === 0) {
    throw codeDeployError('InvalidAutoRollbackConfigException', 'Automatic rollback is enabled but names no event.');
  }
  return { enabled, events: [...new Set(events as AutoRollbackEvent[])] };
}

function autoRollbackConfigurationOf(rollback: AutoRollback): Record<string, unknown> {
  return { enabled: rollback.enabled, events: [...rollback.events] };
}

// ---------------------------------------------------------------------------------------------------
// Deployment configurations

function createDeploymentConfig(c: CodeDeployCall): Record<string, unknown> {
  const name = optionalText(c.input.deploymentConfigName);
  if (name === undefined) {
    throw codeDeployError('DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.');
  }
  if (name.length > 100) {
    throw codeDeployError('InvalidDeploymentConfigNameException', `The deployment configuration name ${name} is too long.`);
  }
  if (c.cd.config(c.caller, name)) {
    throw codeDeployError(
      'DeploymentConfigAlreadyExistsException',
      `A deployment configuration with the name ${name} already exists.`
    );
  }
  if (isReservedConfigName(name)) {
    throw codeDeployError('InvalidDeploymentConfigNameException', `The prefix CodeDeployDefault. is reserved: ${name}`);
  }
  if (c.input.computePlatform !== 'Lambda') {
    throw codeDeployError(
      'InvalidComputePlatformException',
      `The emulator runs Lambda deployments only: computePlatform must be Lambda, got ${String(c.input.computePlatform)}`
    );
  }
  const config = {
    accountId: c.caller.accountId,
    region: c.caller.region,
    name,
    id: randomUUID(),
    createMs: c.cd.now(),
    routing: parseTrafficRouting(c.input.trafficRoutingConfig),
    predefined: false
  };
  c.cd.store.configs.set(namespacedKey(config, name), config);
  return { deploymentConfigId: config.id };
}

function getDeploymentConfig(c: CodeDeployCall): Record<string, unknown> {
  const config = lambdaConfig(c, c.input.deploymentConfigName);
  return {
    deploymentConfigInfo: {
      deploymentConfigId: config.id,
      deploymentConfigName: config.name,
      createTime: new Date(config.createMs),
      computePlatform: 'Lambda',
      trafficRoutingConfig: trafficRoutingConfig(config.routing)
    }
  };
}

/** A Lambda deployment configuration of the caller's namespace, or the error CodeDeploy answers. */
function lambdaConfig(c: CodeDeployCall, raw: unknown): DeploymentConfigRecord {
  const name = optionalText(raw);
  if (name === undefined) {
    throw codeDeployError('DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.');
  }
  const config = c.cd.config(c.caller, name);
  if (config) return config;
  if (isReservedConfigName(name)) {
    throw codeDeployError(
      'InvalidDeploymentConfigNameException',
      `${name} is not a deployment configuration of the Lambda compute platform (the emulator has the CodeDeployDefault.Lambda… ones).`
    );
  }
  throw codeDeployError('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
}

// ---------------------------------------------------------------------------------------------------
// Deployments

function createDeployment(c: CodeDeployCall): Record<string, unknown> {
  const app = requireApplication(c, c.input.applicationName);
  if (optionalText(c.input.deploymentGroupName) === undefined) {
    throw codeDeployError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  }
  const group = requireGroup(c, app, c.input.deploymentGroupName);
  const { content, revision } = appSpecContent(c.input.revision);
  const spec = parseAppSpec(content);
  const config =
    c.input.deploymentConfigName === undefined
      ? lambdaConfig(c, group.configName)
      : lambdaConfig(c, c.input.deploymentConfigName);
  const rollback = autoRollback(c.input.autoRollbackConfiguration) ?? group.autoRollback;
  const alarmOverride = alarmConfig(c.input.overrideAlarmConfiguration);
  const active = c.cd.store.activeDeployment(group);
  if (active) {
    throw codeDeployError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group.name}' already has an active Deployment '${active.id}'`
    );
  }
  const description = optionalText(c.input.description);
  const d: DeploymentRecord = {
    id: newDeploymentId(),
    accountId: c.caller.accountId,
    region: c.caller.region,
    applicationName: app.name,
    groupName: group.name,
    configName: config.name,
    routing: config.routing,
    plan: shiftPlan(config.routing),
    creator: 'user',
    ...(description !== undefined ? { description } : {}),
    revision,
    spec,
    autoRollback: { enabled: rollback.enabled, events: [...rollback.events] },
    ...(alarmOverride ? { alarmOverride } : {}),
    status: 'Created',
    createMs: c.cd.now(),
    events: newEvents(),
    eventIndex: -1,
    shiftIndex: 0,
    checkedMs: c.cd.now(),
    weight: 0,
    targetStatus: 'Pending',
    targetUpdatedMs: c.cd.now(),
    hooks: [],
    answers: []
  };
  c.cd.store.deployments.set(d.id, d);
  c.cd.engine.start(d);
  return { deploymentId: d.id };
}

/**
 * The AppSpec content of a revision: AppSpecContent (or String) only; a sha256, if given, must match.
 * The revision as GetDeployment shows it, with the content's sha256.
 */
function appSpecContent(raw: unknown): { content: string; revision: Record<string, unknown> } {
  if (raw === undefined || raw === null) throw codeDeployError('RevisionRequiredException', 'The revision was not specified.');
  const revision = raw as Record<string, unknown>;
  const type = revision.revisionType;
  const holder = (type === 'AppSpecContent' ? revision.appSpecContent : type === 'String' ? revision.string : undefined) as
    { content?: unknown; sha256?: unknown } | undefined;
  if (type !== 'AppSpecContent' && type !== 'String') {
    throw codeDeployError(
      'InvalidRevisionException',
      `The emulator deploys revisions of revisionType AppSpecContent (or String) only, got ${String(type)}`
    );
  }
  if (!holder || typeof holder.content !== 'string' || holder.content === '') {
    throw codeDeployError('InvalidRevisionException', 'The revision has no AppSpec content.');
  }
  const sha256 = createHash('sha256').update(holder.content).digest('hex');
  if (holder.sha256 !== undefined && holder.sha256 !== sha256) {
    throw codeDeployError('InvalidRevisionException', 'The sha256 of the revision does not match its content.');
  }
  const member = type === 'AppSpecContent' ? 'appSpecContent' : 'string';
  return { content: holder.content, revision: { revisionType: type, [member]: { content: holder.content, sha256 } } };
}

function deploymentInfo(d: DeploymentRecord): Record<string, unknown> {
  return {
    applicationName: d.applicationName,
    deploymentGroupName: d.groupName,
    deploymentConfigName: d.configName,
    deploymentId: d.id,
    revision: d.revision,
    status: d.status,
    ...(d.error ? { errorInformation: { ...d.error } } : {}),
    createTime: new Date(d.createMs),
    ...(d.startMs !== undefined ? { startTime: new Date(d.startMs) } : {}),
    ...(d.completeMs !== undefined ? { completeTime: new Date(d.completeMs) } : {}),
    deploymentOverview: overview(d),
    ...(d.description !== undefined ? { description: d.description } : {}),
    creator: d.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: autoRollbackConfigurationOf(d.autoRollback),
    updateOutdatedInstancesOnly: false,
    ...(d.rollback ? { rollbackInfo: { ...d.rollback } } : {}),
    deploymentStyle: LAMBDA_STYLE,
    instanceTerminationWaitTimeStarted: false,
    deploymentStatusMessages: [],
    computePlatform: 'Lambda',
    ...(d.alarmOverride ? { overrideAlarmConfiguration: alarmConfigurationOf(d.alarmOverride) } : {})
  };
}

/** The one Lambda target, counted by its status. */
function overview(d: DeploymentRecord): Record<string, number> {
  const counts: Record<string, number> = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  counts[d.targetStatus] = 1;
  return counts;
}

const STATUSES: readonly DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Succeeded',
  'Failed',
  'Stopped',
  'Ready'
];
const PAGE = 100;

/** ListDeployments: newest first, filtered by group, status and creation time; pages of 100. */
function listDeployments(c: CodeDeployCall): Record<string, unknown> {
  const appName = optionalText(c.input.applicationName);
  const groupNameGiven = optionalText(c.input.deploymentGroupName);
  if (groupNameGiven !== undefined && appName === undefined) {
    throw codeDeployError('ApplicationNameRequiredException', 'The application name must be given with a deployment group name.');
  }
  const app = appName === undefined ? undefined : requireApplication(c, appName);
  const group = app && groupNameGiven !== undefined ? requireGroup(c, app, groupNameGiven) : undefined;
  const statuses = c.input.includeOnlyStatuses as unknown[] | undefined;
  if (
    statuses !== undefined &&
    (!Array.isArray(statuses) || statuses.some((s) => !(STATUSES as readonly unknown[]).includes(s)))
  ) {
    throw codeDeployError('InvalidDeploymentStatusException', `Deployment statuses must be among ${STATUSES.join(', ')}.`);
  }
  const range = (c.input.createTimeRange ?? {}) as { start?: unknown; end?: unknown };
  const start = range.start === undefined ? undefined : timestampMs(range.start);
  const end = range.end === undefined ? undefined : timestampMs(range.end);
  const matches = [...c.cd.store.deployments.values()]
    .filter((d) => d.accountId === c.caller.accountId && d.region === c.caller.region)
    .filter((d) => !app || d.applicationName === app.name)
    .filter((d) => !group || d.groupName === group.name)
    .filter((d) => statuses === undefined || statuses.includes(d.status))
    .filter((d) => (start === undefined || d.createMs >= start) && (end === undefined || d.createMs <= end))
    .reverse();
  const offset = pageOffset(c.input.nextToken);
  const next = offset + PAGE < matches.length ? { nextToken: Buffer.from(String(offset + PAGE)).toString('base64') } : {};
  return { deployments: matches.slice(offset, offset + PAGE).map((d) => d.id), ...next };
}

function targetId(d: DeploymentRecord): string {
  return `${d.spec.functionName}:${d.spec.alias}`;
}

function listDeploymentTargets(c: CodeDeployCall): Record<string, unknown> {
  const d = requireDeployment(c, c.input.deploymentId);
  const filters = (c.input.targetFilters ?? {}) as Record<string, unknown>;
  const statuses = filters.TargetStatus as unknown[] | undefined;
  const shown = statuses === undefined || (Array.isArray(statuses) && statuses.includes(d.targetStatus));
  return { targetIds: shown ? [targetId(d)] : [] };
}

function getDeploymentTarget(c: CodeDeployCall): Record<string, unknown> {
  const d = requireDeployment(c, c.input.deploymentId);
  return { deploymentTarget: deploymentTarget(d, c.input.targetId) };
}

/** BatchGetDeploymentTargets: up to 25 targets of one deployment (a Lambda deployment has one). */
function batchGetDeploymentTargets(c: CodeDeployCall): Record<string, unknown> {
  const d = requireDeployment(c, c.input.deploymentId);
  const ids = c.input.targetIds;
  if (!Array.isArray(ids) || ids.length === 0) {
    throw codeDeployError('DeploymentTargetIdRequiredException', 'The target ids were not specified.');
  }
  if (ids.length > 25) {
    throw codeDeployError('DeploymentTargetListSizeExceededException', 'At most 25 target ids can be given.');
  }
  return { deploymentTargets: ids.map((id) => deploymentTarget(d, id)) };
}

/** BatchGetDeployments: up to 25 deployments of the caller's; ids that name none are left out. */
function batchGetDeployments(c: CodeDeployCall): Record<string, unknown> {
  const ids = c.input.deploymentIds;
  if (!Array.isArray(ids)) throw codeDeployError('DeploymentIdRequiredException', 'The deployment ids were not specified.');
  if (ids.length > 25) throw codeDeployError('BatchLimitExceededException', 'At most 25 deployment ids can be given.');
  const found = ids.map((id) => {
    const text = optionalText(id);
    if (text === undefined || !isDeploymentId(text)) {
      throw codeDeployError('InvalidDeploymentIdException', `The deployment id ${String(id)} is not valid.`);
    }
    return c.cd.store.deployment(c.caller, text);
  });
  return { deploymentsInfo: found.filter((d) => d !== undefined).map(deploymentInfo) };
}

/** The Lambda target of a deployment: the alias, its lifecycle events and where its traffic is. */
function deploymentTarget(d: DeploymentRecord, raw: unknown): Record<string, unknown> {
  const id = optionalText(raw);
  if (id === undefined) throw codeDeployError('DeploymentTargetIdRequiredException', 'The target id was not specified.');
  if (id !== targetId(d)) {
    throw codeDeployError('DeploymentTargetDoesNotExistException', `The target ${id} of deployment ${d.id} does not exist.`);
  }
  const fnArn = `arn:aws:lambda:${d.region}:${d.accountId}:function:${d.spec.functionName}:${d.spec.alias}`;
  return {
    deploymentTargetType: 'LambdaTarget',
    lambdaTarget: {
      deploymentId: d.id,
      targetId: id,
      targetArn: d.spec.functionName.startsWith('arn:') ? d.spec.functionName : fnArn,
      status: d.targetStatus,
      lastUpdatedAt: new Date(d.targetUpdatedMs),
      lifecycleEvents: d.events.map((e) => ({
        lifecycleEventName: e.name,
        ...(e.diagnostics ? { diagnostics: { ...e.diagnostics } } : {}),
        ...(e.startMs !== undefined ? { startTime: new Date(e.startMs) } : {}),
        ...(e.endMs !== undefined ? { endTime: new Date(e.endMs) } : {}),
        status: e.status
      })),
      lambdaFunctionInfo: {
        functionName: d.spec.functionName,
        functionAlias: d.spec.alias,
        currentVersion: d.spec.currentVersion,
        targetVersion: d.spec.targetVersion,
        targetVersionWeight: d.weight
      }
    }
  };
}

function stopDeployment(c: CodeDeployCall): Record<string, unknown> {
  const d = requireDeployment(c, c.input.deploymentId);
  if (d.status !== 'InProgress') {
    throw codeDeployError('DeploymentAlreadyCompletedException', `The deployment ${d.id} has already completed.`);
  }
  const rollback = c.input.autoRollbackEnabled;
  c.cd.engine.stop(d, typeof rollback === 'boolean' ? rollback : undefined, c.cd.now());
  // CodeDeploy answers before the stop is done; the emulator has already stopped it (GetDeployment says Stopped).
  return { status: 'Pending', statusMessage: 'Stopping Pending. Stopping the deployment.' };
}

function putLifecycleEventHookExecutionStatus(c: CodeDeployCall): Record<string, unknown> {
  const d = requireDeployment(c, c.input.deploymentId);
  const id = optionalText(c.input.lifecycleEventHookExecutionId);
  const execution = id === undefined ? undefined : d.hooks.find((h) => h.id === id);
  if (!execution) {
    throw codeDeployError(
      'InvalidLifecycleEventHookExecutionIdException',
      `The lifecycle event hook execution id ${String(id)} is not one of deployment ${d.id}.`
    );
  }
  const status = c.input.status;
  if (status !== 'Succeeded' && status !== 'Failed') {
    throw codeDeployError(
      'InvalidLifecycleEventHookExecutionStatusException',
      `The status of a lifecycle event hook execution can be Succeeded or Failed, got ${String(status)}.`
    );
  }
  if (execution.status !== 'Pending' || d.status !== 'InProgress') {
    throw codeDeployError(
      'LifecycleEventAlreadyCompletedException',
      `The ${execution.event} lifecycle event of deployment ${d.id} has already completed.`
    );
  }
  c.cd.engine.answer(d, execution, status, c.cd.now());
  return { lifecycleEventHookExecutionId: execution.id };
}

// ---------------------------------------------------------------------------------------------------
// Lookups and member checks

function applicationName(raw: unknown): string {
  const name = optionalText(raw);
  if (name === undefined) throw codeDeployError('ApplicationNameRequiredException', 'The application name was not specified.');
  if (name.length > 100) throw codeDeployError('InvalidApplicationNameException', `The application name ${name} is too long.`);
  return name;
}

function groupName(raw: unknown): string {
  const name = optionalText(raw);
  if (name === undefined)
    throw codeDeployError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  if (name.length > 100) {
    throw codeDeployError('InvalidDeploymentGroupNameException', `The deployment group name ${name} is too long.`);
  }
  return name;
}

function requireApplication(c: CodeDeployCall, raw: unknown): ApplicationRecord {
  const name = applicationName(raw);
  const app = c.cd.store.application(c.caller, name);
  if (!app) throw codeDeployError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
  return app;
}

function requireGroup(c: CodeDeployCall, app: ApplicationRecord, raw: unknown): GroupRecord {
  const name = groupName(raw);
  const group = c.cd.store.group(c.caller, app.name, name);
  if (!group) throw codeDeployError('DeploymentGroupDoesNotExistException', `No Deployment Group found for name: ${name}`);
  return group;
}

function requireDeployment(c: CodeDeployCall, raw: unknown): DeploymentRecord {
  const id = optionalText(raw);
  if (id === undefined) throw codeDeployError('DeploymentIdRequiredException', 'The deployment id was not specified.');
  if (!isDeploymentId(id)) throw codeDeployError('InvalidDeploymentIdException', `The deployment id ${id} is not valid.`);
  const d = c.cd.store.deployment(c.caller, id);
  if (!d) throw codeDeployError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
  return d;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A timestamp member: a Date in-process, epoch seconds over HTTP. */
function timestampMs(value: unknown): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  throw codeDeployError('InvalidTimeRangeException', 'The time range is not valid.');
}

function pageOffset(token: unknown): number {
  if (token === undefined || token === null) return 0;
  const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString('utf8')) : NaN;
  if (!Number.isInteger(offset) || offset < 0) throw codeDeployError('InvalidNextTokenException', 'The next token is not valid.');
  return offset;
}

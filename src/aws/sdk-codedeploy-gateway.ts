import {
  BatchGetDeploymentsCommand,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
  CodeDeployClient,
  type DeploymentInfo,
  type LambdaTarget,
  type TrafficRoutingConfig
} from '@aws-sdk/client-codedeploy';
import { raceSignal } from '../core/deadline.js';
import { errorName } from '../core/errors.js';
import type { TrafficRouting } from './traffic-routing.js';
import type { AwsClients } from './clients.js';
import { appSpecContent, appSpecSha256 } from './codedeploy-appspec.js';
import type {
  AlarmSettings,
  ApplicationInfo,
  CodeDeployGateway,
  DeploymentGroupInfo,
  DeploymentView,
  LambdaTargetView,
  NewDeployment,
  RollbackEvent,
  StopOutcome
} from './codedeploy-gateway.js';
import { NoAnswer, ResourceNotFound } from './failures.js';
import { translateSdkError } from './translate.js';

/** The statuses of a deployment that has not ended. */
const ACTIVE_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;
/** BatchGetDeployments takes at most 25 ids. */
const BATCH_SIZE = 25;

/**
 * CodeDeployGateway over the AWS SDK v3 client, in the deployment's region (the function's, when
 * `function-name` is a full ARN). Retries and time limits come from the clients; every call is cut
 * short by its signal; every error leaves as a domain failure (see translate.ts). The SDK error
 * names that mean "absent" or "already done" are read here, and nowhere above.
 */
export class SdkCodeDeployGateway implements CodeDeployGateway {
  /** The Lambda target of each deployment watched (one per Lambda deployment; asked for once). */
  private readonly targetIds = new Map<string, string>();

  constructor(private readonly clients: AwsClients) {}

  get region(): string | undefined {
    return this.clients.regionFor(undefined);
  }

  async getApplication(name: string, signal?: AbortSignal): Promise<ApplicationInfo | undefined> {
    const answer = await this.callOrAbsent(['ApplicationDoesNotExistException'], 'GetApplication', signal, (client, o) =>
      client.send(new GetApplicationCommand({ applicationName: name }), o)
    );
    if (!answer?.application) return undefined;
    return { name: answer.application.applicationName ?? name, computePlatform: answer.application.computePlatform ?? 'Server' };
  }

  async createApplication(name: string, signal?: AbortSignal): Promise<void> {
    await this.callOrAbsent(['ApplicationAlreadyExistsException'], 'CreateApplication', signal, (client, o) =>
      client.send(new CreateApplicationCommand({ applicationName: name, computePlatform: 'Lambda' }), o)
    );
  }

  async getDeploymentGroup(application: string, name: string, signal?: AbortSignal): Promise<DeploymentGroupInfo | undefined> {
    const answer = await this.callOrAbsent(
      ['DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException'],
      'GetDeploymentGroup',
      signal,
      (client, o) => client.send(new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: name }), o)
    );
    const info = answer?.deploymentGroupInfo;
    if (!info) return undefined;
    const alarms = info.alarmConfiguration?.enabled
      ? (info.alarmConfiguration.alarms ?? []).flatMap((a) => (a.name ? [a.name] : []))
      : [];
    const rollback = info.autoRollbackConfiguration?.enabled
      ? ((info.autoRollbackConfiguration.events ?? []) as RollbackEvent[])
      : [];
    const last = info.lastAttemptedDeployment;
    return {
      name: info.deploymentGroupName ?? name,
      ...(info.computePlatform ? { computePlatform: info.computePlatform } : {}),
      ...(info.serviceRoleArn ? { serviceRoleArn: info.serviceRoleArn } : {}),
      alarms,
      autoRollbackEvents: rollback,
      ...(last?.deploymentId && last.status ? { lastAttempted: { deploymentId: last.deploymentId, status: last.status } } : {})
    };
  }

  async createDeploymentGroup(
    application: string,
    name: string,
    options: { readonly serviceRoleArn: string; readonly alarms: AlarmSettings },
    signal?: AbortSignal
  ): Promise<void> {
    await this.callOrAbsent(
      ['DeploymentGroupAlreadyExistsException'],
      'CreateDeploymentGroup',
      signal,
      (client, o) =>
        client.send(
          new CreateDeploymentGroupCommand({
            applicationName: application,
            deploymentGroupName: name,
            serviceRoleArn: options.serviceRoleArn,
            deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
            ...alarmMembers(options.alarms)
          }),
          o
        ),
      // Passing the service role needs iam:PassRole as well; AWS names it when it is missing.
      'codedeploy:CreateDeploymentGroup'
    );
  }

  async getDeploymentConfig(name: string, signal?: AbortSignal): Promise<TrafficRouting | undefined> {
    const answer = await this.callOrAbsent(
      ['DeploymentConfigDoesNotExistException'],
      'GetDeploymentConfig',
      signal,
      (client, o) => client.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }), o)
    );
    const info = answer?.deploymentConfigInfo;
    if (!info) return undefined;
    return routingOf(info.trafficRoutingConfig);
  }

  async createDeploymentConfig(name: string, routing: TrafficRouting, signal?: AbortSignal): Promise<boolean> {
    const created = await this.callOrAbsent(
      ['DeploymentConfigAlreadyExistsException'],
      'CreateDeploymentConfig',
      signal,
      (client, o) =>
        client.send(
          new CreateDeploymentConfigCommand({
            deploymentConfigName: name,
            computePlatform: 'Lambda',
            trafficRoutingConfig: trafficRoutingConfig(routing)
          }),
          o
        )
    );
    return created !== undefined;
  }

  async createDeployment(deployment: NewDeployment, signal?: AbortSignal): Promise<string> {
    const content = appSpecContent(deployment.appSpec);
    const answer = await this.call('CreateDeployment', signal, (client, o) =>
      client.send(
        new CreateDeploymentCommand({
          applicationName: deployment.application,
          deploymentGroupName: deployment.deploymentGroup,
          deploymentConfigName: deployment.deploymentConfig,
          description: deployment.description,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256: appSpecSha256(content) } },
          autoRollbackConfiguration: {
            enabled: deployment.autoRollbackEvents.length > 0,
            events: [...deployment.autoRollbackEvents]
          },
          ...(deployment.alarms
            ? {
                overrideAlarmConfiguration: {
                  enabled: true,
                  ignorePollAlarmFailure: false,
                  alarms: deployment.alarms.alarms.map((alarm) => ({ name: alarm }))
                }
              }
            : {})
        }),
        o
      )
    );
    if (!answer.deploymentId) throw new NoAnswer('CreateDeployment answered without a deployment id', 'CreateDeployment');
    return answer.deploymentId;
  }

  async getDeployment(deploymentId: string, signal?: AbortSignal): Promise<DeploymentView> {
    const answer = await this.callOrAbsent(['DeploymentDoesNotExistException'], 'GetDeployment', signal, (client, o) =>
      client.send(new GetDeploymentCommand({ deploymentId }), o)
    );
    if (!answer) {
      throw new ResourceNotFound(
        `CodeDeploy deployment ${deploymentId} does not exist in ${this.region ?? 'the default region'}`,
        'GetDeployment'
      );
    }
    if (!answer.deploymentInfo)
      throw new NoAnswer(`GetDeployment answered without the deployment ${deploymentId}`, 'GetDeployment');
    return deploymentView(answer.deploymentInfo, deploymentId);
  }

  async getLambdaTarget(deploymentId: string, signal?: AbortSignal): Promise<LambdaTargetView | undefined> {
    let targetId = this.targetIds.get(deploymentId);
    if (!targetId) {
      const listed = await this.call('ListDeploymentTargets', signal, (client, o) =>
        client.send(new ListDeploymentTargetsCommand({ deploymentId }), o)
      );
      targetId = listed.targetIds?.[0];
      if (!targetId) return undefined;
      this.targetIds.set(deploymentId, targetId);
    }
    const answer = await this.callOrAbsent(
      ['DeploymentTargetDoesNotExistException'],
      'GetDeploymentTarget',
      signal,
      (client, o) => client.send(new GetDeploymentTargetCommand({ deploymentId, targetId }), o)
    );
    const target = answer?.deploymentTarget?.lambdaTarget;
    return target ? lambdaTargetView(target) : undefined;
  }

  async listActiveDeployments(
    application: string,
    group: string,
    limit: number,
    signal?: AbortSignal
  ): Promise<DeploymentView[]> {
    const listed = await this.callOrAbsent(
      ['DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException'],
      'ListDeployments',
      signal,
      (client, o) =>
        client.send(
          new ListDeploymentsCommand({
            applicationName: application,
            deploymentGroupName: group,
            includeOnlyStatuses: [...ACTIVE_STATUSES]
          }),
          o
        )
    );
    const ids = (listed?.deployments ?? []).slice(0, Math.min(limit, BATCH_SIZE));
    if (ids.length === 0) return [];
    const answer = await this.call('BatchGetDeployments', signal, (client, o) =>
      client.send(new BatchGetDeploymentsCommand({ deploymentIds: ids }), o)
    );
    return (answer.deploymentsInfo ?? []).map((info) => deploymentView(info, info.deploymentId ?? ''));
  }

  async stopDeployment(deploymentId: string, autoRollback: boolean, signal?: AbortSignal): Promise<StopOutcome> {
    const answer = await this.callOrAbsent(['DeploymentAlreadyCompletedException'], 'StopDeployment', signal, (client, o) =>
      client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: autoRollback }), o)
    );
    if (!answer) return { kind: 'already-ended' };
    return {
      kind: 'stopping',
      status: answer.status ?? 'Pending',
      ...(answer.statusMessage ? { message: answer.statusMessage } : {})
    };
  }

  /** One call in the deployment's region; any failure leaves as a domain failure (see translate.ts). */
  private async call<T>(
    operation: string,
    signal: AbortSignal | undefined,
    send: (client: CodeDeployClient, options: { abortSignal?: AbortSignal }) => Promise<T>,
    action = `codedeploy:${operation}`
  ): Promise<T> {
    try {
      const sent = send(this.client(), { abortSignal: signal });
      // The signal ends the wait even where the SDK would not notice it (between retries, say).
      return await (signal ? raceSignal(sent, signal) : sent);
    } catch (error: unknown) {
      throw translateSdkError(error, { operation, action, endpoint: this.clients.endpoint('codedeploy'), signal });
    }
  }

  /** The same, but undefined when CodeDeploy answers one of the errors named in `absent` ("does not exist", "already done"). */
  private async callOrAbsent<T>(
    absent: readonly string[],
    operation: string,
    signal: AbortSignal | undefined,
    send: (client: CodeDeployClient, options: { abortSignal?: AbortSignal }) => Promise<T>,
    action = `codedeploy:${operation}`
  ): Promise<T | undefined> {
    try {
      const sent = send(this.client(), { abortSignal: signal });
      return await (signal ? raceSignal(sent, signal) : sent);
    } catch (error: unknown) {
      if (!signal?.aborted && absent.includes(errorName(error))) return undefined;
      throw translateSdkError(error, { operation, action, endpoint: this.clients.endpoint('codedeploy'), signal });
    }
  }

  private client(): CodeDeployClient {
    return this.clients.client('codedeploy', undefined, (config) => new CodeDeployClient(config));
  }
}

function alarmMembers(settings: AlarmSettings) {
  return {
    alarmConfiguration: {
      enabled: settings.alarms.length > 0,
      ignorePollAlarmFailure: false,
      alarms: settings.alarms.map((name) => ({ name }))
    },
    autoRollbackConfiguration: { enabled: settings.autoRollbackEvents.length > 0, events: [...settings.autoRollbackEvents] }
  };
}

function trafficRoutingConfig(routing: TrafficRouting): TrafficRoutingConfig {
  switch (routing.type) {
    case 'AllAtOnce':
      return { type: 'AllAtOnce' };
    case 'TimeBasedCanary':
      return {
        type: 'TimeBasedCanary',
        timeBasedCanary: { canaryPercentage: routing.percentage, canaryInterval: routing.intervalMinutes }
      };
    case 'TimeBasedLinear':
      return {
        type: 'TimeBasedLinear',
        timeBasedLinear: { linearPercentage: routing.percentage, linearInterval: routing.intervalMinutes }
      };
  }
}

function routingOf(config: TrafficRoutingConfig | undefined): TrafficRouting {
  if (config?.type === 'TimeBasedCanary' && config.timeBasedCanary) {
    return {
      type: 'TimeBasedCanary',
      percentage: config.timeBasedCanary.canaryPercentage ?? 0,
      intervalMinutes: config.timeBasedCanary.canaryInterval ?? 0
    };
  }
  if (config?.type === 'TimeBasedLinear' && config.timeBasedLinear) {
    return {
      type: 'TimeBasedLinear',
      percentage: config.timeBasedLinear.linearPercentage ?? 0,
      intervalMinutes: config.timeBasedLinear.linearInterval ?? 0
    };
  }
  return { type: 'AllAtOnce' };
}

function deploymentView(info: DeploymentInfo, deploymentId: string): DeploymentView {
  const error = info.errorInformation;
  const rollback = info.rollbackInfo;
  return {
    deploymentId: info.deploymentId ?? deploymentId,
    status: info.status ?? 'Created',
    application: info.applicationName ?? '',
    deploymentGroup: info.deploymentGroupName ?? '',
    deploymentConfig: info.deploymentConfigName ?? '',
    ...(info.description ? { description: info.description } : {}),
    ...(info.creator ? { creator: info.creator } : {}),
    ...(error && (error.code || error.message) ? { error: { code: error.code ?? 'UNKNOWN', message: error.message ?? '' } } : {}),
    ...(rollback
      ? {
          rollback: {
            ...(rollback.rollbackDeploymentId ? { rollbackDeploymentId: rollback.rollbackDeploymentId } : {}),
            ...(rollback.rollbackTriggeringDeploymentId
              ? { rollbackTriggeringDeploymentId: rollback.rollbackTriggeringDeploymentId }
              : {}),
            ...(rollback.rollbackMessage ? { message: rollback.rollbackMessage } : {})
          }
        }
      : {}),
    ...(info.createTime ? { createdAtMs: info.createTime.getTime() } : {}),
    ...(info.completeTime ? { completedAtMs: info.completeTime.getTime() } : {})
  };
}

function lambdaTargetView(target: LambdaTarget): LambdaTargetView {
  const info = target.lambdaFunctionInfo;
  const events = (target.lifecycleEvents ?? []).map((event) => {
    const d = event.diagnostics;
    const diagnostics = d
      ? `${d.errorCode ?? 'error'}${d.scriptName ? ` (${d.scriptName})` : ''}${d.message ? `: ${d.message}` : ''}`
      : undefined;
    return {
      name: event.lifecycleEventName ?? 'unknown',
      status: event.status ?? 'Unknown',
      ...(diagnostics ? { diagnostics } : {})
    };
  });
  const allowTraffic = events.find((event) => event.name === 'AllowTraffic')?.status;
  const weight = weightPercent(info?.targetVersionWeight, allowTraffic);
  return {
    functionName: info?.functionName ?? '',
    alias: info?.functionAlias ?? '',
    currentVersion: info?.currentVersion ?? '',
    targetVersion: info?.targetVersion ?? '',
    ...(weight !== undefined ? { weightPercent: weight } : {}),
    ...(target.targetArn ? { targetArn: target.targetArn } : {}),
    lifecycleEvents: events
  };
}

/**
 * `targetVersionWeight` in percent. AWS documents it as "the percentage of production traffic";
 * whether 10 % comes as 10 or 0.1 is unconfirmed, so both are read: a value below 1 is a fraction.
 * 1 itself is 1 % while AllowTraffic is still shifting (a 1 % step), else all the traffic (the
 * shift is done: 100 % as a fraction).
 */
export function weightPercent(raw: number | undefined, allowTrafficStatus: string | undefined): number | undefined {
  if (raw === undefined || !Number.isFinite(raw) || raw < 0) return undefined;
  if (raw < 1) return roundWeight(raw * 100);
  if (raw === 1) return allowTrafficStatus === 'Succeeded' ? 100 : 1;
  return roundWeight(Math.min(raw, 100));
}

function roundWeight(value: number): number {
  return Math.round(value * 100) / 100;
}

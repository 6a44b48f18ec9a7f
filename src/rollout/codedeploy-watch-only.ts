import { CODEDEPLOY_PREFIX, parseStrategy } from '../strategy/parse.js';
import { AccessDenied, AwsFailure } from '../aws/failures.js';
import type { CodeDeployGateway, DeploymentView, LambdaTargetView } from '../aws/codedeploy-gateway.js';
import { parseFunctionRef, qualifiedArn } from '../aws/arn.js';
import type { Settings } from '../config/settings.js';
import { describeError } from '../core/errors.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import type { Strategy } from '../core/schedule.js';
import { capText } from '../core/text.js';
import { codeDeployConsoleUrl } from '../core/traffic-routing.js';
import { CUSTOM_CONFIG_PREFIX, strategyOfConfig } from '../strategy/codedeploy.js';
import { watchDeployment, type WatchOutcome } from './codedeploy-watch.js';
import type { EngineDeps } from './deps.js';
import type { FinalStatus } from './phases.js';
import type { DeploymentReport, DeploymentResult } from './result.js';

/**
 * A step with `codedeploy-deployment-id`: it watches a deployment CodeDeploy runs already (one
 * that an earlier step handed over with `wait: false`) and reports it, as the step that started it
 * would have. No preflight, no publish: the function, alias and versions are the deployment's own.
 * While it watches, the deployment is this job's: cancelling the job stops it (with automatic
 * rollback), and so does the post step of a job that was killed.
 */
export async function watchExistingDeployment(
  deps: EngineDeps,
  settings: Settings,
  ownId: string,
  signal?: AbortSignal
): Promise<DeploymentReport> {
  const { recorder, clock } = deps;
  const deploymentId = settings.codedeploy!.deploymentId!;
  const startedAt = clock.now();
  let view: { deployment?: DeploymentView; target?: LambdaTargetView } = {};
  let strategy: Strategy = settings.strategy;
  const save = (phase: 'watch' | FinalStatus, watching: boolean, owed = false): void =>
    deps.onTransition?.({
      phase,
      deploymentId: ownId,
      targets: [],
      rollbackOwed: owed,
      codedeploy: {
        application: view.deployment?.application ?? settings.codedeploy!.application,
        deploymentGroup: view.deployment?.deploymentGroup ?? settings.codedeploy!.deploymentGroup,
        deploymentId,
        creating: false,
        marker: deploymentId,
        watching
      }
    });
  const finish = (status: FinalStatus, reason?: string, outcome?: Partial<WatchOutcome>): DeploymentReport => {
    recorder.closeGroup();
    save(status, true, outcome?.stopOwed === true);
    return report(deps, settings, {
      status,
      deploymentId: ownId,
      codedeployId: deploymentId,
      strategy,
      startedAtMs: view.deployment?.createdAtMs ?? startedAt,
      finishedAtMs: view.deployment?.completedAtMs ?? clock.now(),
      cancelled: outcome?.cancelled === true,
      ...(reason !== undefined ? { reason } : {}),
      ...view,
      ...(outcome?.deployment ? { deployment: outcome.deployment } : {}),
      ...(outcome?.target ? { target: outcome.target } : {})
    });
  };
  recorder.enterPhase('watch');
  const codedeploy = deps.codedeploy;
  if (!codedeploy) throw new Error('internal: watching a CodeDeploy deployment without a CodeDeploy gateway');
  try {
    const deployment = await codedeploy.getDeployment(deploymentId, signal);
    const target = await codedeploy.getLambdaTarget(deploymentId, signal);
    view = { deployment, ...(target ? { target } : {}) };
  } catch (error: unknown) {
    if (signal?.aborted)
      return finish('failed', `the step was cancelled before it read deployment ${deploymentId}`, { cancelled: true });
    return finish(
      'failed',
      capText(`cannot watch CodeDeploy deployment ${deploymentId}: ${explain(error)}`, FAILURE_REASON_MAX_CHARS)
    );
  }
  const mismatch = functionMismatch(deploymentId, settings.targets[0]!.functionName, view.target);
  if (mismatch) return finish('failed', mismatch);
  strategy = await strategyOf(codedeploy, view.deployment!, settings.strategy, signal);
  const url = codedeploy.region ? codeDeployConsoleUrl(codedeploy.region, deploymentId) : undefined;
  recorder.event(
    `Watching CodeDeploy deployment ${deploymentId} (${view.deployment!.application}/${view.deployment!.deploymentGroup}, ` +
      `${view.deployment!.deploymentConfig})` +
      (view.target
        ? `: alias ${view.target.alias} of ${view.target.functionName} from version ${view.target.currentVersion} to ${view.target.targetVersion}`
        : '') +
      (url ? `; ${url}` : '')
  );
  save('watch', true);
  const outcome = await watchDeployment(
    {
      codedeploy,
      lambda: deps.lambda,
      clock,
      recorder,
      pollMs: settings.alarmPollIntervalMs,
      ...(deps.cancelledRollbackBudgetMs !== undefined ? { cancelledBudgetMs: deps.cancelledRollbackBudgetMs } : {})
    },
    { deploymentId, functionRef: settings.targets[0]!.functionName, ...(url ? { consoleUrl: url } : {}) },
    signal
  );
  if (outcome.deployment) view = { ...view, deployment: outcome.deployment };
  if (outcome.target) view = { ...view, target: outcome.target };
  if (outcome.status === 'succeeded' && view.target) {
    recorder.event(
      `CodeDeploy deployment ${deploymentId} succeeded: alias ${view.target.alias} sends all traffic to version ${view.target.targetVersion}`,
      100
    );
  } else if (outcome.reason) {
    recorder.event(`${outcome.status === 'rolled-back' ? 'Rolled back' : 'Stopped'}: ${outcome.reason}`);
  }
  return finish(outcome.status, outcome.reason, outcome);
}

/** The deployment must be of the function the step names: a wrong id is refused, never reported as this function's. */
function functionMismatch(deploymentId: string, functionName: string, target: LambdaTargetView | undefined): string | undefined {
  if (!target?.functionName) return undefined;
  const mine = plainName(functionName);
  const theirs = plainName(target.functionName);
  if (mine === theirs) return undefined;
  return (
    `CodeDeploy deployment ${deploymentId} deploys ${theirs}:${target.alias}, not function ${mine}: ` +
    `check codedeploy-deployment-id and function-name (nothing was watched or changed)`
  );
}

function plainName(ref: string): string {
  return parseFunctionRef(ref)?.base.split(':').at(-1) ?? ref;
}

/** The schedule of the deployment's configuration: a predefined or this action's name, else as CodeDeploy reports it. */
async function strategyOf(
  codedeploy: CodeDeployGateway,
  deployment: DeploymentView,
  fallback: Strategy,
  signal?: AbortSignal
): Promise<Strategy> {
  const name = deployment.deploymentConfig;
  const known = name.startsWith(CODEDEPLOY_PREFIX)
    ? name
    : name.startsWith(CUSTOM_CONFIG_PREFIX)
      ? name.slice(CUSTOM_CONFIG_PREFIX.length)
      : undefined;
  if (known !== undefined) {
    try {
      return { ...parseStrategy(known), name };
    } catch {
      // not one of ours after all: ask CodeDeploy
    }
  }
  try {
    const routing = await codedeploy.getDeploymentConfig(name, signal);
    return routing ? strategyOfConfig(name, routing) : fallback;
  } catch {
    return fallback;
  }
}

interface Facts {
  readonly status: FinalStatus;
  readonly deploymentId: string;
  readonly codedeployId: string;
  readonly strategy: Strategy;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly cancelled: boolean;
  readonly reason?: string;
  readonly deployment?: DeploymentView;
  readonly target?: LambdaTargetView;
}

function report(deps: EngineDeps, settings: Settings, facts: Facts): DeploymentReport {
  const { recorder } = deps;
  const { target, deployment } = facts;
  const region = deps.codedeploy?.region;
  const functionArn = target?.targetArn ? target.targetArn.split(':').slice(0, 7).join(':') : undefined;
  const result: DeploymentResult = {
    status: facts.status,
    deploymentId: facts.deploymentId,
    targets: [
      {
        functionName: target?.functionName ? plainName(target.functionName) : plainName(settings.targets[0]!.functionName),
        ...(functionArn ? { functionArn } : {}),
        alias: target?.alias || settings.targets[0]!.alias,
        ...(functionArn && target?.alias ? { aliasArn: qualifiedArn(functionArn, target.alias) } : {}),
        ...(target?.targetVersion ? { version: target.targetVersion } : {}),
        published: target?.targetVersion !== undefined,
        ...(target?.currentVersion ? { previousVersion: target.currentVersion } : {})
      }
    ],
    strategy: facts.strategy,
    startedAtMs: facts.startedAtMs,
    finishedAtMs: Math.max(facts.finishedAtMs, facts.startedAtMs),
    ...(facts.reason !== undefined ? { failureReason: facts.reason } : {}),
    cancelled: facts.cancelled,
    dryRun: false,
    ...(deps.source ? { source: deps.source } : {}),
    codedeploy: {
      application: deployment?.application ?? settings.codedeploy!.application,
      deploymentGroup: deployment?.deploymentGroup ?? settings.codedeploy!.deploymentGroup,
      deploymentId: facts.codedeployId,
      ...(deployment ? { deploymentConfig: deployment.deploymentConfig, status: deployment.status } : {}),
      ...(region ? { consoleUrl: codeDeployConsoleUrl(region, facts.codedeployId) } : {})
    }
  };
  return {
    result,
    timeline: recorder.timeline,
    observations: recorder.observations,
    hooks: recorder.hookOutcomes,
    warnings: recorder.warnings,
    plan: [`1. Watch CodeDeploy deployment ${facts.codedeployId} to its end (started by another step)`]
  };
}

function explain(error: unknown): string {
  if (error instanceof AccessDenied) {
    return `these credentials may not ${error.action}${error.resource ? ` on ${error.resource}` : ''} (add it to the role's policy; docs/iam.md lists every permission)`;
  }
  if (error instanceof AwsFailure) return error.message;
  return describeError(error);
}

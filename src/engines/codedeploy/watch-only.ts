import { plainFunctionName, qualifiedArn, unqualifiedArn } from '../../aws/arn.js';
import type { CodeDeployGateway, DeploymentView, LambdaTargetView } from '../../aws/codedeploy-gateway.js';
import { explainStepFailure } from '../../aws/failures.js';
import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import type { CodeDeployWatchSettings, Settings, TargetSettings } from '../../config/settings.js';
import { CODEDEPLOY_PREFIX, parseStrategy } from '../../config/strategy.js';
import type { Clock } from '../../core/clock.js';
import { FAILURE_REASON_MAX_CHARS } from '../../core/limits.js';
import type { RunContext } from '../../core/run-context.js';
import type { Strategy } from '../../core/schedule.js';
import { capText } from '../../core/text.js';
import type { FinalStatus } from '../../rollout/phases.js';
import type { Recorder } from '../../rollout/recorder.js';
import { deploymentReport, type DeploymentReport, type DeploymentResult, type DeploymentSnapshot } from '../../rollout/result.js';
import { CUSTOM_CONFIG_PREFIX, strategyOfConfig } from './deployment-config.js';
import { CODEDEPLOY_PHASE_TITLES } from './hand-over.js';
import { codeDeployConsoleUrl, codeDeployResult } from './result.js';
import type { CodeDeploySnapshot } from './snapshot.js';
import { watchDeployment, type WatchOutcome } from './watch.js';

/** What a watching step talks to. */
export interface WatchOnlyDeps {
  readonly codedeploy: CodeDeployGateway;
  /** To read the alias back once CodeDeploy is done with it. */
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  readonly source?: RunContext;
  /** Called at every phase change with what the post step needs to stop the deployment. */
  readonly onTransition?: (snapshot: DeploymentSnapshot<CodeDeploySnapshot>) => void;
  /** How long a cancelled job may take to stop the deployment; default 8 s. */
  readonly cancelledRollbackBudgetMs?: number;
}

/** The settings a watching step reads. */
export interface WatchOnlySettings extends Pick<Settings, 'strategy'> {
  readonly watch: CodeDeployWatchSettings;
  /** The function the step names: the deployment must be of it. */
  readonly target: Pick<TargetSettings, 'functionName' | 'alias'>;
  /** How often the deployment is read. */
  readonly pollIntervalMs: number;
}

/**
 * A step with `codedeploy-deployment-id`, its own entry beside the spine: it watches a deployment
 * CodeDeploy runs already (one that an earlier step handed over with `wait: false`) and reports it,
 * as the step that started it would have. No preflight, no publish: the function, alias and versions
 * are the deployment's own. While it watches, the deployment is this job's: cancelling the job stops
 * it (with automatic rollback), and so does the post step of a job that was killed.
 */
export async function watchExistingDeployment(
  deps: WatchOnlyDeps,
  settings: WatchOnlySettings,
  ownId: string,
  signal?: AbortSignal
): Promise<DeploymentReport> {
  const { recorder, clock, codedeploy } = deps;
  const { watch } = settings;
  const { deploymentId } = watch;
  const startedAt = clock.now();
  let view: { deployment?: DeploymentView; target?: LambdaTargetView } = {};
  let strategy: Strategy = settings.strategy;
  const save = (phase: 'watch' | FinalStatus, owed = false): void =>
    deps.onTransition?.({
      engine: 'codedeploy',
      codedeploy: {
        application: view.deployment?.application ?? watch.application,
        deploymentGroup: view.deployment?.deploymentGroup ?? watch.deploymentGroup,
        deploymentId,
        creating: false,
        marker: deploymentId,
        watching: true
      },
      phase,
      deploymentId: ownId,
      rollbackOwed: owed
    });
  const finish = (status: FinalStatus, reason?: string, outcome?: Partial<WatchOutcome>): DeploymentReport => {
    recorder.closeGroup();
    save(status, outcome?.stopOwed === true);
    const result = resultOf(deps, settings, {
      status,
      deploymentId: ownId,
      strategy,
      startedAtMs: view.deployment?.createdAtMs ?? startedAt,
      finishedAtMs: view.deployment?.completedAtMs ?? clock.now(),
      cancelled: outcome?.cancelled === true,
      ...(reason !== undefined ? { reason } : {}),
      ...view,
      ...(outcome?.deployment ? { deployment: outcome.deployment } : {}),
      ...(outcome?.target ? { target: outcome.target } : {})
    });
    return deploymentReport(
      result,
      [`1. Watch CodeDeploy deployment ${deploymentId} to its end (started by another step)`],
      recorder
    );
  };
  recorder.enterPhase('watch', CODEDEPLOY_PHASE_TITLES.watch);
  let deployment: DeploymentView;
  try {
    deployment = await codedeploy.getDeployment(deploymentId, signal);
    const target = await codedeploy.getLambdaTarget(deploymentId, signal);
    view = { deployment, ...(target ? { target } : {}) };
  } catch (error: unknown) {
    if (signal?.aborted)
      return finish('failed', `the step was cancelled before it read deployment ${deploymentId}`, { cancelled: true });
    return finish(
      'failed',
      capText(`cannot watch CodeDeploy deployment ${deploymentId}: ${explainStepFailure(error)}`, FAILURE_REASON_MAX_CHARS)
    );
  }
  const mismatch = functionMismatch(deploymentId, settings.target.functionName, view.target);
  if (mismatch) return finish('failed', mismatch);
  strategy = await strategyOf(codedeploy, deployment, settings.strategy, signal);
  const url = codedeploy.region ? codeDeployConsoleUrl(codedeploy.region, deploymentId) : undefined;
  recorder.event(
    `Watching CodeDeploy deployment ${deploymentId} (${deployment.application}/${deployment.deploymentGroup}, ` +
      `${deployment.deploymentConfig})` +
      (view.target
        ? `: alias ${view.target.alias} of ${view.target.functionName} from version ${view.target.currentVersion} to ${view.target.targetVersion}`
        : '') +
      (url ? `; ${url}` : '')
  );
  save('watch');
  const outcome = await watchDeployment(
    {
      codedeploy,
      lambda: deps.lambda,
      clock,
      recorder,
      pollMs: settings.pollIntervalMs,
      ...(deps.cancelledRollbackBudgetMs !== undefined ? { cancelledBudgetMs: deps.cancelledRollbackBudgetMs } : {})
    },
    { deploymentId, functionRef: settings.target.functionName, ...(url ? { consoleUrl: url } : {}) },
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
  const mine = plainFunctionName(functionName);
  const theirs = plainFunctionName(target.functionName);
  if (mine === theirs) return undefined;
  return (
    `CodeDeploy deployment ${deploymentId} deploys ${theirs}:${target.alias}, not function ${mine}: ` +
    `check codedeploy-deployment-id and function-name (nothing was watched or changed)`
  );
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
  readonly strategy: Strategy;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly cancelled: boolean;
  readonly reason?: string;
  readonly deployment?: DeploymentView;
  readonly target?: LambdaTargetView;
}

function resultOf(deps: WatchOnlyDeps, settings: WatchOnlySettings, facts: Facts): DeploymentResult {
  const { target, deployment } = facts;
  const { watch } = settings;
  const region = deps.codedeploy.region;
  const functionArn = target?.targetArn ? unqualifiedArn(target.targetArn) : undefined;
  return {
    status: facts.status,
    deploymentId: facts.deploymentId,
    targets: [
      {
        functionName: plainFunctionName(target?.functionName || settings.target.functionName),
        ...(functionArn ? { functionArn } : {}),
        alias: target?.alias || settings.target.alias,
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
    engine: codeDeployResult({
      application: deployment?.application ?? watch.application,
      deploymentGroup: deployment?.deploymentGroup ?? watch.deploymentGroup,
      deploymentId: watch.deploymentId,
      ...(deployment ? { deploymentConfig: deployment.deploymentConfig, status: deployment.status } : {}),
      ...(region ? { region } : {})
    })
  };
}

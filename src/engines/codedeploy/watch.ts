import { isEndStatus, type CodeDeployGateway, type DeploymentView, type LambdaTargetView } from '../../aws/codedeploy-gateway.js';
import { AccessDenied, explainStepFailure, ResourceNotFound } from '../../aws/failures.js';
import type { AliasRouting, LambdaGateway } from '../../aws/lambda-gateway.js';
import type { Clock } from '../../core/clock.js';
import { withDeadline } from '../../core/deadline.js';
import { stopAndSettle } from './stop.js';
import { describeError } from '../../core/errors.js';
import { FAILURE_REASON_MAX_CHARS } from '../../core/limits.js';
import { capText } from '../../core/text.js';
import type { Recorder } from '../../rollout/recorder.js';
import { describeRouting } from '../../alias/routing.js';

/**
 * Watching a deployment AWS CodeDeploy runs (`engine: codedeploy`): GetDeployment and the Lambda
 * target every poll, each lifecycle event and each weight logged once as CodeDeploy moves them,
 * and its end mapped onto this action's statuses. Cancelling the job stops the deployment with
 * automatic rollback. The watch has no time limit of its own: it ends when the deployment ends
 * (CodeDeploy's own limits apply); every call has its limit.
 */

/** What watching needs. */
export interface WatchDeps {
  readonly codedeploy: CodeDeployGateway;
  /** To read the alias back once CodeDeploy is done with it. */
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** How often the deployment is read. */
  readonly pollMs: number;
  /** How long a cancelled watch may take to stop the deployment and see it settle; default 8 s (the runner kills 10 s after SIGINT). */
  readonly cancelledBudgetMs?: number;
}

/** The deployment to watch. */
export interface Watched {
  readonly deploymentId: string;
  /** The function as Lambda calls name it, to read the alias back at the end. */
  readonly functionRef: string;
  /** Where a person watches it. */
  readonly consoleUrl?: string;
}

/** How a watched deployment ended, in this action's terms. */
export interface WatchOutcome {
  readonly status: 'succeeded' | 'rolled-back' | 'failed';
  /** Why it did not succeed (capped; quotes CodeDeploy: escape before display). */
  readonly reason?: string;
  readonly cancelled: boolean;
  /** StopDeployment did not get through after a cancellation: the post step must try again. */
  readonly stopOwed: boolean;
  /** The last view of the deployment, and of its Lambda target. */
  readonly deployment?: DeploymentView;
  readonly target?: LambdaTargetView;
}

/** A watch gives up after this long without one successful read (the deployment goes on in CodeDeploy). */
const MAX_BLIND_MS = 10 * 60_000;
/** How long the end of a deployment waits for CodeDeploy's rollback deployment to end. */
const ROLLBACK_WAIT_MS = 5 * 60_000;
/** How long reading the alias back may take. */
const ALIAS_READ_MS = 10_000;
const DEFAULT_CANCELLED_BUDGET_MS = 8_000;
/** Of a cancelled watch's budget, StopDeployment may take this much; the rest watches the stop settle. */
const STOP_CALL_MS = 5_000;
const SETTLE_POLL_MS = 250;

/**
 * Watches `watched` until CodeDeploy ends it. Never throws: a cancellation stops the deployment
 * (StopDeployment with automatic rollback) and says so; reads that keep failing end the watch
 * (never the deployment) after {@link MAX_BLIND_MS}; a read AWS refuses ends it at once.
 */
export async function watchDeployment(deps: WatchDeps, watched: Watched, signal?: AbortSignal): Promise<WatchOutcome> {
  const { clock, recorder } = deps;
  const log = new DeploymentLog(recorder, watched.deploymentId);
  let lastGoodRead = clock.now();
  let last: { deployment?: DeploymentView; target?: LambdaTargetView } = {};
  for (;;) {
    if (signal?.aborted) return stopOnCancel(deps, watched, log, signal, last);
    try {
      const deployment = await deps.codedeploy.getDeployment(watched.deploymentId, signal);
      const target = (await deps.codedeploy.getLambdaTarget(watched.deploymentId, signal)) ?? last.target;
      last = { deployment, ...(target ? { target } : {}) };
      lastGoodRead = clock.now();
      log.report(deployment, target);
      if (isEndStatus(deployment.status)) return await ended(deps, watched, log, deployment, target, signal);
    } catch (error: unknown) {
      if (signal?.aborted) return stopOnCancel(deps, watched, log, signal, last);
      const lost = lostSight(error, clock.now() - lastGoodRead);
      if (lost)
        return { status: 'failed', reason: capReason(`${lost}; ${goesOn(watched)}`), cancelled: false, stopOwed: false, ...last };
      recorder.warning(`Could not read CodeDeploy deployment ${watched.deploymentId} (${describeError(error)}); trying again`);
    }
    try {
      await clock.sleepUntil(clock.now() + deps.pollMs, signal);
    } catch {
      return stopOnCancel(deps, watched, log, signal, last);
    }
  }
}

/** Why the watch ends after a failed read, or undefined to read again. */
function lostSight(error: unknown, blindMs: number): string | undefined {
  if (error instanceof AccessDenied || error instanceof ResourceNotFound)
    return `cannot watch the deployment: ${explainStepFailure(error)}`;
  if (blindMs >= MAX_BLIND_MS) {
    return `lost sight of the deployment: no read succeeded for ${Math.round(blindMs / 60_000)} minutes (last: ${describeError(error)})`;
  }
  return undefined;
}

function goesOn(watched: Watched): string {
  return `it goes on in CodeDeploy, which stops and rolls it back by itself on an alarm or a failed hook${watched.consoleUrl ? `: ${watched.consoleUrl}` : ''}`;
}

/** The deployment ended: wait for CodeDeploy's rollback, if it made one, read the alias back, and say how it went. */
async function ended(
  deps: WatchDeps,
  watched: Watched,
  log: DeploymentLog,
  deployment: DeploymentView,
  target: LambdaTargetView | undefined,
  signal: AbortSignal | undefined
): Promise<WatchOutcome> {
  const rollbackId = deployment.rollback?.rollbackDeploymentId;
  const rollback = rollbackId ? await rollbackEnd(deps, rollbackId, signal) : undefined;
  await readAliasBack(deps, watched, target, log.trafficMoved);
  return {
    ...endOutcome(deployment, target, rollback, log.trafficMoved),
    cancelled: false,
    stopOwed: false,
    deployment,
    ...(target ? { target } : {})
  };
}

/**
 * This action's status for a deployment CodeDeploy ended. Succeeded is `succeeded`. Failed or
 * Stopped is `failed` when no traffic had moved (nothing to roll back) or when nothing rolled it
 * back, and `rolled-back` when CodeDeploy's rollback deployment put the alias back.
 */
export function endOutcome(
  deployment: DeploymentView,
  target: LambdaTargetView | undefined,
  rollback: DeploymentView | undefined,
  trafficMoved: boolean
): { status: WatchOutcome['status']; reason?: string } {
  if (deployment.status === 'Succeeded') return { status: 'succeeded' };
  const why = endReason(deployment, target);
  const rollbackId = deployment.rollback?.rollbackDeploymentId;
  if (!trafficMoved) return { status: 'failed', reason: capReason(`${why}; no traffic had reached the new version`) };
  if (!rollbackId) {
    const where = target
      ? `alias ${target.alias} may still send traffic to version ${target.targetVersion}`
      : 'the alias may still be split';
    return {
      status: 'failed',
      reason: capReason(`${why}; CodeDeploy did not roll it back (automatic rollback is off), so ${where}`)
    };
  }
  if (rollback && rollback.status !== 'Succeeded') {
    const state = isEndStatus(rollback.status) ? `ended ${rollback.status}` : `is still ${rollback.status}`;
    const error = rollback.error ? `: ${rollback.error.code}: ${rollback.error.message}` : '';
    return { status: 'failed', reason: capReason(`${why}; CodeDeploy's rollback deployment ${rollbackId} ${state}${error}`) };
  }
  return { status: 'rolled-back', reason: capReason(`${why}; CodeDeploy rolled it back (deployment ${rollbackId})`) };
}

/** CodeDeploy's reason, with the alarm named when one stopped it, and the failed event's diagnostics. */
function endReason(deployment: DeploymentView, target: LambdaTargetView | undefined): string {
  const { error } = deployment;
  const verb = deployment.status === 'Stopped' ? 'stopped' : deployment.status === 'Failed' ? 'failed' : deployment.status;
  if (error?.code === 'ALARM_ACTIVE') {
    const names = /Activated alarms?:\s*(.+?)\.?\s*$/.exec(error.message)?.[1];
    if (names) {
      return `alarm ${names} ${names.includes(',') ? 'are' : 'is'} in ALARM (CodeDeploy ${verb} deployment ${deployment.deploymentId}: ALARM_ACTIVE)`;
    }
  }
  const base = `CodeDeploy deployment ${deployment.deploymentId} ${verb}${error ? `: ${error.code}: ${error.message}` : ''}`;
  // The failed event's diagnostics, unless CodeDeploy's message already tells of that event.
  const failed = target?.lifecycleEvents.find((event) => event.status === 'Failed' && event.diagnostics);
  return failed && !error?.message.includes(failed.name) ? `${base} (${failed.name}: ${failed.diagnostics})` : base;
}

/** Reads CodeDeploy's rollback deployment until it ends (it is quick: the alias goes back at once). */
async function rollbackEnd(
  deps: WatchDeps,
  rollbackId: string,
  signal: AbortSignal | undefined
): Promise<DeploymentView | undefined> {
  const { clock } = deps;
  const until = clock.now() + ROLLBACK_WAIT_MS;
  let last: DeploymentView | undefined;
  for (;;) {
    try {
      last = await deps.codedeploy.getDeployment(rollbackId, signal);
      if (isEndStatus(last.status) || clock.now() >= until) return last;
    } catch (error: unknown) {
      if (signal?.aborted || clock.now() >= until) return last;
      deps.recorder.warning(
        `Could not read CodeDeploy's rollback deployment ${rollbackId} (${describeError(error)}); trying again`
      );
    }
    try {
      await clock.sleepUntil(clock.now() + deps.pollMs, signal);
    } catch {
      return last;
    }
  }
}

/** Reads the alias back from Lambda and says where its traffic is (best effort: a failed read is a warning). */
async function readAliasBack(
  deps: WatchDeps,
  watched: Watched,
  target: LambdaTargetView | undefined,
  moved: boolean
): Promise<void> {
  if (!target?.alias) return;
  try {
    const alias = await withDeadline(deps.clock, ALIAS_READ_MS, `reading alias ${target.alias}`, undefined, (s) =>
      deps.lambda.getAlias(watched.functionRef, target.alias, s)
    );
    if (!alias) return deps.recorder.warning(`alias ${target.alias} was not found when read back from Lambda`);
    deps.recorder.event(
      `Alias ${target.alias} routes ${describeRouting(alias)} (read back from Lambda)`,
      moved ? shareOf(alias, target.targetVersion) : undefined
    );
  } catch (error: unknown) {
    deps.recorder.warning(`Could not read alias ${target.alias} back from Lambda: ${describeError(error)}`);
  }
}

/**
 * The job was cancelled while CodeDeploy runs the deployment: StopDeployment with automatic
 * rollback, then a short look at it settling, all within the runner's last seconds.
 */
export async function stopOnCancel(
  deps: WatchDeps,
  watched: Watched,
  log: DeploymentLog,
  signal: AbortSignal | undefined,
  last: { deployment?: DeploymentView; target?: LambdaTargetView }
): Promise<WatchOutcome> {
  const { recorder } = deps;
  const id = watched.deploymentId;
  const why = `the deployment was cancelled during watch (${String(signal?.reason ?? 'aborted')})`;
  recorder.event(`Cancelled: stopping CodeDeploy deployment ${id} with automatic rollback (StopDeployment)`);
  const settled = await stopAndSettle(deps, id, {
    budgetMs: deps.cancelledBudgetMs ?? DEFAULT_CANCELLED_BUDGET_MS,
    stopCallMs: STOP_CALL_MS,
    pollMs: SETTLE_POLL_MS,
    readTarget: (deployment, target) => log.report(deployment, target),
    last
  });
  if (!settled.stopped) {
    const reason = `${why}, and StopDeployment of CodeDeploy deployment ${id} failed: ${explainStepFailure(settled.error)}. The post step of this job will try again`;
    return { status: 'failed', reason: capReason(reason), cancelled: true, stopOwed: true, ...last };
  }
  const { stop, deployment, target, ended } = settled;
  const seen = { ...(deployment ? { deployment } : {}), ...(target ? { target } : {}) };
  if (stop.kind === 'already-ended' && ended) {
    const end = endOutcome(ended, target, undefined, log.trafficMoved);
    recorder.event(`CodeDeploy deployment ${id} had already ended ${ended.status} when the job was cancelled`);
    return {
      ...end,
      ...(end.reason ? { reason: capReason(`${why}; ${end.reason}`) } : {}),
      cancelled: true,
      stopOwed: false,
      ...seen
    };
  }
  if (!log.trafficMoved) {
    return {
      status: 'failed',
      reason: capReason(`${why}: CodeDeploy deployment ${id} was stopped before any traffic reached the new version`),
      cancelled: true,
      stopOwed: false,
      ...seen
    };
  }
  const rollbackId = deployment?.rollback?.rollbackDeploymentId;
  const reason = ended
    ? `${why}: CodeDeploy deployment ${id} was stopped${rollbackId ? ` and rolled back (deployment ${rollbackId})` : ' with automatic rollback'}`
    : `${why}: CodeDeploy accepted StopDeployment of deployment ${id} with automatic rollback (${stop.kind === 'stopping' ? stop.status : 'ended'}) and finishes the rollback by itself`;
  recorder.event(
    ended
      ? `CodeDeploy deployment ${id} is ${ended.status}${rollbackId ? `, rolled back by ${rollbackId}` : ''}`
      : `StopDeployment accepted: CodeDeploy rolls back by itself`,
    0
  );
  return { status: 'rolled-back', reason: capReason(reason), cancelled: true, stopOwed: false, ...seen };
}

/** The share of an alias's traffic `version` gets, in percent. */
function shareOf(alias: AliasRouting, version: string): number {
  const extra = alias.additional ? Math.round(alias.additional.weight * 10_000) / 100 : 0;
  if (alias.additional?.version === version) return extra;
  return alias.version === version ? Math.round((100 - extra) * 100) / 100 : 0;
}

function capReason(text: string): string {
  return capText(text, FAILURE_REASON_MAX_CHARS);
}

/**
 * The log of a watched deployment: its status, each lifecycle event and each weight, each logged
 * once when it changes (the timeline gets the events and the weights).
 */
export class DeploymentLog {
  /** Some traffic reached the target version (a weight above 0 was seen, or AllowTraffic began). */
  trafficMoved = false;
  private status?: string;
  private weight = 0;
  private readonly events = new Map<string, string>();

  constructor(
    private readonly recorder: Recorder,
    private readonly deploymentId: string
  ) {}

  report(deployment: DeploymentView, target: LambdaTargetView | undefined): void {
    if (deployment.status !== this.status) {
      this.status = deployment.status;
      this.recorder.detail(`CodeDeploy deployment ${this.deploymentId} is ${deployment.status}`);
    }
    if (!target) return;
    // In the order things happen: events that began, a shift forward, events that ended, a shift back.
    const changed = target.lifecycleEvents.filter((event) => this.events.get(event.name) !== event.status);
    const back = target.weightPercent !== undefined && target.weightPercent < this.weight;
    for (const event of changed.filter((e) => e.status === 'InProgress')) this.reportEvent(event);
    if (!back) this.reportWeight(target);
    for (const event of changed.filter((e) => e.status !== 'InProgress')) this.reportEvent(event);
    if (back) this.reportWeight(target);
  }

  private reportEvent(event: LambdaTargetView['lifecycleEvents'][number]): void {
    const first = !this.events.has(event.name);
    this.events.set(event.name, event.status);
    if (first && event.status === 'Pending') return;
    if (event.name === 'AllowTraffic' && ['InProgress', 'Succeeded', 'Failed'].includes(event.status)) this.trafficMoved = true;
    const diagnostics = event.diagnostics ? `: ${event.diagnostics}` : '';
    this.recorder.event(`Lifecycle event ${event.name}: ${event.status}${diagnostics}`);
  }

  private reportWeight(target: LambdaTargetView): void {
    const weight = target.weightPercent;
    if (weight === undefined || weight === this.weight) return;
    if (weight > 0) this.trafficMoved = true;
    const before = this.weight;
    this.weight = weight;
    this.recorder.event(
      weight >= 100
        ? `CodeDeploy routes all of alias ${target.alias}'s traffic to version ${target.targetVersion}`
        : weight === 0 && before > 0
          ? `All of alias ${target.alias}'s traffic is back on version ${target.currentVersion}`
          : `CodeDeploy routes ${weight}% of alias ${target.alias}'s traffic to version ${target.targetVersion}`,
      weight
    );
  }
}

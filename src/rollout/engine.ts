import { qualifiedArn } from '../aws/arn.js';
import { AccessDenied, AwsFailure, mayHaveApplied, UpdateInProgress } from '../aws/failures.js';
import type {
  AliasRouting,
  AliasState,
  FunctionInfo,
  FunctionReadiness,
  LambdaGateway,
  PublishedVersion
} from '../aws/lambda-gateway.js';
import type { Settings } from '../config/settings.js';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { describeError, isAbort } from '../core/errors.js';
import { capText } from '../core/text.js';
import type { RunContext } from '../github/context.js';
import { hookPayload } from '../hooks/payload.js';
import type { HookPayload, LifecycleEvent, TrafficHook } from '../hooks/traffic-hook.js';
import { AliasConflict, AliasWriter } from './alias-writer.js';
import { bake } from './bake.js';
import type { BakeCheck } from './checks.js';
import { RolloutFailure } from './failure.js';
import { isFinal, type ActivePhase, type FinalStatus, type Phase } from './phases.js';
import { PollLog } from './poll-log.js';
import { runPreflight } from './preflight.js';
import type { Recorder } from './recorder.js';
import { restoreAlias } from './restore.js';
import { planRollback, type RollbackAction } from './rollback-plan.js';
import type { DeploymentResult, DeploymentSnapshot } from './result.js';
import { describeRouting, splitRouting } from './routing.js';

/** Everything the engine talks to; tests hand in fakes or SDK-mocked gateways and a fake clock. */
export interface EngineDeps {
  readonly lambda: LambdaGateway;
  readonly checks: readonly BakeCheck[];
  readonly hooks: { readonly before: readonly TrafficHook[]; readonly after: readonly TrafficHook[] };
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** The workflow run this deployment comes from (commit, ref, actor, run URL), for hooks and the summary. */
  readonly source?: RunContext;
  /**
   * Called at every phase change, and just before the alias is first changed, with what a later
   * process (the post step) needs to finish the job.
   */
  readonly onTransition?: (snapshot: DeploymentSnapshot) => void;
  /** How long rollback keeps retrying before it gives up and prints the manual fix. */
  readonly rollbackBudgetMs?: number;
  /**
   * The same after a cancellation: shorter, because the runner kills the process 10 s after its
   * SIGINT; the post step finishes the job if this runs out.
   */
  readonly cancelledRollbackBudgetMs?: number;
}

/** Check reads that may fail in a row before the rollout stops trusting them. */
const MAX_CHECK_ERRORS = 3;
/** A poll of the checks may take this long (or one poll interval, if longer) before it counts as failed. */
const MIN_POLL_LIMIT_MS = 10_000;
const DEFAULT_ROLLBACK_BUDGET_MS = 60_000;
/** PublishVersion attempts when an update of the function keeps starting in between. */
const MAX_PUBLISH_ATTEMPTS = 3;
/** Pause before waiting for the function again after PublishVersion met an update in progress. */
const PUBLISH_RETRY_PAUSE_MS = 2_000;
const DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS = 6_000;
/** Failure reasons go into outputs and annotations: keep them readable. */
const MAX_REASON_CHARS = 1000;

/** Runs one deployment from preflight to a final status. Never throws: failures become results. */
export async function deploy(
  deps: EngineDeps,
  settings: Settings,
  deploymentId: string,
  signal?: AbortSignal
): Promise<DeploymentResult> {
  return new Rollout(deps, settings, deploymentId).run(signal);
}

/** The mutable state of one deployment, advanced phase by phase. */
class Rollout {
  private phase: Phase = 'preflight';
  private fn?: FunctionInfo;
  /** The alias as Lambda last confirmed it to us; undefined when a write's outcome is unknown. */
  private alias?: AliasState;
  /** The alias existed before the deployment (so there is something to shift from). */
  private aliasExisted = false;
  private previousVersion?: string;
  private target?: PublishedVersion;
  /** A write was applied, or sent with an unknown outcome: undoing may be needed. */
  private aliasTouched = false;
  /** A write was confirmed applied. */
  private aliasWritten = false;
  private aliasCreated = false;
  private rollbackOwed = false;
  private readonly startedAt: number;
  private readonly pollLog: PollLog;

  constructor(
    private readonly deps: EngineDeps,
    private readonly settings: Settings,
    private readonly deploymentId: string
  ) {
    this.startedAt = deps.clock.now();
    this.pollLog = new PollLog(deps.recorder, deps.clock);
  }

  async run(signal?: AbortSignal): Promise<DeploymentResult> {
    try {
      return await this.advance(signal);
    } catch (error: unknown) {
      const cancelled = signal?.aborted === true || isAbort(error);
      const reason = capText(
        cancelled ? `the deployment was cancelled during ${this.phase} (${String(signal?.reason ?? 'aborted')})` : this.explain(error),
        MAX_REASON_CHARS
      );
      if (error instanceof AliasConflict) {
        // Another actor owns the alias now: undoing "our" change would overwrite theirs.
        this.deps.recorder.event(`Stopped without touching the alias again: ${reason}`);
        return this.finish('failed', reason);
      }
      return await this.rollBack(reason, cancelled, signal);
    } finally {
      this.deps.recorder.closeGroup();
    }
  }

  private async advance(signal?: AbortSignal): Promise<DeploymentResult> {
    await this.preflight(signal);
    if (this.settings.dryRun) {
      this.deps.recorder.event(
        `Dry run: every preflight check passed; nothing was changed. A real run would publish a new version and ` +
          `move ${this.settings.alias} ${this.aliasExisted ? `from version ${this.previousVersion}` : '(created)'} to it.`
      );
      return this.finish('skipped');
    }
    await this.publish(signal);
    if (this.alias && !this.alias.additional && this.alias.version === this.target?.version) {
      this.deps.recorder.event(
        `Version ${this.alias.version} is already live on ${this.settings.alias}: the function has not changed since it ` +
          'was published, so Lambda gave that version back and there is nothing to deploy.'
      );
      return this.finish('skipped');
    }
    this.deps.recorder.event(`Published version ${this.requireTarget().version} (${this.requireTarget().arn})`);
    await this.runHooks('pre-traffic-hook', 'BeforeAllowTraffic', this.deps.hooks.before, signal);
    await this.checkBeforeFirstShift(signal);
    await this.shift(signal);
    await this.promote(signal);
    await this.runHooks('post-traffic-hook', 'AfterAllowTraffic', this.deps.hooks.after, signal);
    await this.finalCheck(signal);
    return this.finish('succeeded');
  }

  private async preflight(signal?: AbortSignal): Promise<void> {
    this.enter('preflight');
    const { hooks } = this.deps;
    if (this.deps.checks.length === 0) this.deps.recorder.warning('no alarms given: nothing will stop a bad version while it bakes');
    const report = await runPreflight({ ...this.deps, hooks: [...hooks.before, ...hooks.after] }, this.settings, signal);
    this.fn = report.fn;
    this.alias = report.alias;
    this.aliasExisted = report.alias !== undefined;
    this.previousVersion = report.alias?.version;
    const repair = report.alias?.additional !== undefined && this.settings.onSplitAlias === 'rollback';
    if (repair && report.fn) await this.repairSplit(report.alias!);
    if (report.problems.length > 0) {
      const changed = repair && !this.settings.dryRun ? 'only the split alias was restored' : 'nothing was changed';
      throw new RolloutFailure(`preflight refused the deployment, ${changed}: ${report.problems.join('; ')}`);
    }
  }

  /**
   * `on-split-alias: rollback`: an interrupted deployment left the alias split; put it back on its
   * main version (the one that had the rest of the traffic) before this deployment starts.
   */
  private async repairSplit(split: AliasState): Promise<void> {
    const { recorder, lambda } = this.deps;
    const found = `alias ${split.name} is split (${describeRouting(split)}), as an interrupted deployment leaves it`;
    if (this.settings.dryRun) {
      recorder.event(`Dry run: ${found}; on-split-alias is rollback, so a real run would put it back on version ${split.version}`);
      return;
    }
    const restored = await restoreAlias({
      lambda,
      clock: this.deps.clock,
      recorder,
      functionRef: this.requireFunction().arn,
      alias: split.name,
      targetVersion: split.additional!.version,
      known: split,
      action: { kind: 'restore', routing: { version: split.version } },
      budgetMs: this.deps.rollbackBudgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS
    });
    if (!restored.ok) throw new RolloutFailure(`${found}, and it could not be restored: ${restored.problem}`);
    this.alias = restored.alias;
    recorder.event(`The ${found}; on-split-alias is rollback, so it now routes ${describeRouting(restored.alias)}`);
  }

  /**
   * Waits until the function can take a new version (Active, no update in progress), then publishes.
   * An update that starts in between makes Lambda refuse the publish: wait again, a few times.
   */
  private async publish(signal?: AbortSignal): Promise<void> {
    this.enter('publish');
    const { lambda, recorder, clock } = this.deps;
    const fn = this.requireFunction();
    // Undefined once PublishVersion found the function busy: its state is not known until waited for.
    let readiness: FunctionReadiness | undefined = fn.readiness;
    for (let attempt = 1; ; attempt++) {
      if (!readiness || readiness.state !== 'Active' || readiness.lastUpdateStatus !== 'Successful') {
        recorder.detail(`Waiting for ${fn.name} to be ready for a new version: ${describeReadiness(readiness)}`);
        await lambda.waitUntilReady(fn.arn, signal);
      }
      try {
        this.target = await lambda.publishVersion(
          fn.arn,
          { description: this.settings.versionDescription, codeSha256: this.settings.codeSha256 },
          signal
        );
        break;
      } catch (error: unknown) {
        if (!(error instanceof UpdateInProgress) || attempt >= MAX_PUBLISH_ATTEMPTS) throw error;
        recorder.warning(
          `PublishVersion was refused while the function was busy (${error.message}); waiting for it again ` +
            `(attempt ${attempt + 1} of ${MAX_PUBLISH_ATTEMPTS})`
        );
        await clock.sleepUntil(clock.now() + PUBLISH_RETRY_PAUSE_MS * attempt, signal);
        readiness = undefined;
      }
    }
    if (this.target.state !== 'Active') await lambda.waitUntilVersionActive(fn.arn, this.target.version, signal);
  }

  private async runHooks(
    phase: ActivePhase,
    event: LifecycleEvent,
    hooks: readonly TrafficHook[],
    signal?: AbortSignal
  ): Promise<void> {
    if (hooks.length === 0) return;
    this.enter(phase);
    for (const hook of hooks) {
      const outcome = await hook.run(this.hookPayload(event), signal);
      this.deps.recorder.recordHook(outcome);
      if (!outcome.passed) throw new RolloutFailure(`${event} hook ${hook.label} failed: ${outcome.reason}`);
      this.deps.recorder.event(`${event} hook ${hook.label} passed in ${formatDuration(outcome.durationMs)}`);
    }
  }

  /**
   * The checks were last read in the preflight, and a pre-traffic hook can take minutes: read them
   * once more right before any traffic moves, and move none if one says no.
   */
  private async checkBeforeFirstShift(signal?: AbortSignal): Promise<void> {
    if (this.deps.checks.length === 0) return;
    this.enter('shift');
    await this.bakeUntil(this.deps.clock.now(), 0, signal);
  }

  private async shift(signal?: AbortSignal): Promise<void> {
    const steps = this.settings.strategy.steps;
    if (steps.length === 0) return;
    if (this.phase !== 'shift') this.enter('shift'); // the check before the first shift may have entered it
    const { clock, recorder } = this.deps;
    const previous = this.previousVersion;
    const target = this.requireTarget();
    if (!this.aliasExisted || previous === undefined) {
      recorder.event('First deployment: there is no previous version to shift from, so the alias starts on the new version.');
      return;
    }
    // Deadlines count from the first shift, not from each step's start, so drift cannot add up.
    let deadline = clock.now();
    for (const [index, step] of steps.entries()) {
      await this.setRouting(splitRouting(previous, target.version, step.weightPercent), signal);
      recorder.event(
        `Step ${index + 1}/${steps.length}: ${step.weightPercent}% of traffic on version ${target.version}, ` +
          `baking for ${formatDuration(step.bakeMs)}`,
        step.weightPercent
      );
      deadline += step.bakeMs;
      await this.bakeUntil(deadline, step.weightPercent, signal);
    }
  }

  /** Watches the checks until `deadline`; an unhealthy verdict ends the rollout. */
  private async bakeUntil(deadline: number, weightPercent: number, signal?: AbortSignal): Promise<void> {
    const { clock } = this.deps;
    const intervalMs = this.settings.alarmPollIntervalMs;
    const outcome = await bake({
      checks: this.deps.checks,
      clock,
      stepStart: clock.now(),
      deadline,
      intervalMs,
      maxCheckErrors: MAX_CHECK_ERRORS,
      pollLimitMs: Math.max(intervalMs, MIN_POLL_LIMIT_MS),
      weightPercent,
      signal,
      onObservation: (observation) => this.pollLog.record(observation)
    });
    if (!outcome.healthy) throw new RolloutFailure(outcome.reason);
  }

  private async promote(signal?: AbortSignal): Promise<void> {
    this.enter('promote');
    const target = this.requireTarget();
    if (this.aliasExisted) {
      await this.setRouting({ version: target.version }, signal);
    } else {
      await this.writeAlias(() => this.aliasWriter().create(target.version, signal), true);
    }
    this.deps.recorder.event(`Alias ${this.settings.alias} now sends 100% of traffic to version ${target.version}`, 100);
  }

  /** One last look at the checks once all traffic is on the new version and the hook has run. */
  private async finalCheck(signal?: AbortSignal): Promise<void> {
    if (this.deps.checks.length === 0) return;
    await this.bakeUntil(this.deps.clock.now(), 100, signal);
  }

  private async setRouting(routing: AliasRouting, signal?: AbortSignal): Promise<void> {
    const current = this.alias;
    if (!current) throw new Error('internal: the alias was not read back after a write whose outcome is unknown');
    await this.writeAlias(() => this.aliasWriter().update(current, routing, signal), false);
  }

  /**
   * Sends one alias write and keeps track of what it may have done: the post step is told before it
   * is sent; a write AWS refused changed nothing; a write whose answer never came (time-out,
   * cancellation, dropped connection) may have changed the alias, which must then be read back.
   */
  private async writeAlias(write: () => Promise<AliasState>, creates: boolean): Promise<void> {
    const wasTouched = this.aliasTouched;
    const wasCreated = this.aliasCreated;
    this.aliasTouched = true;
    if (creates) this.aliasCreated = true;
    if (!wasTouched || this.aliasCreated !== wasCreated) this.saveSnapshot();
    try {
      this.alias = await write();
      this.aliasWritten = true;
    } catch (error: unknown) {
      if (mayHaveApplied(error)) {
        this.alias = undefined;
      } else if (!this.aliasWritten) {
        this.aliasTouched = wasTouched;
        this.aliasCreated = wasCreated;
        this.saveSnapshot();
      }
      throw error;
    }
  }

  private aliasWriter(): AliasWriter {
    return new AliasWriter(this.deps.lambda, this.requireFunction().arn, this.settings.alias);
  }

  private async rollBack(reason: string, cancelled: boolean, signal?: AbortSignal): Promise<DeploymentResult> {
    const action = planRollback({
      aliasTouched: this.aliasTouched,
      previousVersion: this.previousVersion,
      aliasCreated: this.aliasCreated
    });
    const { recorder } = this.deps;
    if (action.kind === 'none' || !this.fn || !this.target) {
      recorder.event(`Stopped before any traffic reached a new version: ${reason}`);
      return this.finish('failed', reason, cancelled);
    }
    this.enter('rollback');
    recorder.event(`Rolling back: ${reason}`);
    const restored = await restoreAlias({
      lambda: this.deps.lambda,
      clock: this.deps.clock,
      recorder,
      functionRef: this.fn.arn,
      alias: this.settings.alias,
      targetVersion: this.target.version,
      known: this.alias,
      action,
      budgetMs: this.deps.rollbackBudgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS,
      ...(signal
        ? { cancellation: { signal, budgetMs: this.deps.cancelledRollbackBudgetMs ?? DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS } }
        : {})
    });
    if (restored.ok) {
      recorder.event(describeRestored(action, this.settings.alias, restored.alias), 0);
      return this.finish('rolled-back', reason, cancelled);
    }
    this.rollbackOwed = restored.owed;
    const owed = restored.owed ? ' The post step of this job will try again.' : '';
    return this.finish('failed', `${reason}; then the rollback failed: ${restored.problem}.${owed}`, cancelled, restored.manualFix);
  }

  private finish(status: FinalStatus, failureReason?: string, cancelled = false, manualFix?: string): DeploymentResult {
    this.enter(status);
    const published = this.target !== undefined && status !== 'skipped';
    return {
      status,
      deploymentId: this.deploymentId,
      functionName: this.fn?.name ?? this.settings.functionName,
      functionArn: this.fn?.arn,
      alias: this.settings.alias,
      aliasArn: this.alias?.arn ?? (this.fn ? qualifiedArn(this.fn.arn, this.settings.alias) : undefined),
      version: this.target?.version,
      published,
      previousVersion: this.previousVersion,
      strategy: this.settings.strategy,
      startedAtMs: this.startedAt,
      finishedAtMs: this.deps.clock.now(),
      failureReason,
      cancelled,
      dryRun: this.settings.dryRun,
      manualFix,
      source: this.deps.source
    };
  }

  private enter(phase: Phase): void {
    this.phase = phase;
    if (isFinal(phase)) this.deps.recorder.closeGroup();
    else this.deps.recorder.enterPhase(phase);
    this.saveSnapshot();
  }

  private saveSnapshot(): void {
    this.deps.onTransition?.({
      phase: this.phase,
      deploymentId: this.deploymentId,
      functionName: this.fn?.name ?? this.settings.functionName,
      functionRef: this.fn?.arn ?? this.settings.functionName,
      alias: this.settings.alias,
      previousVersion: this.previousVersion,
      targetVersion: this.target?.version,
      aliasTouched: this.aliasTouched,
      aliasCreated: this.aliasCreated,
      rollbackOwed: this.rollbackOwed
    });
  }

  private hookPayload(lifecycleEvent: LifecycleEvent): HookPayload {
    const fn = this.requireFunction();
    return hookPayload(
      {
        deploymentId: this.deploymentId,
        functionName: fn.name,
        functionArn: fn.arn,
        alias: this.settings.alias,
        previousVersion: this.previousVersion,
        target: this.requireTarget(),
        strategy: this.settings.strategy.name,
        source: this.deps.source
      },
      lifecycleEvent
    );
  }

  private explain(error: unknown): string {
    if (error instanceof RolloutFailure) return error.message;
    if (error instanceof AccessDenied) {
      return (
        `${this.phase} stopped: these credentials may not ${error.action}` +
        `${error.resource ? ` on ${error.resource}` : ''} (add it to the role's policy; the README lists every permission). ` +
        `AWS said: ${error.message}`
      );
    }
    if (error instanceof AwsFailure) return `${this.phase} stopped: ${error.message}`;
    return `error during ${this.phase}: ${describeError(error)}`;
  }

  private requireFunction(): FunctionInfo {
    if (!this.fn) throw new Error('internal: the function has not been resolved');
    return this.fn;
  }

  private requireTarget(): PublishedVersion {
    if (!this.target) throw new Error('internal: no version has been published');
    return this.target;
  }
}

/** `State Pending (Creating: The function is being created.)`: only what is not ready, with AWS's reason. */
function describeReadiness(readiness: FunctionReadiness | undefined): string {
  if (!readiness) return 'it was busy when PublishVersion was sent';
  const parts = [
    readiness.state !== 'Active' ? `State ${readiness.state}` : undefined,
    readiness.lastUpdateStatus !== 'Successful' ? `LastUpdateStatus ${readiness.lastUpdateStatus}` : undefined
  ].filter((part): part is string => part !== undefined);
  const what = parts.join(', ');
  return readiness.reason ? `${what} (${readiness.reason})` : what;
}

/** What the alias is now, as Lambda answered the rollback (never what we merely meant it to be). */
function describeRestored(action: RollbackAction, alias: string, readBack: AliasState | undefined): string {
  if (action.kind === 'delete-alias') return `Deleted the alias ${alias}, which this deployment had created`;
  return `Alias ${alias} is back: Lambda reports it routes ${describeRouting(readBack)}`;
}

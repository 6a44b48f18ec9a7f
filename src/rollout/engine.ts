import type { AliasRouting, AliasState, FunctionInfo, LambdaGateway, PublishedVersion } from '../aws/lambda-gateway.js';
import { describeError, errorName, isAbort } from '../aws/errors.js';
import type { Settings } from '../config/settings.js';
import { formatDuration } from '../config/duration.js';
import { qualifiedArn } from '../aws/arn.js';
import type { HookPayload, LifecycleEvent, TrafficHook } from '../hooks/traffic-hook.js';
import { hookPayload } from '../hooks/payload.js';
import type { RunContext } from '../github/context.js';
import { capText } from '../report/text.js';
import { bake } from './bake.js';
import { PollLog } from './poll-log.js';
import type { BakeCheck } from './checks.js';
import type { Clock } from './clock.js';
import { runPreflight } from './preflight.js';
import type { Recorder } from './recorder.js';
import { isFinal, type ActivePhase, type FinalStatus, type Phase } from './phases.js';
import { restoreAlias } from './restore.js';
import { planRollback, type RollbackAction } from './rollback-plan.js';
import { RolloutFailure } from './failure.js';
import { AliasConflict, AliasWriter } from './alias-writer.js';
import { describeRouting, splitRouting } from './routing.js';
import type { DeploymentResult, DeploymentSnapshot } from './result.js';

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
const DEFAULT_ROLLBACK_BUDGET_MS = 60_000;
/** PublishVersion attempts when an update of the function keeps starting in between. */
const MAX_PUBLISH_ATTEMPTS = 3;
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
  /** The alias as last read or written by us. */
  private alias?: AliasState;
  private previousVersion?: string;
  private target?: PublishedVersion;
  private aliasTouched = false;
  private aliasCreated = false;
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
      const reason = cancelled
        ? `the deployment was cancelled during ${this.phase} (${String(signal?.reason ?? 'aborted')})`
        : this.explain(error);
      if (error instanceof AliasConflict) {
        // Another actor owns the alias now: undoing "our" change would overwrite theirs.
        this.deps.recorder.event(`Stopped without touching the alias again: ${reason}`);
        return this.finish('failed', capText(reason, MAX_REASON_CHARS));
      }
      return await this.rollBack(capText(reason, MAX_REASON_CHARS), cancelled);
    } finally {
      this.deps.recorder.closeGroup();
    }
  }

  private async advance(signal?: AbortSignal): Promise<DeploymentResult> {
    await this.preflight(signal);
    if (this.settings.dryRun) {
      this.deps.recorder.event('Dry run: every preflight check passed; nothing was changed.');
      return this.finish('skipped');
    }
    await this.publish(signal);
    if (this.alias && !this.alias.additional && this.alias.version === this.target?.version) {
      this.deps.recorder.event(`Version ${this.alias.version} is already live on ${this.settings.alias}: nothing to do.`);
      return this.finish('skipped');
    }
    await this.runHooks('pre-traffic-hook', 'BeforeAllowTraffic', this.deps.hooks.before, signal);
    await this.shift(signal);
    await this.promote(signal);
    await this.runHooks('post-traffic-hook', 'AfterAllowTraffic', this.deps.hooks.after, signal);
    await this.finalCheck(signal);
    return this.finish('succeeded');
  }

  private async preflight(signal?: AbortSignal): Promise<void> {
    this.enter('preflight');
    const report = await runPreflight(this.deps, this.settings, signal);
    this.fn = report.fn;
    this.alias = report.alias;
    this.previousVersion = report.alias?.version;
    const repair = report.alias?.additional !== undefined && this.settings.onSplitAlias === 'rollback';
    if (repair) await this.repairSplit(report.alias!);
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
      functionName: this.requireFunction().name,
      alias: split.name,
      targetVersion: split.additional!.version,
      known: split,
      action: { kind: 'restore', routing: { version: split.version } },
      budgetMs: this.deps.rollbackBudgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS
    });
    if (!restored.ok) throw new RolloutFailure(`${found}, and it could not be restored: ${restored.problem}`);
    this.alias = await lambda.getAlias(this.requireFunction().name, split.name);
    recorder.event(`The ${found}; on-split-alias is rollback, so it now sends 100% to version ${split.version}`);
  }

  private async publish(signal?: AbortSignal): Promise<void> {
    this.enter('publish');
    const { lambda, recorder } = this.deps;
    const fn = this.requireFunction();
    for (let attempt = 1; ; attempt++) {
      recorder.detail(`Waiting for any update of ${fn.name} to finish`);
      await lambda.waitUntilUpdated(fn.name, signal);
      try {
        this.target = await lambda.publishVersion(
          fn.name,
          { description: this.settings.versionDescription, codeSha256: this.settings.codeSha256 },
          signal
        );
        break;
      } catch (error: unknown) {
        // Another update started between the wait and the publish: wait for it too.
        if (errorName(error) !== 'ResourceConflictException' || attempt >= MAX_PUBLISH_ATTEMPTS) throw error;
        recorder.warning(`PublishVersion met an update in progress (${describeError(error)}); waiting again`);
      }
    }
    await lambda.waitUntilVersionActive(fn.name, this.target.version, signal);
    recorder.event(`Published version ${this.target.version} (${this.target.arn})`);
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

  private async shift(signal?: AbortSignal): Promise<void> {
    const steps = this.settings.strategy.steps;
    if (steps.length === 0) return;
    this.enter('shift');
    const { clock, recorder } = this.deps;
    const previous = this.previousVersion;
    const target = this.requireTarget();
    if (previous === undefined) {
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
    const outcome = await bake({
      checks: this.deps.checks,
      clock,
      stepStart: clock.now(),
      deadline,
      intervalMs: this.settings.alarmPollIntervalMs,
      maxCheckErrors: MAX_CHECK_ERRORS,
      weightPercent,
      signal,
      onObservation: (observation) => this.pollLog.record(observation)
    });
    if (!outcome.healthy) throw new RolloutFailure(outcome.reason);
  }

  private async promote(signal?: AbortSignal): Promise<void> {
    this.enter('promote');
    const target = this.requireTarget();
    if (this.alias) {
      await this.setRouting({ version: target.version }, signal);
    } else {
      this.aliasCreated = true;
      this.markAliasTouched();
      this.alias = await this.aliasWriter().create(target.version, signal);
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
    if (!current) throw new Error('internal: setRouting before the alias exists');
    this.markAliasTouched();
    this.alias = await this.aliasWriter().update(current, routing, signal);
  }

  private aliasWriter(): AliasWriter {
    return new AliasWriter(this.deps.lambda, this.requireFunction().name, this.settings.alias);
  }

  private async rollBack(reason: string, cancelled: boolean): Promise<DeploymentResult> {
    const action = planRollback({
      aliasTouched: this.aliasTouched,
      previousVersion: this.previousVersion,
      aliasCreated: this.aliasCreated
    });
    const { recorder } = this.deps;
    if (action.kind === 'none') {
      recorder.event(`Stopped before any traffic reached a new version: ${reason}`);
      return this.finish('failed', reason, cancelled);
    }
    this.enter('rollback');
    recorder.event(`Rolling back: ${reason}`);
    const restored = await restoreAlias({
      lambda: this.deps.lambda,
      clock: this.deps.clock,
      recorder,
      functionName: this.requireFunction().name,
      alias: this.settings.alias,
      targetVersion: this.requireTarget().version,
      known: this.alias,
      action,
      budgetMs: cancelled
        ? (this.deps.cancelledRollbackBudgetMs ?? DEFAULT_CANCELLED_ROLLBACK_BUDGET_MS)
        : (this.deps.rollbackBudgetMs ?? DEFAULT_ROLLBACK_BUDGET_MS)
    });
    if (restored.ok) {
      recorder.event(describeRestored(action, this.settings.alias), 0);
      return this.finish('rolled-back', reason, cancelled);
    }
    return this.finish('failed', `${reason}; then the rollback failed: ${restored.problem}`, cancelled, restored.manualFix);
  }

  private finish(status: FinalStatus, failureReason?: string, cancelled = false, manualFix?: string): DeploymentResult {
    this.enter(status);
    return {
      status,
      deploymentId: this.deploymentId,
      functionName: this.fn?.name ?? this.settings.functionName,
      functionArn: this.fn?.arn,
      alias: this.settings.alias,
      aliasArn: this.alias?.arn ?? (this.fn ? qualifiedArn(this.fn.arn, this.settings.alias) : undefined),
      version: this.target?.version,
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

  /** Before the first alias write: from then on, an interruption needs a rollback, so say so first. */
  private markAliasTouched(): void {
    if (this.aliasTouched) return;
    this.aliasTouched = true;
    this.saveSnapshot();
  }

  private saveSnapshot(): void {
    this.deps.onTransition?.({
      phase: this.phase,
      deploymentId: this.deploymentId,
      functionName: this.fn?.name ?? this.settings.functionName,
      alias: this.settings.alias,
      previousVersion: this.previousVersion,
      targetVersion: this.target?.version,
      aliasTouched: this.aliasTouched,
      aliasCreated: this.aliasCreated
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

function describeRestored(action: RollbackAction, alias: string): string {
  if (action.kind === 'restore') return `Alias ${alias} is back on version ${action.routing.version} with 100% of traffic`;
  return `Deleted the alias ${alias}, which this deployment had created`;
}

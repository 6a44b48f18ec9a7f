import { qualifiedArn } from '../aws/arn.js';
import { AccessDenied, AwsFailure } from '../aws/failures.js';
import type { AliasState } from '../aws/lambda-gateway.js';
import type { ShiftingVersions } from '../checks/checks.js';
import type { Settings, TargetSettings } from '../config/settings.js';
import { formatDuration } from '../core/duration.js';
import { describeError, isAbort } from '../core/errors.js';
import type { LifecycleEvent } from '../core/lifecycle.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import { capText } from '../core/text.js';
import { hookPayload } from '../hooks/payload.js';
import type { FunctionFacts, HookBinding } from '../hooks/traffic-hook.js';
import { describePlan, planDeployment } from '../plan/plan.js';
import type { DeploymentPlan, DeploymentStep } from '../plan/steps.js';
import { AliasConflict, AliasWriter } from './alias-writer.js';
import { bake } from './bake.js';
import { HandOver } from './codedeploy-handover.js';
import { watchExistingDeployment } from './codedeploy-watch-only.js';
import { CodeDeployEnded } from './codedeploy-watch.js';
import { RolloutFailure } from './failure.js';
import { isFinal, type ActivePhase, type FinalStatus, type Phase } from './phases.js';
import type { TargetContent } from './inspect.js';
import { PollLog } from './poll-log.js';
import { changeReport, latestNote, planUpdates, targetOf } from './planned-target.js';
import { runPreflight, type TargetRef } from './preflight.js';
import { readBackUploads } from './latest-readback.js';
import { prepareCode } from './prepare-code.js';
import { publishTarget } from './publish.js';
import type { DeploymentReport, DeploymentResult } from './result.js';
import { aliasLabel, describeRouting, splitRouting } from './routing.js';
import { Target } from './target.js';
import { restoreTarget, undoTargets } from './undo.js';
import type { EngineDeps } from './deps.js';
import { publishGuard, updateCode, updateConfiguration } from './update.js';

/** Check reads that may fail in a row before the rollout stops trusting them. */
const MAX_CHECK_ERRORS = 3;
/** A poll of the checks may take this long (or one poll interval, if longer) before it counts as failed. */
const MIN_POLL_LIMIT_MS = 10_000;

/** The phase each kind of step runs in (the log group, and what the post step is told). */
const PHASE_OF: { readonly [kind in DeploymentStep['kind']]: ActivePhase } = {
  'repair-split': 'preflight',
  'update-configuration': 'update',
  'update-code': 'update',
  publish: 'publish',
  hooks: 'pre-traffic-hook',
  check: 'shift',
  shift: 'shift',
  bake: 'shift',
  promote: 'promote',
  'hand-over': 'hand-over',
  watch: 'watch'
};

/**
 * Runs one deployment: the preflight, then the plan's steps one by one, each threading what it
 * produced into the targets. Never throws: failures become results, after the phase-aware rollback.
 */
export async function deploy(
  deps: EngineDeps,
  settings: Settings,
  deploymentId: string,
  signal?: AbortSignal
): Promise<DeploymentReport> {
  // A step that only watches a deployment CodeDeploy runs already: no preflight, no publish.
  if (settings.codedeploy?.deploymentId) return watchExistingDeployment(deps, settings, deploymentId, signal);
  const rollout = new Rollout(deps, settings, deploymentId);
  const result = await rollout.run(signal);
  const { recorder } = deps;
  return {
    result,
    timeline: recorder.timeline,
    observations: recorder.observations,
    hooks: recorder.hookOutcomes,
    warnings: recorder.warnings,
    ...(recorder.analysis.length > 0 ? { analysis: recorder.analysis } : {}),
    plan: rollout.plan ? describePlan(rollout.plan) : []
  };
}

class Rollout {
  plan?: DeploymentPlan;
  private phase: Phase = 'preflight';
  private targets: Target[] = [];
  /** When the first weight was set: bake deadlines count from here, so that drift cannot add up. */
  private firstShiftAt?: number;
  /** When the checks were last read (the end of the last bake or check). */
  private checkedAt?: number;
  /**
   * With several functions, where the failure happened, for the failure reason: the alias whose write
   * failed (`function:alias`), or the function whose update or publish failed.
   */
  private failedOn?: string;
  private rollbackOwed = false;
  private readonly startedAt: number;
  private readonly pollLog: PollLog;
  /** `engine: codedeploy`: the rollout after the publish is CodeDeploy's. */
  private readonly handOver?: HandOver;

  constructor(
    private readonly deps: EngineDeps,
    private readonly settings: Settings,
    private readonly deploymentId: string
  ) {
    this.startedAt = deps.clock.now();
    this.pollLog = new PollLog(deps.recorder, deps.clock);
    if (settings.codedeploy) {
      if (!deps.codedeploy) throw new Error('internal: engine codedeploy without a CodeDeploy gateway');
      this.handOver = new HandOver({ ...deps, codedeploy: deps.codedeploy }, settings, deploymentId);
    }
  }

  async run(signal?: AbortSignal): Promise<DeploymentResult> {
    try {
      this.enter('preflight');
      this.plan = await this.preflight(signal);
      if (this.settings.dryRun) {
        this.deps.recorder.event(`Dry run: every preflight check passed; nothing was changed. The plan:`);
        for (const line of describePlan(this.plan)) this.deps.recorder.detail(`  ${line}`);
        return this.finish('skipped');
      }
      for (const step of this.plan.steps) {
        await this.apply(step, signal);
        if (this.active().length === 0 && step.kind !== 'repair-split') return this.finish('skipped');
      }
      // Every function was up to date: nothing was written, beyond repairing a split alias.
      if (this.active().length === 0) return this.finish('skipped');
      return this.finish(this.handOver?.endStatus ?? 'succeeded');
    } catch (error: unknown) {
      return await this.fail(error, signal);
    } finally {
      this.deps.recorder.closeGroup();
    }
  }

  /** Reads everything, refuses on any problem, and plans the rest. */
  private async preflight(signal?: AbortSignal): Promise<DeploymentPlan> {
    const { deps, settings } = this;
    // With engine codedeploy the deployment group may have alarms of its own: the hand-over's preflight says.
    if (deps.checks.length === 0 && !this.handOver)
      deps.recorder.warning('no alarms and no analysis inputs given: nothing will stop a bad version while it bakes');
    // Local code is read (or zipped) first: a missing file is an input error, found before AWS is asked.
    const refs: TargetRef[] = [];
    for (const target of settings.targets) {
      const content = await this.content(target);
      refs.push({ functionRef: target.functionName, alias: target.alias, ...(content ? { content } : {}) });
    }
    const hooks = [...deps.hooks.BeforeAllowTraffic, ...deps.hooks.AfterAllowTraffic].map((binding) => binding.hook);
    const [report, handOverProblems = []] = await Promise.all([
      runPreflight({ ...deps, hooks }, refs, settings, signal),
      this.handOver?.preflight(signal)
    ]);
    // Kept even when refused: the result reports what each alias serves.
    this.targets = report.targets.map((found) => targetOf(found));
    const problems = [...report.problems, ...handOverProblems, ...(this.handOver?.targetProblems(report.targets) ?? [])];
    if (problems.length > 0) {
      throw new RolloutFailure(`preflight refused the deployment, nothing was changed: ${problems.join('; ')}`);
    }
    this.saveSnapshot();
    return planDeployment({
      targets: this.targets.map((target) => ({
        name: target.fn.name,
        alias: target.aliasName,
        ...(target.before ? { liveVersion: target.before.version } : {}),
        ...(target.before?.additional && settings.onSplitAlias === 'rollback' ? { repairTo: target.before.version } : {}),
        ...planUpdates(target)
      })),
      strategy: settings.strategy,
      hooks: {
        BeforeAllowTraffic: deps.hooks.BeforeAllowTraffic.map((binding) => this.hookLabel(binding)),
        AfterAllowTraffic: deps.hooks.AfterAllowTraffic.map((binding) => this.hookLabel(binding))
      },
      checks: [...new Set(deps.checks.map((check) => check.name))],
      pollIntervalMs: settings.alarmPollIntervalMs,
      ...(this.handOver ? { codedeploy: this.handOver.planFacts() } : {})
    });
  }

  /** A hook as the plan names it: with its function when several are deployed. */
  private hookLabel(binding: HookBinding): string {
    const target = binding.target === undefined ? undefined : this.targets[binding.target];
    return target && this.targets.length > 1 ? `${binding.hook.label} (${target.fn.name})` : binding.hook.label;
  }

  /** The code and configuration the inputs bring for one function, with a local zip read or built; undefined when none. */
  private async content(target: TargetSettings): Promise<TargetContent | undefined> {
    const { code } = target;
    const { configuration, architecture } = this.settings;
    if (!code && !configuration) return undefined;
    return {
      ...(code ? { code: await prepareCode(code, this.deps.recorder, this.settings.symlinks) } : {}),
      configuration: configuration ?? {},
      ...(architecture ? { architecture } : {})
    };
  }

  private async apply(step: DeploymentStep, signal?: AbortSignal): Promise<void> {
    const phase = this.phaseOf(step);
    if (phase !== this.phase) this.enter(phase);
    switch (step.kind) {
      case 'repair-split':
        return this.repairSplit(this.targets[step.target]!, step.toVersion);
      case 'update-configuration':
        return this.on(this.targets[step.target]!, (target) => updateConfiguration(this.deps, target, signal));
      case 'update-code':
        return this.on(this.targets[step.target]!, (target) => updateCode(this.deps, target, signal));
      case 'publish':
        return this.publish(signal);
      case 'hooks':
        return this.runHooks(step.event, signal);
      case 'check':
        // The last check reads again only once something could have changed: right after the
        // promotion with no post-traffic hook, the read before the promotion is not half a poll old.
        if (step.moment === 'after-promotion' && this.checkedWithin(this.settings.alarmPollIntervalMs / 2)) return;
        return this.bakeUntil(this.deps.clock.now(), step.moment === 'before-first-shift' ? 0 : 100, signal);
      case 'shift':
        return this.shift(step, signal);
      case 'bake':
        return this.bakeUntil((this.firstShiftAt ?? this.deps.clock.now()) + step.untilMs, step.weightPercent, signal);
      case 'promote':
        return this.promote(signal);
      case 'hand-over':
        return this.handOver!.start(this.active()[0]!, () => this.saveSnapshot(), signal);
      case 'watch':
        return this.handOver!.watch(this.active()[0]!, signal);
    }
  }

  /** Runs one function's step; with several functions, its failure names that function (see explain). */
  private async on(target: Target, step: (target: Target) => Promise<void>): Promise<void> {
    try {
      await step(target);
    } catch (error: unknown) {
      if (this.targets.length > 1) this.failedOn ??= target.fn.name;
      throw error;
    }
  }

  /** The phase a step runs in: post-traffic hooks and the last check keep the phase they follow. */
  private phaseOf(step: DeploymentStep): Phase {
    if (step.kind === 'hooks' && step.event === 'AfterAllowTraffic') return 'post-traffic-hook';
    if (step.kind === 'check' && step.moment === 'after-promotion') return this.phase;
    return PHASE_OF[step.kind];
  }

  /** `on-split-alias: rollback`: an interrupted deployment left the alias split; put it back first. */
  private async repairSplit(target: Target, toVersion: string): Promise<void> {
    const split = target.before!;
    const found = `alias ${split.name} is split (${describeRouting(split)}), as an interrupted deployment leaves it`;
    const restored = await restoreTarget(
      target,
      { kind: 'restore', routing: { version: toVersion } },
      split.additional!.version,
      this.deps
    );
    if (!restored.ok) throw new RolloutFailure(`${found}, and it could not be restored: ${restored.problem}`);
    target.alias = restored.alias;
    this.deps.recorder.event(`The ${found}; on-split-alias is rollback, so it now routes ${describeRouting(restored.alias)}`);
  }

  private async publish(signal?: AbortSignal): Promise<void> {
    const { settings, deps } = this;
    const options = {
      description: settings.versionDescription,
      ...(settings.codeSha256 ? { codeSha256: settings.codeSha256 } : {})
    };
    const active = this.active();
    await Promise.all(
      active.map((target) =>
        this.on(target, async () =>
          publishTarget(
            deps,
            target,
            // A function this run updated is published only as this run left it: its code and RevisionId guard it.
            target.change ? { description: settings.versionDescription, ...(await publishGuard(deps, target, signal)) } : options,
            signal
          )
        )
      )
    );
    for (const target of active) {
      const { version, arn } = target.version;
      deps.recorder.event(
        target.unchanged
          ? `Version ${version} is already live on ${target.aliasName}: the function has not changed since it was published, ` +
              'so Lambda gave that version back and there is nothing to deploy.'
          : `Published version ${version} (${arn})`
      );
    }
  }

  /**
   * Each function's own hooks (skipping a function that dropped out, its version already live), then
   * those of the whole rollout, which are told every function's versions.
   */
  private async runHooks(event: LifecycleEvent, signal?: AbortSignal): Promise<void> {
    const active = this.active();
    for (const binding of this.deps.hooks[event]) {
      const target = binding.target === undefined ? undefined : this.targets[binding.target];
      if (target && !active.includes(target)) continue;
      const payload = target ? this.payload(target, event) : this.payload(active[0]!, event, active);
      const outcome = await binding.hook.run(payload, signal);
      const label = this.hookLabel(binding);
      this.deps.recorder.recordHook(outcome);
      if (!outcome.passed) throw new RolloutFailure(`${event} hook ${label} failed: ${outcome.reason}`);
      this.deps.recorder.event(`${event} hook ${label} passed in ${formatDuration(outcome.durationMs)}`);
    }
  }

  /** Sets the weight on every alias that has a version to shift from; the writes go out together. */
  private async shift(step: Extract<DeploymentStep, { kind: 'shift' }>, signal?: AbortSignal): Promise<void> {
    const shifting = this.active().filter((target) => target.previousVersion !== undefined);
    this.firstShiftAt ??= this.deps.clock.now();
    await this.writeAll(shifting, (target, writer) =>
      writer.update(
        this.confirmed(target),
        splitRouting(target.previousVersion!, target.version.version, step.weightPercent),
        signal
      )
    );
    const where =
      this.targets.length === 1
        ? `version ${shifting[0]!.version.version}`
        : shifting.map((t) => `${t.fn.name}:${t.version.version}`).join(', ');
    this.deps.recorder.event(
      `Step ${step.number}/${step.of}: ${step.weightPercent}% of traffic on ${where}, baking for ${formatDuration(step.bakeMs)}`,
      step.weightPercent
    );
  }

  private async promote(signal?: AbortSignal): Promise<void> {
    const active = this.active();
    await this.writeAll(active, (target, writer) =>
      target.before
        ? writer.update(this.confirmed(target), { version: target.version.version }, signal)
        : writer.create(target.version.version, signal)
    );
    for (const target of active) {
      const alias = aliasLabel(target.fn.name, target.aliasName, this.targets.length > 1);
      this.deps.recorder.event(`Alias ${alias} now sends 100% of traffic to version ${target.version.version}`, 100);
    }
  }

  /** Watches the checks until `deadline`; an unhealthy verdict ends the rollout. */
  private async bakeUntil(deadline: number, weightPercent: number, signal?: AbortSignal): Promise<void> {
    const { clock, checks } = this.deps;
    const intervalMs = this.settings.alarmPollIntervalMs;
    const outcome = await bake({
      checks,
      clock,
      stepStart: clock.now(),
      deadline,
      intervalMs,
      maxCheckErrors: MAX_CHECK_ERRORS,
      maxExtensionMs: this.settings.maxBakeExtensionMs,
      pollLimitMs: Math.max(intervalMs, MIN_POLL_LIMIT_MS),
      weightPercent,
      versions: this.shiftingVersions(),
      signal,
      onObservation: (observation) => this.pollLog.record(observation)
    });
    this.checkedAt = clock.now();
    if (!outcome.healthy) throw new RolloutFailure(outcome.reason);
  }

  private checkedWithin(ms: number): boolean {
    return this.checkedAt !== undefined && this.deps.clock.now() - this.checkedAt < ms;
  }

  /** Each alias's new and previous version, once published, for the checks that compare them. */
  private shiftingVersions(): ShiftingVersions[] {
    return this.active().flatMap((target) =>
      target.published && target.previousVersion !== undefined
        ? [
            {
              functionName: target.fn.name,
              alias: target.aliasName,
              target: target.published.version,
              previous: target.previousVersion
            }
          ]
        : []
    );
  }

  /**
   * One write per target, sent together. Each is tracked (see Target.write); if one fails, the
   * others still settle first, so that the rollback knows what each alias may be.
   */
  private async writeAll(
    targets: readonly Target[],
    write: (target: Target, writer: AliasWriter) => Promise<AliasState>
  ): Promise<void> {
    const several = this.targets.length > 1;
    const writes = await Promise.allSettled(
      targets.map((target) =>
        target.write(
          () =>
            write(
              target,
              new AliasWriter(
                this.deps.lambda,
                target.fn.arn,
                target.aliasName,
                aliasLabel(target.fn.name, target.aliasName, several)
              )
            ),
          { creates: target.before === undefined, beforeSend: () => this.saveSnapshot() }
        )
      )
    );
    // An alias another writer changed is theirs now: never written or undone again, by this process or the post step.
    writes.forEach((write, index) => {
      if (write.status === 'rejected' && write.reason instanceof AliasConflict) targets[index]!.release(write.reason.found);
    });
    this.saveSnapshot();
    const index = writes.findIndex((write) => write.status === 'rejected');
    if (index < 0) return;
    if (this.targets.length > 1) this.failedOn = aliasLabel(targets[index]!.fn.name, targets[index]!.aliasName, true);
    throw (writes[index] as PromiseRejectedResult).reason;
  }

  /** The alias as last confirmed; a write whose outcome is unknown ends the rollout before this is asked. */
  private confirmed(target: Target): AliasState {
    if (!target.alias) throw new Error(`internal: the alias of ${target.fn.name} was not read back after an unknown write`);
    return target.alias;
  }

  /** After an error: a conflict leaves the aliases alone; anything else rolls back what may have changed. */
  private async fail(error: unknown, signal?: AbortSignal): Promise<DeploymentResult> {
    if (error instanceof CodeDeployEnded) {
      // CodeDeploy ended the rollout (or was told to stop it): reported as CodeDeploy left it.
      const { outcome } = error;
      this.rollbackOwed = outcome.stopOwed;
      this.deps.recorder.event(
        `${outcome.status === 'rolled-back' ? 'Rolled back' : 'Stopped'}: ${outcome.reason ?? outcome.status}`
      );
      return this.finish(outcome.status, outcome.reason, outcome.cancelled, undefined, outcome);
    }
    const cancelled = signal?.aborted === true || isAbort(error);
    const reason = capText(
      cancelled
        ? `the deployment was cancelled during ${this.phase} (${String(signal?.reason ?? 'aborted')})`
        : this.explain(error),
      FAILURE_REASON_MAX_CHARS
    );
    const undo = this.targets.filter((target) => target.published && target.rollbackAction().kind !== 'none');
    if (error instanceof AliasConflict) {
      // Another actor owns that alias now: undoing "our" change would overwrite theirs. Every other alias shares
      // the rollout's fate and is put back, as after any other failure (see rollBackOthers).
      if (undo.length > 0) return this.rollBackOthers(undo, reason, signal);
      this.deps.recorder.event(`Stopped without touching the alias again: ${reason}`);
      return this.finish('failed', reason);
    }
    if (undo.length === 0) {
      this.deps.recorder.event(`Stopped before any traffic reached a new version: ${reason}`);
      // An upload cut short may have been applied all the same: the report says what $LATEST holds.
      await readBackUploads(this.targets, this.deps);
      this.noteLatest();
      return this.finish('failed', reason, cancelled);
    }
    this.enter('rollback');
    this.deps.recorder.event(`Rolling back: ${reason}`);
    const undone = await undoTargets(undo, this.deps, signal, this.targets.length > 1);
    if (undone.ok) {
      this.noteLatest();
      return this.finish('rolled-back', reason, cancelled);
    }
    this.rollbackOwed = undone.owed;
    const owed = undone.owed ? ' The post step of this job will try again.' : '';
    return this.finish('failed', `${reason}; then the rollback failed: ${undone.problem}.${owed}`, cancelled, undone.manualFix);
  }

  /**
   * Several functions, and another writer changed one alias (AliasConflict): that one is theirs, the
   * others go back to their previous versions, and the run fails saying both.
   */
  private async rollBackOthers(undo: readonly Target[], conflict: string, signal?: AbortSignal): Promise<DeploymentResult> {
    this.enter('rollback');
    this.deps.recorder.event(`Rolling back every other alias: ${conflict}`);
    const undone = await undoTargets(undo, this.deps, signal, true);
    const others = undo.map((target) => aliasLabel(target.fn.name, target.aliasName, true)).join(', ');
    if (undone.ok) {
      this.noteLatest();
      return this.finish('failed', `${conflict}; the other aliases (${others}) were put back on their previous versions`);
    }
    this.rollbackOwed = undone.owed;
    const owed = undone.owed ? ' The post step of this job will try again.' : '';
    return this.finish(
      'failed',
      `${conflict}; then putting back the other aliases (${others}) failed: ${undone.problem}.${owed}`,
      false,
      undone.manualFix
    );
  }

  /** The aliases are as before, but $LATEST keeps what this run wrote: say so, for callers of the unqualified function. */
  private noteLatest(): void {
    for (const target of this.targets) if (target.change?.written.size) this.deps.recorder.warning(latestNote(target));
  }

  private finish(
    status: FinalStatus,
    failureReason?: string,
    cancelled = false,
    manualFix?: string,
    ended?: CodeDeployEnded['outcome']
  ): DeploymentResult {
    this.enter(status);
    const { settings } = this;
    const targets =
      this.targets.length > 0
        ? this.targets.map((target) => ({
            functionName: target.fn.name,
            functionArn: target.fn.arn,
            alias: target.aliasName,
            aliasArn: target.alias?.arn ?? qualifiedArn(target.fn.arn, target.aliasName),
            ...(target.published ? { version: target.published.version } : {}),
            published: target.published !== undefined && !target.unchanged,
            ...(target.previousVersion !== undefined ? { previousVersion: target.previousVersion } : {}),
            ...changeReport(target)
          }))
        : settings.targets.map((target) => ({ functionName: target.functionName, alias: target.alias, published: false }));
    return {
      status,
      deploymentId: this.deploymentId,
      targets,
      strategy: settings.strategy,
      startedAtMs: this.startedAt,
      finishedAtMs: this.deps.clock.now(),
      ...(failureReason !== undefined ? { failureReason } : {}),
      cancelled,
      dryRun: settings.dryRun,
      ...(manualFix !== undefined ? { manualFix } : {}),
      ...(this.deps.source ? { source: this.deps.source } : {}),
      ...(this.handOver ? { codedeploy: this.handOver.result(ended) } : {})
    };
  }

  /** The targets still in the rollout: not those whose published version was already live. */
  private active(): Target[] {
    return this.targets.filter((target) => !target.unchanged);
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
      targets: this.targets.map((target) => target.snapshot()),
      rollbackOwed: this.rollbackOwed,
      ...(this.handOver ? { codedeploy: this.handOver.snapshot() } : {})
    });
  }

  /** A hook's payload: about `target`, and with `all` the functions of the rollout for a hook of them all. */
  private payload(target: Target, event: LifecycleEvent, all?: readonly Target[]) {
    return hookPayload(
      {
        deploymentId: this.deploymentId,
        functionName: target.fn.name,
        functionArn: target.fn.arn,
        alias: target.aliasName,
        previousVersion: target.previousVersion,
        target: target.version,
        strategy: this.settings.strategy.name,
        source: this.deps.source,
        ...(all ? { functions: all.map(functionFacts) } : {})
      },
      event
    );
  }

  private explain(error: unknown): string {
    if (error instanceof RolloutFailure) return error.message;
    const stopped = `${this.phase} stopped${this.failedOn ? ` on ${this.failedOn}` : ''}`;
    if (error instanceof AccessDenied) {
      return (
        `${stopped}: these credentials may not ${error.action}` +
        `${error.resource ? ` on ${error.resource}` : ''} (add it to the role's policy; the README lists every permission). ` +
        `AWS said: ${error.message}`
      );
    }
    if (error instanceof AwsFailure) return `${stopped}: ${error.message}`;
    return `error during ${this.phase}${this.failedOn ? ` on ${this.failedOn}` : ''}: ${describeError(error)}`;
  }
}

/** One function's facts for a hook that runs for every function. */
function functionFacts(target: Target): FunctionFacts {
  return {
    functionName: target.fn.name,
    functionArn: target.fn.arn,
    alias: target.aliasName,
    aliasArn: qualifiedArn(target.fn.arn, target.aliasName),
    currentVersion: target.previousVersion ?? null,
    targetVersion: target.version.version,
    targetVersionArn: target.version.arn
  };
}

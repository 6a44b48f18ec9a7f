import { qualifiedArn } from '../aws/arn.js';
import { AwsFailure, explainStepFailure } from '../aws/failures.js';
import { DEFAULT_RESTORE_BUDGET_MS, restoreAlias } from '../alias/restore.js';
import { describeUnsettled, waitForProvisionedConcurrency } from '../alias/provisioned-concurrency.js';
import { describeRouting, lambdaAllocation, servingVersion } from '../alias/routing.js';
import type { AliasState } from '../aws/lambda-gateway.js';
import type { TargetSettings } from '../config/settings.js';
import { describeError, isAbort } from '../core/errors.js';
import { RolloutFailure } from '../core/failure.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import { capText } from '../core/text.js';
import { describePlan, planHead, publishes } from '../plan/plan.js';
import type { DeploymentPlan, HeadStep } from '../plan/steps.js';
import type { TargetContent } from '../release/inspect.js';
import { readBackUploads } from '../release/latest-readback.js';
import { latestSnapshotOf } from '../release/latest-report.js';
import { changeReport, latestNote, planUpdates, targetOf } from '../release/planned-target.js';
import { runPreflight, type TargetRef } from '../release/preflight.js';
import { prepareCode } from '../release/prepare-code.js';
import { publishTarget } from '../release/publish.js';
import { lookUpAllExisting, readyExisting, takeExisting, type ExistingVersion } from '../release/existing-version.js';
import { planPruning, pruneAfterPromotion } from '../release/prune/after-promotion.js';
import type { PruneOutcome } from '../release/prune/prune.js';
import { auditTriggers } from '../release/triggers/run.js';
import type { TriggerRow } from '../release/triggers/verdict.js';
import { isChanging, type Target } from '../release/target.js';
import { publishGuard, updateCode, updateConfiguration } from '../release/update.js';
import type { SpineDeps, SpineSettings } from './deps.js';
import type { Engine, EngineRun, Ending, Release, RolloutControl, StepOutcome, Undo } from './engine.js';
import { isFinal, SPINE_PHASE_TITLES, type FinalStatus, type Phase, type SpinePhase } from './phases.js';
import { deploymentReport, type DeploymentReport, type DeploymentResult } from './result.js';

/** The phase each step of the head runs in. */
const HEAD_PHASES: { readonly [kind in HeadStep['kind']]: SpinePhase } = {
  'repair-split': 'preflight',
  'update-configuration': 'update',
  'update-code': 'update',
  publish: 'publish',
  'use-existing': 'existing-version'
};

/**
 * Runs one deployment with `engine`: the preflight (the spine's reads and the engine's look, in
 * parallel), the plan (the head, then the engine's tail), the head's steps, then the engine's one
 * by one. Never throws: a failure becomes a result, after the engine undid what it changed.
 */
export async function deploy<Step, Look>(
  engine: Engine<Step, Look>,
  deps: SpineDeps,
  settings: SpineSettings,
  deploymentId: string,
  signal?: AbortSignal
): Promise<DeploymentReport> {
  const rollout = new Rollout(engine, deps, settings, deploymentId);
  const result = await rollout.run(signal);
  return deploymentReport(result, rollout.describePlan(), deps.recorder, rollout.found());
}

/** The engine-neutral spine of a deployment: phases, snapshots, the head, and what a failure means. */
class Rollout<Step, Look> {
  private plan?: DeploymentPlan<Step>;
  /** The engine once the head has given it the versions: it applies the tail. */
  private engineRun?: EngineRun<Step>;
  private phase: Phase = 'preflight';
  private targets: Target[] = [];
  private rollbackOwed = false;
  /**
   * With several functions, the function whose update or publish failed, for the failure reason
   * (an engine names the alias a failed step stopped on itself).
   */
  private failedOn?: string;
  private readonly startedAt: number;
  /** The existing version each target deploys (`version`, `from-alias`, `rollback-to`); undefined: it publishes. */
  private existing: ReadonlyArray<ExistingVersion | undefined> = [];
  /** What the trigger audit found, and what pruning did, for the report. */
  private triggerRows: readonly TriggerRow[] = [];
  private pruning: PruneOutcome[] = [];
  /** What the engine may do to the spine while it works: enter its phases, save the snapshot. */
  private readonly control: RolloutControl = {
    enter: (phase) => this.enter(phase),
    save: () => this.save()
  };

  constructor(
    private readonly engine: Engine<Step, Look>,
    private readonly deps: SpineDeps,
    private readonly settings: SpineSettings,
    private readonly deploymentId: string
  ) {
    this.startedAt = deps.clock.now();
  }

  async run(signal?: AbortSignal): Promise<DeploymentResult> {
    try {
      this.enter('preflight');
      const plan = await this.preflight(signal);
      this.plan = plan;
      if (this.settings.dryRun) {
        this.deps.recorder.event(`Dry run: every preflight check passed; nothing was changed. The plan:`);
        for (const line of this.describePlan()) this.deps.recorder.detail(`  ${line}`);
        return this.finish('skipped');
      }
      for (const step of plan.head) {
        await this.applyHead(step, signal);
        if (step.kind === 'publish' || step.kind === 'use-existing') this.engineRun = this.engine.begin(this.releases());
        if (this.active().length === 0 && step.kind !== 'repair-split') return this.finish('skipped');
      }
      // Every function was up to date: nothing was written, beyond repairing a split alias.
      const run = this.engineRun;
      if (this.active().length === 0 || !run) return this.finish('skipped');
      for (const step of plan.tail) {
        const phase = this.engine.phaseOf(step);
        if (phase !== undefined && phase !== this.phase) this.enter(phase);
        const outcome: StepOutcome = await run.apply(step, this.control, signal);
        if (outcome.kind === 'failed') return await this.fail(outcome.error, signal, outcome.where);
        if (outcome.kind === 'ended') return this.end(outcome.ending);
      }
      const succeeded = this.finish('succeeded');
      // After the final phase is saved: a post step never mistakes pruning for a rollout to undo.
      const moved = this.active().map((target) => ({
        name: target.fn.name,
        arn: target.fn.arn,
        ...(target.previousVersion !== undefined ? { previousVersion: target.previousVersion } : {})
      }));
      for (const step of plan.closing) this.pruning.push(...(await pruneAfterPromotion(this.deps, step, moved, signal)));
      return succeeded;
    } catch (error: unknown) {
      return await this.fail(error, signal);
    } finally {
      this.deps.recorder.closeGroup();
    }
  }

  /** What the preflight and the closing steps found, for the report. */
  found(): { triggers: readonly TriggerRow[]; pruning: readonly PruneOutcome[] } {
    return { triggers: this.triggerRows, pruning: this.pruning };
  }

  /** The plan as numbered lines (none when the preflight refused the deployment). */
  describePlan(): string[] {
    return this.plan ? describePlan(this.plan, (step) => this.engine.describe(step)) : [];
  }

  /** Reads everything, with the engine's own look beside, refuses on any problem, and plans the rest. */
  private async preflight(signal?: AbortSignal): Promise<DeploymentPlan<Step>> {
    const { deps, settings, engine } = this;
    // Local code is read (or zipped) first: a missing file is an input error, found before AWS is asked.
    const refs: TargetRef[] = [];
    for (const target of settings.targets) {
      const content = await this.content(target);
      refs.push({ functionRef: target.functionName, alias: target.alias, ...(content ? { content } : {}) });
    }
    // The trigger audit reads beside the rest (the spine judges it below, once the functions are known).
    for (const target of settings.targets) void deps.triggers.of(target.functionName, target.alias, signal);
    const [report, look] = await Promise.all([runPreflight(deps, refs, settings, signal), engine.preflight(signal)]);
    // Kept even when refused: the result reports what each alias serves.
    this.targets = report.targets.map((found) => targetOf(found));
    const tail = engine.plan(
      report.targets.map(({ fn, ref, alias, provisioned }) => ({
        name: fn.name,
        arn: fn.arn,
        alias: ref.alias,
        ...(alias ? { found: alias } : {}),
        ...(provisioned ? { provisioned } : {}),
        ...(fn.memorySizeMb !== undefined ? { memorySizeMb: settings.configuration?.memorySize ?? fn.memorySizeMb } : {})
      })),
      look.facts
    );
    // What invokes each function, and the existing version each deploys, read once the functions are known.
    const indexOf = (found: { readonly ref: TargetRef }): number =>
      settings.targets.findIndex((target) => target.functionName === found.ref.functionRef);
    const [triggers, existing] = await Promise.all([
      auditTriggers(deps.triggers, report.targets, settings, signal),
      lookUpAllExisting(deps, settings.release, report.targets, indexOf, signal)
    ]);
    this.triggerRows = triggers.rows;
    this.existing = existing.versions;
    for (const note of triggers.logNotes) deps.recorder.detail(note);
    for (const warning of triggers.warnings) deps.recorder.warning(warning);
    const problems = [...report.problems, ...look.problems, ...tail.problems, ...triggers.problems, ...existing.problems];
    if (problems.length > 0) {
      throw new RolloutFailure(`preflight refused the deployment, nothing was changed: ${problems.join('; ')}`);
    }
    this.targets.forEach((target, index) => takeExisting(target, existing.versions[index], deps.recorder));
    this.save();
    const targets = this.targets.map((target, index) => {
      const chosen = existing.versions[index];
      return {
        name: target.fn.name,
        alias: target.aliasName,
        ...(target.before ? { liveVersion: servingVersion(target.before) } : {}),
        ...(target.before?.additional && settings.onSplitAlias === 'rollback' ? { repairTo: servingVersion(target.before) } : {}),
        ...(chosen
          ? { existing: { version: chosen.version, from: chosen.from, state: chosen.state }, upToDate: target.unchanged }
          : planUpdates(target))
      };
    });
    const active = publishes(targets);
    return {
      targets,
      head: planHead(targets),
      tail: active ? tail.steps : [],
      closing: active
        ? planPruning(
            settings.pruning,
            this.targets.map((target) => target.fn.name)
          )
        : [],
      notes: triggers.planNotes
    };
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

  private async applyHead(step: HeadStep, signal?: AbortSignal): Promise<void> {
    if (HEAD_PHASES[step.kind] !== this.phase) this.enter(HEAD_PHASES[step.kind]);
    switch (step.kind) {
      case 'repair-split':
        return this.repairSplit(step, signal);
      case 'update-configuration':
      case 'update-code': {
        const target = this.targetOf(step);
        // Planned only for a function that brings code or configuration: no change, nothing to write.
        if (!isChanging(target)) return;
        return this.on(target, () =>
          step.kind === 'update-code' ? updateCode(this.deps, target, signal) : updateConfiguration(this.deps, target, signal)
        );
      }
      case 'publish':
        return this.publish(signal);
      case 'use-existing':
        await Promise.all(
          step.versions.map((entry) => readyExisting(this.deps, this.targets[entry.target]!, entry.version, signal))
        );
        for (const entry of step.versions)
          this.deps.recorder.event(`Version ${entry.version} of ${entry.function} is Active: no upload, no publish`);
        return;
    }
  }

  /** Runs one function's part of the head; with several functions, its failure names that function (see explain). */
  private async on(target: Target, part: () => Promise<void>): Promise<void> {
    try {
      await part();
    } catch (error: unknown) {
      if (this.targets.length > 1) this.failedOn ??= target.fn.name;
      throw error;
    }
  }

  private targetOf(step: { readonly target: number }): Target {
    return this.targets[step.target];
  }

  /** `on-split-alias: rollback`: an interrupted deployment left the alias split; put it back first. */
  private async repairSplit(step: Extract<HeadStep, { kind: 'repair-split' }>, signal?: AbortSignal): Promise<void> {
    const target = this.targetOf(step);
    const split = target.before;
    if (!split?.additional) return; // planned only for a split alias: nothing to repair otherwise
    const allocation = lambdaAllocation(split);
    const found = allocation
      ? `alias ${split.name} keeps Lambda's own weights after a failed allocation of provisioned concurrency (${describeRouting(split)})`
      : `alias ${split.name} is split (${describeRouting(split)}), as an interrupted deployment leaves it`;
    const restored = await restoreAlias({
      lambda: this.deps.lambda,
      clock: this.deps.clock,
      recorder: this.deps.recorder,
      functionRef: target.fn.arn,
      alias: target.aliasName,
      // The version the alias is moved away from: the one Lambda was allocating, or the split's second.
      targetVersion: allocation ? split.version : split.additional.version,
      ...(target.alias ? { known: target.alias } : {}),
      action: { kind: 'restore', routing: { version: step.toVersion } },
      budgetMs: this.deps.rollbackBudgetMs ?? DEFAULT_RESTORE_BUDGET_MS
    });
    if (!restored.ok) throw new RolloutFailure(`${found}, and it could not be restored: ${restored.problem}`);
    target.alias = restored.alias;
    this.deps.recorder.event(`The ${found}; on-split-alias is rollback, so it now routes ${describeRouting(restored.alias)}`);
    if (target.provisioned) target.alias = await this.settleProvisioned(target, step.toVersion, signal);
  }

  /** After a repair of an alias with provisioned concurrency: Lambda's allocation is waited out before anything else moves. */
  private async settleProvisioned(target: Target, version: string, signal?: AbortSignal): Promise<AliasState> {
    const { timeoutMs, pollIntervalMs } = this.settings.provisionedConcurrency;
    const outcome = await waitForProvisionedConcurrency({
      lambda: this.deps.lambda,
      clock: this.deps.clock,
      functionRef: target.fn.arn,
      alias: target.aliasName,
      expected: { version },
      timeoutMs,
      pollIntervalMs,
      ...(signal ? { signal } : {})
    });
    if (outcome.kind === 'ready' || outcome.kind === 'none') return outcome.alias;
    throw new RolloutFailure(`after the repair of alias ${target.aliasName}, ${describeUnsettled(target.aliasName, outcome)}`);
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
            isChanging(target)
              ? { description: settings.versionDescription, ...(await publishGuard(deps, target, signal)) }
              : options,
            signal
          )
        )
      )
    );
    for (const target of active) {
      const { published } = target;
      if (!published) continue;
      deps.recorder.event(
        target.unchanged
          ? `Version ${published.version} is already live on ${target.aliasName}: the function has not changed since it was published, ` +
              'so Lambda gave that version back and there is nothing to deploy.'
          : `Published version ${published.version} (${published.arn})`
      );
    }
  }

  /** Each function's version, as the head leaves it to the engine. */
  private releases(): Release[] {
    return this.targets.flatMap((target, index) =>
      target.published
        ? [
            {
              target: index,
              version: target.published.version,
              alreadyLive: target.unchanged,
              ...(target.alias ? { alias: target.alias } : {})
            }
          ]
        : []
    );
  }

  /** The targets still in the rollout: not those whose published version was already live. */
  private active(): Target[] {
    return this.targets.filter((target) => !target.unchanged);
  }

  /** After an error: the engine undoes what it changed; the result says what the failure came to. */
  private async fail(error: unknown, signal?: AbortSignal, where = this.failedOn): Promise<DeploymentResult> {
    const cancelled = signal?.aborted === true || isAbort(error);
    const reason = capText(
      cancelled
        ? `the deployment was cancelled during ${this.phase} (${String(signal?.reason ?? 'aborted')})`
        : this.explain(error, where),
      FAILURE_REASON_MAX_CHARS
    );
    const undo = await this.engine.onFailure({ error, reason, cancelled }, this.control, signal);
    switch (undo.kind) {
      case 'left-alone':
        return this.leftAlone(undo, reason);
      case 'nothing-to-undo':
        this.deps.recorder.event(`Stopped before any traffic reached a new version: ${reason}`);
        await this.noteLatest();
        return this.finish('failed', reason, cancelled);
      case 'undone':
        await this.noteLatest();
        return this.finish('rolled-back', reason, cancelled);
      case 'not-undone': {
        this.rollbackOwed = undo.owed;
        const owed = undo.owed ? ' The post step of this job will try again.' : '';
        return this.finish('failed', `${reason}; then the rollback failed: ${undo.problem}.${owed}`, cancelled, undo.manualFix);
      }
    }
  }

  /** The engine's service ended the rollout (or carries it on): reported as it left it. */
  private end(ending: Ending): DeploymentResult {
    this.rollbackOwed = ending.owed;
    return this.finish(ending.status, ending.reason, ending.cancelled);
  }

  /**
   * Another actor changed an alias the engine would undo: that one is theirs, left as they set it.
   * Any other the engine put back beside it is said too (several functions share one fate).
   */
  private async leftAlone(undo: Extract<Undo, { kind: 'left-alone' }>, reason: string): Promise<DeploymentResult> {
    const { others } = undo;
    if (!others) {
      this.deps.recorder.event(`Stopped without touching the alias again: ${reason}`);
      return this.finish('failed', reason);
    }
    const names = others.aliases.join(', ');
    if (others.undo.kind === 'undone') {
      await this.noteLatest();
      return this.finish('failed', `${reason}; the other aliases (${names}) were put back on their previous versions`);
    }
    const { problem, manualFix, owed } = others.undo;
    this.rollbackOwed = owed;
    return this.finish(
      'failed',
      `${reason}; then putting back the other aliases (${names}) failed: ${problem}.${owed ? ' The post step of this job will try again.' : ''}`,
      false,
      manualFix
    );
  }

  /**
   * The aliases are as before, but $LATEST keeps what this run wrote: say so, for callers of the
   * unqualified function. An upload cut short may have been applied all the same: read back first.
   */
  private async noteLatest(): Promise<void> {
    await readBackUploads(this.targets, this.deps);
    for (const target of this.targets) if (target.change?.written.size) this.deps.recorder.warning(latestNote(target));
  }

  private finish(status: FinalStatus, failureReason?: string, cancelled = false, manualFix?: string): DeploymentResult {
    this.enter(status);
    const { settings } = this;
    const targets =
      this.targets.length > 0
        ? this.targets.map((target, index) => ({
            functionName: target.fn.name,
            functionArn: target.fn.arn,
            alias: target.aliasName,
            aliasArn: target.alias?.arn ?? qualifiedArn(target.fn.arn, target.aliasName),
            ...(target.published ? { version: target.published.version } : {}),
            published: target.published !== undefined && !target.unchanged,
            ...(this.existing[index] ? { releasedFrom: this.existing[index].from } : {}),
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
      engine: this.engine.result()
    };
  }

  private enter(phase: Phase): void {
    this.phase = phase;
    if (isFinal(phase)) this.deps.recorder.closeGroup();
    else this.deps.recorder.enterPhase(phase, this.titleOf(phase));
    this.save();
  }

  private titleOf(phase: Phase): string {
    return (SPINE_PHASE_TITLES as Readonly<Record<string, string>>)[phase] ?? this.engine.phaseTitles[phase] ?? phase;
  }

  private save(): void {
    const several = this.targets.length > 1;
    const latest = this.targets.flatMap((target) => latestSnapshotOf(target, several) ?? []);
    this.deps.onTransition?.({
      ...this.engine.snapshot(),
      phase: this.phase,
      deploymentId: this.deploymentId,
      rollbackOwed: this.rollbackOwed,
      ...(latest.length > 0 ? { latest } : {})
    });
  }

  /**
   * The failure's sentence: a failure that says it all, or what stopped in which phase (and, with
   * several functions, on which alias or function).
   */
  private explain(error: unknown, where?: string): string {
    if (error instanceof RolloutFailure) return error.message;
    const on = where ? ` on ${where}` : '';
    if (error instanceof AwsFailure) return `${this.phase} stopped${on}: ${explainStepFailure(error)}`;
    return `error during ${this.phase}${on}: ${describeError(error)}`;
  }
}

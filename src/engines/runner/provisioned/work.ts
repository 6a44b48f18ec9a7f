import {
  describeProvisioned,
  describeUnsettled,
  waitForProvisionedConcurrency,
  type ProvisionedWaitOutcome
} from '../../../alias/provisioned-concurrency.js';
import { aliasLabel, describeRouting, lambdaAllocation } from '../../../alias/routing.js';
import { explainFailure, mayHaveApplied } from '../../../aws/failures.js';
import type { AliasRouting, LambdaGateway, ProvisionedConcurrency } from '../../../aws/lambda-gateway.js';
import type { SpilloverMetrics } from '../../../aws/metrics-gateway.js';
import type { Clock } from '../../../core/clock.js';
import { withDeadline } from '../../../core/deadline.js';
import { formatDuration } from '../../../core/duration.js';
import { describeError } from '../../../core/errors.js';
import { RolloutFailure } from '../../../core/failure.js';
import type { RolloutControl, StepOutcome, Undo } from '../../../rollout/engine.js';
import type { Recorder } from '../../../rollout/recorder.js';
import type { SummaryFact } from '../../../rollout/result.js';
import { AliasConflict } from '../alias-writer.js';
import { activeTargets, withTarget, type ActiveTarget, type ProvisionedTarget, type RunnerState } from '../state.js';
import { headroomCost, provisionedFacts, type ProvisionedAliasReport } from './report.js';
import { readSpillover, type SpilloverSteps } from './spillover.js';
import { putBackCommand, type ProvisionedAlias, type ProvisionedStep, type WaitMoment } from './steps.js';

/** Once cancelled, one look at a rolled-back alias may take this long. */
const CANCELLED_LOOK_MS = 2_000;

/** What the provisioned-concurrency work talks to. */
export interface ProvisionedDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** Reads the spill-over; without it, the summary says it was not read. */
  readonly metrics?: SpilloverMetrics;
}

/** The runner's state, read and replaced by this work as the runner's own code does. */
export interface StateAccess {
  get(): RunnerState;
  set(state: RunnerState): void;
}

/** How long to wait for Lambda and how often to ask; the metric period of the spill-over read. */
export interface ProvisionedLimits {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
  readonly periodSeconds: number;
}

/**
 * The runner's work on aliases with provisioned concurrency (PC): applies the PC steps (see
 * steps.ts), finishes a rollback (waits for Lambda, clears the weights a failed allocation left,
 * puts a headroom back), and keeps what the summary says of it. Every outcome is a value or a
 * RolloutFailure the runner turns into one; AWS's reasons are capped where they enter.
 */
export class ProvisionedWork {
  /** Per target index: the PC the preflight found, the memory of the new version, the last PC seen. */
  private readonly found = new Map<number, { provisioned: ProvisionedConcurrency; memorySizeMb?: number }>();
  private readonly lastSeen = new Map<number, ProvisionedConcurrency>();
  private readonly waits = { count: 0, totalMs: 0 };
  private spillover?: { readonly perTarget: Map<number, SpilloverSteps>; readonly problem?: string };

  constructor(
    private readonly deps: ProvisionedDeps,
    private readonly state: StateAccess,
    private readonly limits: ProvisionedLimits
  ) {}

  /** The preflight found PC on this target's alias (for the summary). */
  record(index: number, provisioned: ProvisionedConcurrency, memorySizeMb?: number): void {
    this.found.set(index, { provisioned, ...(memorySizeMb !== undefined ? { memorySizeMb } : {}) });
  }

  async apply(step: ProvisionedStep, control: RolloutControl, signal?: AbortSignal): Promise<StepOutcome> {
    switch (step.kind) {
      case 'provisioned-check':
        await this.checkVersions(step.aliases, signal);
        return DONE;
      case 'headroom':
        await this.raise(step.aliases, control, signal);
        return DONE;
      case 'provisioned-wait':
        await this.waitAll(step.aliases, step.after, step.weightPercent, signal);
        return DONE;
      case 'headroom-restore':
        await this.restoreHeadroom(
          step.aliases.map((alias) => alias.target),
          control,
          signal
        );
        return DONE;
      case 'spillover':
        await this.spilloverOf(
          step.aliases.map((alias) => alias.target),
          step.periodSeconds,
          signal
        );
        return DONE;
    }
  }

  /** Lambda allows one PC configuration per version: a new version with its own cannot be routed to by an alias with one. */
  private async checkVersions(aliases: readonly ProvisionedAlias[], signal?: AbortSignal): Promise<void> {
    for (const { target: index } of aliases) {
      const target = this.active(index);
      if (!target) continue;
      const own = await this.deps.lambda.getProvisionedConcurrency(target.functionRef, target.targetVersion, signal);
      if (!own) continue;
      throw new RolloutFailure(
        `version ${target.targetVersion} of ${target.functionName} carries provisioned concurrency of its own (${own.requested}), ` +
          `and alias ${target.alias} carries ${target.provisioned?.requested ?? 'some'}: Lambda allows one configuration per version, ` +
          "so the alias cannot route to it. Remove the version's (aws lambda delete-provisioned-concurrency-config " +
          `--function-name ${target.functionRef} --qualifier ${target.targetVersion}) or deploy another version`
      );
    }
  }

  /** Raises each alias's PC before any weight (Lambda refuses it on a weighted alias); the raise is saved before it is sent. */
  private async raise(aliases: readonly ProvisionedAlias[], control: RolloutControl, signal?: AbortSignal): Promise<void> {
    for (const { target: index, requested, raisedTo } of aliases) {
      const target = this.active(index);
      if (!target || raisedTo === undefined) continue;
      this.setProvisioned(index, { requested, raisedTo, raisedAt: this.deps.clock.now() });
      control.save();
      try {
        const answer = await this.deps.lambda.putProvisionedConcurrency(target.functionRef, target.alias, raisedTo, signal);
        this.deps.recorder.event(
          `Raised the provisioned concurrency of ${this.label(index)} from ${requested} to ${raisedTo} for the rollout ` +
            `(headroom); Lambda reports ${describeProvisioned(answer)}`
        );
      } catch (error: unknown) {
        // Refused: nothing was raised, nothing to put back. No answer: it may have been, so it stays owed.
        if (!mayHaveApplied(error)) this.setProvisioned(index, { requested });
        control.save();
        throw new RolloutFailure(
          `the provisioned concurrency of ${this.label(index)} could not be raised to ${raisedTo}: ${explainFailure(error)}`
        );
      }
    }
  }

  /** Waits for every alias at once; the first that does not end READY stops the rollout. */
  private async waitAll(
    aliases: readonly ProvisionedAlias[],
    moment: WaitMoment,
    weightPercent: number,
    signal?: AbortSignal
  ): Promise<void> {
    const when =
      moment === 'shift' || moment === 'hold'
        ? `after the shift to ${weightPercent}%`
        : `after the ${moment === 'headroom' ? 'raise' : 'promotion'}`;
    const targets = aliases.flatMap(({ target: index }) => {
      const target = this.active(index);
      return target?.confirmed ? [{ index, target, expected: intended(target.confirmed) }] : [];
    });
    const startedAt = this.deps.clock.now();
    const outcomes = await Promise.all(
      targets.map(({ index, target, expected }) => this.waitFor(index, target, expected, signal))
    );
    const waitedMs = this.deps.clock.now() - startedAt;
    this.waits.count += 1;
    this.waits.totalMs += waitedMs;
    const state = this.state.get();
    if (state.firstShiftAt !== undefined) this.state.set({ ...state, waitedMs: (state.waitedMs ?? 0) + waitedMs });
    outcomes.forEach((outcome, position) => {
      const { index } = targets[position]!;
      if (outcome.kind === 'ready' || outcome.kind === 'none') {
        this.state.set(withTarget(this.state.get(), index, { confirmed: outcome.alias }));
        if (outcome.kind === 'none') {
          this.deps.recorder.warning(
            `${this.label(index)} no longer has provisioned concurrency: someone removed it during the deployment`
          );
        }
      }
    });
    const stuck = outcomes.findIndex((outcome) => outcome.kind !== 'ready' && outcome.kind !== 'none');
    if (stuck >= 0) {
      const outcome = outcomes[stuck] as Exclude<ProvisionedWaitOutcome, { kind: 'ready' | 'none' }>;
      const label = this.label(targets[stuck]!.index);
      const message = `${describeUnsettled(label, outcome)} ${when}`;
      if (outcome.kind === 'moved') throw new AliasConflict(`${message}. It was left as it is`, outcome.alias);
      throw new RolloutFailure(message);
    }
    const ready = targets.map(({ index }) => `${this.label(index)} (${describeProvisioned(this.lastSeen.get(index)!)})`);
    if (ready.length > 0) {
      this.deps.recorder.event(
        `Provisioned concurrency READY ${when} after ${formatDuration(waitedMs)}: ${ready.join(', ')}` +
          (moment === 'shift' ? '; the bake starts now' : moment === 'hold' ? '; the hold starts now' : '')
      );
    }
  }

  private async waitFor(
    index: number,
    target: ActiveTarget,
    expected: AliasRouting,
    signal?: AbortSignal
  ): Promise<ProvisionedWaitOutcome> {
    const outcome = await waitForProvisionedConcurrency({
      lambda: this.deps.lambda,
      clock: this.deps.clock,
      functionRef: target.functionRef,
      alias: target.alias,
      expected,
      timeoutMs: this.limits.timeoutMs,
      pollIntervalMs: this.limits.pollIntervalMs,
      ...(signal ? { signal } : {}),
      onProgress: (provisioned, alias) =>
        this.deps.recorder.detail(
          `Provisioned concurrency of ${this.label(index)}: ${describeProvisioned(provisioned)}; the alias routes ${describeRouting(alias)}`
        )
    });
    if ('provisioned' in outcome && outcome.provisioned) this.lastSeen.set(index, outcome.provisioned);
    return outcome;
  }

  /** Puts each raised alias's PC back; a refusal is a warning (the traffic part is done), and stays owed. */
  private async restoreHeadroom(indexes: readonly number[], control: RolloutControl, signal?: AbortSignal): Promise<string[]> {
    const problems: string[] = [];
    for (const index of indexes) {
      const target = this.state.get().targets[index];
      const provisioned = target?.provisioned;
      if (!target || provisioned?.raisedTo === undefined || provisioned.restoredAt !== undefined) continue;
      if (target.leftToOtherWriter) {
        // Another writer took the alias: its setting is theirs to decide now.
        this.deps.recorder.warning(
          `The provisioned concurrency of ${this.label(index)} stays raised to ${provisioned.raisedTo}, as another writer took the ` +
            `alias; put it back when they are done: ${putBackCommand(target.functionRef, target.alias, provisioned.requested)}`
        );
        continue;
      }
      try {
        const answer = await this.deps.lambda.putProvisionedConcurrency(
          target.functionRef,
          target.alias,
          provisioned.requested,
          signal
        );
        this.setProvisioned(index, { ...provisioned, restoredAt: this.deps.clock.now() });
        this.deps.recorder.event(
          `Put the provisioned concurrency of ${this.label(index)} back to ${provisioned.requested}; Lambda reports ${describeProvisioned(answer)}`
        );
      } catch (error: unknown) {
        const problem =
          `the provisioned concurrency of ${this.label(index)} could not be put back to ${provisioned.requested} ` +
          `(${explainFailure(error)}); set it by hand: ${putBackCommand(target.functionRef, target.alias, provisioned.requested)}`;
        this.deps.recorder.warning(problem);
        problems.push(problem);
      } finally {
        control.save();
      }
    }
    return problems;
  }

  /** One read of the spill-over of every alias, attributed to the rollout's steps; a failure is only the summary's note. */
  private async spilloverOf(indexes: readonly number[], periodSeconds: number, signal?: AbortSignal): Promise<void> {
    const { metrics, clock, recorder } = this.deps;
    const state = this.state.get();
    const present = indexes.filter((index) => state.targets[index] !== undefined);
    if (!metrics) return;
    try {
      const steps = await readSpillover({
        metrics,
        clock,
        targets: present.map((index) => state.targets[index]!),
        timeline: recorder.timeline,
        ...(state.firstShiftAt !== undefined ? { firstShiftAt: state.firstShiftAt } : {}),
        periodSeconds,
        ...(signal ? { signal } : {})
      });
      if (!steps) return;
      const perTarget = new Map(present.map((index, position) => [index, steps[position]!]));
      this.spillover = { perTarget };
      for (const [index, counts] of perTarget) {
        recorder.detail(
          `Spill-over to standard concurrency on ${this.label(index)} (as CloudWatch had it now): ` +
            counts.map((step) => `${step.label}: ${step.calls} calls`).join(', ')
        );
      }
    } catch (error: unknown) {
      signal?.throwIfAborted();
      const problem = describeError(error);
      this.spillover = { perTarget: new Map(), problem };
      recorder.warning(`The spill-over of provisioned concurrency could not be read: ${problem}`);
    }
  }

  /**
   * After the runner undid what it changed: a rolled-back alias with PC counts as back only once
   * Lambda has moved the PC there and cleared its own weights (while they are on, calls still go to
   * the version rolled back). A failed allocation leaves its weights, and those route to the version
   * rolled back: clearing them (calls go to the previous version, on standard concurrency until its
   * PC is allocated) is then the fix, and is done. A cancelled run has no time to wait: what is
   * still moving is left to the post step. Then the headroom is put back, and the spill-over read.
   */
  async afterUndo(undo: Undo, control: RolloutControl, cancelled: boolean, signal?: AbortSignal): Promise<Undo> {
    const putBack = undo.kind === 'undone' || (undo.kind === 'left-alone' && undo.others?.undo.kind === 'undone');
    const settled = putBack ? await this.settleRollback(cancelled, signal) : undefined;
    const headroom = await this.restoreHeadroom(
      this.state.get().targets.map((_, index) => index),
      control,
      cancelled ? undefined : signal
    );
    if (!cancelled) await this.spilloverOf([...this.found.keys()], this.limits.periodSeconds);
    const problems = [...(settled ? [settled.problem] : []), ...headroom];
    if (problems.length === 0) return undo;
    // What Lambda has not finished, and a headroom still raised, are owed to the post step.
    const owed = (before: Extract<Undo, { kind: 'undone' | 'not-undone' }>): Extract<Undo, { kind: 'not-undone' }> =>
      before.kind === 'not-undone'
        ? { ...before, problem: [before.problem, ...problems].join('; '), owed: true }
        : { kind: 'not-undone', problem: problems.join('; '), owed: true };
    switch (undo.kind) {
      case 'left-alone':
        return undo.others ? { ...undo, others: { ...undo.others, undo: owed(undo.others.undo) } } : undo;
      case 'nothing-to-undo':
        return owed({ kind: 'undone' });
      default:
        return owed(undo);
    }
  }

  private async settleRollback(
    cancelled: boolean,
    signal?: AbortSignal
  ): Promise<Extract<Undo, { kind: 'not-undone' }> | undefined> {
    const rolledBack = activeTargets(this.state.get()).filter(
      ({ target }) => target.provisioned && target.aliasTouched && target.previousVersion !== undefined
    );
    const problems: string[] = [];
    for (const { index, target } of rolledBack) {
      const version = target.previousVersion!;
      if (cancelled) {
        // The runner kills the process soon: one quick look, no wait.
        const alias = await withDeadline(this.deps.clock, CANCELLED_LOOK_MS, 'a look at the alias', undefined, (bounded) =>
          this.deps.lambda.getAlias(target.functionRef, target.alias, bounded)
        ).catch(() => undefined);
        if (alias && lambdaAllocation(alias)) {
          problems.push(
            `${this.label(index)}: Lambda still routes every call to version ${lambdaAllocation(alias)!.serving} while it allocates provisioned concurrency on version ${version}`
          );
        }
        continue;
      }
      const outcome = await this.waitFor(index, target, { version }, signal);
      if (outcome.kind === 'ready' || outcome.kind === 'none') {
        this.deps.recorder.event(`Provisioned concurrency of ${this.label(index)} is READY on version ${version} again`, 0);
        continue;
      }
      if (outcome.kind === 'failed' && outcome.alias && lambdaAllocation(outcome.alias)) {
        const cleared = await this.clearWeights(index, target, version, outcome.alias.revisionId, outcome.provisioned, signal);
        if (!cleared) problems.push(`${this.label(index)}: ${describeUnsettled(this.label(index), outcome)}`);
        continue;
      }
      if (outcome.kind === 'failed' || outcome.kind === 'moved') {
        this.deps.recorder.warning(
          `${describeUnsettled(this.label(index), outcome)} after the rollback; the alias routes to version ${version}`
        );
        continue;
      }
      problems.push(`${this.label(index)}: ${describeUnsettled(this.label(index), outcome)} after the rollback`);
    }
    if (problems.length === 0) return undefined;
    return { kind: 'not-undone', problem: problems.join('; '), owed: true };
  }

  /** A failed allocation left Lambda's weights, routing to the version rolled back: they are cleared, calls go to `version`. */
  private async clearWeights(
    index: number,
    target: ActiveTarget,
    version: string,
    revisionId: string,
    provisioned: ProvisionedConcurrency,
    signal?: AbortSignal
  ): Promise<boolean> {
    try {
      const alias = await this.deps.lambda.updateAlias(target.functionRef, target.alias, { version }, revisionId, signal);
      this.state.set(withTarget(this.state.get(), index, { confirmed: alias }));
      this.deps.recorder.warning(
        `Lambda could not allocate the provisioned concurrency of ${this.label(index)} on version ${version} ` +
          `(${provisioned.statusReason ?? 'no reason given'}) and left its own weights, which sent every call to version ` +
          `${target.targetVersion}: they were cleared, so calls go to version ${version} (on standard concurrency until Lambda allocates it)`
      );
      return true;
    } catch (error: unknown) {
      this.deps.recorder.warning(`Lambda's own weights on ${this.label(index)} could not be cleared: ${explainFailure(error)}`);
      return false;
    }
  }

  /** The summary's rows. */
  facts(): SummaryFact[] {
    const state = this.state.get();
    const aliases: ProvisionedAliasReport[] = [...this.found.entries()].map(([index, { provisioned, memorySizeMb }]) => {
      const own = state.targets[index]?.provisioned;
      const last = this.lastSeen.get(index);
      const spillover = this.spillover?.perTarget.get(index);
      return {
        label: this.label(index),
        found: provisioned,
        ...(last ? { last } : {}),
        ...(memorySizeMb !== undefined ? { memorySizeMb } : {}),
        ...(own?.raisedTo !== undefined && own.raisedAt !== undefined
          ? {
              headroom: {
                from: own.requested,
                to: own.raisedTo,
                restored: own.restoredAt !== undefined,
                cost: headroomCost(
                  own.raisedTo - own.requested,
                  own.raisedAt,
                  own.restoredAt ?? this.deps.clock.now(),
                  memorySizeMb
                )
              }
            }
          : {}),
        ...(spillover ? { spillover } : {})
      };
    });
    return provisionedFacts(aliases, this.waits, this.spillover?.problem);
  }

  private active(index: number): ActiveTarget | undefined {
    return activeTargets(this.state.get()).find((entry) => entry.index === index)?.target;
  }

  private setProvisioned(index: number, provisioned: ProvisionedTarget): void {
    this.state.set(withTarget(this.state.get(), index, { provisioned }));
  }

  private label(index: number): string {
    const state = this.state.get();
    const target = state.targets[index]!;
    return aliasLabel(target.functionName, target.alias, state.targets.length > 1);
  }
}

const DONE: StepOutcome = { kind: 'done' };

/** The routing a write asked for: Lambda's own weights on the way there are not part of it. */
function intended(alias: AliasRouting): AliasRouting {
  return lambdaAllocation(alias) ? { version: alias.version } : alias;
}

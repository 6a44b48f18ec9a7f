import { qualifiedArn } from '../../aws/arn.js';
import { mayHaveApplied } from '../../aws/failures.js';
import type { AliasWrite, LambdaGateway } from '../../aws/lambda-gateway.js';
import { promotedDescription } from '../../alias/last-good.js';
import { descriptionWithHold, formatInstant } from '../../alias/hold.js';
import { aliasLabel, lambdaAllocation, servingVersion, splitRouting } from '../../alias/routing.js';
import type { SpilloverMetrics } from '../../aws/metrics-gateway.js';
import { LAMBDA_METRIC_PERIOD_SECONDS } from '../../core/analysis.js';
import type { BakeCheck, DataDelay, ShiftingVersions } from '../../checks/checks.js';
import type { Settings } from '../../config/settings.js';
import type { Clock } from '../../core/clock.js';
import { formatDuration } from '../../core/duration.js';
import { RolloutFailure } from '../../core/failure.js';
import type { LifecycleEvent } from '../../core/lifecycle.js';
import type { RunContext } from '../../core/run-context.js';
import { hookPayload } from '../../hooks/payload.js';
import type { FunctionFacts, HookBinding, HookPayload } from '../../hooks/traffic-hook.js';
import type {
  Engine,
  EngineLook,
  EngineRun,
  Failure,
  FoundFunction,
  Release,
  RolloutControl,
  StepOutcome,
  TailPlan,
  Undo
} from '../../rollout/engine.js';
import type { Recorder } from '../../rollout/recorder.js';
import type { EngineResult, HeldAt, SummaryFact } from '../../rollout/result.js';
import type { ScheduleStep, Strategy } from '../../core/schedule.js';
import { AliasConflict, AliasWriter } from './alias-writer.js';
import { bake } from './bake.js';
import { bakeDeadline } from './bake-schedule.js';
import {
  describeRunnerStep,
  longestWait,
  phaseOfStep,
  planPromotion,
  planShifting,
  RUNNER_PHASE_TITLES,
  type RunnerStep
} from './plan.js';
import { PollLog } from './poll-log.js';
import type { HeldTarget } from './promotion.js';
import { ProvisionedWork } from './provisioned/work.js';
import {
  activeTargets,
  failedWrite,
  INITIAL_STATE,
  isShifting,
  leftToOtherWriter,
  rollbackActionOf,
  withTarget,
  writing,
  written,
  type ActiveTarget,
  type RunnerState
} from './state.js';
import { undoTargets } from './undo.js';

/** Check reads that may fail in a row before the rollout stops trusting them. */
const MAX_CHECK_ERRORS = 3;
/** A poll of the checks may take this long (or one poll interval, if longer) before it counts as failed. */
const MIN_POLL_LIMIT_MS = 10_000;

/** What the runner talks to. */
export interface RunnerDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** What judges the new version while it bakes. */
  readonly checks: readonly BakeCheck[];
  /** The hooks of each event, in order, each for one function or (commands) for the whole rollout. */
  readonly hooks: { readonly [event in LifecycleEvent]: readonly HookBinding[] };
  /** The workflow run this deployment comes from, for the hooks. */
  readonly source?: RunContext;
  /** How long a rollback keeps retrying before it gives up and prints the manual fix. */
  readonly rollbackBudgetMs?: number;
  /** The same once cancelled: the runner kills the process 10 s after its SIGINT. */
  readonly cancelledRollbackBudgetMs?: number;
  /** Reads the spill-over of aliases with provisioned concurrency, for the summary. */
  readonly metrics?: SpilloverMetrics;
}

/** The settings the runner reads. */
export type RunnerSettings = Pick<
  Settings,
  'strategy' | 'alarmPollIntervalMs' | 'maxBakeExtensionMs' | 'provisionedConcurrency' | 'holdMaxAgeMs'
> &
  Partial<Pick<Settings, 'analysis'>>;

/** The runner's result: where it holds, when it does. */
export interface RunnerResult extends EngineResult {
  readonly kind: 'runner';
}

/**
 * The runner engine: this action moves the traffic from the runner, weight by weight, watching
 * the checks while each step bakes, and puts every alias back on any failure. Its state is a plain
 * value (see state.ts): a runner made with a saved state goes on from there.
 */
export class RunnerEngine implements Engine<RunnerStep, undefined> {
  readonly phaseTitles = RUNNER_PHASE_TITLES;
  private readonly pollLog: PollLog;
  /** Aliases with provisioned concurrency: its steps, the end of a rollback, its part of the summary. */
  private readonly provisioned: ProvisionedWork;
  /** Where the run stopped on purpose (a hold step), once the aliases say so. */
  private held?: HeldAt;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly settings: RunnerSettings,
    /** This action's own deployment id, told to the hooks. */
    private readonly deploymentId: string,
    private state: RunnerState = INITIAL_STATE
  ) {
    this.pollLog = new PollLog(deps.recorder, deps.clock);
    const { timeoutMs, pollIntervalMs } = settings.provisionedConcurrency;
    this.provisioned = new ProvisionedWork(
      deps,
      { get: () => this.state, set: (state) => (this.state = state) },
      { timeoutMs, pollIntervalMs, periodSeconds: settings.analysis?.periodSeconds ?? LAMBDA_METRIC_PERIOD_SECONDS }
    );
  }

  async preflight(): Promise<EngineLook<undefined>> {
    if (this.deps.checks.length === 0)
      this.deps.recorder.warning('no alarms and no analysis inputs given: nothing will stop a bad version while it bakes');
    return { problems: [], facts: undefined };
  }

  plan(functions: readonly FoundFunction[]): TailPlan<RunnerStep> {
    this.state = {
      ...this.state,
      targets: functions.map((fn) => ({
        functionName: fn.name,
        functionRef: fn.arn,
        alias: fn.alias,
        ...(fn.found ? { previousVersion: servingVersion(fn.found), confirmed: fn.found } : {}),
        ...(fn.found && fn.provisioned ? { provisioned: { requested: fn.provisioned.requested } } : {}),
        alreadyLive: false,
        aliasTouched: false,
        aliasCreated: false,
        aliasWritten: false
      }))
    };
    functions.forEach((fn, index) => {
      if (fn.found && fn.provisioned) this.provisioned.record(index, fn.provisioned, fn.memorySizeMb);
    });
    const { deps, settings } = this;
    const { timeoutMs, pollIntervalMs, headroom } = settings.provisionedConcurrency;
    if (settings.strategy.hold && functions.length > 0 && functions.every((fn) => !fn.found)) {
      deps.recorder.warning(
        'the strategy holds for approval, but this is a first deployment: with no version to shift from there is nothing ' +
          'to hold against, so the alias is created on the new version'
      );
    }
    return {
      problems: holdProblems(functions, settings.strategy),
      steps: planShifting({
        targets: functions.map((fn) => ({
          name: fn.name,
          alias: fn.alias,
          ...(fn.found ? { liveVersion: servingVersion(fn.found) } : {})
        })),
        strategy: settings.strategy,
        hooks: {
          BeforeAllowTraffic: deps.hooks.BeforeAllowTraffic.map((binding) => this.hookLabel(binding)),
          AfterAllowTraffic: deps.hooks.AfterAllowTraffic.map((binding) => this.hookLabel(binding))
        },
        checks: [...new Set(deps.checks.map((check) => check.name))],
        pollIntervalMs: settings.alarmPollIntervalMs,
        provisioned: {
          aliases: functions.flatMap((fn, index) =>
            fn.found && fn.provisioned
              ? [{ target: index, label: `${fn.name}:${fn.alias}`, requested: fn.provisioned.requested }]
              : []
          ),
          timeoutMs,
          pollIntervalMs,
          ...(headroom ? { headroom } : {}),
          periodSeconds: settings.analysis?.periodSeconds ?? LAMBDA_METRIC_PERIOD_SECONDS
        },
        holdMaxAgeMs: settings.holdMaxAgeMs,
        ...waitOf(deps.checks)
      })
    };
  }

  /**
   * A promotion's steps, for a runner made from a hold's state (stateFromHold): judge the hold's
   * window, the steps after it (none when expedited), 100 %, this job's post-traffic hooks and checks.
   */
  planPromotion(held: {
    readonly weightPercent: number;
    readonly heldAtMs: number;
    readonly then: readonly ScheduleStep[];
    readonly targets: readonly HeldTarget[];
  }): RunnerStep[] {
    const { deps, settings } = this;
    held.targets.forEach((target, index) => {
      if (target.provisioned) this.provisioned.record(index, target.provisioned);
    });
    const { timeoutMs, pollIntervalMs } = settings.provisionedConcurrency;
    return planPromotion({
      aliases: this.state.targets.map((target) => `${target.functionName}:${target.alias}`),
      weightPercent: held.weightPercent,
      heldAtMs: held.heldAtMs,
      then: held.then,
      afterAllowTraffic: deps.hooks.AfterAllowTraffic.map((binding) => this.hookLabel(binding)),
      checks: [...new Set(deps.checks.map((check) => check.name))],
      pollIntervalMs: settings.alarmPollIntervalMs,
      provisioned: {
        aliases: held.targets.flatMap((target, index) =>
          target.provisioned
            ? [{ target: index, label: `${target.functionName}:${target.alias.name}`, requested: target.provisioned.requested }]
            : []
        ),
        timeoutMs,
        pollIntervalMs,
        periodSeconds: settings.analysis?.periodSeconds ?? LAMBDA_METRIC_PERIOD_SECONDS
      },
      ...waitOf(deps.checks)
    });
  }

  describe(step: RunnerStep): string {
    return describeRunnerStep(step);
  }

  phaseOf(step: RunnerStep): string | undefined {
    return phaseOfStep(step);
  }

  begin(releases: readonly Release[]): EngineRun<RunnerStep> {
    for (const release of releases) {
      this.state = withTarget(this.state, release.target, {
        targetVersion: release.version,
        alreadyLive: release.alreadyLive,
        confirmed: release.alias
      });
    }
    return { apply: (step, control, signal) => this.apply(step, control, signal) };
  }

  /** The runner's part of the snapshot: its whole state. */
  snapshot(): RunnerState {
    return this.state;
  }

  result(): RunnerResult {
    const provisioned = this.provisioned.facts();
    const facts = [...(this.held ? heldFacts(this.held) : []), ...provisioned];
    return { kind: 'runner', ...(this.held ? { held: this.held } : {}), ...(facts.length > 0 ? { facts } : {}) };
  }

  /**
   * Puts back every alias that may have changed. An alias another actor changed (a conflict) is
   * theirs and left alone (see writeAll); with several functions, every other alias shares the
   * rollout's fate and is put back all the same. Aliases with provisioned concurrency count as back
   * once Lambda has moved it there, and a headroom is put back.
   */
  async onFailure(failure: Failure, control: RolloutControl, signal?: AbortSignal): Promise<Undo> {
    const undo = await this.undoAliases(failure, control, signal);
    return this.provisioned.afterUndo(undo, control, failure.cancelled, signal);
  }

  private async undoAliases(failure: Failure, control: RolloutControl, signal?: AbortSignal): Promise<Undo> {
    const several = this.state.targets.length > 1;
    const undo = activeTargets(this.state)
      .map(({ target }) => target)
      .filter((target) => rollbackActionOf(target).kind !== 'none');
    const conflict = failure.error instanceof AliasConflict;
    if (conflict && undo.length === 0) return { kind: 'left-alone' };
    // A target whose published version was live already was never written: only the rest can need undoing.
    if (undo.length === 0) return { kind: 'nothing-to-undo' };
    control.enter('rollback');
    this.deps.recorder.event(`${conflict ? 'Rolling back every other alias' : 'Rolling back'}: ${failure.reason}`);
    const undone = await undoTargets(undo, this.deps, signal, several);
    const outcome: Extract<Undo, { kind: 'undone' | 'not-undone' }> = undone.ok
      ? { kind: 'undone' }
      : {
          kind: 'not-undone',
          problem: undone.problem,
          ...(undone.manualFix ? { manualFix: undone.manualFix } : {}),
          owed: undone.owed
        };
    if (!conflict) return outcome;
    const aliases = undo.map((target) => aliasLabel(target.functionName, target.alias, true));
    return { kind: 'left-alone', others: { aliases, undo: outcome } };
  }

  private async apply(step: RunnerStep, control: RolloutControl, signal?: AbortSignal): Promise<StepOutcome> {
    try {
      const outcome = await this.applyStep(step, control, signal);
      if (outcome.kind === 'done') this.state = { ...this.state, applied: this.state.applied + 1 };
      return outcome;
    } catch (error: unknown) {
      return { kind: 'failed', error };
    }
  }

  private async applyStep(step: RunnerStep, control: RolloutControl, signal?: AbortSignal): Promise<StepOutcome> {
    switch (step.kind) {
      case 'hooks':
        await this.runHooks(step.event, signal);
        return DONE;
      case 'check':
        // The last check reads again only once something could have changed: right after the
        // promotion with no post-traffic hook, the read before the promotion is not half a poll old.
        if (step.moment === 'after-promotion' && this.checkedWithin(this.settings.alarmPollIntervalMs / 2)) return DONE;
        await this.bakeUntil(this.deps.clock.now(), step.moment === 'before-first-shift' ? 0 : 100, signal);
        return DONE;
      case 'shift':
        return this.shift(step, control, signal);
      case 'bake': {
        // Waits for provisioned concurrency push the end back (they are part of no bake), as steps held for data do.
        const heldBefore = this.state.heldMs ?? 0;
        const deadline = bakeDeadline(
          this.state.firstShiftAt ?? this.deps.clock.now(),
          step.untilMs,
          heldBefore + (this.state.waitedMs ?? 0)
        );
        const held = await this.bakeUntil(deadline, step.weightPercent, signal, { step: { number: step.number, of: step.of } });
        if (held > 0) this.state = { ...this.state, heldMs: heldBefore + held };
        return DONE;
      }
      case 'promote':
        return this.promote(control, signal);
      case 'hold':
        return this.hold(step, control, signal);
      case 'judge-hold':
        await this.judgeHold(step, signal);
        return DONE;
      default:
        return this.provisioned.apply(step, control, signal);
    }
  }

  /**
   * Shifts to the held weight with each alias's record saying so in the same write, and ends the run:
   * the aliases stay split on purpose until a later job promotes or aborts.
   */
  private async hold(
    step: Extract<RunnerStep, { kind: 'hold' }>,
    control: RolloutControl,
    signal?: AbortSignal
  ): Promise<StepOutcome> {
    const shifting = activeTargets(this.state).flatMap(({ index, target }) => (isShifting(target) ? [{ index, target }] : []));
    const { clock, recorder } = this.deps;
    this.state = { ...this.state, firstShiftAt: this.state.firstShiftAt ?? clock.now() };
    const heldAt = Math.floor(clock.now() / 1000);
    const outcome = await this.writeAll(shifting, control, signal, (target) => ({
      ...splitRouting(target.previousVersion, target.targetVersion, step.weightPercent),
      description: descriptionWithHold(target.confirmed?.description, {
        deploymentId: this.deploymentId,
        previousVersion: target.previousVersion,
        newVersion: target.targetVersion,
        weightPercent: step.weightPercent,
        remaining: step.afterHold,
        heldAt,
        maxAgeSeconds: Math.round(step.maxAgeMs / 1000)
      })
    }));
    if (outcome.kind !== 'done') return outcome;
    // Aliases with provisioned concurrency: the run ends held only once Lambda has allocated it (FAILED rolls back).
    for (const settle of step.settle) await this.provisioned.apply(settle, control, signal);
    this.held = {
      weightPercent: step.weightPercent,
      heldAtMs: heldAt * 1000,
      maxAgeMs: step.maxAgeMs,
      afterHold: step.afterHold
    };
    const where = shifting.map(({ target }) => aliasLabel(target.functionName, target.alias, this.state.targets.length > 1));
    recorder.event(
      `Holding ${where.join(', ')} at ${step.weightPercent}% of traffic on the new version, waiting for approval: ` +
        `operation promote goes on (${step.afterHold}), operation abort goes back, within ${formatDuration(step.maxAgeMs)}`,
      step.weightPercent
    );
    return { kind: 'ended', ending: { status: 'held', cancelled: false, owed: false } };
  }

  /** The hold's whole window judged at once, as a bake that began when the hold did and ends now. */
  private async judgeHold(step: Extract<RunnerStep, { kind: 'judge-hold' }>, signal?: AbortSignal): Promise<void> {
    const { clock, recorder } = this.deps;
    const since = formatDuration(Math.round(Math.max(0, clock.now() - step.heldAtMs) / 1000) * 1000);
    recorder.event(`Judging the hold's window (${since}, at ${step.weightPercent}%) with ${step.checks.join(', ')}`);
    await this.bakeUntil(clock.now(), step.weightPercent, signal, { stepStart: step.heldAtMs });
    recorder.event(`The hold's window passed the checks (${step.checks.join(', ')})`);
  }

  /**
   * Each function's own hooks (skipping a function that dropped out, its version already live), then
   * those of the whole rollout, which are told every function's versions.
   */
  private async runHooks(event: LifecycleEvent, signal?: AbortSignal): Promise<void> {
    const active = activeTargets(this.state);
    const [first] = active;
    if (!first) return;
    for (const binding of this.deps.hooks[event]) {
      const own = binding.target === undefined ? undefined : active.find(({ index }) => index === binding.target);
      if (binding.target !== undefined && !own) continue;
      const payload = own
        ? this.payload(own.target, event)
        : this.payload(
            first.target,
            event,
            active.map(({ target }) => target)
          );
      const outcome = await binding.hook.run(payload, signal);
      const label = this.hookLabel(binding);
      this.deps.recorder.recordHook(outcome);
      if (!outcome.passed) throw new RolloutFailure(`${event} hook ${label} failed: ${outcome.reason}`);
      this.deps.recorder.event(`${event} hook ${label} passed in ${formatDuration(outcome.durationMs)}`);
    }
  }

  /** Sets the weight on every alias that has a version to shift from; the writes go out together. */
  private async shift(
    step: Extract<RunnerStep, { kind: 'shift' }>,
    control: RolloutControl,
    signal?: AbortSignal
  ): Promise<StepOutcome> {
    const shifting = activeTargets(this.state).flatMap(({ index, target }) => (isShifting(target) ? [{ index, target }] : []));
    this.state = { ...this.state, firstShiftAt: this.state.firstShiftAt ?? this.deps.clock.now() };
    const outcome = await this.writeAll(shifting, control, signal, (target) =>
      splitRouting(target.previousVersion, target.targetVersion, step.weightPercent)
    );
    if (outcome.kind !== 'done') return outcome;
    const where =
      this.state.targets.length === 1
        ? shifting.map(({ target }) => `version ${target.targetVersion}`).join(', ')
        : shifting.map(({ target }) => `${target.functionName}:${target.targetVersion}`).join(', ');
    const wait = step.wait ? `, then up to ${formatDuration(longestWait(step.wait))} for ${step.wait.what}` : '';
    this.deps.recorder.event(
      `Step ${step.number}/${step.of}: ${step.weightPercent}% of traffic on ${where}, baking for ${formatDuration(step.bakeMs)}${wait}`,
      step.weightPercent
    );
    return DONE;
  }

  private async promote(control: RolloutControl, signal?: AbortSignal): Promise<StepOutcome> {
    const active = activeTargets(this.state);
    // The promoting write records the version as good on the alias (for rollback-to: last-good); a
    // rollback after it (post-traffic hook, last check) takes it out again (alias/restore.ts).
    const outcome = await this.writeAll(active, control, signal, (target) => ({
      version: target.targetVersion,
      description: promotedDescription(target.confirmed?.description, target.targetVersion)
    }));
    if (outcome.kind !== 'done') return outcome;
    for (const { index, target } of active) {
      const alias = aliasLabel(target.functionName, target.alias, this.state.targets.length > 1);
      const allocation = this.state.targets[index]?.confirmed && lambdaAllocation(this.state.targets[index]!.confirmed!);
      this.deps.recorder.event(
        allocation
          ? `Alias ${alias} is on version ${target.targetVersion}; Lambda sends its calls to version ${allocation.serving} ` +
              `until the provisioned concurrency of version ${target.targetVersion} is allocated`
          : `Alias ${alias} now sends 100% of traffic to version ${target.targetVersion}`,
        100
      );
    }
    return DONE;
  }

  /**
   * Watches the checks until `deadline`; an unhealthy verdict ends the rollout. Returns how long it
   * held past the deadline. `step`: which weighted step it bakes; `stepStart`: when the weight judged
   * was set (a hold's start, for a promotion's judgement of the hold).
   */
  private async bakeUntil(
    deadline: number,
    weightPercent: number,
    signal?: AbortSignal,
    about: { readonly step?: { readonly number: number; readonly of: number }; readonly stepStart?: number } = {}
  ): Promise<number> {
    const { clock, checks } = this.deps;
    const { step, stepStart } = about;
    const intervalMs = this.settings.alarmPollIntervalMs;
    const outcome = await bake({
      checks,
      clock,
      stepStart: stepStart ?? clock.now(),
      deadline,
      intervalMs,
      maxCheckErrors: MAX_CHECK_ERRORS,
      maxExtensionMs: this.settings.maxBakeExtensionMs,
      pollLimitMs: Math.max(intervalMs, MIN_POLL_LIMIT_MS),
      weightPercent,
      ...(step ? { step } : {}),
      versions: this.shiftingVersions(),
      signal,
      onObservation: (observation) => this.pollLog.record(observation)
    });
    this.state = { ...this.state, checkedAt: clock.now() };
    if (!outcome.healthy) throw new RolloutFailure(outcome.reason);
    return outcome.heldMs;
  }

  private checkedWithin(ms: number): boolean {
    const { checkedAt } = this.state;
    return checkedAt !== undefined && this.deps.clock.now() - checkedAt < ms;
  }

  /** Each alias's new and previous version, for the checks that compare them. */
  private shiftingVersions(): ShiftingVersions[] {
    return activeTargets(this.state).flatMap(({ target }) =>
      isShifting(target)
        ? [
            {
              functionName: target.functionName,
              alias: target.alias,
              target: target.targetVersion,
              previous: target.previousVersion
            }
          ]
        : []
    );
  }

  /**
   * One write per target, sent together: an alias that exists gets `routing`, guarded by its
   * RevisionId as Lambda last confirmed it; one that does not is created on the new version. The
   * snapshot is saved before each write is sent and once all have settled, so that the post step
   * knows what each alias may be; if one write fails, the others still settle first.
   */
  private async writeAll<T extends ActiveTarget>(
    targets: ReadonlyArray<{ index: number; target: T }>,
    control: RolloutControl,
    signal: AbortSignal | undefined,
    routing: (target: T) => AliasWrite
  ): Promise<StepOutcome> {
    const writes = await Promise.allSettled(
      targets.map(async ({ index, target }) => {
        const creates = target.previousVersion === undefined;
        const { confirmed } = target;
        // The last write's answer was lost: the rollout stopped then, and never writes blind.
        if (!creates && !confirmed) {
          throw new RolloutFailure(
            `the alias ${target.alias} of ${target.functionName} was not read back after a write with no answer`
          );
        }
        this.state = withTarget(this.state, index, writing(creates));
        control.save();
        const label = aliasLabel(target.functionName, target.alias, this.state.targets.length > 1);
        const writer = new AliasWriter(this.deps.lambda, target.functionRef, target.alias, label);
        try {
          const alias =
            !creates && confirmed
              ? await writer.update(confirmed, routing(target), signal)
              : await writer.create({ ...routing(target), version: target.targetVersion }, signal);
          this.state = withTarget(this.state, index, written(alias));
        } catch (error: unknown) {
          // An alias another writer changed is theirs now: never written or undone again, here or by the post step.
          this.state = withTarget(
            this.state,
            index,
            error instanceof AliasConflict ? leftToOtherWriter(error.found) : failedWrite(target, mayHaveApplied(error))
          );
          throw error;
        }
      })
    );
    control.save();
    const failed = writes.findIndex((settled) => settled.status === 'rejected');
    const rejected = writes[failed];
    if (!rejected || rejected.status !== 'rejected') return DONE;
    const { target } = targets[failed]!;
    const where = this.state.targets.length > 1 ? aliasLabel(target.functionName, target.alias, true) : undefined;
    return { kind: 'failed', error: rejected.reason, ...(where ? { where } : {}) };
  }

  /** A hook as the plan names it: with its function when several are deployed. */
  private hookLabel(binding: HookBinding): string {
    const target = binding.target === undefined ? undefined : this.state.targets[binding.target];
    return target && this.state.targets.length > 1 ? `${binding.hook.label} (${target.functionName})` : binding.hook.label;
  }

  /** A hook's payload: about `target`, and with `all` the functions of the rollout for a hook of them all. */
  private payload(target: ActiveTarget, event: LifecycleEvent, all?: readonly ActiveTarget[]): HookPayload {
    return hookPayload(
      {
        deploymentId: this.deploymentId,
        functionName: target.functionName,
        functionArn: target.functionRef,
        alias: target.alias,
        previousVersion: target.previousVersion,
        target: { version: target.targetVersion, arn: qualifiedArn(target.functionRef, target.targetVersion) },
        strategy: this.settings.strategy.name,
        source: this.deps.source,
        ...(all ? { functions: all.map(functionFacts) } : {})
      },
      event
    );
  }
}

const DONE: StepOutcome = { kind: 'done' };

/** The longest wait any check adds to each step (once their preflights ran), as the plan's facts take it. */
function waitOf(checks: readonly BakeCheck[]): { wait?: DataDelay } {
  const waits = checks.flatMap((check) => check.dataDelay() ?? []);
  const longest = waits.reduce<DataDelay | undefined>((a, b) => (a && longestWait(a) >= longestWait(b) ? a : b), undefined);
  return longest ? { wait: longest } : {};
}

/**
 * A hold needs a version to shift from on every alias: with none, nothing could be held (a first
 * deployment goes straight to 100 %, as Argo Rollouts does); with some, the new aliases would wait
 * for a promotion that has no record of them.
 */
function holdProblems(functions: readonly FoundFunction[], strategy: Strategy): string[] {
  if (!strategy.hold) return [];
  const created = functions.filter((fn) => !fn.found);
  if (created.length === 0 || created.length === functions.length) return [];
  return [
    `the strategy holds for approval, and ${created.map((fn) => `${fn.name}:${fn.alias}`).join(', ')} does not exist yet: ` +
      'a new alias has no version to hold against. Deploy those functions on their own first'
  ];
}

/** The summary's rows for a run that holds. */
function heldFacts(held: HeldAt): SummaryFact[] {
  return [
    { label: 'Held at', parts: [{ text: `${held.weightPercent}% on the new version since ${formatInstant(held.heldAtMs)}` }] },
    {
      label: 'Next',
      parts: [
        {
          text:
            `operation: promote (then ${held.afterHold}) or operation: abort, before ` +
            `${formatInstant(held.heldAtMs + held.maxAgeMs)} (hold-max-age ${formatDuration(held.maxAgeMs)})`
        }
      ]
    }
  ];
}

/** One function's facts for a hook that runs for every function. */
function functionFacts(target: ActiveTarget): FunctionFacts {
  return {
    functionName: target.functionName,
    functionArn: target.functionRef,
    alias: target.alias,
    aliasArn: qualifiedArn(target.functionRef, target.alias),
    currentVersion: target.previousVersion ?? null,
    targetVersion: target.targetVersion,
    targetVersionArn: qualifiedArn(target.functionRef, target.targetVersion)
  };
}

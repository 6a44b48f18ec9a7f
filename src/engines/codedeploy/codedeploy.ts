import type { CodeDeployGateway } from '../../aws/codedeploy-gateway.js';
import { mayHaveApplied } from '../../aws/failures.js';
import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import { recordPromotion } from '../../alias/last-good.js';
import type { Clock } from '../../core/clock.js';
import { describeError } from '../../core/errors.js';
import { RolloutFailure } from '../../core/failure.js';
import { FAILURE_REASON_MAX_CHARS } from '../../core/limits.js';
import type { LifecycleEvent } from '../../core/lifecycle.js';
import type { RunContext } from '../../core/run-context.js';
import { capText } from '../../core/text.js';
import type { HookBinding } from '../../hooks/traffic-hook.js';
import type { BakeCheck } from '../../checks/checks.js';
import { formatDuration } from '../../core/duration.js';
import { finalBakeReason, isInconclusiveFinalBake } from '../../rollout/bake.js';
import {
  describeFinalBakeStep,
  describePutBack,
  putBack,
  runFinalBake,
  type CodeDeployFinalBakeStep,
  type FinalBakeSettings
} from './final-bake.js';
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
import { codeDeployConsoleUrl, codeDeployResult, type CodeDeployResult } from './result.js';
import {
  CODEDEPLOY_PHASE_TITLES,
  create,
  describeCodeDeployStep,
  graceAfter,
  lookAtCodeDeploy,
  newDeployment,
  planHandOver,
  type CodeDeployStep,
  type HandOverLook,
  type HandOverSettings
} from './hand-over.js';
import { deploymentMarker, type CodeDeploySnapshot, type HandOverState } from './snapshot.js';
import { DeploymentLog, stopOnCancel, watchDeployment, type Watched, type WatchDeps, type WatchOutcome } from './watch.js';

/** How long CreateDeployment may still run after a cancellation, so that its answer (the id to stop) is not lost. */
const CREATE_GRACE_MS = 4_000;

/** What the CodeDeploy engine talks to. */
export interface CodeDeployDeps {
  readonly codedeploy: CodeDeployGateway;
  /** To read the alias back once CodeDeploy is done with it. */
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** The Lambda hooks, for the plan to name (CodeDeploy invokes them). */
  readonly hooks: { readonly [event in LifecycleEvent]: readonly HookBinding[] };
  readonly source?: RunContext;
  /** How long a cancelled job may take to stop the deployment; default 8 s. */
  readonly cancelledRollbackBudgetMs?: number;
  /** What watches the new version during the final bake (the alarms). */
  readonly checks?: readonly BakeCheck[];
  /** How long putting the alias back after a failed final bake keeps retrying. */
  readonly rollbackBudgetMs?: number;
}

/** The settings of a hand-over, and how often the deployment is read while watched. */
export interface CodeDeployRolloutSettings extends HandOverSettings {
  readonly pollIntervalMs: number;
  /** Keep watching once CodeDeploy reports success (`final-bake`); undefined: none. */
  readonly finalBake?: FinalBakeSettings;
  /** A progress line at least this often while the deployment runs; undefined: a minute. */
  readonly progressIntervalMs?: number;
}

/** The engine's steps: CodeDeploy's hand-over and watch, then the action's own final bake. */
export type CodeDeployEngineStep = CodeDeployStep | CodeDeployFinalBakeStep;

/**
 * The CodeDeploy engine: after the publish, the rollout is AWS CodeDeploy's. Its preflight looks
 * at the application, the group and the configuration; its plan creates what is missing and hands
 * the new version over in one deployment; then it watches the deployment to its end (unless told
 * not to wait) and reports it as CodeDeploy ended it. The alias's routing is never written here; once
 * the deployment succeeded, its description gets the record of the promoted version (alias/last-good.ts).
 */
export class CodeDeployEngine implements Engine<CodeDeployEngineStep, HandOverLook> {
  readonly phaseTitles = CODEDEPLOY_PHASE_TITLES;
  private state: HandOverState;
  /** The alias CodeDeploy moves and the version, as they become known (for the result). */
  private moves?: { readonly alias: string; readonly version?: string };
  /** How the watch ended, when it did. */
  private outcome?: WatchOutcome;
  /** When CodeDeploy took the deployment: the new version takes traffic from about then on. */
  private handedOverAt?: number;
  /** How the final bake went, for the summary, once it began. */
  private finalBakeOutcome?: string;

  constructor(
    private readonly deps: CodeDeployDeps,
    private readonly settings: CodeDeployRolloutSettings,
    /** This action's own deployment id: the deployment's description carries it, to be found again. */
    private readonly ownId: string
  ) {
    const { application, deploymentGroup, wait } = settings.engine;
    this.state = { application, deploymentGroup, creating: false, marker: deploymentMarker(ownId), watching: wait };
  }

  preflight(signal?: AbortSignal): Promise<EngineLook<HandOverLook>> {
    return lookAtCodeDeploy(this.deps, this.settings, signal);
  }

  plan(functions: readonly FoundFunction[], look: HandOverLook): TailPlan<CodeDeployEngineStep> {
    const [fn] = functions;
    if (fn) {
      this.moves = { alias: fn.alias };
      this.state = { ...this.state, alias: `${fn.name}:${fn.alias}` };
    }
    const hookLabels = [
      ...this.deps.hooks.BeforeAllowTraffic.map((binding) => `${binding.hook.label} before`),
      ...this.deps.hooks.AfterAllowTraffic.map((binding) => `${binding.hook.label} after`)
    ];
    const handOver = planHandOver(functions, look, this.settings, hookLabels);
    const { finalBake } = this.settings;
    // After the watch only: with wait false nothing is watched (refused with final-bake beforehand).
    if (!finalBake || !fn?.found || !handOver.steps.some((step) => step.kind === 'watch')) return handOver;
    const bake: CodeDeployFinalBakeStep = {
      kind: 'final-bake',
      functionRef: fn.arn,
      functionName: fn.name,
      alias: fn.alias,
      previousVersion: fn.found.version,
      durationMs: finalBake.durationMs,
      checks: [...new Set((this.deps.checks ?? []).map((check) => check.name))],
      pollIntervalMs: finalBake.pollIntervalMs
    };
    return { problems: handOver.problems, steps: [...handOver.steps, bake] };
  }

  describe(step: CodeDeployEngineStep): string {
    return step.kind === 'final-bake' ? describeFinalBakeStep(step) : describeCodeDeployStep(step);
  }

  phaseOf(step: CodeDeployEngineStep): string {
    return step.kind;
  }

  begin(releases: readonly Release[]): EngineRun<CodeDeployEngineStep> {
    // One function: CodeDeploy moves one alias (several are refused before anything is read).
    const [{ version }] = releases;
    if (this.moves) this.moves = { ...this.moves, version };
    return {
      apply: async (step, control, signal) => {
        switch (step.kind) {
          case 'hand-over':
            return this.handOver(step, version, control, signal);
          case 'watch':
            return this.watch(step, version, signal);
          case 'final-bake':
            return this.finalBake(step, version, control, signal);
        }
      }
    };
  }

  /**
   * CodeDeploy never changed the alias unless a deployment was created, and the end of one is
   * reported as it ended. After its success, during the final bake, the alias is the action's to put
   * back: one UpdateAlias to the previous version.
   */
  async onFailure(failure: Failure, control: RolloutControl, signal?: AbortSignal): Promise<Undo> {
    const rollback = this.state.finalBake;
    if (!rollback || rollback.restored) return { kind: 'nothing-to-undo' };
    control.enter('rollback');
    this.deps.recorder.event(`Rolling back: ${failure.reason}`);
    const { lambda, clock, recorder, rollbackBudgetMs } = this.deps;
    const outcome = await putBack(
      rollback,
      { lambda, clock, recorder },
      rollbackBudgetMs,
      failure.cancelled ? signal : undefined
    );
    if (!outcome.ok) {
      return {
        kind: 'not-undone',
        problem: outcome.problem,
        ...(outcome.manualFix ? { manualFix: outcome.manualFix } : {}),
        owed: outcome.owed
      };
    }
    this.state = { ...this.state, finalBake: { ...rollback, restored: true } };
    control.save();
    recorder.event(`Alias ${rollback.alias} is back: ${describePutBack(rollback, outcome)}`, 0);
    return { kind: 'undone' };
  }

  snapshot(): CodeDeploySnapshot {
    return { engine: 'codedeploy', codedeploy: this.state };
  }

  result(): CodeDeployResult {
    const { application, deploymentGroup, deploymentId } = this.state;
    const status = this.outcome?.deployment?.status;
    const region = this.deps.codedeploy.region;
    const result = codeDeployResult({
      application,
      deploymentGroup,
      deploymentConfig: this.settings.config.name,
      ...(deploymentId ? { deploymentId } : {}),
      ...(status ? { status } : {}),
      ...(region ? { region } : {}),
      ...(this.moves ? { moves: this.moves } : {})
    });
    if (!this.finalBakeOutcome) return result;
    return { ...result, facts: [...(result.facts ?? []), { label: 'Final bake', parts: [{ text: this.finalBakeOutcome }] }] };
  }

  /**
   * After CodeDeploy's success: the checks watch all traffic on the new version for the final bake.
   * The snapshot says so first, so that a killed job's post step puts the alias back itself.
   */
  private async finalBake(
    step: CodeDeployFinalBakeStep,
    version: string,
    control: RolloutControl,
    signal?: AbortSignal
  ): Promise<StepOutcome> {
    const { finalBake } = this.settings;
    if (!finalBake) return { kind: 'done' };
    const rollback = {
      functionRef: step.functionRef,
      alias: step.alias,
      previousVersion: step.previousVersion,
      targetVersion: version,
      restored: false
    };
    this.state = { ...this.state, finalBake: rollback };
    control.save();
    const back = `the alias goes back to version ${step.previousVersion}`;
    this.finalBakeOutcome = `watching for ${formatDuration(step.durationMs)} (interrupted: ${back})`;
    try {
      const outcome = await runFinalBake(
        step,
        version,
        finalBake,
        { checks: this.deps.checks ?? [], clock: this.deps.clock, recorder: this.deps.recorder },
        this.handedOverAt ?? this.deps.clock.now(),
        signal
      );
      if (!outcome.healthy) {
        const reason = finalBakeReason(outcome.reason);
        this.finalBakeOutcome = isInconclusiveFinalBake(reason)
          ? `inconclusive: not enough data by its end; this fails the run, and ${back}`
          : `failed: ${back}`;
        return { kind: 'failed', error: new RolloutFailure(reason) };
      }
    } catch (error: unknown) {
      return { kind: 'failed', error };
    }
    this.finalBakeOutcome = `passed: ${formatDuration(step.durationMs)} with all traffic on the new version`;
    this.deps.recorder.event(`The final bake passed: ${formatDuration(step.durationMs)} with all traffic on version ${version}`);
    return { kind: 'done' };
  }

  /**
   * Creates what is missing, then the deployment. Its id is saved before anything else happens, so
   * that a killed job's post step can stop it. A cancellation while CreateDeployment is on its way
   * lets it answer (a few seconds), then stops what it created.
   */
  private async handOver(
    step: Extract<CodeDeployStep, { kind: 'hand-over' }>,
    version: string,
    control: RolloutControl,
    signal?: AbortSignal
  ): Promise<StepOutcome> {
    const { codedeploy, recorder, clock } = this.deps;
    try {
      for (const creation of step.creates) await create(step.application, creation, this.deps, signal);
    } catch (error: unknown) {
      return { kind: 'failed', error };
    }
    const deployment = newDeployment(step, version, this.ownId, this.deps.source);
    this.state = { ...this.state, creating: true };
    control.save();
    const grace = graceAfter(clock, CREATE_GRACE_MS, signal);
    let deploymentId: string;
    try {
      deploymentId = await codedeploy.createDeployment(deployment, grace.signal);
    } catch (error: unknown) {
      if (!mayHaveApplied(error)) return { kind: 'failed', error };
      // No answer: CodeDeploy may have created it. The post step looks it up by its marker and stops it.
      const reason =
        `${signal?.aborted ? `the deployment was cancelled during hand-over (${String(signal.reason ?? 'aborted')}), and ` : ''}` +
        `CreateDeployment got no answer (${describeError(error)}): if CodeDeploy created the deployment, the post step of this ` +
        `job finds it and stops it`;
      return this.ended({
        status: 'failed',
        reason: capText(reason, FAILURE_REASON_MAX_CHARS),
        cancelled: signal?.aborted === true,
        stopOwed: true
      });
    } finally {
      grace.dispose();
    }
    this.state = { ...this.state, deploymentId };
    this.handedOverAt = clock.now();
    control.save();
    const watched = this.watched(deploymentId, step.functionRef);
    recorder.event(
      `Handed over: CodeDeploy deployment ${deploymentId} moves alias ${step.appSpec.alias} from version ` +
        `${step.appSpec.currentVersion} to ${version} with ${step.deploymentConfig}` +
        `${watched.consoleUrl ? `; watch it at ${watched.consoleUrl}` : ''}`
    );
    if (signal?.aborted) {
      return this.ended(await stopOnCancel(this.watchDeps(), watched, new DeploymentLog(recorder, deploymentId), signal, {}));
    }
    if (step.wait) return { kind: 'done' };
    recorder.event(
      `wait is false: the step ends here, and CodeDeploy goes on by itself. A later step with ` +
        `codedeploy-deployment-id: ${deploymentId} watches it and reports its result`
    );
    return { kind: 'ended', ending: { status: 'in-progress', cancelled: false, owed: false } };
  }

  /** Watches the deployment to its end; anything but success ends the rollout as CodeDeploy ended it. */
  private async watch(
    step: Extract<CodeDeployStep, { kind: 'watch' }>,
    version: string,
    signal?: AbortSignal
  ): Promise<StepOutcome> {
    const { deploymentId } = this.state;
    // The hand-over step before this one gives the id, or ends the rollout.
    if (!deploymentId) return { kind: 'failed', error: new RolloutFailure('no CodeDeploy deployment was created to watch') };
    this.outcome = await watchDeployment(this.watchDeps(), this.watched(deploymentId, step.functionRef), signal);
    if (this.outcome.status !== 'succeeded') return this.ended(this.outcome);
    this.deps.recorder.event(
      `CodeDeploy deployment ${deploymentId} succeeded: alias ${step.alias} sends all traffic to version ${version}`,
      100
    );
    // CodeDeploy moved the alias: the action's record of promoted versions is written once it succeeded.
    await recordPromotion(this.deps, step.functionRef, step.alias, version, signal);
    return { kind: 'done' };
  }

  /** CodeDeploy ended the rollout (or was told to stop it): reported as CodeDeploy left it. */
  private ended(outcome: WatchOutcome): StepOutcome {
    this.outcome = outcome;
    this.deps.recorder.event(
      `${outcome.status === 'rolled-back' ? 'Rolled back' : 'Stopped'}: ${outcome.reason ?? outcome.status}`
    );
    return {
      kind: 'ended',
      ending: {
        status: outcome.status,
        ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
        cancelled: outcome.cancelled,
        owed: outcome.stopOwed
      }
    };
  }

  private watched(deploymentId: string, functionRef: string): Watched {
    const { region } = this.deps.codedeploy;
    return { deploymentId, functionRef, ...(region ? { consoleUrl: codeDeployConsoleUrl(region, deploymentId) } : {}) };
  }

  private watchDeps(): WatchDeps {
    const { codedeploy, lambda, clock, recorder, cancelledRollbackBudgetMs } = this.deps;
    return {
      codedeploy,
      lambda,
      clock,
      recorder,
      pollMs: this.settings.pollIntervalMs,
      ...(this.settings.progressIntervalMs !== undefined ? { progressIntervalMs: this.settings.progressIntervalMs } : {}),
      ...(cancelledRollbackBudgetMs !== undefined ? { cancelledBudgetMs: cancelledRollbackBudgetMs } : {})
    };
  }
}

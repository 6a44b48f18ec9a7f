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
import type {
  Engine,
  EngineLook,
  EngineRun,
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
}

/** The settings of a hand-over, and how often the deployment is read while watched. */
export interface CodeDeployRolloutSettings extends HandOverSettings {
  readonly pollIntervalMs: number;
}

/**
 * The CodeDeploy engine: after the publish, the rollout is AWS CodeDeploy's. Its preflight looks
 * at the application, the group and the configuration; its plan creates what is missing and hands
 * the new version over in one deployment; then it watches the deployment to its end (unless told
 * not to wait) and reports it as CodeDeploy ended it. The alias's routing is never written here; once
 * the deployment succeeded, its description gets the record of the promoted version (alias/last-good.ts).
 */
export class CodeDeployEngine implements Engine<CodeDeployStep, HandOverLook> {
  readonly phaseTitles = CODEDEPLOY_PHASE_TITLES;
  private state: HandOverState;
  /** The alias CodeDeploy moves and the version, as they become known (for the result). */
  private moves?: { readonly alias: string; readonly version?: string };
  /** How the watch ended, when it did. */
  private outcome?: WatchOutcome;

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

  plan(functions: readonly FoundFunction[], look: HandOverLook): TailPlan<CodeDeployStep> {
    const [fn] = functions;
    if (fn) {
      this.moves = { alias: fn.alias };
      this.state = { ...this.state, alias: `${fn.name}:${fn.alias}` };
    }
    const hookLabels = [
      ...this.deps.hooks.BeforeAllowTraffic.map((binding) => `${binding.hook.label} before`),
      ...this.deps.hooks.AfterAllowTraffic.map((binding) => `${binding.hook.label} after`)
    ];
    return planHandOver(functions, look, this.settings, hookLabels);
  }

  describe(step: CodeDeployStep): string {
    return describeCodeDeployStep(step);
  }

  phaseOf(step: CodeDeployStep): string {
    return step.kind;
  }

  begin(releases: readonly Release[]): EngineRun<CodeDeployStep> {
    // One function: CodeDeploy moves one alias (several are refused before anything is read).
    const [{ version }] = releases;
    if (this.moves) this.moves = { ...this.moves, version };
    return {
      apply: async (step, control, signal) =>
        step.kind === 'hand-over' ? this.handOver(step, version, control, signal) : this.watch(step, version, signal)
    };
  }

  /** CodeDeploy never changed the alias unless a deployment was created, and the end of one is reported as it ended. */
  async onFailure(): Promise<Undo> {
    return { kind: 'nothing-to-undo' };
  }

  snapshot(): CodeDeploySnapshot {
    return { engine: 'codedeploy', codedeploy: this.state };
  }

  result(): CodeDeployResult {
    const { application, deploymentGroup, deploymentId } = this.state;
    const status = this.outcome?.deployment?.status;
    const region = this.deps.codedeploy.region;
    return codeDeployResult({
      application,
      deploymentGroup,
      deploymentConfig: this.settings.config.name,
      ...(deploymentId ? { deploymentId } : {}),
      ...(status ? { status } : {}),
      ...(region ? { region } : {}),
      ...(this.moves ? { moves: this.moves } : {})
    });
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
      ...(cancelledRollbackBudgetMs !== undefined ? { cancelledBudgetMs: cancelledRollbackBudgetMs } : {})
    };
  }
}

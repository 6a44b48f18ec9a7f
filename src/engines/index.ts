import type { CodeObjectGateway } from '../aws/code-object-gateway.js';
import type { SpilloverMetrics } from '../aws/metrics-gateway.js';
import type { AwsGateways } from '../aws/session.js';
import type { BakeCheck } from '../checks/checks.js';
import type { Settings } from '../config/settings.js';
import type { Clock } from '../core/clock.js';
import type { LifecycleEvent } from '../core/lifecycle.js';
import type { RunContext } from '../core/run-context.js';
import type { HookBinding } from '../hooks/traffic-hook.js';
import { planPruning } from '../release/prune/after-promotion.js';
import { TriggerAudit } from '../release/triggers/audit.js';
import { describeLatest } from '../release/latest-report.js';
import type { SpineDeps } from '../rollout/deps.js';
import type { Recovery } from '../rollout/engine.js';
import type { Recorder } from '../rollout/recorder.js';
import type { DeploymentReport, DeploymentSnapshot } from '../rollout/result.js';
import { deploy } from '../rollout/rollout.js';
import { continueRollout } from '../rollout/continue.js';
import type { ScheduleStep, Strategy } from '../core/schedule.js';
import { stateFromHold, type HeldTarget } from './runner/promotion.js';
import { CodeDeployEngine } from './codedeploy/codedeploy.js';
import { recoverCodeDeploy } from './codedeploy/recover.js';
import { acceptHandOver, watchRefusals } from './codedeploy/refusals.js';
import { readCodeDeploySnapshot, type CodeDeploySnapshot } from './codedeploy/snapshot.js';
import { watchExistingDeployment } from './codedeploy/watch-only.js';
import { recoverInterrupted } from './runner/recover.js';
import { RunnerEngine } from './runner/runner.js';
import { readRunnerSnapshot, type RunnerState } from './runner/state.js';

export type { HeldTarget } from './runner/promotion.js';

/**
 * The engines' front door: the one place that knows them all. A new engine is a folder beside
 * runner/ and codedeploy/, and one case in each switch below.
 */

/** Everything an engine may be wired to. */
export interface Wiring {
  readonly aws: Pick<AwsGateways, 'lambda' | 'codedeploy' | 'inventory'> & {
    readonly codeObjects?: CodeObjectGateway;
    /** Reads the spill-over of aliases with provisioned concurrency (the runner's summary). */
    readonly metrics?: SpilloverMetrics;
  };
  /** The trigger audit, when main shares it with the per-version analysis; else the spine makes its own. */
  readonly triggers?: TriggerAudit;
  /** What judges the new version: alarms, the per-version analysis. */
  readonly checks: readonly BakeCheck[];
  /** The hooks of each event, in order, each for one function or (commands) for the whole rollout. */
  readonly hooks: { readonly [event in LifecycleEvent]: readonly HookBinding[] };
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** The workflow run this deployment comes from (commit, ref, actor, run URL). */
  readonly source?: RunContext;
  /** Called at every phase change, and around every write a later process must know of. */
  readonly onTransition?: (snapshot: DeploymentSnapshot) => void;
  /** How long a rollback keeps retrying before it gives up and prints the manual fix. */
  readonly rollbackBudgetMs?: number;
  /** The same once cancelled: the runner kills the process 10 s after its SIGINT. */
  readonly cancelledRollbackBudgetMs?: number;
}

/** The engine the settings chose, once it accepted them. */
export interface ChosenEngine {
  /** Runs the deployment; never throws: a failure is the report's result. */
  run(wiring: Wiring, deploymentId: string, signal?: AbortSignal): Promise<DeploymentReport>;
}

/**
 * The engine `settings.engine` names. Each engine refuses what it cannot do with the other inputs
 * here, before anything in AWS is read: the first refusal is thrown, an InputError.
 */
export function chooseEngine(settings: Settings): ChosenEngine {
  const { engine } = settings;
  switch (engine.kind) {
    case 'runner':
      return {
        run: (wiring, deploymentId, signal) =>
          deploy(
            new RunnerEngine(
              { ...wiring, lambda: wiring.aws.lambda, ...(wiring.aws.metrics ? { metrics: wiring.aws.metrics } : {}) },
              settings,
              deploymentId
            ),
            spineDeps(wiring),
            settings,
            deploymentId,
            signal
          )
      };
    case 'codedeploy': {
      const accepted = acceptHandOver(settings);
      if (!accepted.ok) throw accepted.refusals[0];
      const [target] = settings.targets;
      const handOver = {
        engine,
        config: accepted.config,
        strategy: settings.strategy,
        alarms: settings.alarms,
        ...(target?.preTrafficHook ? { preTrafficHook: target.preTrafficHook } : {}),
        ...(target?.postTrafficHook ? { postTrafficHook: target.postTrafficHook } : {}),
        pollIntervalMs: engine.pollIntervalMs
      };
      return {
        run: (wiring, deploymentId, signal) =>
          deploy(
            new CodeDeployEngine({ ...wiring, ...wiring.aws }, handOver, deploymentId),
            spineDeps(wiring),
            settings,
            deploymentId,
            signal
          )
      };
    }
    case 'codedeploy-watch': {
      const [refusal] = watchRefusals(settings);
      if (refusal) throw refusal;
      const [target] = settings.targets;
      return {
        run: (wiring, deploymentId, signal) =>
          watchExistingDeployment(
            { ...wiring, ...wiring.aws },
            { strategy: settings.strategy, watch: engine, target, pollIntervalMs: engine.pollIntervalMs },
            deploymentId,
            signal
          )
      };
    }
  }
}

/** A held rollout as `operation: promote` found and checked it. */
export interface HeldRollout {
  /** The deployment that holds: the promotion continues it, under the same id. */
  readonly deploymentId: string;
  readonly targets: readonly HeldTarget[];
  readonly weightPercent: number;
  readonly heldAtMs: number;
  /** The steps the promotion takes after the hold (none when expedited). */
  readonly then: readonly ScheduleStep[];
  /** The promotion's schedule, as the result reports it. */
  readonly strategy: Strategy;
  /** When the promoting job began. */
  readonly startedAtMs: number;
}

/**
 * `operation: promote`: the runner (the one engine that holds) made from the hold's state alone,
 * judging the hold's window and going on to 100 %. Never throws: a failure is the report's result,
 * once every alias is back on its previous version.
 */
export function promoteHold(
  settings: Settings,
  wiring: Wiring,
  held: HeldRollout,
  signal?: AbortSignal
): Promise<DeploymentReport> {
  const engine = new RunnerEngine(
    { ...wiring, lambda: wiring.aws.lambda },
    settings,
    held.deploymentId,
    stateFromHold(held.targets)
  );
  const steps = engine.planPromotion(held);
  const targets = held.targets.map((target) => ({
    functionName: target.functionName,
    functionArn: target.functionRef,
    alias: target.alias.name,
    aliasArn: target.alias.arn,
    version: target.hold.newVersion,
    // Published by the job that held, for this deployment.
    published: true,
    previousVersion: target.hold.previousVersion
  }));
  // A promotion that succeeds prunes as a deployment would (keep-versions, keep-days, prune given to it).
  const closing = {
    steps: planPruning(
      settings.pruning,
      held.targets.map((target) => target.functionName)
    ),
    functions: held.targets.map((target) => ({
      name: target.functionName,
      arn: target.functionRef,
      previousVersion: target.hold.previousVersion
    })),
    inventory: wiring.aws.inventory
  };
  return continueRollout(
    engine,
    { steps, targets, strategy: held.strategy, startedAtMs: held.startedAtMs, closing },
    wiring,
    held.deploymentId,
    signal
  );
}

/** What the spine of a deployment is wired to. */
function spineDeps(wiring: Wiring): SpineDeps {
  const { aws, checks, hooks, triggers, ...rest } = wiring;
  return {
    ...rest,
    lambda: aws.lambda,
    inventory: aws.inventory,
    triggers: triggers ?? new TriggerAudit(aws.lambda, aws.inventory),
    ...(aws.codeObjects ? { codeObjects: aws.codeObjects } : {}),
    checks,
    hooks: [...hooks.BeforeAllowTraffic, ...hooks.AfterAllowTraffic].map((binding) => binding.hook)
  };
}

/** An engine's part of a saved snapshot, as the engines that write one read it back. */
export type SavedEngineSnapshot = RunnerState | CodeDeploySnapshot;

/** The engine part of a saved snapshot, read back and checked by the engine it names; undefined when none wrote it. */
export function readEngineSnapshot(value: Record<string, unknown>): SavedEngineSnapshot | undefined {
  switch (value.engine) {
    case 'runner':
      return readRunnerSnapshot(value);
    case 'codedeploy':
      return readCodeDeploySnapshot(value);
    default:
      return undefined;
  }
}

/** What the post step's recovery is wired to. */
export interface RecoveryWiring {
  readonly aws: Pick<AwsGateways, 'lambda' | 'codedeploy'>;
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** The post step has no runner deadline of its own: it gives up after this long. */
  readonly budgetMs: number;
  /** How long to wait for Lambda to allocate an alias's provisioned concurrency, and how often to ask. */
  readonly provisioned: { readonly timeoutMs: number; readonly pollIntervalMs: number };
}

/**
 * The post step: the engine that saved the snapshot finishes its own work (undo, or stop); then,
 * whatever the engine, what $LATEST holds where the run wrote it and it differs from the version the
 * alias serves (no undo puts $LATEST back, and callers of the unqualified function run it).
 */
export async function recoverDeployment(
  snapshot: DeploymentSnapshot<SavedEngineSnapshot>,
  wiring: RecoveryWiring
): Promise<Recovery> {
  const recovery = await recoverEngine(snapshot, wiring);
  const latest = await describeLatest(snapshot.latest ?? [], { lambda: wiring.aws.lambda, clock: wiring.clock });
  return latest.length > 0 ? { ...recovery, lines: [...recovery.lines, ...latest] } : recovery;
}

function recoverEngine(snapshot: DeploymentSnapshot<SavedEngineSnapshot>, wiring: RecoveryWiring): Promise<Recovery> {
  const { aws, clock, recorder, budgetMs, provisioned } = wiring;
  switch (snapshot.engine) {
    case 'runner':
      return recoverInterrupted(snapshot, { lambda: aws.lambda, clock, recorder, budgetMs, provisioned });
    case 'codedeploy':
      return recoverCodeDeploy(snapshot, { codedeploy: aws.codedeploy, clock, budgetMs });
  }
}

import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import { DEFAULT_RESTORE_BUDGET_MS, restoreAlias, type RestoreOutcome } from '../../alias/restore.js';
import { describeRouting } from '../../alias/routing.js';
import type { BakeCheck } from '../../checks/checks.js';
import type { Clock } from '../../core/clock.js';
import { formatDuration } from '../../core/duration.js';
import type { Journal } from '../../core/journal.js';
import { bake, type BakeOutcome } from '../../rollout/bake.js';
import { PollLog } from '../../rollout/bake-progress.js';
import type { Recorder } from '../../rollout/recorder.js';
import type { FinalBakeRollback } from './snapshot.js';

/**
 * The final bake of `engine: codedeploy`: once CodeDeploy reports the deployment succeeded (its
 * AfterAllowTraffic hook done), the action itself goes on reading the checks with all traffic on the
 * new version; on a failure it puts the alias back on the previous version with one UpdateAlias
 * (CodeDeploy's deployment is over and cannot be stopped any more). The post step does the same
 * write when the job is killed during the final bake (recover.ts).
 */

/** Check reads that may fail in a row before the final bake stops trusting them (as the runner's bakes). */
const MAX_CHECK_ERRORS = 3;
/** A poll may take this long (or one poll interval, if longer) before it counts as failed. */
const MIN_POLL_LIMIT_MS = 10_000;
/** The runner kills the process 10 s after its SIGINT: a cancelled rollback hurries. */
const CANCELLED_ROLLBACK_BUDGET_MS = 6_000;

/** The final bake's step: after the watch, when `final-bake` asks for one. */
export interface CodeDeployFinalBakeStep {
  readonly kind: 'final-bake';
  readonly functionRef: string;
  readonly functionName: string;
  readonly alias: string;
  readonly previousVersion: string;
  readonly durationMs: number;
  readonly checks: readonly string[];
  readonly pollIntervalMs: number;
}

/** How the final bake is run. */
export interface FinalBakeSettings {
  readonly durationMs: number;
  readonly pollIntervalMs: number;
  readonly maxExtensionMs: number;
  /** How often a progress line is printed; undefined: a minute. */
  readonly progressIntervalMs?: number;
}

/** What the final bake talks to. */
export interface FinalBakeDeps {
  readonly checks: readonly BakeCheck[];
  readonly clock: Clock;
  readonly recorder: Recorder;
}

export function describeFinalBakeStep(step: CodeDeployFinalBakeStep): string {
  const watched =
    step.checks.length > 0 ? `the checks (${step.checks.join(', ')}) every ${formatDuration(step.pollIntervalMs)}` : 'nothing';
  return (
    `Final bake: once CodeDeploy reports success, ${formatDuration(step.durationMs)} with all of ${step.functionName}:${step.alias}'s ` +
    `traffic on the new version, watched by ${watched}; a failure, or not enough data by its end, puts the alias back on version ` +
    `${step.previousVersion} with one UpdateAlias`
  );
}

/** Bakes at 100 % for the step's length; `handedOverAt`: when the new version first took traffic (the analysis's baseline ends there). */
export async function runFinalBake(
  step: CodeDeployFinalBakeStep,
  version: string,
  settings: FinalBakeSettings,
  deps: FinalBakeDeps,
  handedOverAt: number,
  signal?: AbortSignal
): Promise<BakeOutcome> {
  const { clock, recorder, checks } = deps;
  const now = clock.now();
  const deadline = now + step.durationMs;
  const progress = new PollLog(recorder, clock, settings.progressIntervalMs);
  progress.begin({ label: 'Final bake', weightPercent: 100, deadline, maxExtensionMs: settings.maxExtensionMs });
  recorder.event(
    `Final bake: watching all traffic on version ${version} for ${formatDuration(step.durationMs)}` +
      (step.checks.length > 0 ? ` with ${step.checks.join(', ')}` : ', with nothing to watch it')
  );
  return bake({
    checks,
    clock,
    stepStart: now,
    deadline,
    intervalMs: settings.pollIntervalMs,
    maxCheckErrors: MAX_CHECK_ERRORS,
    maxExtensionMs: settings.maxExtensionMs,
    pollLimitMs: Math.max(settings.pollIntervalMs, MIN_POLL_LIMIT_MS),
    weightPercent: 100,
    versions: [{ functionName: step.functionName, alias: step.alias, target: version, previous: step.previousVersion }],
    finalBake: { startedAt: now, endsAt: deadline, baselineEndsAt: handedOverAt },
    ...(signal ? { signal } : {}),
    onObservation: (observation, holding) => progress.record(observation, holding),
    progress
  });
}

/**
 * Puts the alias back on the previous version: one UpdateAlias, only while the alias still serves
 * the version rolled back (another actor's change is left alone), retried within the budget.
 */
export function putBack(
  rollback: FinalBakeRollback,
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock; readonly recorder: Journal },
  budgetMs = DEFAULT_RESTORE_BUDGET_MS,
  signal?: AbortSignal
): Promise<RestoreOutcome> {
  return restoreAlias({
    lambda: deps.lambda,
    clock: deps.clock,
    recorder: deps.recorder,
    functionRef: rollback.functionRef,
    alias: rollback.alias,
    targetVersion: rollback.targetVersion,
    action: { kind: 'restore', routing: { version: rollback.previousVersion } },
    budgetMs,
    ...(signal ? { cancellation: { signal, budgetMs: CANCELLED_ROLLBACK_BUDGET_MS } } : {})
  });
}

/** `the alias orders:live routes 100% to version 1`. */
export function describePutBack(rollback: FinalBakeRollback, outcome: Extract<RestoreOutcome, { ok: true }>): string {
  return `the alias ${rollback.alias} routes ${describeRouting(outcome.alias)} (read back from Lambda)`;
}

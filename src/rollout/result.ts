import type { Observation } from '../checks/checks.js';
import type { RunContext } from '../core/run-context.js';
import type { Strategy } from '../core/schedule.js';
import type { HookOutcome } from '../hooks/traffic-hook.js';
import type { LatestSnapshot } from '../release/latest-report.js';
import type { ChangeReport } from '../release/planned-target.js';
import type { PruneOutcome } from '../release/prune/prune.js';
import type { TriggerRow } from '../release/triggers/verdict.js';
import type { FinalStatus, Phase } from './phases.js';
import type { Recorder, TimelineEvent } from './recorder.js';

export type { CodeReport } from '../release/planned-target.js';

/** How one function of the deployment ended. */
export interface TargetResult extends ChangeReport {
  readonly functionName: string;
  readonly functionArn?: string;
  readonly alias: string;
  readonly aliasArn?: string;
  /** The version this deployment published or took as it was (and, on success, the one now live). */
  readonly version?: string;
  /**
   * False when the version was the one the alias already serves (PublishVersion gave it back, nothing
   * having changed since it was published; or the existing version named is the live one).
   */
  readonly published: boolean;
  /** An existing version was deployed (nothing published): how it was chosen, e.g. `the version alias staging serves`. */
  readonly releasedFrom?: string;
  /** The version the alias served before; undefined on a first deployment. */
  readonly previousVersion?: string;
}

/** How a deployment ended: everything the outputs and the job summary report. */
export interface DeploymentResult<E extends EngineResult = EngineResult> {
  readonly status: FinalStatus;
  readonly deploymentId: string;
  /** Every function of the deployment, in the order given (one, unless several were deployed). */
  readonly targets: readonly TargetResult[];
  readonly strategy: Strategy;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** Why the deployment did not succeed (capped, untrusted parts included: escape before display). */
  readonly failureReason?: string;
  readonly cancelled: boolean;
  readonly dryRun: boolean;
  /** When the rollback itself failed: the commands that put the aliases back by hand. */
  readonly manualFix?: string;
  /** The workflow run the deployment came from, when running in GitHub Actions. */
  readonly source?: RunContext;
  /** The engine's part, tagged by its kind; the outputs and the summary read only its engine-neutral face. */
  readonly engine: E;
}

/**
 * An engine's part of a result: its kind and what it adds to the outputs and the summary, in
 * terms that need no knowledge of the engine (each engine adds its own fields beside these).
 */
export interface EngineResult {
  readonly kind: string;
  /** The id a later step names this deployment by, when the engine's own service gave one: the deployment-id output. */
  readonly trackingId?: string;
  /** Rows the summary's facts table adds. */
  readonly facts?: readonly SummaryFact[];
  /** For a run that ends `in-progress`: who carries the rollout on, and the log's closing line. */
  readonly carriedOn?: { readonly by: string; readonly closingLine: string };
  /** For a run that ends `held`: where the rollout waits (the outputs, the summary, the GitHub deployment). */
  readonly held?: HeldAt;
}

/** Where a held rollout waits for a person's `promote` or `abort`. */
export interface HeldAt {
  /** The weight on the new version, in percent. */
  readonly weightPercent: number;
  readonly heldAtMs: number;
  /** After this long, `promote` refuses the hold and `guard` aborts it. */
  readonly maxAgeMs: number;
  /** What a promotion does, as the hold's record keeps it (`75%:10m, 100%`). */
  readonly afterHold: string;
}

/** One row of the summary's facts table: text parts, each escaped on its own, some of them links. */
export interface SummaryFact {
  readonly label: string;
  readonly parts: readonly SummaryText[];
}

/** Text of a summary row; `link`: the https address it links to (anything else stays plain text). */
export interface SummaryText {
  readonly text: string;
  readonly link?: string;
}

/** Everything a deployment leaves to report: its result and what happened along the way. */
export interface DeploymentReport {
  readonly result: DeploymentResult;
  readonly timeline: readonly TimelineEvent[];
  /** The last state seen of everything the checks watched. */
  readonly observations: readonly Observation[];
  readonly hooks: readonly HookOutcome[];
  readonly warnings: readonly string[];
  /** The plan as numbered lines (empty when the preflight refused the deployment). */
  readonly plan: readonly string[];
  /** Every trigger the audit found and whether it follows the alias (empty: none found, or the preflight did not get that far). */
  readonly triggers?: readonly TriggerRow[];
  /** What pruning did after the promotion, per function, when it ran. */
  readonly pruning?: readonly PruneOutcome[];
}

/** A deployment's report: its result, the plan's lines, and what the recorder kept along the way. */
export function deploymentReport(
  result: DeploymentResult,
  plan: readonly string[],
  recorder: Recorder,
  found: Pick<DeploymentReport, 'triggers' | 'pruning'> = {}
): DeploymentReport {
  return {
    ...(found.triggers && found.triggers.length > 0 ? { triggers: found.triggers } : {}),
    ...(found.pruning && found.pruning.length > 0 ? { pruning: found.pruning } : {}),
    result,
    timeline: recorder.timeline,
    observations: recorder.observations,
    hooks: recorder.hookOutcomes,
    warnings: recorder.warnings,
    plan
  };
}

/** What every snapshot holds, whatever the engine. */
export interface SnapshotEnvelope {
  readonly phase: Phase;
  readonly deploymentId: string;
  /**
   * The main step ended without finishing its undo (its budget ran out, or a stop went unanswered):
   * the post step must finish the job.
   */
  readonly rollbackOwed: boolean;
  /**
   * The functions whose $LATEST this run writes, which no undo puts back: the post step says what
   * each holds when it differs from the version its alias serves. Absent when the run writes none.
   */
  readonly latest?: readonly LatestSnapshot[];
}

/** An engine's part of a snapshot, saved beside the envelope: tagged by `engine`, plain data only. */
export interface EngineSnapshot {
  readonly engine: string;
}

/**
 * What is saved at each phase change (and around each write a later process must know of), so
 * that a later process (the post step) can finish the job: the envelope and the engine's part.
 */
export type DeploymentSnapshot<E extends EngineSnapshot = EngineSnapshot> = SnapshotEnvelope & E;

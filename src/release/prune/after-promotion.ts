import type { PruneSettings } from '../../config/settings.js';
import type { ClosingStep } from '../../plan/steps.js';
import { describeVersions, pruneFunction, type PruneDeps, type PruneOutcome } from './prune.js';

/**
 * Pruning as a closing step of the plan: planned from the settings, applied after the deployment
 * succeeded (and its final phase was saved), each function that moved in turn. What goes wrong is
 * a warning; the deployment's status stays what it was.
 */

/** The closing steps the pruning settings ask for. */
export function planPruning(pruning: PruneSettings, functions: readonly string[]): ClosingStep[] {
  if (pruning.kind === 'off') return [];
  return [
    {
      kind: 'prune',
      functions,
      ...(pruning.keepVersions !== undefined ? { keepVersions: pruning.keepVersions } : {}),
      ...(pruning.keepDays !== undefined ? { keepDays: pruning.keepDays } : {}),
      delete: pruning.delete
    }
  ];
}

/** A function that moved, as pruning needs it: where it is, and the version its alias served before. */
export interface PrunedFunction {
  readonly name: string;
  /** The unqualified ARN. */
  readonly arn: string;
  /** The rollback target of the deployment just promoted. */
  readonly previousVersion?: string;
}

/** What pruning needs, with the recorder's phases (a log group of its own). */
export interface AfterPromotionDeps extends PruneDeps {
  readonly recorder: PruneDeps['recorder'] & { enterPhase(phase: string, title: string): void; closeGroup(): void };
}

/** Prunes each function that moved (`targets`), as `step` says; returns what it did to each. */
export async function pruneAfterPromotion(
  deps: AfterPromotionDeps,
  step: ClosingStep,
  targets: readonly PrunedFunction[],
  signal?: AbortSignal
): Promise<PruneOutcome[]> {
  const { recorder } = deps;
  const outcomes: PruneOutcome[] = [];
  recorder.enterPhase('prune', step.delete ? 'Prune old versions' : 'Old versions pruning would delete (prune is not true)');
  try {
    for (const target of targets) {
      const outcome = await pruneFunction(
        deps,
        {
          functionName: target.name,
          functionArn: target.arn,
          ...(target.previousVersion !== undefined ? { previousVersion: target.previousVersion } : {}),
          rule: {
            ...(step.keepVersions !== undefined ? { keepVersions: step.keepVersions } : {}),
            ...(step.keepDays !== undefined ? { keepDays: step.keepDays } : {})
          },
          mode: step.delete ? 'delete' : 'list'
        },
        signal
      );
      outcomes.push(outcome);
      const versions = describeVersions(outcome.versions);
      recorder.event(
        step.delete
          ? `Pruned ${target.name}: deleted ${versions}; ${outcome.kept} kept`
          : `Pruning would delete ${versions} of ${target.name} (${outcome.kept} kept); set 'prune: true' to delete them`
      );
      for (const problem of outcome.problems) recorder.warning(`pruning ${target.name}: ${problem}`);
    }
  } finally {
    recorder.closeGroup();
  }
  return outcomes;
}

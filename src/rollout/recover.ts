import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import { describeLatest } from './latest-report.js';
import type { Recorder } from './recorder.js';
import { restoreAlias } from './restore.js';
import type { DeploymentSnapshot, TargetSnapshot } from './result.js';
import { planRollback } from './rollback-plan.js';
import { aliasLabel, describeRouting } from './routing.js';

/** What the post step found and did, in sentences for the log and the summary. */
export interface Recovery {
  /** False when there was nothing to undo. */
  readonly acted: boolean;
  /** One sentence per function (or one for the whole deployment when nothing was needed). */
  readonly lines: readonly string[];
  /** For the GitHub deployment's `error` status: one short line. */
  readonly outcome: string;
}

/**
 * The post step's work after an interrupted main step (killed, crashed) or one that ended owing a
 * rollback: put back every alias the deployment may have changed, each as the rollback would,
 * reporting each as Lambda answered it; then say what $LATEST holds where the run may have written
 * it and it differs from the version the alias serves.
 */
export async function recoverInterrupted(
  snapshot: DeploymentSnapshot,
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock; readonly recorder: Recorder; readonly budgetMs: number }
): Promise<Recovery> {
  const recovery = await recoverAliases(snapshot, deps);
  const latest = await describeLatest(snapshot.targets, deps);
  return latest.length > 0 ? { ...recovery, lines: [...recovery.lines, ...latest] } : recovery;
}

async function recoverAliases(
  snapshot: DeploymentSnapshot,
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock; readonly recorder: Recorder; readonly budgetMs: number }
): Promise<Recovery> {
  const how = snapshot.rollbackOwed
    ? `ended ${snapshot.phase} with its rollback unfinished`
    : `was interrupted during ${snapshot.phase}`;
  const where = `The deployment ${snapshot.deploymentId} of ${names(snapshot.targets)} ${how}`;
  const touched = snapshot.targets.filter((target) => planRollback(target).kind !== 'none' && target.targetVersion !== undefined);
  if (touched.length === 0) {
    return {
      acted: false,
      lines: [`${where}, before the alias was changed: nothing to undo.`],
      outcome: 'the alias was never changed'
    };
  }
  const several = snapshot.targets.length > 1;
  const lines = [
    ...(await Promise.all(touched.map((target) => recoverTarget(target, several, deps)))),
    ...leftAlone(snapshot.targets, several)
  ];
  const failed = lines.filter((line) => !line.ok);
  const said = failed.length === 0 ? '. The post step rolled it back:' : ', and the post step could not roll everything back:';
  return {
    acted: true,
    lines: lines.length === 1 ? [`${where}${said} ${lines[0]!.text}`] : [`${where}${said}`, ...lines.map((line) => line.text)],
    outcome:
      failed.length === 0 ? 'rolled back by the post step' : `the rollback failed: ${failed.map((line) => line.text).join('; ')}`
  };
}

async function recoverTarget(
  target: TargetSnapshot,
  several: boolean,
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock; readonly recorder: Recorder; readonly budgetMs: number }
): Promise<{ ok: boolean; text: string }> {
  const alias = aliasLabel(target.functionName, target.alias, several);
  const action = planRollback(target);
  if (action.kind === 'none') return { ok: true, text: `${alias}: nothing to undo` };
  const outcome = await restoreAlias({
    lambda: deps.lambda,
    clock: deps.clock,
    recorder: deps.recorder,
    functionRef: target.functionRef,
    alias: target.alias,
    targetVersion: target.targetVersion!,
    action,
    budgetMs: deps.budgetMs
  });
  if (outcome.ok) {
    return {
      ok: true,
      text:
        action.kind === 'restore'
          ? `the alias ${alias} routes ${describeRouting(outcome.alias)} (read back from Lambda).`
          : `the alias ${alias}, which the deployment had created, is deleted.`
    };
  }
  const fix = outcome.manualFix ? ` Fix it by hand: ${outcome.manualFix}` : '';
  return { ok: false, text: `${alias}: ${outcome.problem}.${fix}` };
}

/** The aliases another writer changed during the deployment: theirs, left as they are (see Target.release). */
function leftAlone(targets: readonly TargetSnapshot[], several: boolean): Array<{ ok: boolean; text: string }> {
  return targets
    .filter((target) => target.leftToOtherWriter)
    .map((target) => ({
      ok: true,
      text: `the alias ${aliasLabel(target.functionName, target.alias, several)} was changed by someone else during the deployment, so it was left as they set it.`
    }));
}

function names(targets: readonly TargetSnapshot[]): string {
  return targets.map((target) => `${target.functionName}:${target.alias}`).join(', ') || 'the function';
}

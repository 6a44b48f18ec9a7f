import type { Recorder } from '../../rollout/recorder.js';
import type { Recovery } from '../../rollout/engine.js';
import type { DeploymentSnapshot } from '../../rollout/result.js';
import { planRollback } from '../../alias/rollback-plan.js';
import { aliasLabel, describeRouting } from '../../alias/routing.js';
import type { ActiveTarget, RunnerState, RunnerTarget } from './state.js';
import { restoreOwedHeadroom, settleRecovered, type ProvisionedRecoveryDeps } from './provisioned/recover.js';
import { restoreTarget } from './undo.js';

/**
 * The post step's work after an interrupted main step (killed, crashed) or one that ended owing a
 * rollback: put back every alias the deployment may have changed, each as the rollback would,
 * reporting each as Lambda answered it, and name each alias left to another writer.
 */
export async function recoverInterrupted(snapshot: DeploymentSnapshot<RunnerState>, deps: RecoveryDeps): Promise<Recovery> {
  const how = snapshot.rollbackOwed
    ? `ended ${snapshot.phase} with its rollback unfinished`
    : `was interrupted during ${snapshot.phase}`;
  const where = `The deployment ${snapshot.deploymentId} of ${names(snapshot.targets)} ${how}`;
  const touched = snapshot.targets.flatMap((target) =>
    planRollback(target).kind !== 'none' && target.targetVersion !== undefined
      ? [{ ...target, targetVersion: target.targetVersion }]
      : []
  );
  const several = snapshot.targets.length > 1;
  const theirs = leftAlone(snapshot.targets, several);
  // A headroom of provisioned concurrency is put back once the aliases are (Lambda takes it only on an alias without weights).
  const headroom = async (): Promise<Array<{ ok: boolean; text: string }>> => {
    const owed = await Promise.all(
      snapshot.targets.map((target) => restoreOwedHeadroom(target, aliasLabel(target.functionName, target.alias, several), deps))
    );
    return owed.flatMap((line) => (line ? [line] : []));
  };
  if (touched.length === 0) {
    const restored = await headroom();
    if (restored.length > 0) {
      return {
        acted: true,
        lines: [`${where}, before the alias was changed.`, ...restored.map((line) => line.text)],
        outcome: restored.every((line) => line.ok)
          ? 'the headroom was put back by the post step'
          : 'the headroom could not be put back'
      };
    }
    return {
      acted: false,
      lines:
        theirs.length === 0
          ? [`${where}, before the alias was changed: nothing to undo.`]
          : [`${where}: nothing of it to undo.`, ...theirs.map((line) => line.text)],
      outcome: 'the alias was never changed'
    };
  }
  const lines = [
    ...(await Promise.all(touched.map((target) => recoverTarget(target, several, deps)))),
    ...theirs,
    ...(await headroom())
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

/** What the post step's recovery of the runner's work needs. */
export interface RecoveryDeps extends ProvisionedRecoveryDeps {
  readonly recorder: Recorder;
  readonly budgetMs: number;
}

async function recoverTarget(target: ActiveTarget, several: boolean, deps: RecoveryDeps): Promise<{ ok: boolean; text: string }> {
  const alias = aliasLabel(target.functionName, target.alias, several);
  const action = planRollback(target);
  if (action.kind === 'none') return { ok: true, text: `${alias}: nothing to undo` };
  // What the killed main step last confirmed of the alias is stale by now: it is read again first.
  const outcome = await restoreTarget({ ...target, confirmed: undefined }, action, deps, { budgetMs: deps.budgetMs });
  if (outcome.ok && action.kind === 'restore' && target.provisioned) {
    // Until Lambda has moved the provisioned concurrency back, its own weights keep calls on the version rolled back.
    const settled = await settleRecovered(target, alias, action.routing, deps);
    const routes = settled.ok
      ? await deps.lambda.getAlias(target.functionRef, target.alias).catch(() => outcome.alias)
      : outcome.alias;
    return {
      ok: settled.ok,
      text: `the alias ${alias} routes ${describeRouting(routes)} (read back from Lambda). ${settled.text}`
    };
  }
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

/** The aliases another writer changed during the deployment: theirs, left as they set them (see state.ts). */
function leftAlone(targets: readonly RunnerTarget[], several: boolean): Array<{ ok: boolean; text: string }> {
  return targets
    .filter((target) => target.leftToOtherWriter)
    .map((target) => ({
      ok: true,
      text: `the alias ${aliasLabel(target.functionName, target.alias, several)} was changed by someone else during the deployment, so it was left as they set it.`
    }));
}

function names(targets: readonly RunnerTarget[]): string {
  return targets.map((target) => `${target.functionName}:${target.alias}`).join(', ') || 'the function';
}

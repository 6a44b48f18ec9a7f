import { Outputs, type OutputName } from '../config/keys.js';
import type { DeploymentResult, TargetResult } from '../rollout/result.js';
import { planJson } from '../strategy/plan.js';

/**
 * The action's outputs for a result, by output name (pure; the action shell writes them). The
 * single-function outputs (`version`, `previous-version`, `alias-arn`, `code-sha256`) are set when one
 * function was deployed; `versions` and `previous-versions` map every function's name to its versions.
 */
export function outputsFor(result: DeploymentResult): Record<OutputName, string> {
  const first = result.targets.length === 1 ? result.targets[0] : undefined;
  const byName = (pick: (target: TargetResult) => string | undefined): string =>
    JSON.stringify(
      Object.fromEntries(result.targets.flatMap((target) => (pick(target) ? [[target.functionName, pick(target)]] : [])))
    );
  return {
    [Outputs.Status]: result.status,
    [Outputs.Version]: first?.version ?? '',
    [Outputs.PreviousVersion]: first?.previousVersion ?? '',
    [Outputs.AliasArn]: first?.aliasArn ?? '',
    // The id the engine's own service gave the deployment, when it has one: a later step names it.
    [Outputs.DeploymentId]: result.engine.trackingId ?? result.deploymentId,
    [Outputs.Plan]: planJson(result.strategy),
    [Outputs.DurationSeconds]: String(Math.round((result.finishedAtMs - result.startedAtMs) / 1000)),
    [Outputs.FailureReason]: result.failureReason ?? '',
    [Outputs.CodeSha256]: first?.codeSha256 ?? '',
    [Outputs.Versions]: byName((target) => target.version),
    [Outputs.PreviousVersions]: byName((target) => target.previousVersion),
    [Outputs.HeldWeight]: result.status === 'held' && result.engine.held ? String(result.engine.held.weightPercent) : ''
  };
}

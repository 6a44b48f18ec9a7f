import { Outputs, type OutputName } from '../config/keys.js';
import type { DeploymentResult, TargetResult } from '../rollout/result.js';
import { planJson } from '../strategy/plan.js';

/**
 * The outputs that are free text, which may quote AWS or hook text: redacted on their way out. The
 * others are identifiers made by AWS or this action (versions, ARNs, ids, hashes, numbers), set exactly.
 */
export const TEXT_OUTPUTS: ReadonlySet<string> = new Set<OutputName>([Outputs.FailureReason]);

/**
 * The action's outputs for a result, by output name (pure; the action shell writes them). The
 * single-function outputs (`version`, `previous-version`, `alias-arn`, `code-sha256`) are set when one
 * function was deployed; `versions` and `previous-versions` map every function to its versions (see
 * functionKeys).
 */
export function outputsFor(result: DeploymentResult): Record<OutputName, string> {
  const first = result.targets.length === 1 ? result.targets[0] : undefined;
  const keys = functionKeys(result.targets);
  const byName = (pick: (target: TargetResult) => string | undefined): string =>
    JSON.stringify(
      Object.fromEntries(result.targets.flatMap((target, index) => (pick(target) ? [[keys[index], pick(target)]] : [])))
    );
  return {
    [Outputs.Status]: result.status,
    [Outputs.Version]: first?.version ?? '',
    [Outputs.PreviousVersion]: first?.previousVersion ?? '',
    [Outputs.AliasArn]: first?.aliasArn ?? '',
    [Outputs.DeploymentId]: reportedDeploymentId(result),
    [Outputs.Plan]: planJson(result.strategy),
    [Outputs.DurationSeconds]: String(Math.round((result.finishedAtMs - result.startedAtMs) / 1000)),
    [Outputs.FailureReason]: result.failureReason ?? '',
    [Outputs.CodeSha256]: first?.codeSha256 ?? '',
    [Outputs.Versions]: byName((target) => target.version),
    [Outputs.PreviousVersions]: byName((target) => target.previousVersion),
    [Outputs.HeldWeight]: result.status === 'held' && result.engine.held ? String(result.engine.held.weightPercent) : ''
  };
}

/**
 * How `versions` and `previous-versions` name each function: by its name, as before (with one
 * function too); functions of the rollout that share a name (the same function name in two regions
 * or accounts) by their full ARN instead, so that no function hides another. A key depends only on
 * the function and on whether another function of the rollout has its name.
 */
export function functionKeys(targets: readonly Pick<TargetResult, 'functionName' | 'functionArn'>[]): string[] {
  const count = new Map<string, number>();
  for (const { functionName } of targets) count.set(functionName, (count.get(functionName) ?? 0) + 1);
  return targets.map((target) =>
    (count.get(target.functionName) ?? 0) > 1 ? (target.functionArn ?? target.functionName) : target.functionName
  );
}

/**
 * The deployment's id as the output and the summary give it: the id the engine's own service gave
 * it, when it has one (CodeDeploy's `d-…`, which a later step watches with codedeploy-deployment-id);
 * else this action's.
 */
export function reportedDeploymentId(result: Pick<DeploymentResult, 'deploymentId' | 'engine'>): string {
  return result.engine.trackingId ?? result.deploymentId;
}

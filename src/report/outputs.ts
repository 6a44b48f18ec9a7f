import { Outputs, type OutputName } from '../config/keys.js';
import type { DeploymentResult } from '../rollout/result.js';
import { planJson } from '../strategy/plan.js';

/** The action's outputs for a result, by output name (pure; main.ts writes them). */
export function outputsFor(result: DeploymentResult): Record<OutputName, string> {
  const first = result.targets[0];
  return {
    [Outputs.Status]: result.status,
    [Outputs.Version]: first?.version ?? '',
    [Outputs.PreviousVersion]: first?.previousVersion ?? '',
    [Outputs.AliasArn]: first?.aliasArn ?? '',
    // engine: codedeploy: CodeDeploy's id, which a later step watches with codedeploy-deployment-id.
    [Outputs.DeploymentId]: result.codedeploy?.deploymentId ?? result.deploymentId,
    [Outputs.Plan]: planJson(result.strategy),
    [Outputs.DurationSeconds]: String(Math.round((result.finishedAtMs - result.startedAtMs) / 1000)),
    [Outputs.FailureReason]: result.failureReason ?? ''
  };
}

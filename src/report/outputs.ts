import { Outputs, type OutputName } from '../config/keys.js';
import type { DeploymentResult } from '../rollout/result.js';
import { planJson } from '../strategy/plan.js';

/** The action's outputs for a result, by output name (pure; main.ts writes them). */
export function outputsFor(result: DeploymentResult): Record<OutputName, string> {
  return {
    [Outputs.Status]: result.status,
    [Outputs.Version]: result.version ?? '',
    [Outputs.PreviousVersion]: result.previousVersion ?? '',
    [Outputs.AliasArn]: result.aliasArn ?? '',
    [Outputs.DeploymentId]: result.deploymentId,
    [Outputs.Plan]: planJson(result.strategy),
    [Outputs.DurationSeconds]: String(Math.round((result.finishedAtMs - result.startedAtMs) / 1000)),
    [Outputs.FailureReason]: result.failureReason ?? ''
  };
}

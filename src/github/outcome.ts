import { GITHUB_STATUS_DESCRIPTION_MAX_CHARS } from '../core/limits.js';
import type { FinalStatus } from '../rollout/phases.js';
import type { DeploymentResult } from '../rollout/result.js';

/**
 * What a rollout's result means for its GitHub deployment: the final state and the one-line
 * description. Pure, and apart from deployments.ts so that a run without a `deployment-environment` never
 * loads the GitHub client.
 */

/**
 * The states this action ends a run with (GitHub also knows queued, pending, inactive):
 * `in_progress` for a rollout held for approval, which a later job ends.
 */
export type DeploymentOutcome = 'success' | 'failure' | 'error' | 'in_progress';

/**
 * The GitHub deployment state for a final status: succeeded and skipped (the version was already
 * live, so the environment runs it) are `success`; rolled-back and failed are `failure`; a
 * cancelled run is `error` whatever its status. (A dry run creates no deployment: see outcomeFor.)
 */
export function deploymentStateFor(status: FinalStatus, cancelled: boolean): DeploymentOutcome {
  if (cancelled) return 'error';
  switch (status) {
    case 'succeeded':
    case 'skipped':
      return 'success';
    case 'rolled-back':
    case 'failed':
    case 'aborted':
      return 'failure';
    case 'held':
      return 'in_progress';
    case 'in-progress':
      // Not asked for: outcomeFor leaves the deployment of a rollout handed over (and going on) in_progress.
      return 'success';
  }
}

/** The final state and status description for a result; undefined for a dry run (no deployment). */
export function outcomeFor(result: DeploymentResult): { state: DeploymentOutcome; description: string } | undefined {
  if (result.dryRun) return undefined;
  // Handed over to the engine's service without waiting for it: the rollout is still in progress.
  if (result.status === 'in-progress' && !result.cancelled) return undefined;
  const state = deploymentStateFor(result.status, result.cancelled);
  const first = result.targets[0];
  const target = result.targets.map((each) => `${each.functionName}:${each.alias}`).join(', ');
  const version = result.targets.map((each) => each.version ?? '?').join(', ');
  const reason = result.failureReason ?? 'unknown reason';
  let description: string;
  if (result.cancelled) {
    description = `Cancelled, ${result.status}: ${reason}`;
  } else if (result.status === 'succeeded') {
    description = `Version ${version} live on ${target} (${result.strategy.name})`;
  } else if (result.status === 'skipped') {
    description = `Version ${version} was already live on ${target}: nothing changed`;
  } else if (result.status === 'held') {
    const held = result.engine.held;
    description = `Version ${version} held at ${held ? `${held.weightPercent} %` : 'a weight'} on ${target}, waiting for approval`;
  } else if (result.status === 'aborted') {
    description = `Aborted${first?.previousVersion ? `, back on version ${first.previousVersion}` : ''}: ${reason}`;
  } else if (result.status === 'rolled-back') {
    description = `Rolled back${first?.previousVersion ? ` to version ${first.previousVersion}` : ''}: ${reason}`;
  } else {
    description = `Failed${result.manualFix ? ' (alias needs a manual fix, see the job summary)' : ''}: ${reason}`;
  }
  return { state, description: capDescription(description) };
}

/**
 * Text fit for a status description: one line, no control characters, at most 140 characters
 * (code points, so that no surrogate pair is cut), ending in "…" when shortened.
 */
export function capDescription(text: string, max = GITHUB_STATUS_DESCRIPTION_MAX_CHARS): string {
  const line = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = Array.from(line);
  return chars.length <= max
    ? line
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

import * as core from '@actions/core';
import type { Settings } from '../config/settings.js';
import { describeError } from '../core/errors.js';
import type { DeploymentTracker } from '../github/deployments.js';
import { capDescription, outcomeFor, type DeploymentOutcome } from '../github/outcome.js';
import type { DeploymentResult } from '../rollout/result.js';
import { out, redactor } from './output.js';
import { savedState } from './state.js';

/** What the GitHub deployment is told of: where it goes, and with which token. */
type GitHubSettings = Pick<Settings, 'deploymentEnvironment' | 'githubToken'>;

/** The optional GitHub deployment of a run (the `deployment-environment` input). */
export interface GitHubTracking {
  /** Sets the final status from the result (after the AWS deployment, never in front of it). */
  finish(result: DeploymentResult): Promise<void>;
}

/**
 * Creates the GitHub deployment alongside the AWS deployment, never in front of it, so a slow or
 * failing GitHub API cannot hold the rollout up; its id is saved for the post step.
 */
export function trackOnGitHub(
  settings: GitHubSettings & Pick<Settings, 'targets' | 'strategy' | 'dryRun'>,
  deploymentId: string
): GitHubTracking {
  if (settings.dryRun || !settings.deploymentEnvironment) return { finish: async () => undefined };
  const tracker = trackerFor(settings);
  const started = tracker
    .then((loaded) =>
      loaded.start(
        // Redacted before the tracker caps the description, so that no part of a value survives.
        redactor.redactDeep({
          // Several functions are named together: `orders-api, orders-worker` on `live`.
          functionName: settings.targets.map((target) => target.functionName).join(', '),
          alias: [...new Set(settings.targets.map((target) => target.alias))].join(', '),
          strategy: settings.strategy.name,
          deploymentId
        })
      )
    )
    .then((id) => {
      if (id !== undefined) savedState.saveGithubDeploymentId(core.saveState, id);
      return id;
    })
    .catch((error: unknown) => {
      out.warning(`GitHub deployment not recorded: ${describeError(error)}`);
      return undefined;
    });
  return {
    async finish(result) {
      const id = await started;
      // The description quotes the failure reason: redacted before it is capped, so no part of a value survives.
      const outcome = outcomeFor(redactor.redactDeep(result));
      if (id !== undefined && outcome) await (await tracker).finish(id, outcome.state, outcome.description);
    }
  };
}

/** The post step: the GitHub deployment main created, if any, ends in `error` (the run never reached a result). */
export async function markGitHubDeploymentErrored(settings: GitHubSettings, description: string): Promise<void> {
  const id = savedState.loadGithubDeploymentId();
  if (id === undefined) return;
  await (await trackerFor(settings)).finish(id, 'error', capDescription(redactor.redact(description)));
}

/** The GitHub client loads only here, for a run with a `deployment-environment`: it costs start-up to every other run. */
async function trackerFor(settings: GitHubSettings): Promise<DeploymentTracker> {
  const { createDeploymentTracker } = await import('../github/deployments.js');
  return createDeploymentTracker({
    environment: settings.deploymentEnvironment,
    token: settings.githubToken,
    env: process.env,
    warn: (message) => out.warning(message)
  });
}

/** The GitHub deployment of a held rollout: the one the job that held created, found by the action's deployment id. */
export interface HeldTracking {
  /** Sets its status (best effort: a GitHub problem is a warning); the first call looks it up, and saves its id for the post step. */
  set(state: DeploymentOutcome, description: string): Promise<void>;
}

/**
 * The GitHub deployment a later job (promote, abort, guard) carries on or ends: looked up once, on
 * first use, in the `deployment-environment` given; nothing happens without one.
 */
export function trackHeldOnGitHub(settings: GitHubSettings, actionDeploymentId: string): HeldTracking {
  if (!settings.deploymentEnvironment) return { set: async () => undefined };
  let found: Promise<{ tracker: DeploymentTracker; id: number | undefined }> | undefined;
  return {
    async set(state, description) {
      try {
        found ??= trackerFor(settings).then(async (tracker) => {
          const id = await tracker.find(actionDeploymentId);
          if (id !== undefined) savedState.saveGithubDeploymentId(core.saveState, id);
          return { tracker, id };
        });
        const { tracker, id } = await found;
        // Redacted before it is capped, so that no part of a value survives.
        if (id !== undefined) await tracker.finish(id, state, capDescription(redactor.redact(description)));
      } catch (error: unknown) {
        out.warning(`GitHub deployment of ${actionDeploymentId} not updated: ${describeError(error)}`);
      }
    }
  };
}

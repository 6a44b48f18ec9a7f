import { getOctokit } from '@actions/github';
import { systemClock, type Clock } from '../core/clock.js';
import { Deadline, raceSignal } from '../core/deadline.js';
import { errorMessage, errorName } from '../core/errors.js';
import { readRunContext, type Env, type RunContext } from '../core/run-context.js';
import { capDescription, type DeploymentOutcome } from './outcome.js';

/**
 * GitHub Deployments for the `deployment-environment` input: a deployment created when the rollout starts
 * (status `in_progress`) and given its final status when it ends. Strictly best effort: every
 * GitHub API failure becomes one warning; nothing here throws or holds the AWS deployment up for
 * longer than one request timeout per call.
 *
 * Dry runs record nothing: the caller does not call start() for them (outcomeFor() returns
 * undefined for a dry-run result).
 */

/** What the GitHub deployment says about the rollout it tracks. */
export interface DeploymentFacts {
  readonly functionName: string;
  readonly alias: string;
  /** The strategy's display name, e.g. `Canary10Percent5Minutes`. */
  readonly strategy: string;
  /** The action's own deployment id (the `deployment-id` output), kept in the payload. */
  readonly deploymentId: string;
}

export interface DeploymentTracker {
  /** Creates the deployment and sets it `in_progress`; its id, or undefined (warned) if none was created. */
  start(facts: DeploymentFacts): Promise<number | undefined>;
  /** Sets the final status of a deployment created by start(), possibly in another process (post step). */
  finish(deploymentId: number, outcome: DeploymentOutcome, description: string): Promise<void>;
  /**
   * The deployment an earlier run created for this action's deployment id (a hold that a later job
   * promotes or aborts), among the environment's latest ones; undefined (warned) when none is found.
   */
  find(actionDeploymentId: string): Promise<number | undefined>;
}

export interface GitHubDeploymentsOptions {
  readonly token: string;
  readonly environment: string;
  /** REST API root; default https://api.github.com (pass GITHUB_API_URL for GHES / GHE.com). */
  readonly apiUrl?: string;
  readonly warn: (message: string) => void;
  readonly context: RunContext;
  /** Time limit of each API request; default 10 s. */
  readonly timeoutMs?: number;
  /** Measures the time limits; the real clock unless a test injects one. */
  readonly clock?: Clock;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_API_URL = 'https://api.github.com';
const MAX_DETAIL_CHARS = 400;
const PERMISSION_HINT =
  'add `permissions: deployments: write` to the job (or the workflow) so that the token may create deployments';

/** Records the rollout as a GitHub deployment through the REST API. One attempt per call, no retries. */
export class GitHubDeployments implements DeploymentTracker {
  private readonly octokit: ReturnType<typeof getOctokit>;
  private readonly timeoutMs: number;

  constructor(private readonly options: GitHubDeploymentsOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // No `request` key here: @octokit/core merges constructor options shallowly, so one would drop
    // the proxy-aware fetch of @actions/github's defaults. The timeout goes on each call instead.
    this.octokit = getOctokit(options.token, {
      baseUrl: (options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, ''),
      userAgent: 'lambda-safe-deploy',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => this.warn(`GitHub API: ${message}`),
        error: (message: string) => this.warn(`GitHub API: ${message}`)
      }
    });
  }

  async start(facts: DeploymentFacts): Promise<number | undefined> {
    const { context, environment } = this.options;
    const description = capDescription(`Lambda ${facts.functionName}:${facts.alias} (${facts.strategy})`);
    let id: number;
    try {
      const response = await this.withTimeout((signal) =>
        this.octokit.rest.repos.createDeployment({
          owner: context.owner,
          repo: context.repo,
          ref: context.sha,
          environment,
          description,
          auto_merge: false,
          required_contexts: [],
          transient_environment: false,
          payload: {
            function: facts.functionName,
            alias: facts.alias,
            strategy: facts.strategy,
            deploymentId: facts.deploymentId
          },
          request: { signal }
        })
      );
      const data: unknown = response.data;
      if (response.status !== 201 || !hasNumericId(data)) {
        // 202: GitHub merged the default branch into the ref instead of creating a deployment.
        const message = typeof data === 'object' && data !== null && 'message' in data ? String(data.message) : '';
        this.warn(
          `GitHub deployment to environment "${environment}" not recorded: GitHub answered HTTP ${response.status}` +
            `${message ? ` (${capText(message, MAX_DETAIL_CHARS)})` : ''} without creating one. The AWS deployment goes on.`
        );
        return undefined;
      }
      id = data.id;
    } catch (error: unknown) {
      this.warn(
        `GitHub deployment to environment "${environment}" not recorded: ${this.explain(error)} The AWS deployment goes on.`
      );
      return undefined;
    }
    await this.setStatus(id, 'in_progress', description);
    return id;
  }

  async finish(deploymentId: number, outcome: DeploymentOutcome, description: string): Promise<void> {
    await this.setStatus(deploymentId, outcome, description);
  }

  async find(actionDeploymentId: string): Promise<number | undefined> {
    const { context, environment } = this.options;
    try {
      const response = await this.withTimeout((signal) =>
        this.octokit.rest.repos.listDeployments({
          owner: context.owner,
          repo: context.repo,
          environment,
          per_page: FIND_PAGE_SIZE,
          request: { signal }
        })
      );
      const found = (response.data as unknown[]).find((deployment) => payloadId(deployment) === actionDeploymentId);
      if (found !== undefined && hasNumericId(found)) return found.id;
      this.warn(
        `GitHub deployment of ${actionDeploymentId} not found among the latest ${FIND_PAGE_SIZE} of environment "${environment}": ` +
          'its status is left as it is (the step that held records it with the same deployment-environment).'
      );
    } catch (error: unknown) {
      this.warn(
        `GitHub deployment of ${actionDeploymentId} (environment "${environment}") could not be looked up: ${this.explain(error)}`
      );
    }
    return undefined;
  }

  private async setStatus(deploymentId: number, state: DeploymentOutcome | 'in_progress', description: string): Promise<void> {
    const { context, environment } = this.options;
    try {
      await this.withTimeout((signal) =>
        this.octokit.rest.repos.createDeploymentStatus({
          owner: context.owner,
          repo: context.repo,
          deployment_id: deploymentId,
          state,
          log_url: context.runUrl,
          description: capDescription(description),
          environment,
          request: { signal }
        })
      );
    } catch (error: unknown) {
      this.warn(
        `GitHub deployment ${deploymentId} (environment "${environment}"): could not set status ${state}: ${this.explain(error)}`
      );
    }
  }

  /** Runs one request with its own time limit (a signal made once would expire for later calls). */
  private async withTimeout<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const deadline = Deadline.after(this.options.clock ?? systemClock, this.timeoutMs, 'GitHub API request');
    try {
      return await raceSignal(call(deadline.signal), deadline.signal);
    } catch (error: unknown) {
      throw deadline.signal.aborted ? new RequestTimeout(this.timeoutMs) : error;
    } finally {
      deadline.dispose();
    }
  }

  /** One sentence: what went wrong, and what to do about it when we know. */
  private explain(error: unknown): string {
    if (error instanceof RequestTimeout) return `${error.message}.`;
    const status = httpStatus(error);
    if (status === undefined) {
      return `the GitHub API could not be reached (${capText(describe(error), MAX_DETAIL_CHARS)}).`;
    }
    const detail = `HTTP ${status}: ${capText(errorMessage(error), MAX_DETAIL_CHARS)}`;
    switch (status) {
      case 401:
        return `${detail}. The token was refused: check the \`github-token\` input.`;
      case 403:
        return isRateLimited(error)
          ? `${detail}. The token's API rate limit is exhausted.`
          : `${detail}. The token lacks permission: ${PERMISSION_HINT}.`;
      case 404:
        return `${detail}. The token cannot see the repository or its deployments: ${PERMISSION_HINT}.`;
      case 409:
        return `${detail}. GitHub created no deployment (a merge conflict, or the commit's status checks failed).`;
      default:
        return `${detail}.`;
    }
  }

  /** Every warning goes through here: whatever GitHub echoed back, the token is never printed. */
  private warn(message: string): void {
    const token = this.options.token;
    this.options.warn(token.length >= 4 ? message.split(token).join('***') : message);
  }
}

/** A tracker that records nothing: no `deployment-environment` input, or a run context that cannot be read. */
export const noDeploymentTracker: DeploymentTracker = {
  start: async () => undefined,
  finish: async () => undefined,
  find: async () => undefined
};

export interface TrackerInputs {
  /** The `deployment-environment` input; empty or undefined: no GitHub deployment. */
  readonly environment?: string;
  /** The `github-token` input. */
  readonly token?: string;
  /** Where the run's variables are read (GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID, GITHUB_API_URL, ...). */
  readonly env: Env;
  readonly warn: (message: string) => void;
  readonly timeoutMs?: number;
}

/**
 * The tracker for these inputs: GitHubDeployments when an environment is set and the run can be
 * identified, else one that does nothing (after one warning saying why, when an environment was set).
 */
export function createDeploymentTracker(inputs: TrackerInputs): DeploymentTracker {
  const environment = inputs.environment?.trim();
  if (!environment) return noDeploymentTracker;
  if (!inputs.token) {
    inputs.warn(`GitHub deployment to environment "${environment}" not recorded: the \`github-token\` input is empty.`);
    return noDeploymentTracker;
  }
  let context: RunContext;
  try {
    context = readRunContext(inputs.env);
  } catch (error: unknown) {
    inputs.warn(`GitHub deployment to environment "${environment}" not recorded: ${errorMessage(error)}.`);
    return noDeploymentTracker;
  }
  return new GitHubDeployments({
    token: inputs.token,
    environment,
    apiUrl: inputs.env.GITHUB_API_URL,
    warn: inputs.warn,
    context,
    timeoutMs: inputs.timeoutMs
  });
}

class RequestTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`the GitHub API did not answer within ${formatSeconds(timeoutMs)}`);
    this.name = 'RequestTimeout';
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** How many of an environment's latest deployments are searched for a held one (GitHub's largest page). */
const FIND_PAGE_SIZE = 100;

/** The action's deployment id a deployment's payload holds (GitHub may hand the payload back as a JSON string). */
function payloadId(deployment: unknown): string | undefined {
  if (typeof deployment !== 'object' || deployment === null) return undefined;
  let payload: unknown = (deployment as { payload?: unknown }).payload;
  if (typeof payload === 'string') {
    try {
      payload = JSON.parse(payload);
    } catch {
      return undefined;
    }
  }
  const id = typeof payload === 'object' && payload !== null ? (payload as { deploymentId?: unknown }).deploymentId : undefined;
  return typeof id === 'string' ? id : undefined;
}

function hasNumericId(data: unknown): data is { id: number } {
  return typeof data === 'object' && data !== null && 'id' in data && typeof data.id === 'number';
}

/** The HTTP status of an answer GitHub gave; undefined when no answer arrived (network failure). */
function httpStatus(error: unknown): number | undefined {
  // @octokit/request reports network failures as RequestError 500 too, but without a response.
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const response = (error as { response?: { status?: unknown } }).response;
  return typeof response?.status === 'number' ? response.status : undefined;
}

function isRateLimited(error: unknown): boolean {
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers;
  return headers?.['x-ratelimit-remaining'] === '0';
}

function describe(error: unknown): string {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  const message = errorMessage(error);
  // undici says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, ...).
  const why = cause !== undefined ? errorMessage((cause as { cause?: unknown }).cause ?? cause) : '';
  return why && !message.includes(why) ? `${message}: ${why}` : message || errorName(error);
}

function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

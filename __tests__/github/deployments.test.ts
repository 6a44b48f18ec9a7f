import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  createDeploymentTracker,
  GitHubDeployments,
  noDeploymentTracker,
  type DeploymentFacts
} from '../../src/github/deployments.js';
import type { RunContext } from '../../src/core/run-context.js';
import { refusedPortUrl, startGitHubStub, type GitHubStub } from '../support/github-stub.js';
import { ManualClock } from '../support/manual-clock.js';

const TOKEN = 'ghs_stubToken0123456789abcdefABCDEF';
const SHA = '0123456789abcdef0123456789abcdef01234567';

const context: RunContext = {
  owner: 'acme',
  repo: 'orders-service',
  sha: SHA,
  ref: 'refs/heads/main',
  runUrl: 'https://github.com/acme/orders-service/actions/runs/987654321',
  actor: 'octocat'
};

const facts: DeploymentFacts = {
  functionName: 'orders',
  alias: 'live',
  strategy: 'Canary10Percent5Minutes',
  deploymentId: '987654321-1-1a2b3c4d'
};

let stub: GitHubStub;
let warnings: string[];

beforeEach(async () => {
  stub = await startGitHubStub();
  warnings = [];
});

afterEach(async () => {
  await stub.close();
});

function tracker(
  overrides: { apiUrl?: string; timeoutMs?: number; environment?: string; clock?: ManualClock } = {}
): GitHubDeployments {
  return new GitHubDeployments({
    token: TOKEN,
    environment: overrides.environment ?? 'production',
    apiUrl: overrides.apiUrl ?? stub.url,
    warn: (message) => warnings.push(message),
    context,
    timeoutMs: overrides.timeoutMs ?? 2000,
    // Time moves only when a test says so: a slow machine cannot make a request time out.
    clock: overrides.clock ?? new ManualClock()
  });
}

function expectTokenNeverPrinted(): void {
  for (const warning of warnings) expect(warning).not.toContain(TOKEN);
}

describe('GitHubDeployments: a deployment that succeeds', () => {
  it('creates the deployment for the commit, sets it in_progress, then success', async () => {
    const github = tracker();
    const id = await github.start(facts);
    expect(id).toBe(1001);
    await github.finish(1001, 'success', 'Version 42 live on orders:live (Canary10Percent5Minutes)');

    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/orders-service/deployments',
      'POST /repos/acme/orders-service/deployments/1001/statuses',
      'POST /repos/acme/orders-service/deployments/1001/statuses'
    ]);
    const [create, inProgress, success] = stub.requests;
    expect(create?.body).toEqual({
      ref: SHA,
      environment: 'production',
      description: 'Lambda orders:live (Canary10Percent5Minutes)',
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      payload: { function: 'orders', alias: 'live', strategy: 'Canary10Percent5Minutes', deploymentId: '987654321-1-1a2b3c4d' }
    });
    expect(create?.body).not.toHaveProperty('production_environment');
    expect(inProgress?.body).toEqual({
      state: 'in_progress',
      log_url: context.runUrl,
      description: 'Lambda orders:live (Canary10Percent5Minutes)',
      environment: 'production'
    });
    expect(success?.body).toEqual({
      state: 'success',
      log_url: context.runUrl,
      description: 'Version 42 live on orders:live (Canary10Percent5Minutes)',
      environment: 'production'
    });
    expect(success?.body).not.toHaveProperty('environment_url');
    expect(warnings).toEqual([]);
  });

  it('authenticates every request with the token and speaks the GitHub JSON media type', async () => {
    const github = tracker();
    const id = await github.start(facts);
    await github.finish(id as number, 'failure', 'Rolled back to version 41: alarm orders-errors in ALARM');
    expect(stub.requests).toHaveLength(3);
    for (const request of stub.requests) {
      expect(request.headers.authorization).toBe(`token ${TOKEN}`);
      expect(request.headers.accept).toBe('application/vnd.github.v3+json');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.headers['user-agent']).toMatch(/^lambda-safe-deploy /);
    }
    expect(stub.requestsTo('create-status')[1]?.body).toMatchObject({ state: 'failure' });
  });

  it('sets the final status from another instance (the post step), given only the id', async () => {
    const id = await tracker().start(facts);
    await tracker().finish(id as number, 'error', 'Cancelled, rolled-back: the deployment was cancelled during shift (SIGINT)');
    expect(stub.requestsTo('create-status').map((r) => (r.body as { state: string }).state)).toEqual(['in_progress', 'error']);
  });

  it('honours an API root with a path (GitHub Enterprise Server: https://host/api/v3)', async () => {
    const id = await tracker({ apiUrl: `${stub.url}/api/v3/` }).start(facts);
    expect(id).toBe(1001);
    expect(stub.requests.map((r) => r.path)).toEqual([
      '/api/v3/repos/acme/orders-service/deployments',
      '/api/v3/repos/acme/orders-service/deployments/1001/statuses'
    ]);
  });

  it('gives each request its own timeout: a call made long after the first still goes through', async () => {
    const clock = new ManualClock();
    const github = tracker({ timeoutMs: 150, clock });
    const id = await github.start(facts);
    expect(clock.pending).toBe(0); // each request's limit is gone with the request
    clock.advance(300);
    await github.finish(id as number, 'success', 'done');
    expect(warnings).toEqual([]);
    expect(stub.requestsTo('create-status')).toHaveLength(2);
  });
});

describe('GitHubDeployments: GitHub creates no deployment', () => {
  it('202 (auto-merged instead): warns with GitHub message, returns undefined, sets no status', async () => {
    stub.reply('create-deployment', { status: 202, body: { message: 'Auto-merged main into topic-branch on deployment.' } });
    const id = await tracker().start(facts);
    expect(id).toBeUndefined();
    expect(stub.requestsTo('create-status')).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 202');
    expect(warnings[0]).toContain('Auto-merged main into topic-branch on deployment.');
    expect(warnings[0]).toContain('environment "production"');
  });

  it('409 (merge conflict or failed status checks): warns, returns undefined, sets no status', async () => {
    stub.reply('create-deployment', { status: 409, body: { message: 'Conflict merging main into topic-branch.' } });
    const id = await tracker().start(facts);
    expect(id).toBeUndefined();
    expect(stub.requestsTo('create-status')).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 409: Conflict merging main into topic-branch.');
    expect(warnings[0]).toContain('status checks');
  });

  it('403 (token without deployments: write): warns with the permissions hint', async () => {
    stub.reply('create-deployment', {
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment'
      },
      headers: { 'x-ratelimit-remaining': '4999' }
    });
    const id = await tracker().start(facts);
    expect(id).toBeUndefined();
    expect(stub.requestsTo('create-status')).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 403: Resource not accessible by integration');
    expect(warnings[0]).toContain('`permissions: deployments: write`');
    expect(warnings[0]).toContain('The AWS deployment goes on.');
  });

  it('403 with the rate limit exhausted says so instead of blaming permissions', async () => {
    stub.reply('create-deployment', {
      status: 403,
      body: { message: 'API rate limit exceeded' },
      headers: { 'x-ratelimit-remaining': '0' }
    });
    expect(await tracker().start(facts)).toBeUndefined();
    expect(warnings[0]).toContain('rate limit');
    expect(warnings[0]).not.toContain('permissions:');
  });

  it('404 (repository hidden from the token): warns with the permissions hint', async () => {
    stub.reply('create-deployment', { status: 404, body: { message: 'Not Found' } });
    expect(await tracker().start(facts)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 404: Not Found');
    expect(warnings[0]).toContain('deployments: write');
  });

  it('401: warns without ever printing the token, even when GitHub echoes it back', async () => {
    stub.reply('create-deployment', (request) => ({
      status: 401,
      body: { message: `Bad credentials: ${String(request.headers.authorization)}` }
    }));
    expect(await tracker().start(facts)).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('HTTP 401: Bad credentials: token ***');
    expect(warnings[0]).toContain('`github-token`');
    expectTokenNeverPrinted();
  });
});

describe('GitHubDeployments: GitHub is unreachable', () => {
  it('a server that never answers: warns at the time limit, never throws', async () => {
    stub.reply('create-deployment', 'hang');
    const clock = new ManualClock();
    const started = tracker({ timeoutMs: 200, clock }).start(facts);
    await stub.waitForRequests('create-deployment', 1);
    clock.advance(199);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]); // not a moment before the limit
    clock.advance(1);
    const id = await started;
    expect(id).toBeUndefined();
    expect(stub.requestsTo('create-deployment')).toHaveLength(1); // one attempt, no retry
    expect(warnings).toEqual([
      'GitHub deployment to environment "production" not recorded: the GitHub API did not answer within 200 ms. The AWS deployment goes on.'
    ]);
  });

  it('a hung status call: finish() warns at the time limit and resolves', async () => {
    stub.reply('create-status', 'hang');
    const clock = new ManualClock();
    const github = tracker({ timeoutMs: 200, clock });
    const finished = github.finish(77, 'success', 'done');
    await stub.waitForRequests('create-status', 1);
    clock.advance(200);
    await expect(finished).resolves.toBeUndefined();
    expect(warnings).toEqual([
      'GitHub deployment 77 (environment "production"): could not set status success: the GitHub API did not answer within 200 ms.'
    ]);
  });

  it('connection refused: warns that GitHub could not be reached, for start and finish', async () => {
    const github = tracker({ apiUrl: await refusedPortUrl() });
    await expect(github.start(facts)).resolves.toBeUndefined();
    await expect(github.finish(77, 'failure', 'rolled back')).resolves.toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/not recorded: the GitHub API could not be reached \(.*ECONNREFUSED/);
    expect(warnings[1]).toMatch(/could not set status failure: the GitHub API could not be reached \(.*ECONNREFUSED/);
    expectTokenNeverPrinted();
  });

  it('a 500 on the in_progress status still returns the created id, with a warning', async () => {
    stub.reply('create-status', { status: 500, body: { message: 'Server Error' } });
    const id = await tracker().start(facts);
    expect(id).toBe(1001);
    expect(warnings).toEqual([
      'GitHub deployment 1001 (environment "production"): could not set status in_progress: HTTP 500: Server Error.'
    ]);
  });

  it('a 422 on the final status: warns and resolves', async () => {
    stub.reply('create-status', {
      status: 422,
      body: { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] }
    });
    await expect(tracker().finish(1001, 'success', 'done')).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('could not set status success: HTTP 422: Validation Failed');
  });
});

describe('GitHubDeployments: descriptions', () => {
  it('caps the deployment and status descriptions at 140 characters', async () => {
    const longName = `arn:aws:lambda:us-east-1:123456789012:function:${'a'.repeat(120)}`;
    const github = tracker();
    const id = await github.start({ ...facts, functionName: longName });
    await github.finish(id as number, 'failure', `Rolled back to version 41: ${'the hook said no. '.repeat(20)}`);
    const [create, inProgress, final] = stub.requests.map(
      (r) => r.body as { description: string; payload?: { function: string } }
    );
    for (const body of [create, inProgress, final]) {
      const length = Array.from(body?.description ?? '').length;
      expect(length).toBeLessThanOrEqual(140);
      expect(length).toBeGreaterThanOrEqual(135);
      expect(body?.description.endsWith('…')).toBe(true);
    }
    expect(create?.payload?.function).toBe(longName); // the payload keeps the full name
  });

  it('makes a multi-line reason one line', async () => {
    await tracker().finish(5, 'failure', 'Failed: hook answered\n  {"status":"Failed",\r\n"reason":"x"}');
    expect((stub.requests[0]?.body as { description: string }).description).toBe(
      'Failed: hook answered {"status":"Failed", "reason":"x"}'
    );
  });
});

describe('createDeploymentTracker', () => {
  const runEnv = {
    GITHUB_REPOSITORY: 'acme/orders-service',
    GITHUB_SHA: SHA,
    GITHUB_RUN_ID: '987654321',
    GITHUB_SERVER_URL: 'https://github.com'
  };

  it('without an environment: records nothing and says nothing', async () => {
    for (const environment of [undefined, '', '  ']) {
      const result = createDeploymentTracker({ environment, token: TOKEN, env: runEnv, warn: (m) => warnings.push(m) });
      expect(result).toBe(noDeploymentTracker);
    }
    expect(warnings).toEqual([]);
  });

  it('with an empty token: warns once and records nothing', () => {
    const result = createDeploymentTracker({ environment: 'production', token: '', env: runEnv, warn: (m) => warnings.push(m) });
    expect(result).toBe(noDeploymentTracker);
    expect(warnings).toEqual(['GitHub deployment to environment "production" not recorded: the `github-token` input is empty.']);
  });

  it('outside GitHub Actions: warns naming the missing variables', () => {
    const result = createDeploymentTracker({ environment: 'production', token: TOKEN, env: {}, warn: (m) => warnings.push(m) });
    expect(result).toBe(noDeploymentTracker);
    expect(warnings).toEqual([
      'GitHub deployment to environment "production" not recorded: GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_RUN_ID are not set (not running in GitHub Actions?).'
    ]);
  });

  it('reads GITHUB_API_URL and the run from the env given (not process.env)', async () => {
    const github = createDeploymentTracker({
      environment: 'staging',
      token: TOKEN,
      env: { ...runEnv, GITHUB_API_URL: stub.url },
      warn: (m) => warnings.push(m),
      timeoutMs: 2000
    });
    expect(github).toBeInstanceOf(GitHubDeployments);
    const id = await github.start(facts);
    expect(id).toBe(1001);
    expect(stub.requests[0]?.path).toBe('/repos/acme/orders-service/deployments');
    expect(stub.requests[0]?.body).toMatchObject({ ref: SHA, environment: 'staging' });
    expect(stub.requests[1]?.body).toMatchObject({ log_url: 'https://github.com/acme/orders-service/actions/runs/987654321' });
    expect(warnings).toEqual([]);
  });

  it('the no-op tracker sends nothing', async () => {
    expect(await noDeploymentTracker.start(facts)).toBeUndefined();
    await noDeploymentTracker.finish(1, 'success', 'x');
    expect(stub.requests).toEqual([]);
  });
});

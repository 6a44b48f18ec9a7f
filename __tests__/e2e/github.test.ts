import { afterEach, expect, jest, test } from '@jest/globals';
import { postStepEnv, runAction } from '../../emulator/runner/action-runner.js';
import { startGitHubStub, type GitHubStub } from '../support/github-stub.js';
import { deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

jest.setTimeout(30_000);

const world = emulatorPerTest();
let github: GitHubStub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

const TOKEN = 'ghs_e2eTokenThatMustNeverBeLogged0123456789';

function runnerEnv(stub: GitHubStub): Record<string, string> {
  return {
    GITHUB_API_URL: stub.url,
    GITHUB_REPOSITORY: 'acme/orders',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_SERVER_URL: 'https://github.com'
  };
}

const states = (stub: GitHubStub) => stub.requestsTo('create-status').map((request) => (request.body as { state: string }).state);

test('with deployment-environment set, the run is recorded as a GitHub deployment: in_progress, then success', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  const run = await runAction({
    endpoint: emu.url,
    inputs: {
      'function-name': 'orders',
      strategy: 'Canary20Percent1Second',
      'alarm-poll-interval': '200ms',
      'deployment-environment': 'production',
      'github-token': TOKEN
    },
    env: runnerEnv(github)
  });
  expect(run.exitCode).toBe(0);
  const [created] = github.requestsTo('create-deployment');
  expect(created?.body).toMatchObject({
    ref: '0123456789abcdef0123456789abcdef01234567',
    environment: 'production',
    auto_merge: false,
    required_contexts: []
  });
  expect(states(github)).toEqual(['in_progress', 'success']);
  expect(run.summary).toContain(
    '| Source | acme/orders&#64;0123456789ab (refs/heads/main), <a href="https://github.com/acme/orders/actions/runs/4242">run</a> |'
  );
  expect(github.requestsTo('create-status')[1]?.body).toMatchObject({
    log_url: 'https://github.com/acme/orders/actions/runs/4242'
  });
  // The token reaches the log only in the runner's own ::add-mask:: command, which hides it everywhere.
  expect(run.stdout).toContain(`::add-mask::${TOKEN}`);
  const shown = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  for (const text of [shown.join('\n'), run.stderr, run.summary, JSON.stringify(run.outputs)]) expect(text).not.toContain(TOKEN);
});

test('a GitHub API that refuses never blocks or fails the AWS deployment', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  github.reply('create-deployment', { status: 403, body: { message: 'Resource not accessible by integration' } });
  const run = await runAction({
    endpoint: emu.url,
    inputs: { 'function-name': 'orders', strategy: 'AllAtOnce', 'deployment-environment': 'production', 'github-token': TOKEN },
    env: runnerEnv(github)
  });
  expect(run.exitCode).toBe(0);
  expect(run.outputs.status).toBe('succeeded');
  expect(run.stdout).toMatch(/::warning::.*deployments: write/);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '2' });
});

test('a run killed mid-rollout: the post step rolls back and marks the GitHub deployment error', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  const inputs = {
    'function-name': 'orders',
    strategy: 'Canary20Percent30Seconds',
    'deployment-environment': 'production',
    'github-token': TOKEN
  };
  const run = await deploy(emu, inputs, {
    signal: { name: 'SIGKILL', afterMs: 300, afterLine: 'Step 1/1' },
    env: runnerEnv(github)
  });
  expect(run.state['github-deployment-id']).toBeDefined();
  const post = await runAction({
    endpoint: emu.url,
    entry: 'dist/post/index.js',
    inputs,
    env: { ...runnerEnv(github), ...postStepEnv(run.state) }
  });
  expect(post.exitCode).toBe(0);
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '1', weights: {} });
  expect(states(github)).toEqual(['in_progress', 'error']);
  expect((github.requestsTo('create-status')[1]?.body as { description: string }).description).toContain(
    'Interrupted during shift'
  );
});

test('a hold shows in_progress, waiting for approval; the promoting job finds it and ends it, saying who asked', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  const recorded = { 'deployment-environment': 'production', 'github-token': TOKEN };
  const held = await deploy(emu, { strategy: '20%:300ms, 50%:hold', ...recorded }, { env: runnerEnv(github) });
  expect(held.outputs.status).toBe('held');
  expect(states(github)).toEqual(['in_progress', 'in_progress']);
  const description = (request: number) =>
    (github!.requestsTo('create-status')[request]?.body as { description: string }).description;
  expect(description(1)).toBe('Version 2 held at 50 % on orders:live, waiting for approval');

  const promoted = await deploy(
    emu,
    { operation: 'promote', expedite: 'INC-42', ...recorded },
    { env: { ...runnerEnv(github), GITHUB_ACTOR: 'octocat', GITHUB_RUN_ID: '4343' } }
  );
  expect(promoted.outputs.status).toBe('succeeded');
  // The same GitHub deployment, found by the action's deployment id in its payload: no new one.
  expect(github.requestsTo('create-deployment')).toHaveLength(1);
  expect(github.requestsTo('list-deployments')[0]?.path).toMatch(/[?&]environment=production\b/);
  expect(states(github)).toEqual(['in_progress', 'in_progress', 'in_progress', 'success']);
  expect(description(2)).toBe('Promoting from 50 %, asked by octocat, expedited: INC-42');
  expect(description(3)).toBe('Version 2 live on orders:live (expedited); promoted by octocat (INC-42)');
  expect(new Set(github.requestsTo('create-status').map((request) => request.path))).toEqual(
    new Set([github.requestsTo('create-status')[0]!.path])
  );
});

test('an aborted hold ends its GitHub deployment failure, saying who and why', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  const recorded = { 'deployment-environment': 'production', 'github-token': TOKEN };
  await deploy(emu, { strategy: '20%:300ms, 50%:hold', ...recorded }, { env: runnerEnv(github) });
  const aborted = await deploy(
    emu,
    { operation: 'abort', reason: 'wrong build', ...recorded },
    { env: { ...runnerEnv(github), GITHUB_ACTOR: 'octocat' } }
  );
  expect(aborted.outputs.status).toBe('aborted');
  expect(states(github)).toEqual(['in_progress', 'in_progress', 'failure']);
  expect((github.requestsTo('create-status')[2]?.body as { description: string }).description).toBe(
    'Aborted by octocat: wrong build; back on version 1'
  );
});

testIamPolicyCoversCalls();

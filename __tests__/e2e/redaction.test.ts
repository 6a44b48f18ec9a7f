import { afterEach, expect, jest, test } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postStepEnv, runAction, type ActionResult } from '../../emulator/runner/action-runner.js';
import { startGitHubStub, type GitHubStub } from '../support/github-stub.js';
import { changes, deploy, emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

// No secret in any output: AWS error text that quotes environment variables (Lambda's does) is
// redacted in the failure-reason output, the job summary, the annotations, the log and the GitHub
// deployment's status, whether the value came from env-vars or from the function itself; and the
// 4 KB limit is counted as Lambda counts it, before anything is written.
jest.setTimeout(60_000);

const world = emulatorPerTest();
let github: GitHubStub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

/** A value with a quote and a backslash: Lambda quotes it JSON-escaped, `Pa\"ss\\…`. */
const SECRET = 'Pa"ss\\w0rd-7f3a9c-hunter2';
const ESCAPED = JSON.stringify(SECRET).slice(1, -1);

/** Every place a run's text reaches, except the runner's own `::add-mask::` commands (the runner consumes those). */
function expectNoSecret(run: ActionResult, secret: string, extra: Record<string, string> = {}): void {
  const stdout = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  const escaped = JSON.stringify(secret).slice(1, -1);
  // Parts long enough to tell: a value cut off by a cap must not survive either.
  const start = secret.slice(0, 8);
  for (const [where, text] of Object.entries({
    stdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    'failure-reason': run.outputs['failure-reason'] ?? '',
    state: JSON.stringify(run.state),
    ...extra
  })) {
    expect({ where, leaks: [secret, escaped, start].filter((part) => text.includes(part)) }).toEqual({ where, leaks: [] });
  }
}

function runnerEnv(stub: GitHubStub): Record<string, string> {
  return {
    GITHUB_API_URL: stub.url,
    GITHUB_REPOSITORY: 'acme/orders',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_RUN_ID: '4242'
  };
}

test('env-vars quoted back by Lambda: redacted in failure-reason, summary, annotations, log and the GitHub deployment status', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  // Lambda's validation errors quote the value they refused: here the whole map of variables.
  emu.failNext(
    'UpdateFunctionConfiguration',
    1,
    'InvalidParameterValueException',
    'orders',
    `1 validation error detected: Value '{DB_PASSWORD=${SECRET}, LOG_LEVEL=debug}' at 'environment.variables' failed to ` +
      `satisfy constraint: Member must satisfy the function's KMS key policy`
  );
  const run = await deploy(
    emu,
    {
      'env-vars': JSON.stringify({ DB_PASSWORD: SECRET, LOG_LEVEL: 'debug' }),
      alarms: 'orders-errors',
      'deployment-environment': 'production',
      'github-token': 'ghs_redactionTestTokenThatIsNeverLogged0123'
    },
    { env: runnerEnv(github) }
  );
  expect(run.outputs.status).toBe('failed');
  // Every value of env-vars of 4 characters or more is a secret, `debug` too.
  expect(run.outputs['failure-reason']).toContain("Value '{DB_PASSWORD=***, LOG_LEVEL=***}' at 'environment.variables'");
  expect(run.summary).toContain('DB&#95;PASSWORD=&#42;&#42;&#42;');
  expect(run.stdout).toContain('::error::failed: update stopped: InvalidParameterValueException: 1 validation error detected');
  const statuses = github.requestsTo('create-status').map((request) => (request.body as { description: string }).description);
  expect(statuses.at(-1)).toContain('DB_PASSWORD=***');
  expectNoSecret(run, SECRET, { github: JSON.stringify(github.requests.map((request) => request.body)) });
});

test("the function's own variables, quoted by AWS and cut off by the cap on AWS text, never reach an output", async () => {
  const OWN = 'own-secret-b5e1d2c3a4f60718';
  const emu = await world.start({ environment: { DB_PASSWORD: OWN, LOG_LEVEL: 'info' } });
  // Lambda's 4 KB refusal quotes the set as JSON; AWS text is capped at 500 characters, and this one's
  // cap falls inside the value: what is left of it must go too.
  const before = 'Lambda was unable to configure your environment variables because the environment variables you have ';
  const prefix = `${before}provided exceeded the 4KB limit. String measured: {"PADDING":"`;
  const padding = 'p'.repeat(500 - prefix.length - '","DB_PASSWORD":"'.length - 8);
  const message = `${prefix}${padding}","DB_PASSWORD":"${OWN}","LOG_LEVEL":"info"}`;
  expect(message.indexOf(OWN)).toBe(492);
  emu.failNext('UpdateFunctionConfiguration', 1, 'InvalidParameterValueException', 'orders', message);
  const run = await deploy(emu, { 'memory-size': '512', alarms: 'orders-errors' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('"DB_PASSWORD":"***… (truncated');
  expectNoSecret(run, OWN);
});

test('env-vars under 4 KB of names and values but over it as Lambda measures them (their JSON) are refused before any call', async () => {
  const emu = await world.start();
  // 40 variables of 100 bytes each, name and value: 4000 bytes; Lambda measures the JSON of the set (quotes,
  // colons, commas, and the escapes of the secret's quote and backslash): 4321 bytes.
  const variables = Object.fromEntries(
    Array.from({ length: 40 }, (_, i) => [`V${String(i).padStart(2, '0')}`, `${SECRET}-${'x'.repeat(96 - SECRET.length)}`])
  );
  expect(Object.entries(variables).reduce((sum, [name, value]) => sum + name.length + value.length, 0)).toBe(4000);
  expect(Buffer.byteLength(JSON.stringify(variables))).toBe(4321);
  const run = await deploy(emu, { 'env-vars': JSON.stringify(variables) });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    /^Input 'env-vars' has an invalid value .*: the variables take 4321 bytes as Lambda measures them/
  );
  expect(changes(emu)).toEqual([]);
  expect(emu.calls()).toEqual([]);
  expectNoSecret(run, SECRET);
  expect(run.stdout).not.toContain(ESCAPED);
});

// What the runner's mask is told, what is never starred, and the text paths that came with the
// engine port (CodeDeploy's lines, the post step, the GitHub deployment's creation).

const ACCOUNT = '123456789012';
const ORDERS_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`;
/** The function's own variable (read from Lambda, never given): a secret all the same. */
const OWN = 'own-secret-9d8c7b6a5f4e';

/** The values the runner's mask was told of (`::add-mask::` lines). */
const masked = (run: ActionResult): string[] =>
  run.stdout
    .split('\n')
    .filter((line) => line.startsWith('::add-mask::'))
    .map((line) => line.slice('::add-mask::'.length));

test("values that are the function's name, alias, region or account star none of them; only env-vars reach the runner's mask", async () => {
  const emu = await world.start({ environment: { API_TOKEN: OWN } });
  const given = { TABLE: 'orders', TARGET_ALIAS: 'live', REGION: 'us-east-1', ACCOUNT_ID: ACCOUNT, DB_PASSWORD: SECRET };
  emu.failNext(
    'UpdateFunctionConfiguration',
    1,
    'InvalidParameterValueException',
    'orders',
    `1 validation error detected: Value '{TABLE=orders, TARGET_ALIAS=live, REGION=us-east-1, ACCOUNT_ID=${ACCOUNT}, ` +
      `DB_PASSWORD=${SECRET}, API_TOKEN=${OWN}}' at 'environment.variables' failed to satisfy constraint`
  );
  const run = await deploy(emu, { 'env-vars': JSON.stringify(given), alarms: 'orders-errors' });
  expect(run.outputs.status).toBe('failed');
  // The identifiers stand as they are, wherever they appear; the secrets go.
  expect(run.outputs['failure-reason']).toContain(
    `Value '{TABLE=orders, TARGET_ALIAS=live, REGION=us-east-1, ACCOUNT_ID=${ACCOUNT}, DB_PASSWORD=***, API_TOKEN=***}'`
  );
  expect(run.stdout).toContain('Updating the configuration of orders ($LATEST): env-vars (');
  expect(run.stdout).toContain('Preflight (read-only checks)');
  expect(run.outputs['alias-arn']).toBe(`${ORDERS_ARN}:live`);
  expect(run.summary).toContain(`${ORDERS_ARN}:live`);
  expect(run.summary).not.toContain('&#42;&#42;&#42;:live');
  // The runner's mask (which stars in every later step of the job) knows the values the user gave,
  // and neither the identifiers among them nor the function's own variables.
  expect(masked(run)).toContain(SECRET);
  for (const value of ['orders', 'live', 'us-east-1', ACCOUNT, OWN]) expect(masked(run)).not.toContain(value);
  expectNoSecret(run, SECRET);
  expectNoSecret(run, OWN);
});

test("a refused permission: the failed step's reason says what AWS said, escaped, capped and redacted", async () => {
  const emu = await world.start({ environment: { API_TOKEN: OWN } });
  // IAM's refusal, its reason as AWS words it (the emulator puts caller, action and resource before it).
  const why = `with an explicit deny in a service control policy (tag ${OWN})\n::warning::forged by AWS text ${'x'.repeat(600)}`;
  emu.failNext('UpdateAlias', 1, 'AccessDeniedException', 'orders', why);
  const run = await deploy(emu, { strategy: 'AllAtOnce', alarms: 'orders-errors' });
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toMatch(
    new RegExp(
      `^promote stopped: these credentials may not lambda:UpdateAlias on ${ORDERS_ARN} \\(add it to the role's policy; ` +
        `docs/iam\\.md lists every permission\\)\\. AWS said: AccessDeniedException: User: \\S+ is not authorized to perform: ` +
        `lambda:UpdateAlias on resource: ${ORDERS_ARN} with an explicit deny in a service control policy \\(tag \\*\\*\\*\\)`
    )
  );
  // AWS's text is capped where it enters, and is one line in the log and the annotation: it cannot forge a workflow command.
  expect(run.outputs['failure-reason']).toMatch(/x… \(truncated, \d+ chars\)$/);
  expect(run.stdout.split('\n').filter((line) => line.startsWith('::warning::forged'))).toEqual([]);
  expect(run.stdout).toContain('AWS said: AccessDeniedException');
  expectNoSecret(run, OWN);
});

test("engine codedeploy: the watch's failure, quoting a function's variable, is redacted everywhere", async () => {
  const emu = await world.start({ environment: { API_TOKEN: OWN } });
  emu.setCodeDeployTiming({ minuteMs: 100, hookTimeoutMs: 60_000 });
  emu.failNext('GetDeployment', 100, 'AccessDeniedException', undefined, `with an explicit deny (request tag ${OWN})`);
  const run = await deploy(emu, {
    engine: 'codedeploy',
    'codedeploy-service-role': `arn:aws:iam::${ACCOUNT}:role/codedeploy-lambda`,
    strategy: 'Canary10Percent1Minute'
  });
  expect(run.outputs['failure-reason']).toContain(
    'cannot watch the deployment: these credentials may not codedeploy:GetDeployment'
  );
  expect(run.outputs['failure-reason']).toMatch(
    /\. AWS said: AccessDeniedException: User: .* with an explicit deny \(request tag \*\*\*\)/
  );
  expectNoSecret(run, OWN);
});

test('the GitHub deployment is created with a redacted description too', async () => {
  const emu = await world.start();
  github = await startGitHubStub();
  // A value equal to the strategy's name: not an identifier the action leaves alone (names, aliases,
  // versions, region, account, ARNs), so the description stars it as every other text does.
  const run = await deploy(
    emu,
    {
      'env-vars': JSON.stringify({ ROLLOUT: 'AllAtOnce', DB_PASSWORD: SECRET }),
      strategy: 'AllAtOnce',
      'deployment-environment': 'production',
      'github-token': 'ghs_redactionTestTokenThatIsNeverLogged0123'
    },
    { env: runnerEnv(github) }
  );
  expect(run.outputs.status).toBe('succeeded');
  const [created] = github.requestsTo('create-deployment').map((request) => request.body as Record<string, unknown>);
  expect(created).toMatchObject({
    description: 'Lambda orders:live (***)',
    payload: { function: 'orders', alias: 'live', strategy: '***' }
  });
  expectNoSecret(run, SECRET, { github: JSON.stringify(github.requests.map((request) => request.body)) });
});

test("the post step's lines and its GitHub status are redacted: AWS's refusal to read $LATEST quotes a value", async () => {
  const emu = await world.start({ latestIsLive: true });
  github = await startGitHubStub();
  const build = mkdtempSync(join(tmpdir(), 'lsd-redaction-e2e-'));
  try {
    writeFileSync(join(build, 'index.mjs'), "export const handler = async () => 'v2';");
    const inputs = {
      'function-name': 'orders',
      'code-dir': build,
      'env-vars': JSON.stringify({ DB_PASSWORD: SECRET }),
      'deployment-environment': 'production',
      'github-token': 'ghs_redactionTestTokenThatIsNeverLogged0123'
    };
    emu.failNext('UpdateFunctionCode', 1, 'hang-after-run');
    const run = await deploy(emu, inputs, {
      env: runnerEnv(github),
      signal: { name: 'SIGKILL', afterMs: 500, afterLine: 'Uploading the code of orders' }
    });
    expect(run.exitCode).toBeNull();
    emu.failNext('GetFunction', 100, 'AccessDeniedException', 'orders', `with an explicit deny (session tag ${SECRET})`);
    const post = await runAction({
      endpoint: emu.url,
      entry: 'dist/post/index.js',
      inputs: { ...inputs, 'alarm-poll-interval': '200ms' },
      env: { ...postStepEnv(run.state), ...runnerEnv(github) },
      timeoutMs: 60_000
    });
    expect(post.exitCode).toBe(0);
    expect(post.summary).toContain('$LATEST of orders could not be read (');
    expect(post.stdout).toContain('with an explicit deny (session tag ***)');
    const statuses = github.requestsTo('create-status').map((request) => (request.body as { state: string }).state);
    expect(statuses.at(-1)).toBe('error');
    expectNoSecret(run, SECRET);
    expectNoSecret(post, SECRET, { github: JSON.stringify(github.requests.map((request) => request.body)) });
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
});

testIamPolicyCoversCalls();

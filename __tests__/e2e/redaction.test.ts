import { afterEach, expect, jest, test } from '@jest/globals';
import type { ActionResult } from '../../emulator/runner/action-runner.js';
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

testIamPolicyCoversCalls();

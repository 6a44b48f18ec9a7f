import { expect, jest, test } from '@jest/globals';
import type { RunningEmulator } from '../../emulator/index.js';
import type { ActionResult } from '../../emulator/runner/action-runner.js';
import { deploy, emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

// The function's environment holds a secret; each test breaks one step of the deployment in another
// way, and the secret must never reach the log, the outputs or the job summary.
jest.setTimeout(60_000);

const SECRET = 'DB-PASSWORD-hunter2-7f3a9c';
const world = emulatorPerTest();

function expectNoSecret(run: ActionResult): void {
  for (const [where, text] of Object.entries({
    stdout: run.stdout,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    state: JSON.stringify(run.state)
  })) {
    expect([where, text.includes(SECRET)]).toEqual([where, false]);
  }
}

async function secretWorld(): Promise<RunningEmulator> {
  const emu = await world.start({ environment: { DB_PASSWORD: SECRET, LOG_LEVEL: 'info' } });
  emu.createFunction({ name: 'smoke' });
  return emu;
}

const inputs = { strategy: 'Canary20Percent1Second', alarms: 'orders-errors', 'pre-traffic-hook': 'smoke', 'max-retries': '1' };

test("a failed last update: the reason is AWS's reason, never the function's configuration", async () => {
  const emu = await secretWorld();
  emu.setLastUpdateFailed(
    'orders',
    'Lambda was unable to decrypt the environment variables because KMS access was denied.',
    'KMSAccessDeniedException'
  );
  const run = await deploy(emu, inputs);
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain(
    'has a last update that failed: KMSAccessDeniedException: Lambda was unable to decrypt the environment variables'
  );
  expectNoSecret(run);
  // Read in the preflight, the function's own values are redacted by the action alone: given to the
  // runner's mask, they would star out text in every later step of the job.
  expect(run.stdout).not.toContain('::add-mask::');
});

test('a function whose creation failed', async () => {
  const emu = await world.start();
  emu.createFunction({
    name: 'broken',
    environment: { DB_PASSWORD: SECRET },
    failed: { reason: 'The subnet has no free IP addresses.', reasonCode: 'SubnetOutOfIPAddresses' }
  });
  const run = await deploy(emu, { 'function-name': 'broken' });
  expect(run.outputs['failure-reason']).toContain(
    'is in State Failed: SubnetOutOfIPAddresses: The subnet has no free IP addresses.'
  );
  expectNoSecret(run);
});

test('a cancellation while waiting for a function that stays Pending', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'pending', environment: { DB_PASSWORD: SECRET }, pendingMs: 600_000 });
  const run = await deploy(
    emu,
    { 'function-name': 'pending' },
    { signal: { name: 'SIGINT', afterMs: 1_500, afterLine: 'Waiting for pending to be ready' } }
  );
  expect(run.outputs.status).toBe('failed');
  expect(run.outputs['failure-reason']).toContain('cancelled during publish');
  expectNoSecret(run);
});

test.each([
  ['GetFunction', 'AccessDeniedException'],
  ['GetAlias', 'html-502'],
  ['PublishVersion', 'ServiceException'],
  ['Invoke', 'TooManyRequestsException'],
  ['UpdateAlias', 'AccessDeniedException'],
  ['DescribeAlarms', 'AccessDenied']
])('%s failing with %s', async (operation, fault) => {
  const emu = await secretWorld();
  emu.failNext(operation, 10, fault);
  const run = await deploy(emu, inputs);
  expect(run.outputs.status).toBe('failed');
  expectNoSecret(run);
});

test('an answer that is not JSON, from a proxy in front of AWS, names the endpoint and what it said', async () => {
  const emu = await secretWorld();
  emu.failNext('GetFunction', 10, 'html-502');
  const run = await deploy(emu, inputs);
  expect(run.outputs['failure-reason']).toMatch(
    /http:\/\/127\.0\.0\.1:\d+ answered GetFunction with HTTP 502 and a body that is not an AWS answer \(Unexpected token '<'/
  );
  expectNoSecret(run);
});

testIamPolicyCoversCalls();

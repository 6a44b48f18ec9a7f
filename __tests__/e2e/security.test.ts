import { expect, jest, test } from '@jest/globals';
import { runAction } from '../../emulator/runner/action-runner.js';
import { emulatorPerTest, testIamPolicyCoversCalls } from './scenario.js';

jest.setTimeout(30_000);

const world = emulatorPerTest();

const SECRETS = {
  AWS_ACCESS_KEY_ID: 'AKIAE2EACCESSKEY0001',
  AWS_SECRET_ACCESS_KEY: 'e2eSecretAccessKeyThatMustNeverAppear0001',
  AWS_SESSION_TOKEN: 'e2eSessionTokenThatMustNeverAppear0001'
};
const GITHUB_TOKEN = 'ghs_e2eSecurityTokenThatMustNeverAppear01';

test('no credential reaches the log, the summary or the outputs; hostile hook text is escaped and capped', async () => {
  const emu = await world.start();
  emu.createFunction({ name: 'verify' });
  const hostile = `<script>alert(1)</script> | [click](https://evil.example) @everyone ::error::forged ##[stop-commands]x ${'A'.repeat(20_000)}`;
  emu.queueInvokeResults('verify', [{ payload: { status: 'Failed', reason: hostile } }]);
  const run = await runAction({
    endpoint: emu.url,
    inputs: {
      'function-name': 'orders',
      strategy: 'Canary20Percent1Second',
      'alarm-poll-interval': '200ms',
      'post-traffic-hook': 'verify',
      'deployment-environment': 'production',
      'github-token': GITHUB_TOKEN
    },
    env: SECRETS
  });
  expect(run.outputs.status).toBe('rolled-back');

  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of [...Object.values(SECRETS), GITHUB_TOKEN]) {
    for (const [where, text] of Object.entries({
      log,
      stderr: run.stderr,
      summary: run.summary,
      outputs: JSON.stringify(run.outputs)
    })) {
      expect([where, text.includes(secret)]).toEqual([where, false]);
    }
  }

  expect(run.summary).not.toContain('<script>');
  expect(run.summary).not.toContain('[click]');
  expect(run.summary).not.toContain('@everyone');
  expect(run.summary).toContain('&lt;script&gt;');
  expect(run.summary.length).toBeLessThan(20_000);
  // The hook's text cannot issue workflow commands from the log.
  expect(run.stdout).not.toMatch(/^::error::forged/m);
  expect(run.stdout).not.toContain('##[stop-commands]');
  expect(run.outputs['failure-reason']!.length).toBeLessThan(1_200);
});

testIamPolicyCoversCalls();

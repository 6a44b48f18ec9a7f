import { expect, jest, test } from '@jest/globals';
import { deploy, emulatorPerTest, liveAlias, testIamPolicyCoversCalls } from './scenario.js';

jest.setTimeout(30_000);

const world = emulatorPerTest();

test('two deployments of one alias at once: exactly one proceeds, the other fails clearly', async () => {
  const emu = await world.start();
  const inputs = { strategy: 'Canary20Percent2Seconds', alarms: 'orders-errors' };
  const runs = await Promise.all([deploy(emu, inputs), deploy(emu, inputs)]);
  const statuses = runs.map((run) => run.outputs.status).sort();
  expect(statuses).toEqual(['failed', 'succeeded']);
  const winner = runs.find((run) => run.outputs.status === 'succeeded')!;
  const loser = runs.find((run) => run.outputs.status === 'failed')!;
  expect(winner.exitCode).toBe(0);
  expect(loser.exitCode).toBe(1);
  expect(loser.outputs['failure-reason']).toMatch(/already split|changed by someone else/);
  // The final alias agrees with both runs' outputs.
  expect(liveAlias(emu)).toMatchObject({ functionVersion: winner.outputs.version, weights: {} });
  expect(loser.outputs['previous-version']).toBe('1');
  // The loser never wrote the alias: every successful alias write came from the winner's plan.
  const writes = emu.calls().filter((call) => call.operation === 'UpdateAlias' && call.status === 200);
  expect(writes).toHaveLength(2);
});

test('a deployment that finds the alias split by an interrupted run restores it with on-split-alias: rollback', async () => {
  const emu = await world.start();
  const interrupted = await deploy(
    emu,
    { strategy: 'Canary20Percent30Seconds' },
    { signal: { name: 'SIGKILL', afterMs: 300, afterLine: 'Step 1/1' } }
  );
  expect(interrupted.exitCode).toBeNull();
  expect(liveAlias(emu)?.weights).toEqual({ '2': 0.2 });

  const refused = await deploy(emu, { strategy: 'AllAtOnce' });
  expect(refused.outputs.status).toBe('failed');
  expect(refused.outputs['failure-reason']).toContain("set 'on-split-alias: rollback'");
  expect(liveAlias(emu)?.weights).toEqual({ '2': 0.2 });

  emu.updateCode('orders');
  const recovered = await deploy(emu, { strategy: 'AllAtOnce', 'on-split-alias': 'rollback' });
  expect(recovered.outputs).toMatchObject({ status: 'succeeded', 'previous-version': '1', version: '3' });
  expect(recovered.stdout).toContain('on-split-alias is rollback, so it now routes 100% to version 1');
  expect(liveAlias(emu)).toMatchObject({ functionVersion: '3', weights: {} });
});

testIamPolicyCoversCalls();

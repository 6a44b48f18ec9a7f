import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { runAction, type ActionResult } from '../../emulator/runner/action-runner.js';
import {
  badInputCase,
  changesOrInvocations,
  expectRefused,
  seedBadInputWorld,
  type BadInputCase
} from '../support/bad-inputs.js';

// A handful of the bad-input table (support/bad-inputs.ts) against the bundled action, as the runner
// starts it: bad inputs read from INPUT_* variables and refused before AWS, and AWS states refused by
// the preflight. The whole table runs in-process in action/bad-input.test.ts.

const CASES: BadInputCase[] = [
  'unknown word',
  'yes as a boolean',
  'function with an alias qualifier',
  'unknown function',
  'provisioned concurrency on the alias of a function that publishes with SnapStart'
].map(badInputCase);

let emu: RunningEmulator;
const results = new Map<string, ActionResult>();

beforeAll(async () => {
  emu = await startEmulator();
  seedBadInputWorld(emu);
  const runs = CASES.map(async (c) =>
    results.set(c.name, await runAction({ endpoint: emu.url, inputs: c.inputs, timeoutMs: 30_000 }))
  );
  await Promise.all(runs);
}, 60_000);

afterAll(async () => {
  await emu.close();
});

test.each(CASES)('the bundle refuses $name clearly', (c) => {
  expectRefused(results.get(c.name)!, c);
});

test('no refusal made a mutating call or ran a hook', () => {
  expect(emu.calls().length).toBeGreaterThan(0); // the preflight refusals did read AWS
  expect(changesOrInvocations(emu)).toEqual([]);
});

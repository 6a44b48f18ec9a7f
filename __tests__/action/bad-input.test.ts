import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { BAD_INPUTS, changesOrInvocations, expectRefused, seedBadInputWorld } from '../support/bad-inputs.js';
import { InProcessAction } from '../support/run-main.js';

// The bad-input table against the real main step, in this process: runMain() reads the INPUT_*
// variables as on the runner and, for the AWS states it must refuse, talks over HTTP to an emulator
// on a random port. (A few cases also run end to end, against the bundle: e2e/bad-input.test.ts.)

let emu: RunningEmulator;
let action: InProcessAction;

beforeAll(async () => {
  emu = await startEmulator();
  seedBadInputWorld(emu);
  action = new InProcessAction(emu.url);
});

afterAll(async () => {
  action.close();
  await emu.close();
});

test('the table has at least 40 malformed inputs', () => {
  expect(BAD_INPUTS.filter((c) => c.input !== undefined).length).toBeGreaterThanOrEqual(40);
});

test.each(BAD_INPUTS)('refuses $name clearly', async (c) => {
  const before = emu.calls().length;
  const run = await action.run(c.inputs);
  expectRefused(run, c);
  // A malformed input is refused before any AWS call; an AWS state, after reading only.
  const calls = emu.calls().slice(before);
  if (c.input !== undefined) expect(calls).toEqual([]);
  else expect(calls.length).toBeGreaterThan(0);
});

test('no refusal made a mutating call or ran a hook', () => {
  expect(emu.calls().length).toBeGreaterThan(0); // the preflight refusals did read AWS
  expect(changesOrInvocations(emu)).toEqual([]);
});

test('the runs left the test process as they found it', () => {
  expect(process.exitCode).not.toBe(1);
  expect(Object.keys(process.env).filter((key) => key.startsWith('INPUT_'))).toEqual([]);
  expect(process.env.AWS_ENDPOINT_URL).not.toBe(emu.url);
});

import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { INPUT_DEFAULTS } from '../../src/config/inputs.js';
import { Inputs, Outputs, RetiredInputs } from '../../src/config/keys.js';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as ActionYml;

test('action.yml declares exactly the inputs the code reads, each described', () => {
  expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Inputs).sort());
  for (const [name, input] of Object.entries(action.inputs)) expect([name, input.description.length > 10]).toEqual([name, true]);
});

test('a retired input name is not declared (it is read only to be refused) and no input is named environment', () => {
  for (const name of Object.values(RetiredInputs)) expect(Object.keys(action.inputs)).not.toContain(name);
  expect(Object.keys(action.inputs)).toContain('deployment-environment');
});

test('the description fits the Marketplace (under 125 characters) and the action has branding', () => {
  const meta = action as unknown as { description: string; branding?: { icon?: string; color?: string } };
  expect(meta.description.length).toBeLessThan(125);
  expect(meta.branding).toEqual({ icon: expect.any(String), color: expect.any(String) });
});

test('action.yml defaults equal the defaults the code applies', () => {
  for (const [name, value] of Object.entries(INPUT_DEFAULTS)) expect([name, action.inputs[name]?.default]).toEqual([name, value]);
  // One of function-name and functions is required: the code says which is missing.
  expect(action.inputs[Inputs.FunctionName]?.required).toBe(false);
});

test('action.yml declares exactly the outputs the code sets', () => {
  expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Outputs).sort());
});

test('the action runs the bundle on node24', () => {
  expect(action.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
});

import { expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { Inputs } from '../../src/config/keys.js';
import * as main from '../../src/main.js';

// .env.example runs the sources with @github/local-action, which calls the entry's `run` export
// with the INPUT_* variables of that file.
const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

test('.env.example lists every input once, named as the runner names it', () => {
  const listed = [...example.matchAll(/^INPUT_([A-Z0-9-]+)=/gm)].map((match) => match[1]!.toLowerCase());
  expect(listed.sort()).toEqual(Object.values(Inputs).sort());
});

test('src/main.ts, the entry .env.example names, exports the run() that local-action calls', () => {
  expect(example).toContain('npx @github/local-action . src/main.ts .env');
  expect(main.run).toBe(main.runMain);
});

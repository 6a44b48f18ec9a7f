/** The action's shell registers every environment value as a secret before anything can print it. */
import { afterEach, expect, jest, test } from '@jest/globals';

const actual = await import('@actions/core');
const setSecret = jest.fn<(secret: string) => void>();
jest.unstable_mockModule('@actions/core', () => ({ ...actual, setSecret }));
const { readSettings } = await import('../../src/action/inputs.js');

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

test('env-vars values are masked, each line of a multi-line one too; values too short to be secrets are not', () => {
  process.env['INPUT_FUNCTION-NAME'] = 'orders';
  process.env['INPUT_ENV-VARS'] = JSON.stringify({ API_KEY: 'sk-live-0123', PEM: 'line-one\nline-two', FLAG: 'on', LEVEL: '1' });
  const settings = readSettings();
  expect(Object.keys(settings.configuration?.environment ?? {})).toEqual(['API_KEY', 'PEM', 'FLAG', 'LEVEL']);
  const masked = setSecret.mock.calls.map(([secret]) => secret);
  expect(masked).toEqual(expect.arrayContaining(['sk-live-0123', 'line-one\nline-two', 'line-one', 'line-two']));
  expect(masked).not.toContain('on');
  expect(masked).not.toContain('1');
});

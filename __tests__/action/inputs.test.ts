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

test('a value that is the function, its alias or the region is no secret to the runner; the action redacts around it', async () => {
  const { redactor } = await import('../../src/action/output.js');
  setSecret.mockClear();
  process.env['INPUT_FUNCTION-NAME'] = 'arn:aws:lambda:eu-west-1:123456789012:function:orders';
  process.env['INPUT_ALIAS'] = 'prod';
  process.env['INPUT_ENV-VARS'] = JSON.stringify({
    TABLE: 'orders',
    STAGE: 'prod',
    REGION: 'eu-west-1',
    ACCOUNT: '123456789012',
    API_KEY: 'sk-live-4567'
  });
  readSettings();
  const masked = setSecret.mock.calls.map(([secret]) => secret);
  expect(masked).toContain('sk-live-4567');
  for (const identifier of ['orders', 'prod', 'eu-west-1', '123456789012']) expect(masked).not.toContain(identifier);
  expect(redactor.redact('Function orders (alias prod, eu-west-1, account 123456789012): key sk-live-4567')).toBe(
    'Function orders (alias prod, eu-west-1, account 123456789012): key ***'
  );
});

import { expect, test } from '@jest/globals';
import { INPUT_DEFAULTS } from '../../src/config/inputs.js';
import { Inputs, type InputName } from '../../src/config/keys.js';
import { parseProvisionedConcurrency } from '../../src/config/provisioned-concurrency.js';

const read =
  (values: Partial<Record<InputName, string>>) =>
  (name: InputName): string =>
    values[name] ?? (INPUT_DEFAULTS as Partial<Record<InputName, string>>)[name] ?? '';

test('defaults: a 10-minute wait, reading every alarm-poll-interval kept between 1 and 5 seconds, no headroom', () => {
  expect(parseProvisionedConcurrency(read({}), 10_000, false)).toEqual({ timeoutMs: 600_000, pollIntervalMs: 5_000 });
  expect(parseProvisionedConcurrency(read({}), 200, false).pollIntervalMs).toBe(1_000);
  expect(parseProvisionedConcurrency(read({}), 2_000, false).pollIntervalMs).toBe(2_000);
});

test('a headroom is a share of the alias provisioned concurrency or a number of executions', () => {
  const headroom = (value: string) =>
    parseProvisionedConcurrency(read({ [Inputs.ProvisionedConcurrencyHeadroom]: value }), 10_000, false).headroom;
  expect(headroom('20%')).toEqual({ kind: 'percent', percent: 20 });
  expect(headroom('5')).toEqual({ kind: 'executions', executions: 5 });
  expect(headroom('')).toBeUndefined();
  expect(() => headroom('1001%')).toThrow(
    /Input 'provisioned-concurrency-headroom' has an invalid value "1001%": the share must be from 1% to 1000%/
  );
  expect(() => headroom('2.5')).toThrow(/neither a percentage nor a whole number/);
  expect(() => headroom('0')).toThrow(/from 1 to 100000/);
});

test('the timeout is a duration from a second to six hours', () => {
  const timeout = (value: string) =>
    parseProvisionedConcurrency(read({ [Inputs.ProvisionedConcurrencyTimeout]: value }), 10_000, false).timeoutMs;
  expect(timeout('30m')).toBe(1_800_000);
  expect(() => timeout('7h')).toThrow(/Input 'provisioned-concurrency-timeout'.*at most 6h/);
});

test('a headroom is refused with a strategy that holds: a held alias keeps its weights, so it could not be put back', () => {
  expect(() => parseProvisionedConcurrency(read({ [Inputs.ProvisionedConcurrencyHeadroom]: '20%' }), 10_000, true)).toThrow(
    /Input 'provisioned-concurrency-headroom' has an invalid value "20%": a strategy that holds for approval leaves the alias weighted/
  );
  expect(parseProvisionedConcurrency(read({}), 10_000, true).headroom).toBeUndefined();
});

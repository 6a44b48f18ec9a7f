import { DEFAULT_MAX_DURATION_MS, DURATION_EXPECTED, formatDuration, parseDuration } from '../../src/core/duration.js';
import { InputError } from '../../src/core/input-error.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

/** Runs `parse` expecting an InputError and returns it, so the message can be asserted on. */
function refusal(parse: () => unknown): InputError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError, but the value was accepted');
}

describe('parseDuration accepts', () => {
  test.each([
    ['30s', 30 * S],
    ['5m', 5 * M],
    ['1h', H],
    ['500ms', 500],
    ['1m30s', 90 * S],
    ['1h 30m', 90 * M],
    ['1h30m15s250ms', H + 30 * M + 15 * S + 250],
    ['  2m  ', 2 * M],
    ['5M', 5 * M],
    ['10S', 10 * S],
    ['250MS', 250],
    ['1H 1M 1S', H + M + S],
    ['5 m', 5 * M],
    ['1ms', 1],
    ['168h', DEFAULT_MAX_DURATION_MS]
  ])('%j → %d ms', (value, expected) => {
    expect(parseDuration(value, 'timeout')).toBe(expected);
  });

  test('zero when min allows it', () => {
    expect(parseDuration('0s', 'timeout', { min: 0 })).toBe(0);
  });

  test('a custom max is inclusive', () => {
    expect(parseDuration('2m', 'timeout', { max: 2 * M })).toBe(2 * M);
  });
});

describe('parseDuration refuses', () => {
  test.each([
    ['', /the duration is empty/],
    ['   ', /the duration is empty/],
    ['30', /the number 30 has no unit/],
    ['-5m', /must not be negative/],
    ['0s', /must be at least 1ms, got 0s/],
    ['0ms', /must be at least 1ms, got 0ms/],
    ['1.5m', /decimals are not accepted/],
    ['.5h', /decimals are not accepted/],
    ['5d', /unknown unit 'd'/],
    ['5mins', /unknown unit 'mins'/],
    ['10 minutes', /unknown unit 'minutes'/],
    ['m5', /not a number followed by a unit/],
    ['5m!', /not a number followed by a unit/],
    ['abc', /not a number followed by a unit/],
    ['30s1m', /each unit may appear once, largest first/],
    ['1m1m', /each unit may appear once, largest first/],
    ['169h', /must be at most 168h, got 169h/],
    ['99999999h', /must be at most 168h, got 99999999h/],
    ['9'.repeat(400) + 'h', /^the duration must be at most 168h, got 9{40}…$/]
  ])('%j', (value, problem) => {
    const error = refusal(() => parseDuration(value, 'bake-time'));
    expect(error.input).toBe('bake-time');
    expect(error.value).toBe(value);
    expect(error.problem).toMatch(problem);
    expect(error.expected).toBe(DURATION_EXPECTED);
    expect(error.message).toContain(`Input 'bake-time'`);
    expect(error.message).toContain(`invalid value ${JSON.stringify(value.length > 120 ? `${value.slice(0, 120)}…` : value)}:`);
    expect(error.message).toContain('30s, 5m, 1h, 1m30s, 1h 30m or 500ms');
  });

  test('below a custom min', () => {
    expect(refusal(() => parseDuration('10s', 'x', { min: 30 * S })).problem).toBe('the duration must be at least 30s, got 10s');
  });

  test('above a custom max', () => {
    expect(refusal(() => parseDuration('3m', 'x', { max: 2 * M })).problem).toBe('the duration must be at most 2m, got 3m');
  });
});

describe('formatDuration', () => {
  test.each([
    [300_000, '5m'],
    [90_000, '1m30s'],
    [2000, '2s'],
    [500, '500ms'],
    [0, '0s'],
    [H, '1h'],
    [H + 30 * M, '1h30m'],
    [H + 1, '1h1ms'],
    [DEFAULT_MAX_DURATION_MS, '168h'],
    [1500.4, '1s500ms'],
    [-2000, '-2s']
  ])('%d → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  test.each(['30s', '5m', '1h', '1m30s', '1h30m15s250ms', '500ms'])('round-trips %s', (text) => {
    expect(formatDuration(parseDuration(text, 'x'))).toBe(text);
  });
});

import { describe, expect, test } from '@jest/globals';
import { parseProbes } from '../../src/config/probes.js';
import { InputError } from '../../src/core/input-error.js';

function parse(inputs: Record<string, string>, files: Record<string, string> = {}, engine = 'runner') {
  return parseProbes({
    read: (name) => inputs[name] ?? '',
    readFile: (path) => {
      if (!(path in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[path]!;
    },
    engine
  });
}

function refusal(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('probe inputs', () => {
  test('none given: no probes', () => {
    expect(parse({})).toBeUndefined();
  });

  test('one inline event, with its assertions and rate', () => {
    expect(
      parse({
        'probe-payload': '{"path": "/health"}',
        'probe-expect': '{"statusCode": 200}',
        'probe-max-duration': '2s',
        'probe-rate': '5'
      })
    ).toEqual({ events: ['{"path":"/health"}'], expect: { statusCode: 200 }, maxDurationMs: 2000, ratePerSecond: 5 });
  });

  test('a JSON array is several events; an array wrapped once is one array event', () => {
    expect(parse({ 'probe-payload': '[{"a": 1}, {"b": 2}]' })?.events).toEqual(['{"a":1}', '{"b":2}']);
    expect(parse({ 'probe-payload': '[[1, 2]]' })?.events).toEqual(['[1,2]']);
  });

  test('a file path is read, and its JSON parsed', () => {
    expect(parse({ 'probe-payload': 'probes/health.json' }, { 'probes/health.json': '[{"x": true}]' })?.events).toEqual([
      '{"x":true}'
    ]);
  });

  test('rate 0 is off', () => {
    expect(parse({ 'probe-payload': '{}', 'probe-rate': '0' })).toEqual({ events: ['{}'] });
  });

  test.each([
    [{ 'probe-payload': '{"path": ' }, 'probe-payload', 'it is not valid JSON'],
    [{ 'probe-payload': 'missing.json' }, 'probe-payload', 'no file of that name could be read (ENOENT)'],
    [{ 'probe-payload': '[]' }, 'probe-payload', 'it holds 0 events'],
    [{ 'probe-payload': '{}', 'probe-rate': '11' }, 'probe-rate', 'from 0 to 10'],
    [{ 'probe-payload': '{}', 'probe-rate': '-1' }, 'probe-rate', 'from 0 to 10'],
    [{ 'probe-payload': '{}', 'probe-expect': 'ok' }, 'probe-expect', 'it is not valid JSON'],
    [{ 'probe-payload': '{}', 'probe-max-duration': 'soon' }, 'probe-max-duration', ''],
    [{ 'probe-rate': '5' }, 'probe-rate', 'probe-payload is not given']
  ])('%j is refused, naming %s', (inputs, input, problem) => {
    const error = refusal(() => parse(inputs as Record<string, string>));
    expect(error.input).toBe(input);
    expect(error.message).toContain(problem);
  });

  test('a file with bad JSON says so', () => {
    expect(refusal(() => parse({ 'probe-payload': 'bad.json' }, { 'bad.json': 'not json' })).message).toContain(
      'the file does not hold valid JSON'
    );
  });

  test('engine codedeploy is refused: the probes are sent from the runner', () => {
    const error = refusal(() => parse({ 'probe-payload': '{}' }, {}, 'codedeploy'));
    expect(error.input).toBe('probe-payload');
    expect(error.message).toContain('engine codedeploy');
  });
});

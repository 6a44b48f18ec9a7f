import { describe, expect, test } from '@jest/globals';
import { Redactor } from '../../src/core/redaction.js';
import { capText } from '../../src/core/text.js';

describe('Redactor', () => {
  test('replaces every known value, the longest first, and leaves other text alone', () => {
    const redactor = new Redactor();
    redactor.add(['hunter2-db', 'hunter2-db-replica']);
    expect(redactor.redact('a=hunter2-db-replica b=hunter2-db c=hunter2')).toBe('a=*** b=*** c=hunter2');
  });

  test('values shorter than 4 characters are not secrets (they would star out version numbers)', () => {
    const redactor = new Redactor();
    redactor.add(['on', '1', 'dev', '   ']);
    expect(redactor.size).toBe(0);
    expect(redactor.redact('version 1 on dev')).toBe('version 1 on dev');
  });

  test('the JSON-escaped form, as Lambda quotes the variables in its 4KB error, is replaced too', () => {
    const secret = 'pa"ss\\word!';
    const redactor = new Redactor();
    redactor.add([secret]);
    const lambdaSays = `exceeded the 4KB limit. String measured: ${JSON.stringify({ DB_PASSWORD: secret, LOG: 'info' })}`;
    expect(redactor.redact(lambdaSays)).toBe('exceeded the 4KB limit. String measured: {"DB_PASSWORD":"***","LOG":"info"}');
  });

  test('each line of a value on several lines is a secret of its own (as the runner masks them)', () => {
    const redactor = new Redactor();
    redactor.add(['-----BEGIN KEY-----\nMIIEpAIBAAKCAQEA\n-----END KEY-----']);
    expect(redactor.redact('line: MIIEpAIBAAKCAQEA ⏎')).toBe('line: *** ⏎');
  });

  test('the start of a value cut off by a cap is removed as well', () => {
    const secret = 'correct-horse-battery-staple';
    const redactor = new Redactor();
    redactor.add([secret]);
    const capped = capText(`String measured: {"DB_PASSWORD":"${secret}"}`, 40);
    expect(capped).toContain('"correct… (truncated');
    const redacted = redactor.redact(capped);
    expect(redacted).toBe('String measured: {"DB_PASSWORD":"***… (truncated, 63 chars)');
  });

  test('tells the runner of each new form once', () => {
    const told: string[] = [];
    const redactor = new Redactor((form) => told.push(form));
    redactor.add(['a"bcd', 'a"bcd']);
    expect(told).toEqual(['a"bcd', 'a\\"bcd']);
  });

  test('redactDeep redacts every string of a report-shaped value and keeps its shape', () => {
    const redactor = new Redactor();
    redactor.add(['s3cr3t-value']);
    const report = { result: { failureReason: 'x s3cr3t-value', targets: [{ alias: 'live', version: '2' }], n: 3, ok: true } };
    expect(redactor.redactDeep(report)).toEqual({
      result: { failureReason: 'x ***', targets: [{ alias: 'live', version: '2' }], n: 3, ok: true }
    });
  });
});

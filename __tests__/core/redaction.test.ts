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

  test('tells the runner of each new form once, and only of the values given as secrets', () => {
    const told: string[] = [];
    const redactor = new Redactor((form) => told.push(form));
    redactor.add(['a"bcd', 'a"bcd'], { mask: true });
    expect(told).toEqual(['a"bcd', 'a\\"bcd']);
    // A function's own variables (read from AWS): redacted here, never given to the runner's mask,
    // which would star `prod` or `true` in every later step of the job.
    redactor.add(['STAGE-prod', 'DEBUG-true']);
    expect(told).toEqual(['a"bcd', 'a\\"bcd']);
    expect(redactor.redact('STAGE-prod DEBUG-true')).toBe('*** ***');
  });

  describe('identifiers the action prints by design are never starred', () => {
    const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

    test('a value equal to a function name, alias, version, region or account leaves them be', () => {
      const redactor = new Redactor();
      redactor.allow(['orders', ARN, 'live', '1234', 'us-east-1', '123456789012']);
      redactor.add(['orders', 'live', '1234', 'us-east-1', '123456789012', 'hunter2-pw']);
      expect(redactor.redact(`Function orders (${ARN}:live): version 1234 in us-east-1; hunter2-pw`)).toBe(
        `Function orders (${ARN}:live): version 1234 in us-east-1; ***`
      );
      // Where the same text stands on its own, it is the identifier all the same: shown anyway.
      expect(redactor.redact("Value '{TABLE=orders, DB_PASSWORD=hunter2-pw}'")).toBe("Value '{TABLE=orders, DB_PASSWORD=***}'");
    });

    test('a value that reaches outside an identifier is starred, identifier and all', () => {
      const redactor = new Redactor();
      redactor.allow(['orders', 'my-orders']);
      redactor.add(['orders-db-pass', 'prod-orders']);
      // Starts inside the identifier my-orders and runs on: all of it goes, never a tail that leaks.
      expect(redactor.redact('x my-orders-db-pass y')).toBe('x my-*** y');
      expect(redactor.redact('x prod-orders y orders')).toBe('x *** y orders');
    });

    test('a value inside a longer identifier (a name within the function ARN) is left in it', () => {
      const redactor = new Redactor();
      redactor.allow([ARN]);
      redactor.add(['orders']);
      expect(redactor.redact(`${ARN} and orders`)).toBe(`${ARN} and ***`);
    });

    test('an identifier is never given to the runner mask, which would star it in every later step', () => {
      const told: string[] = [];
      const redactor = new Redactor((form) => told.push(form));
      redactor.allow(['orders']);
      redactor.add(['orders', 'hunter2-pw'], { mask: true });
      expect(told).toEqual(['hunter2-pw']);
    });

    test('a value shaped like an identifier learnt later (account, region, version, ARN) reaches the mask at the end, unless it became one', () => {
      const told: string[] = [];
      const redactor = new Redactor((form) => told.push(form));
      redactor.add(['123456789012', 'eu-west-1', '8080', 'arn:aws:sns:us-east-1:123456789012:alerts', 'hunter2-pw'], {
        mask: true
      });
      expect(told).toEqual(['hunter2-pw']);
      // Redacted by the action all along.
      expect(redactor.redact('port 8080')).toBe('port ***');
      // Lambda's answers then show the account and the region to be identifiers.
      redactor.allow(['123456789012', 'eu-west-1']);
      redactor.settleMasks();
      expect(told).toEqual(['hunter2-pw', '8080', 'arn:aws:sns:us-east-1:123456789012:alerts']);
      redactor.settleMasks();
      expect(told).toHaveLength(3);
    });

    test('the start of a value cut off by a cap is spared only where it is no more than an identifier', () => {
      const redactor = new Redactor();
      redactor.allow(['orders']);
      redactor.add(['orders-db-pass']);
      expect(redactor.redact(capText('Function orders-db-pass', 18))).toBe('Function ***… (truncated, 23 chars)');
      // Cut right after the identifier, what is left of the value is the identifier: shown anyway.
      expect(redactor.redact(capText('Function orders-db-pass', 15))).toBe('Function orders… (truncated, 23 chars)');
    });
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

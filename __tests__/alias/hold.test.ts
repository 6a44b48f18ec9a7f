import { describe, expect, test } from '@jest/globals';
import { describeHold, descriptionWithHold, findHold, heldRouting, holdAgeMs, holdExpired } from '../../src/alias/hold.js';
import {
  EMPTY_RECORD,
  MAX_DESCRIPTION_CHARS,
  MAX_GOOD_VERSIONS,
  readAliasRecord,
  withGoodVersion,
  withHold,
  writeAliasRecord,
  type HoldRecord
} from '../../src/alias/record.js';
import type { AliasState } from '../../src/aws/lambda-gateway.js';
import { MAX_AFTER_HOLD_CHARS } from '../../src/config/strategy.js';

// A hold as an alias shows it: its record, and a routing that agrees. Times are given, never read.

const HELD_AT = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOLD: HoldRecord = {
  deploymentId: '12345678901-1-abcdef12',
  previousVersion: '41',
  newVersion: '42',
  weightPercent: 33.33,
  remaining: '75%:10m, 100%',
  heldAt: HELD_AT / 1000,
  maxAgeSeconds: 86_400
};

function alias(routing: Pick<AliasState, 'version' | 'additional'>, description?: string): AliasState {
  return {
    name: 'live',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
    revisionId: 'r1',
    ...routing,
    ...(description !== undefined ? { description } : {})
  };
}

const held = writeAliasRecord(withHold(withGoodVersion(EMPTY_RECORD, '41'), HOLD), 'orders in production');

describe('findHold', () => {
  test('a hold whose routing agrees (weights as Lambda echoes them back)', () => {
    expect(findHold(alias({ version: '41', additional: { version: '42', weight: 0.33330000001 } }, held))).toEqual({
      kind: 'held',
      hold: HOLD,
      record: { good: ['41'], hold: HOLD }
    });
    expect(heldRouting(HOLD)).toEqual({ version: '41', additional: { version: '42', weight: 0.3333 } });
  });

  test('a hold whose alias someone changed: another weight, the previous version alone, another version', () => {
    for (const routing of [
      { version: '41', additional: { version: '42', weight: 0.5 } },
      { version: '41' },
      { version: '42' },
      { version: '40', additional: { version: '42', weight: 0.3333 } }
    ]) {
      expect(findHold(alias(routing, held))).toMatchObject({ kind: 'changed', hold: HOLD });
    }
    expect(findHold(alias({ version: '41' }, held))).toMatchObject({ routes: '100% to version 41' });
  });

  test('no hold: no alias, no description, a record without a hold; a damaged record says so', () => {
    expect(findHold(undefined)).toEqual({ kind: 'none' });
    expect(findHold(alias({ version: '41' }))).toEqual({ kind: 'none' });
    expect(findHold(alias({ version: '41' }, writeAliasRecord(withGoodVersion(EMPTY_RECORD, '41'))))).toEqual({ kind: 'none' });
    expect(findHold(alias({ version: '41' }, 'text lambda-safe-deploy/1{"h":'))).toMatchObject({ kind: 'damaged' });
  });
});

describe('descriptionWithHold', () => {
  test('setting a hold keeps the person’s text and the promoted versions', () => {
    const description = descriptionWithHold(writeAliasRecord(withGoodVersion(EMPTY_RECORD, '40'), 'ours'), HOLD)!;
    expect(readAliasRecord(description)).toEqual({ record: { good: ['40'], hold: HOLD }, text: 'ours' });
  });

  test('ending a hold keeps the rest; with no hold to end the description is not written at all', () => {
    expect(readAliasRecord(descriptionWithHold(held, undefined))).toEqual({
      record: { good: ['41'] },
      text: 'orders in production'
    });
    expect(descriptionWithHold('orders in production', undefined)).toBeUndefined();
    expect(descriptionWithHold(undefined, undefined)).toBeUndefined();
    // A record this action cannot read is not rewritten by a write that only ends holds.
    expect(descriptionWithHold('lambda-safe-deploy/1{oops', undefined)).toBeUndefined();
  });

  const LARGEST: HoldRecord = {
    ...HOLD,
    // A run id of twelve digits, a run attempt of two: the deployment ids this action makes.
    deploymentId: '999999999999-99-ffffffff',
    previousVersion: '999998',
    newVersion: '999999',
    weightPercent: 99.98,
    remaining: 'x'.repeat(MAX_AFTER_HOLD_CHARS),
    heldAt: 9_999_999_999,
    maxAgeSeconds: 1_209_600
  };

  test('the largest hold the strategy allows fits beside five versions of six digits and a person’s text', () => {
    let record = withHold(EMPTY_RECORD, LARGEST);
    for (let v = 0; v < MAX_GOOD_VERSIONS; v++) record = withGoodVersion(record, String(999990 + v));
    const description = descriptionWithHold(writeAliasRecord({ good: record.good }, 'a person wrote this'), LARGEST)!;
    expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    const read = readAliasRecord(description);
    expect(read.record).toEqual(record);
    // The person's text gives way first: shortened, never dropped.
    expect(read.text.length).toBeGreaterThan(0);
    expect('a person wrote this'.startsWith(read.text.replace(/…$/, ''))).toBe(true);
  });

  test('with longer version numbers the oldest promoted versions give the hold their room', () => {
    let good = EMPTY_RECORD;
    for (let v = 0; v < MAX_GOOD_VERSIONS; v++) good = withGoodVersion(good, String(9_999_999_990 + v));
    const hold = { ...LARGEST, previousVersion: '9999999998', newVersion: '9999999999' };
    const description = descriptionWithHold(writeAliasRecord(good), hold)!;
    expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    const { record } = readAliasRecord(description);
    expect(record.hold).toEqual(hold);
    expect(record.good).toEqual(good.good.slice(0, record.good.length));
    expect(record.good.length).toBeLessThan(MAX_GOOD_VERSIONS);
  });
});

describe('age', () => {
  test('past its limit only once the limit has gone by', () => {
    const limit = HELD_AT + 86_400_000;
    expect(holdAgeMs(HOLD, HELD_AT + 5_000)).toBe(5_000);
    expect(holdExpired(HOLD, limit)).toBe(false);
    expect(holdExpired(HOLD, limit + 1)).toBe(true);
    // A clock behind the holding job's is no reason for a negative age.
    expect(holdAgeMs(HOLD, HELD_AT - 60_000)).toBe(0);
  });

  test('described with its deployment, versions, weight, start, age and limit', () => {
    expect(describeHold(HOLD, HELD_AT + 3 * 3_600_000 + 12 * 60_000)).toBe(
      'deployment 12345678901-1-abcdef12 holds version 42 at 33.33% (previous version 41) since 2026-11-25 12:00 UTC, 3h12m ago (limit 24h)'
    );
  });
});

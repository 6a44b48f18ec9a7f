import { describe, expect, test } from '@jest/globals';
import {
  EMPTY_RECORD,
  MAX_DESCRIPTION_CHARS,
  MAX_GOOD_VERSIONS,
  RECORD_MARKER,
  readAliasRecord,
  withGoodVersion,
  withHold,
  writeAliasRecord,
  type HoldRecord
} from '../../src/alias/record.js';

const HOLD: HoldRecord = {
  deploymentId: '12345678901-1-abcdef12',
  previousVersion: '41',
  newVersion: '42',
  weightPercent: 10,
  remaining: '50%:5m, 100%',
  heldAt: 1_765_000_000,
  maxAgeSeconds: 86_400
};

describe('the record on an alias', () => {
  test('a description without a record reads as the empty record, the text kept', () => {
    expect(readAliasRecord(undefined)).toEqual({ record: EMPTY_RECORD, text: '' });
    expect(readAliasRecord('orders in production')).toEqual({ record: EMPTY_RECORD, text: 'orders in production' });
  });

  test('what is written reads back the same, with the person’s text before it', () => {
    const record = withHold(withGoodVersion(withGoodVersion(EMPTY_RECORD, '40'), '41'), HOLD);
    const description = writeAliasRecord(record, 'orders in production');
    expect(description.startsWith('orders in production ')).toBe(true);
    expect(description).toContain(RECORD_MARKER);
    expect(readAliasRecord(description)).toEqual({ record: { good: ['41', '40'], hold: HOLD }, text: 'orders in production' });
  });

  test('a hold and five versions fit in Lambda’s 256 characters; a long text is shortened to make room', () => {
    let record = withHold(EMPTY_RECORD, { ...HOLD, remaining: '20%:10m, 30%:10m, 50%:10m, 100%' });
    for (let v = 1000; v < 1010; v++) record = withGoodVersion(record, String(v));
    expect(record.good).toHaveLength(MAX_GOOD_VERSIONS);
    const description = writeAliasRecord(record, 'x'.repeat(400));
    expect(description.length).toBeLessThanOrEqual(MAX_DESCRIPTION_CHARS);
    expect(description).toMatch(/^x+… lambda-safe-deploy\/1\{/);
    expect(readAliasRecord(description).record).toEqual(record);
  });

  test('a version promoted again moves to the front instead of appearing twice', () => {
    const record = withGoodVersion(withGoodVersion(withGoodVersion(EMPTY_RECORD, '5'), '6'), '5');
    expect(record.good).toEqual(['5', '6']);
  });

  test('clearing the hold keeps the promoted versions', () => {
    const record = withHold(withGoodVersion(withHold(EMPTY_RECORD, HOLD), '42'), undefined);
    expect(record).toEqual({ good: ['42'] });
    expect(readAliasRecord(writeAliasRecord(record)).record).toEqual({ good: ['42'] });
  });

  test('a damaged record is a problem, read as empty: never a hold nobody wrote', () => {
    for (const damaged of [
      `${RECORD_MARKER}{"g":["5"`,
      `${RECORD_MARKER}{"g":[5]}`,
      `${RECORD_MARKER}{"h":{"d":"x"}}`,
      `${RECORD_MARKER}[1,2]`,
      `text ${RECORD_MARKER}{"g":["not a version"]}`
    ]) {
      const read = readAliasRecord(damaged);
      expect(read.record).toEqual(EMPTY_RECORD);
      expect(read.problem).toMatch(/record in the alias description/);
    }
  });
});

import { describe, expect, test } from '@jest/globals';
import { afterPromotion, lastGoodVersions, promotedDescription, rolledBackDescription } from '../../src/alias/last-good.js';
import { readAliasRecord, writeAliasRecord, withHold } from '../../src/alias/record.js';
import type { AliasState } from '../../src/aws/lambda-gateway.js';

// Last good on data alone: which recorded versions are candidates, and how promotions and rollbacks change the record.

const alias = (version: string, description?: string, additional?: AliasState['additional']): AliasState => ({
  name: 'live',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
  revisionId: 'r',
  version,
  ...(additional ? { additional } : {}),
  ...(description !== undefined ? { description } : {})
});

describe('lastGoodVersions', () => {
  test('the newest recorded version the alias does not serve, then the older ones', () => {
    const description = writeAliasRecord({ good: ['3', '2', '1'] }, 'orders production');
    expect(lastGoodVersions(alias('3', description))).toEqual({ ok: true, versions: ['2', '1'] });
  });

  test('the last deployment was rolled back: its version was never recorded, so the one before the live one is picked', () => {
    // 2 and 3 promoted; 4 rolled back (alias on 3 again, nothing recorded for 4).
    let description = promotedDescription(undefined, '2');
    description = promotedDescription(description, '3');
    expect(lastGoodVersions(alias('3', description))).toEqual({ ok: true, versions: ['2'] });
  });

  test('neither version of a split alias is a candidate', () => {
    const description = writeAliasRecord({ good: ['5', '4', '3'] });
    expect(lastGoodVersions(alias('4', description, { version: '5', weight: 0.2 }))).toEqual({ ok: true, versions: ['3'] });
  });

  test('none recorded, only the live one, or a damaged record: refused with what to do', () => {
    expect(lastGoodVersions(alias('3'))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/no good version other than the live one/)
    });
    expect(lastGoodVersions(alias('3', writeAliasRecord({ good: ['3'] })))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/it records only 3, which live serves now/)
    });
    expect(lastGoodVersions(alias('3', 'lambda-safe-deploy/1{oops'))).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/not valid JSON/)
    });
  });
});

describe('promotions and rollbacks', () => {
  test('a promotion records the version newest, keeping the person text and ending the hold it promotes', () => {
    const hold = {
      deploymentId: 'd',
      previousVersion: '1',
      newVersion: '2',
      weightPercent: 10,
      remaining: '100%',
      heldAt: 1,
      maxAgeSeconds: 60
    };
    const before = writeAliasRecord(withHold({ good: ['1'] }, hold), 'prod traffic');
    const after = readAliasRecord(promotedDescription(before, '2'));
    expect(after).toEqual({ record: { good: ['2', '1'] }, text: 'prod traffic' });
  });

  test('going back to a recorded version forgets those recorded after it, so last good goes further back', () => {
    expect(afterPromotion({ good: ['4', '3', '2', '1'] }, '2')).toEqual({ good: ['2', '1'] });
    expect(afterPromotion({ good: ['3', '2'] }, '3')).toEqual({ good: ['3', '2'] });
    expect(afterPromotion({ good: ['3', '2'] }, '5')).toEqual({ good: ['5', '3', '2'] });
    const description = writeAliasRecord(afterPromotion({ good: ['3', '2', '1'] }, '2'));
    expect(lastGoodVersions(alias('2', description))).toEqual({ ok: true, versions: ['1'] });
  });

  test('a rollback away from the newest recorded version takes it out; otherwise the description is left as it is', () => {
    const promoted = promotedDescription(writeAliasRecord({ good: ['1'] }, 'text'), '2');
    expect(readAliasRecord(rolledBackDescription(promoted, '2'))).toEqual({ record: { good: ['1'] }, text: 'text' });
    expect(rolledBackDescription(promoted, '7')).toBeUndefined();
    expect(rolledBackDescription(undefined, '2')).toBeUndefined();
  });
});

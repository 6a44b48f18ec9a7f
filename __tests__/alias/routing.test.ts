import { expect, test } from '@jest/globals';
import { describeRouting, sameRouting, splitRouting, toWeight } from '../../src/alias/routing.js';

test('weights are fractions with at most four decimals', () => {
  expect(toWeight(10)).toBe(0.1);
  expect(toWeight(2.5)).toBe(0.025);
  expect(toWeight(33.33)).toBe(0.3333);
  expect(toWeight(0.01)).toBe(0.0001);
});

test('a split routing keeps the previous version as the main one', () => {
  expect(splitRouting('3', '4', 25)).toEqual({ version: '3', additional: { version: '4', weight: 0.25 } });
});

test('routings read as percentages', () => {
  expect(describeRouting({ version: '3' })).toBe('100% to version 3');
  expect(describeRouting({ version: '3', additional: { version: '4', weight: 0.1 } })).toBe(
    '90% to version 3 and 10% to version 4'
  );
  expect(describeRouting(undefined)).toBe('nowhere (the alias no longer exists)');
});

test('sameRouting compares versions and shares, ignoring float noise', () => {
  expect(
    sameRouting(
      { version: '1', additional: { version: '2', weight: 0.1 } },
      { version: '1', additional: { version: '2', weight: 0.1000000001 } }
    )
  ).toBe(true);
  expect(
    sameRouting(
      { version: '1', additional: { version: '2', weight: 0.1 } },
      { version: '1', additional: { version: '2', weight: 0.2 } }
    )
  ).toBe(false);
  expect(sameRouting({ version: '1', additional: { version: '2', weight: 0.1 } }, { version: '1' })).toBe(false);
  expect(sameRouting({ version: '2' }, { version: '2' })).toBe(true);
  expect(sameRouting({ version: '2' }, { version: '1' })).toBe(false);
});

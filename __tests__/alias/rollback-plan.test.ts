import { expect, test } from '@jest/globals';
import { manualRollbackCommand, planRollback } from '../../src/alias/rollback-plan.js';

test.each([
  ['alias never touched', { aliasTouched: false, previousVersion: '3', aliasCreated: false }, { kind: 'none' }],
  [
    'alias shifted',
    { aliasTouched: true, previousVersion: '3', aliasCreated: false },
    { kind: 'restore', routing: { version: '3' } }
  ],
  ['alias created by this deployment', { aliasTouched: true, aliasCreated: true }, { kind: 'delete-alias' }],
  ['create attempted but unknown', { aliasTouched: true, aliasCreated: false }, { kind: 'none' }]
])('%s', (_name, facts, expected) => {
  expect(planRollback(facts)).toEqual(expected);
});

test('the manual fix is a runnable AWS CLI command', () => {
  expect(manualRollbackCommand('orders', 'live', { kind: 'restore', routing: { version: '3' } })).toBe(
    `aws lambda update-alias --function-name orders --name live --function-version 3 --routing-config '{"AdditionalVersionWeights":{}}'`
  );
  expect(manualRollbackCommand('orders', 'live', { kind: 'delete-alias' })).toBe(
    'aws lambda delete-alias --function-name orders --name live'
  );
});

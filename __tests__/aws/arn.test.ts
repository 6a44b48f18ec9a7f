import { expect, test } from '@jest/globals';
import { plainFunctionName, sameFunctionTwice } from '../../src/aws/arn.js';

test.each([
  ['orders', 'orders'],
  ['orders:live', 'orders'],
  ['orders:7', 'orders'],
  ['123456789012:function:orders', 'orders'],
  ['123456789012:function:orders:$LATEST', 'orders'],
  ['arn:aws:lambda:eu-west-1:123456789012:function:orders', 'orders'],
  ['arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_smoke:live', 'CodeDeployHook_smoke']
])('the plain name of %s is %s, whatever the form and qualifier', (ref, name) => {
  expect(plainFunctionName(ref)).toBe(name);
});

const ORDERS = 'arn:aws:lambda:us-east-1:123456789012:function:orders';

test('entries resolved to one function are found, whatever form each was given in', () => {
  expect(sameFunctionTwice([ORDERS, 'arn:aws:lambda:us-east-1:123456789012:function:worker', `${ORDERS}:7`])).toEqual([[0, 2]]);
  expect(sameFunctionTwice([ORDERS, undefined, ORDERS, ORDERS])).toEqual([[0, 2, 3]]);
});

test('the same name in two regions or accounts is two functions', () => {
  expect(
    sameFunctionTwice([
      ORDERS,
      'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      'arn:aws:lambda:us-east-1:210987654321:function:orders'
    ])
  ).toEqual([]);
});

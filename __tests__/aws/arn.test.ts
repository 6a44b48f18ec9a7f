import { expect, test } from '@jest/globals';
import { sameFunctionTwice } from '../../src/aws/arn.js';

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

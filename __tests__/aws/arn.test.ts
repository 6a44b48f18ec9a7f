import { expect, test } from '@jest/globals';
import { plainFunctionName } from '../../src/aws/arn.js';

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

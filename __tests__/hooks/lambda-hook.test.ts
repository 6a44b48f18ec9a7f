import { expect, test } from '@jest/globals';
import { interpretHookResponse, LambdaTrafficHook, MAX_HOOK_RESPONSE_CHARS } from '../../src/hooks/lambda-hook.js';
import type { LambdaGateway } from '../../src/aws/lambda-gateway.js';
import type { HookPayload } from '../../src/hooks/traffic-hook.js';
import { FakeClock } from '../support/fake-clock.js';

test.each([
  ['a success status', undefined, '{"status":"Succeeded"}', { passed: true }],
  ['no status at all', undefined, 'null', { passed: true }],
  ['status Failed with a reason', undefined, '{"status":"Failed","reason":"db down"}', { passed: false, reason: 'it returned status "Failed": db down' }],
  ['status failed in lower case', undefined, '{"status":"failed"}', { passed: false, reason: 'it returned status "failed"' }],
  [
    'a function error',
    'Unhandled',
    '{"errorType":"Error","errorMessage":"boom"}',
    { passed: false, reason: 'the function raised an error (Unhandled): boom' }
  ]
])('%s', (_name, functionError, payload, expected) => {
  expect(interpretHookResponse(functionError, payload)).toEqual(expected);
});

const payload = { lifecycleEvent: 'BeforeAllowTraffic' } as HookPayload;

function gateway(invoke: LambdaGateway['invoke']): LambdaGateway {
  return { invoke } as LambdaGateway;
}

test('a failed invocation is a hook failure that names the error', async () => {
  const hook = new LambdaTrafficHook(
    gateway(async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    }),
    'pre',
    new FakeClock()
  );
  expect(await hook.run(payload)).toMatchObject({ passed: false, reason: 'the invocation failed: TooManyRequestsException: Rate exceeded' });
});

test('a huge answer is capped before it is kept', async () => {
  const huge = JSON.stringify({ status: 'Succeeded', log: 'x'.repeat(100_000) });
  const hook = new LambdaTrafficHook(gateway(async () => ({ payload: huge })), 'pre', new FakeClock());
  const outcome = await hook.run(payload);
  expect(outcome.passed).toBe(true);
  expect(outcome.response.length).toBeLessThan(MAX_HOOK_RESPONSE_CHARS + 50);
});

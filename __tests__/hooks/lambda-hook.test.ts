import { expect, test } from '@jest/globals';
import { interpretHookResponse, LambdaTrafficHook, MAX_HOOK_RESPONSE_CHARS } from '../../src/hooks/lambda-hook.js';
import { AccessDenied, ResourceNotFound } from '../../src/aws/failures.js';
import type { LambdaGateway } from '../../src/aws/lambda-gateway.js';
import type { HookPayload } from '../../src/hooks/traffic-hook.js';
import { FakeClock } from '../support/fake-clock.js';

test.each([
  ['a success status', undefined, '{"status":"Succeeded"}', { passed: true }],
  ['a success status in other cases', undefined, '{"STATUS":"succeeded"}', { passed: true }],
  ['a null answer', undefined, 'null', { passed: true }],
  ['an empty answer', undefined, '', { passed: true }],
  ['a 2xx statusCode', undefined, '{"statusCode":200,"body":"ok"}', { passed: true }],
  ['a 2xx statusCode with a success status', undefined, '{"statusCode":201,"status":"Succeeded"}', { passed: true }],
  [
    'status Failed with a reason',
    undefined,
    '{"status":"Failed","reason":"db down"}',
    { passed: false, reason: 'it returned status "Failed": db down' }
  ],
  ['status failed in lower case', undefined, '{"status":"failed"}', { passed: false, reason: 'it returned status "failed"' }],
  ['Status Failed (capitalised key)', undefined, '{"Status":"Failed"}', { passed: false, reason: 'it returned status "Failed"' }],
  ['status Failure', undefined, '{"status":"Failure"}', { passed: false, reason: 'it returned status "Failure"' }],
  [
    'a bare string',
    undefined,
    '"Failed"',
    { passed: false, reason: expect.stringContaining('it answered "Failed", which is not a verdict') }
  ],
  ['plain text', undefined, 'ok', { passed: false, reason: expect.stringContaining('it answered ok, which is not a verdict') }],
  [
    'a 500 statusCode',
    undefined,
    '{"statusCode":500}',
    { passed: false, reason: 'it returned statusCode 500: {"statusCode":500}' }
  ],
  [
    'a success status beside a 500',
    undefined,
    '{"status":"Succeeded","statusCode":500}',
    { passed: false, reason: expect.stringContaining('statusCode 500') }
  ],
  [
    'an object without a status',
    undefined,
    '{"ok":true}',
    { passed: false, reason: expect.stringContaining('which has no status') }
  ],
  [
    'two status keys that disagree',
    undefined,
    '{"status":"Succeeded","Status":"Failed"}',
    { passed: false, reason: expect.stringContaining('given twice') }
  ],
  ['true', undefined, 'true', { passed: false, reason: expect.stringContaining('not a verdict') }],
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
  expect(await hook.run(payload)).toMatchObject({
    passed: false,
    reason: 'the invocation failed: TooManyRequestsException: Rate exceeded'
  });
});

test('a huge answer is capped before it is kept', async () => {
  const huge = JSON.stringify({ status: 'Succeeded', log: 'x'.repeat(100_000) });
  const hook = new LambdaTrafficHook(
    gateway(async () => ({ payload: huge })),
    'pre',
    new FakeClock()
  );
  const outcome = await hook.run(payload);
  expect(outcome.passed).toBe(true);
  expect(outcome.response.length).toBeLessThan(MAX_HOOK_RESPONSE_CHARS + 50);
});

function hookGateway(parts: Partial<LambdaGateway>): LambdaGateway {
  return parts as LambdaGateway;
}

const denied = new AccessDenied('not authorized', 'GetFunctionConfiguration', 'lambda:GetFunctionConfiguration');

test("the preflight reads the hook's time limit; a missing hook is a problem", async () => {
  const missing = new LambdaTrafficHook(
    hookGateway({
      getTimeoutSeconds: async () => Promise.reject(new ResourceNotFound('Function not found: pre', 'GetFunctionConfiguration'))
    }),
    'pre',
    new FakeClock()
  );
  expect(await missing.preflight()).toEqual({
    problems: ['hook function pre does not exist (Function not found: pre)'],
    warnings: []
  });
});

test('a hook whose configuration may not be read but which may be invoked is usable, with a warning', async () => {
  const invokable = new LambdaTrafficHook(
    hookGateway({ getTimeoutSeconds: async () => Promise.reject(denied), checkInvokable: async () => undefined }),
    'arn:aws:lambda:us-east-1:222222222222:function:pre',
    new FakeClock()
  );
  const findings = await invokable.preflight();
  expect(findings.problems).toEqual([]);
  expect(findings.warnings[0]).toContain("its time limit is taken to be Lambda's longest, 15m");
  const refused = new LambdaTrafficHook(
    hookGateway({
      getTimeoutSeconds: async () => Promise.reject(denied),
      checkInvokable: async () => Promise.reject(new AccessDenied('no', 'Invoke', 'lambda:InvokeFunction'))
    }),
    'pre',
    new FakeClock()
  );
  expect((await refused.preflight()).problems[0]).toMatch(/^hook function pre cannot be invoked with these credentials/);
});

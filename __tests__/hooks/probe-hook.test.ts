import { describe, expect, test } from '@jest/globals';
import type { InvokeResponse, LambdaGateway } from '../../src/aws/lambda-gateway.js';
import { ProbeTrafficHook } from '../../src/hooks/probe-hook.js';
import type { HookPayload } from '../../src/hooks/traffic-hook.js';
import { ManualClock } from '../support/manual-clock.js';

const payload = {
  lifecycleEvent: 'BeforeAllowTraffic',
  targetVersion: '7',
  targetVersionArn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:7'
} as HookPayload;

function gateway(answer: (ref: string, event: string) => Promise<InvokeResponse>) {
  const sent: Array<{ ref: string; event: string }> = [];
  const lambda = {
    getTimeoutSeconds: async () => 3,
    invoke: (ref: string, event: string) => {
      sent.push({ ref, event });
      return answer(ref, event);
    }
  } as unknown as LambdaGateway;
  return { lambda, sent };
}

describe('the probe before traffic', () => {
  test('sends every event, in turn, to the new version by its number, and passes when each answer does', async () => {
    const { lambda, sent } = gateway(async () => ({ payload: '{"statusCode":200,"body":"ok"}' }));
    const hook = new ProbeTrafficHook(
      lambda,
      'orders',
      { events: ['{"a":1}', '{"b":2}'], expect: { statusCode: 200 } },
      new ManualClock()
    );
    await hook.preflight();
    const outcome = await hook.run(payload);
    expect(outcome).toMatchObject({ passed: true, hook: 'probe (2 events to the new version)' });
    expect(sent).toEqual([
      { ref: payload.targetVersionArn, event: '{"a":1}' },
      { ref: payload.targetVersionArn, event: '{"b":2}' }
    ]);
  });

  test('stops at the first answer that fails, quoting it capped', async () => {
    const long = `{"statusCode":500,"body":"${'x'.repeat(1000)}"}`;
    const { lambda, sent } = gateway(async (_ref, event) => ({ payload: event === '{"a":1}' ? '{"statusCode":200}' : long }));
    const hook = new ProbeTrafficHook(
      lambda,
      'orders',
      { events: ['{"a":1}', '{"b":2}', '{"c":3}'], expect: { statusCode: 200 } },
      new ManualClock()
    );
    const outcome = await hook.run(payload);
    expect(outcome.passed).toBe(false);
    expect(outcome.reason).toMatch(
      /^event 2 of 3 to version 7 failed: the answer does not contain probe-expect; it answered \{"statusCode":500/
    );
    expect(outcome.reason).toContain('(truncated');
    expect(sent).toHaveLength(2);
  });

  test('an answer that never comes fails on the clock: the function time limit and a margin', async () => {
    const clock = new ManualClock();
    const { lambda } = gateway(() => new Promise(() => undefined));
    const hook = new ProbeTrafficHook(lambda, 'orders', { events: ['{}'] }, clock);
    await hook.preflight();
    const running = hook.run(payload);
    for (let i = 0; i < 40; i++) {
      await Promise.resolve();
      clock.advance(1000);
    }
    const outcome = await running;
    expect(outcome).toMatchObject({
      passed: false,
      reason: "the probe to version 7 failed: no answer within 33s (the function's time limit and a margin)"
    });
  });

  test('a slow answer fails probe-max-duration', async () => {
    const clock = new ManualClock();
    const { lambda } = gateway(async () => {
      clock.advance(2500);
      return { payload: 'null' };
    });
    const outcome = await new ProbeTrafficHook(lambda, 'orders', { events: ['{}'], maxDurationMs: 2000 }, clock).run(payload);
    expect(outcome.reason).toMatch(/it took 2500 ms, over probe-max-duration \(2000 ms\)/);
  });
});

import { describe, expect, test } from '@jest/globals';
import { describeUnsettled, waitForProvisionedConcurrency } from '../../src/alias/provisioned-concurrency.js';
import { describeRouting, lambdaAllocation, servingVersion } from '../../src/alias/routing.js';
import type { AliasState, LambdaGateway, ProvisionedConcurrency } from '../../src/aws/lambda-gateway.js';
import { FakeClock } from '../support/fake-clock.js';

// The wait for Lambda's allocation, against a scripted Lambda on a fake clock: each read answers the
// next entry of the script (the last one stays), so the time of each outcome is exact.

type Read = { provisioned?: ProvisionedConcurrency; alias?: AliasState } | Error;

const alias = (version: string, additional?: { version: string; weight: number }, revisionId = 'r1'): AliasState => ({
  name: 'live',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:orders:live',
  version,
  revisionId,
  ...(additional ? { additional } : {})
});
const pc = (status: ProvisionedConcurrency['status'], statusReason?: string): ProvisionedConcurrency => ({
  requested: 10,
  allocated: status === 'READY' ? 10 : 4,
  available: status === 'READY' ? 10 : 4,
  status,
  ...(statusReason ? { statusReason } : {})
});

function scriptedLambda(script: readonly Read[]): { lambda: LambdaGateway; reads: number[] } {
  const reads: number[] = [];
  let index = 0;
  const next = (): Read => script[Math.min(index, script.length - 1)]!;
  const lambda = {
    getProvisionedConcurrency: async () => {
      const read = next();
      if (read instanceof Error) throw read;
      return read.provisioned;
    },
    getAlias: async () => {
      const read = next();
      index += 1;
      if (read instanceof Error) throw read;
      return read.alias;
    }
  } as unknown as LambdaGateway;
  return { lambda, reads };
}

function wait(script: readonly Read[], options: { expected?: AliasState; timeoutMs?: number; signal?: AbortSignal } = {}) {
  const clock = new FakeClock();
  const startedAt = clock.now();
  const { lambda } = scriptedLambda(script);
  return waitForProvisionedConcurrency({
    lambda,
    clock,
    functionRef: 'arn:aws:lambda:us-east-1:123456789012:function:orders',
    alias: 'live',
    timeoutMs: options.timeoutMs ?? 60_000,
    pollIntervalMs: 5_000,
    ...(options.expected ? { expected: options.expected } : {}),
    ...(options.signal ? { signal: options.signal } : {})
  }).then((outcome) => ({ outcome, elapsedMs: clock.now() - startedAt }));
}

describe("Lambda's own weights", () => {
  test('are recognised by a weight of 1 on the additional version, and read as all calls on it', () => {
    const transitional = alias('2', { version: '1', weight: 1 });
    expect(lambdaAllocation(transitional)).toEqual({ allocating: '2', serving: '1' });
    expect(servingVersion(transitional)).toBe('1');
    expect(describeRouting(transitional)).toBe(
      "100% to version 1 (Lambda's own weights while it allocates provisioned concurrency on version 2, the alias's FunctionVersion)"
    );
    expect(lambdaAllocation(alias('1', { version: '2', weight: 0.99 }))).toBeUndefined();
    expect(servingVersion(alias('1', { version: '2', weight: 0.5 }))).toBe('1');
  });
});

describe('waitForProvisionedConcurrency', () => {
  test('reads at once, then every poll interval, until READY', async () => {
    const { outcome, elapsedMs } = await wait([
      { provisioned: pc('IN_PROGRESS'), alias: alias('1') },
      { provisioned: pc('IN_PROGRESS'), alias: alias('1') },
      { provisioned: pc('READY'), alias: alias('1', undefined, 'r2') }
    ]);
    expect(outcome).toMatchObject({ kind: 'ready', waitedMs: 10_000, alias: { revisionId: 'r2' } });
    expect(elapsedMs).toBe(10_000);
  });

  test("READY is not enough while Lambda's own weights are still on the alias", async () => {
    const { outcome } = await wait(
      [
        { provisioned: pc('READY'), alias: alias('2', { version: '1', weight: 1 }) },
        { provisioned: pc('READY'), alias: alias('2') }
      ],
      { expected: alias('2') }
    );
    expect(outcome).toMatchObject({ kind: 'ready', waitedMs: 5_000 });
  });

  test('FAILED ends the wait with the reason, capped', async () => {
    const { outcome } = await wait([
      { provisioned: pc('FAILED', 'x'.repeat(800)), alias: alias('2', { version: '1', weight: 1 }) }
    ]);
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.provisioned.statusReason).toMatch(/^x{500}… \(truncated, 800 chars\)$/);
    expect(describeUnsettled('live', outcome)).toMatch(
      /^Lambda could not allocate the provisioned concurrency of alias live: x+… \(truncated, 800 chars\) \(status FAILED, 4 of 10 allocated\)$/
    );
  });

  test('times out at the limit with the last reads', async () => {
    const { outcome, elapsedMs } = await wait(
      [{ provisioned: pc('IN_PROGRESS'), alias: alias('2', { version: '1', weight: 1 }) }],
      {
        timeoutMs: 12_000
      }
    );
    expect(elapsedMs).toBe(12_000);
    expect(outcome).toMatchObject({ kind: 'timed-out', waitedMs: 12_000, provisioned: { status: 'IN_PROGRESS' } });
    if (outcome.kind !== 'timed-out') return;
    expect(describeUnsettled('live', outcome)).toBe(
      'the provisioned concurrency of alias live was not READY after 12s (10 requested, 4 allocated, 4 available, IN_PROGRESS); ' +
        'Lambda still routes all calls to version 1'
    );
  });

  test("an alias routed elsewhere than expected is someone else's change", async () => {
    const { outcome } = await wait([{ provisioned: pc('IN_PROGRESS'), alias: alias('3') }], { expected: alias('2') });
    expect(outcome).toMatchObject({ kind: 'moved', alias: { version: '3' } });
  });

  test('two failed reads in a row are retried; three end the wait with the last error', async () => {
    const flaky = new Error('throttled');
    const ready = { provisioned: pc('READY'), alias: alias('1') };
    expect((await wait([flaky, flaky, ready])).outcome).toMatchObject({ kind: 'ready', waitedMs: 10_000 });
    await expect(wait([flaky, flaky, flaky, ready])).rejects.toThrow('throttled');
  });

  test('a cancellation ends the wait at once with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the runner');
    const waiting = wait([{ provisioned: pc('IN_PROGRESS'), alias: alias('1') }], { signal: controller.signal });
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
  });
});

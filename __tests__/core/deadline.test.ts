import { expect, test } from '@jest/globals';
import { Deadline, DeadlineExceeded, withDeadline } from '../../src/core/deadline.js';
import { FakeClock } from '../support/fake-clock.js';

const never = (): Promise<never> => new Promise<never>(() => undefined);

test('work that never settles is cut off at the limit, on the injected clock', async () => {
  const clock = new FakeClock();
  const started = clock.now();
  await expect(withDeadline(clock, 30_000, 'GetAlias', undefined, never)).rejects.toBeInstanceOf(DeadlineExceeded);
  expect(clock.now() - started).toBe(30_000);
});

test('the work gets a signal that fires at the limit', async () => {
  const clock = new FakeClock();
  let seen: AbortSignal | undefined;
  await withDeadline(clock, 1_000, 'call', undefined, (signal) => {
    seen = signal;
    return never();
  }).catch(() => undefined);
  expect(seen?.aborted).toBe(true);
  expect(seen?.reason).toBeInstanceOf(DeadlineExceeded);
});

test("a cancellation ends the work at once, with the cancellation's reason", async () => {
  const clock = new FakeClock();
  const cancel = new AbortController();
  const run = withDeadline(clock, 60_000, 'call', cancel.signal, never);
  cancel.abort(Object.assign(new Error('SIGINT'), { name: 'AbortError' }));
  await expect(run).rejects.toMatchObject({ name: 'AbortError', message: 'SIGINT' });
});

test('a result in time is returned, and its timer is gone', async () => {
  const clock = new FakeClock();
  await expect(withDeadline(clock, 5_000, 'call', undefined, async () => 42)).resolves.toBe(42);
  const before = clock.now();
  await clock.sleepUntil(before + 10_000);
  expect(clock.now()).toBe(before + 10_000);
});

test('a deadline can be moved earlier, never later', async () => {
  const clock = new FakeClock();
  const start = clock.now();
  const deadline = Deadline.after(clock, 60_000, 'budget');
  deadline.shorten(start + 90_000);
  expect(deadline.at).toBe(start + 60_000);
  deadline.shorten(start + 6_000);
  await new Promise<void>((resolve) => deadline.signal.addEventListener('abort', () => resolve()));
  expect(clock.now()).toBe(start + 6_000);
});

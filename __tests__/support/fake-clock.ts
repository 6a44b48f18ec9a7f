import type { Clock } from '../../src/core/clock.js';

interface Sleeper {
  readonly at: number;
  readonly resolve: () => void;
}

/**
 * A clock that jumps instead of waiting. Whenever the code under test has nothing left to do but
 * wait (no pending promise work for a few event-loop turns), time jumps to the earliest sleeper.
 * So a thirty-minute canary takes milliseconds, and timers that race each other (a time limit
 * against a call that never answers) fire in the order their times say.
 *
 * `advance()` moves time at once (to model a slow AWS call); `at()` schedules actions (an alarm
 * going off at minute 3, a cancellation mid-bake). Only for code that waits on this clock, never
 * on real I/O: a real socket would look idle to it.
 */
export class FakeClock implements Clock {
  /** Every deadline passed to sleepUntil, in call order. */
  readonly sleeps: number[] = [];
  private readonly scheduled: Array<{ at: number; action: () => void }> = [];
  private sleepers: Sleeper[] = [];
  private pumping = false;

  constructor(private current = Date.UTC(2026, 10, 25, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  /** Moves time forward (e.g. to model a slow AWS call). */
  advance(ms: number): void {
    this.moveTo(this.current + ms);
  }

  /** Runs `action` once time reaches `at`. */
  at(at: number, action: () => void): void {
    this.scheduled.push({ at, action });
  }

  sleepUntil(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    this.sleeps.push(deadlineMs);
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        at: deadlineMs,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((entry) => entry !== sleeper);
        reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.wakeDue();
      this.pump();
    });
  }

  /** Jumps to the earliest sleeper each time the code under test is idle, until none is left. */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void (async () => {
      while (this.sleepers.length > 0) {
        await idle();
        if (this.sleepers.length === 0) break;
        const next = Math.min(...this.sleepers.map((sleeper) => sleeper.at));
        this.moveTo(Math.max(this.current, next));
      }
      this.pumping = false;
    })();
  }

  private moveTo(time: number): void {
    this.current = time;
    for (const entry of [...this.scheduled]) {
      if (entry.at <= time) {
        this.scheduled.splice(this.scheduled.indexOf(entry), 1);
        entry.action();
      }
    }
    this.wakeDue();
  }

  private wakeDue(): void {
    const due = this.sleepers.filter((sleeper) => sleeper.at <= this.current);
    if (due.length === 0) return;
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.at > this.current);
    for (const sleeper of due) sleeper.resolve();
  }
}

/** A few turns of the event loop: long enough for promise chains (SDK middleware, mocks) to settle. */
async function idle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(`Wait cancelled: ${String(reason ?? 'aborted')}`);
  error.name = 'AbortError';
  return error;
}

import type { Clock } from '../../src/rollout/clock.js';

/**
 * A clock that jumps instead of waiting: `sleepUntil` moves time forward at once. Each jump can
 * trigger scheduled actions (an alarm going off at minute 3, a cancellation mid-bake).
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private readonly scheduled: Array<{ at: number; action: () => void }> = [];

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

  async sleepUntil(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(deadlineMs);
    this.moveTo(Math.max(this.current, deadlineMs));
    await Promise.resolve();
    signal?.throwIfAborted();
  }

  private moveTo(time: number): void {
    this.current = time;
    for (const entry of [...this.scheduled]) {
      if (entry.at <= time) {
        this.scheduled.splice(this.scheduled.indexOf(entry), 1);
        entry.action();
      }
    }
  }
}

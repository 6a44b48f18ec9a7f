import type { Clock } from '../../src/core/clock.js';

/**
 * A clock whose time moves only when the test says so (`advance`), for code that also waits on real
 * I/O: a time limit fires exactly when the test moves time past it, never because the machine is slow.
 */
export class ManualClock implements Clock {
  private sleepers: Array<{ at: number; resolve: () => void }> = [];

  constructor(private current = Date.UTC(2026, 10, 25, 12, 0, 0)) {}

  now(): number {
    return this.current;
  }

  /** Timers still waiting (a time limit armed and not yet disposed). */
  get pending(): number {
    return this.sleepers.length;
  }

  advance(ms: number): void {
    this.current += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.at <= this.current);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.at > this.current);
    for (const sleeper of due) sleeper.resolve();
  }

  sleepUntil(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (deadlineMs <= this.current) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper = {
        at: deadlineMs,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const onAbort = (): void => {
        this.sleepers = this.sleepers.filter((entry) => entry !== sleeper);
        reject(signal!.reason instanceof Error ? signal!.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }
}

/** How the emulator waits out a real delay (a latency fault, a queued Invoke's delayMs). */
export type Sleep = (ms: number) => Promise<void>;

/** Waits `ms` of real time. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The emulator's notion of time: an injectable base clock plus a control-API offset, and the way real
 * delays are waited out (injectable too: a test can hold a delayed answer and release it when it likes).
 */
export class Clock {
  private offsetMs = 0;

  constructor(
    private readonly base: () => number = Date.now,
    /** Waits out real delays (latency faults, queued Invoke delays); setTimeout unless injected. */
    readonly sleep: Sleep = realSleep
  ) {}

  /** Current emulator time in epoch ms. */
  now(): number {
    return this.base() + this.offsetMs;
  }

  /** Moves emulator time forward (scheduled alarm changes, pending versions and code updates see it). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: ms must be a non-negative number, got ${ms}`);
    this.offsetMs += ms;
  }
}

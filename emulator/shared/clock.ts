/** The emulator's notion of time: an injectable base clock plus a control-API offset. */
export class Clock {
  private offsetMs = 0;

  constructor(private readonly base: () => number = Date.now) {}

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

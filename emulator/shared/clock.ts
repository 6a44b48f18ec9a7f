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

/** Lambda's LastModified format: 2024-01-02T03:04:05.678+0000. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

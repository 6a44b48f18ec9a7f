import type { Clock } from './clock.js';

/**
 * Time limits on the injected clock. Every wait and every call the rollout makes is bounded, and
 * bounded on the same clock the tests fake, so a thirty-minute limit is tested in milliseconds.
 */

/** Thrown (and used as the abort reason) when a {@link Deadline} passes. */
export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

/**
 * An AbortSignal that fires at a time on `clock`, or as soon as `parent` fires (cancellation). The
 * time can be moved earlier, never later: a rollback that learns of a cancellation hurries up.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer?: AbortController;
  private atMs: number;
  private readonly onParentAbort: () => void;

  constructor(
    private readonly clock: Clock,
    atMs: number,
    private readonly describe: string,
    private readonly parent?: AbortSignal
  ) {
    this.atMs = atMs;
    this.onParentAbort = () => this.abort(parent?.reason);
    if (parent?.aborted) this.controller.abort(parent.reason);
    parent?.addEventListener('abort', this.onParentAbort, { once: true });
    this.arm();
  }

  /** A deadline `ms` from now. */
  static after(clock: Clock, ms: number, describe: string, parent?: AbortSignal): Deadline {
    return new Deadline(clock, clock.now() + ms, describe, parent);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get at(): number {
    return this.atMs;
  }

  remainingMs(): number {
    return Math.max(0, this.atMs - this.clock.now());
  }

  /** Moves the deadline to `atMs` if that is earlier. */
  shorten(atMs: number): void {
    if (atMs >= this.atMs || this.signal.aborted) return;
    this.atMs = atMs;
    this.arm();
  }

  /** Stops the timer; the signal stays as it is. Call when the bounded work is over. */
  dispose(): void {
    this.timer?.abort();
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  private arm(): void {
    this.timer?.abort();
    const timer = new AbortController();
    this.timer = timer;
    this.clock.sleepUntil(this.atMs, timer.signal).then(
      () => this.abort(new DeadlineExceeded(this.describe)),
      () => undefined
    );
  }

  private abort(reason: unknown): void {
    this.timer?.abort();
    if (!this.signal.aborted) this.controller.abort(reason);
  }
}

/**
 * Runs `work` with a signal that fires after `ms` (or when `parent` fires), and settles no later
 * than that even if `work` ignores its signal: a call that hangs is cut off, not waited for.
 * Rejects with DeadlineExceeded on time-out, with the parent's reason on cancellation.
 */
export async function withDeadline<T>(
  clock: Clock,
  ms: number,
  describe: string,
  parent: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>
): Promise<T> {
  const deadline = Deadline.after(clock, ms, describe, parent);
  try {
    return await raceSignal(work(deadline.signal), deadline.signal);
  } finally {
    deadline.dispose();
  }
}

/** `work`, or a rejection with the signal's reason as soon as the signal fires. */
export function raceSignal<T>(work: T | PromiseLike<T>, signal: AbortSignal): Promise<T> {
  const promise = Promise.resolve(work);
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(reasonError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(reasonError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      }
    );
  });
}

/** The signal's reason as an Error (AbortSignal reasons can be anything). */
export function reasonError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(`cancelled (${String(reason ?? 'aborted')})`);
  error.name = 'AbortError';
  return error;
}

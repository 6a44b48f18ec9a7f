/**
 * Time as the rollout sees it. Injected so tests run a thirty-minute canary in milliseconds, and so
 * every wait can be cut short by cancellation.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves at `deadlineMs` (at once if it has passed); rejects with an AbortError on abort. */
  sleepUntil(deadlineMs: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleepUntil(deadlineMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError(signal));
      const timer = setTimeout(done, Math.max(0, deadlineMs - Date.now()));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      function done(): void {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }
    });
  }
};

/** The signal's reason when it is an Error (a DeadlineExceeded, say), else an AbortError. */
function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(`Wait cancelled: ${String(reason ?? 'aborted')}`);
  error.name = 'AbortError';
  return error;
}

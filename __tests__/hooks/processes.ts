/**
 * Helpers for tests that run real processes: observe them through what they print and through
 * /proc, never through elapsed time.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Dead: no such process, or a zombie waiting for a lazy init to reap it. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error: unknown) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** The process group of `pid`, from /proc (Linux). */
export function processGroupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** One turn of the event loop: every promise continuation that is ready has run. Not a wait for time. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Whether `promise` has settled, without waiting for it. */
export function settledFlag(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true)
  );
  return () => settled;
}

/** The lines something printed, and a way to wait for a given one. */
export class Lines {
  readonly all: string[] = [];
  private waiters: Array<{ readonly match: (line: string) => boolean; readonly resolve: (line: string) => void }> = [];

  /** Collects the lines of `stream`, or (without one) those handed to {@link push}. */
  constructor(stream?: Readable) {
    if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => this.push(line));
  }

  push(line: string): void {
    this.all.push(line);
    const matched = this.waiters.filter((waiter) => waiter.match(line));
    this.waiters = this.waiters.filter((waiter) => !matched.includes(waiter));
    for (const waiter of matched) waiter.resolve(line);
  }

  /** Resolves with the first line (seen so far or to come) that `match` accepts; a string matches itself. */
  seen(match: string | ((line: string) => boolean)): Promise<string> {
    const test = typeof match === 'string' ? (line: string) => line === match : match;
    const found = this.all.find(test);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match: test, resolve }));
  }
}

import type { CallLogEntry } from './types.js';

/** Told of each call as it is logged. */
export type CallListener = (call: CallLogEntry) => void;

/** Append-only log of AWS API calls, over HTTP and in-process (control API calls are not logged). */
export class CallLog {
  private entries: CallLogEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<CallListener>();

  /** Allocates the next sequence number (taken when the call arrives, so order is arrival order). */
  nextSeq(): number {
    return ++this.seq;
  }

  add(entry: CallLogEntry): void {
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.seq > entry.seq) i--;
    this.entries.splice(i, 0, entry);
    for (const listener of [...this.listeners]) listener(copy(entry));
  }

  /** Calls `listener` with each call logged from now on; returns the function that stops it. */
  listen(listener: CallListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** A copy of all entries in arrival order. */
  all(): CallLogEntry[] {
    return this.entries.map(copy);
  }

  /** Forgets the calls (listeners stay). */
  reset(): void {
    this.entries = [];
    this.seq = 0;
  }
}

function copy(entry: CallLogEntry): CallLogEntry {
  return { ...entry, params: { ...entry.params } };
}

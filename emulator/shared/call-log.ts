import type { CallLogEntry } from './types.js';

/** Append-only log of AWS API calls, over HTTP and in-process (control API calls are not logged). */
export class CallLog {
  private entries: CallLogEntry[] = [];
  private seq = 0;

  /** Allocates the next sequence number (taken when the call arrives, so order is arrival order). */
  nextSeq(): number {
    return ++this.seq;
  }

  add(entry: CallLogEntry): void {
    let i = this.entries.length;
    while (i > 0 && this.entries[i - 1]!.seq > entry.seq) i--;
    this.entries.splice(i, 0, entry);
  }

  /** A copy of all entries in arrival order. */
  all(): CallLogEntry[] {
    return this.entries.map((e) => ({ ...e, params: { ...e.params } }));
  }

  reset(): void {
    this.entries = [];
    this.seq = 0;
  }
}

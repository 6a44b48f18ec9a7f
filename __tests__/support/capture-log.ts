import type { Log } from '../../src/rollout/recorder.js';

/** A Log that keeps every line, for assertions on what the user would read. */
export class CaptureLog implements Log {
  readonly lines: string[] = [];
  readonly warnings: string[] = [];
  readonly groups: string[] = [];
  private depth = 0;

  info(message: string): void {
    this.lines.push(message);
  }
  warning(message: string): void {
    this.warnings.push(message);
  }
  startGroup(title: string): void {
    if (this.depth !== 0) throw new Error(`group ${title} opened inside another group`);
    this.depth++;
    this.groups.push(title);
  }
  endGroup(): void {
    this.depth--;
  }
}

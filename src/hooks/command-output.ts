/** A command's output on its way to the log: cut into lines, made inert, and its tail kept. */
import { capText } from '../core/text.js';

/**
 * Put before every forwarded output line. Not whitespace: the runner trims leading whitespace
 * before it looks for `::`, so indentation would not stop `  ::error::x` being a command.
 */
export const OUTPUT_LINE_PREFIX = '| ';
/** A line longer than this with no line break yet is forwarded in pieces (bounded memory). */
const MAX_PENDING_LINE_CHARS = 16 * 1024;
/**
 * One line of the command's output as it is logged. The prefix means no forwarded line can start
 * with `::` (even after the runner trims leading whitespace); `##[`, which the runner's legacy
 * parser accepts anywhere in a line, is broken up. `line` must hold no line break.
 */
export function forwardedLine(line: string): string {
  return OUTPUT_LINE_PREFIX + neutraliseLegacyCommands(line);
}

export function neutraliseLegacyCommands(text: string): string {
  return text.replace(/##\[/g, '## [');
}

/**
 * Cuts a stream's text into lines. `\r` ends a line too: the runner reads its output with .NET's
 * ReadLine, which splits there, so a lone `\r` must not smuggle a second line past the prefix.
 */
export class LineSplitter {
  private pending = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(text: string): void {
    if (text === '') return;
    this.pending += text;
    const parts = this.pending.split(/\r\n|\r|\n/);
    this.pending = parts.pop() ?? '';
    // A `\r` at the very end may be the first half of `\r\n`: wait for the next chunk.
    if (this.pending === '' && this.endsWithCr(text)) {
      const last = parts.pop() ?? '';
      this.pending = `${last}\r`;
    }
    for (const line of parts) this.emit(line);
    while (this.pending.length > MAX_PENDING_LINE_CHARS) {
      this.emit(this.pending.slice(0, MAX_PENDING_LINE_CHARS));
      this.pending = this.pending.slice(MAX_PENDING_LINE_CHARS);
    }
  }

  flush(): void {
    const rest = this.pending.replace(/\r$/, '');
    const hadContent = this.pending !== '';
    this.pending = '';
    if (hadContent) this.emit(rest);
  }

  private endsWithCr(text: string): boolean {
    return text.endsWith('\r');
  }
}

/** The last `max` characters of everything appended, saying so when earlier text was dropped. */
export class OutputTail {
  private tail = '';
  private total = 0;

  constructor(private readonly max: number) {}

  append(text: string): void {
    if (text === '') return;
    this.total += text.length;
    this.tail = (this.tail + text).slice(-this.max);
  }

  text(): string {
    if (this.total <= this.max) return this.tail;
    const marker = `… (${this.total} chars of output, the last ones follow)\n`;
    return capText(marker + this.tail.slice(-(this.max - marker.length)), this.max);
  }
}

/** A command's output on its way to the log: cut into lines, made inert, and its tail kept. */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
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

/**
 * Everything a command prints, from any number of streams: each line forwarded to `log`
 * ({@link forwardedLine}), the last `maxResponseChars` characters kept as the response, and the
 * last non-empty line kept for a failure reason.
 */
export class CommandOutput {
  private readonly tail: OutputTail;
  private last = '';

  constructor(
    private readonly log: (line: string) => void,
    maxResponseChars: number
  ) {
    this.tail = new OutputTail(maxResponseChars);
  }

  /** Reads `stream` until it closes, having ended or been cut; a partial last line is flushed then. */
  read(stream: Readable): void {
    const lines = new LineSplitter((line) => this.forward(line));
    const decoder = new StringDecoder('utf8');
    const take = (text: string): void => {
      this.tail.append(text);
      lines.push(text);
    };
    stream.on('data', (chunk: Buffer) => take(decoder.write(chunk)));
    stream.once('close', () => {
      take(decoder.end());
      lines.flush();
    });
    stream.on('error', () => undefined);
  }

  /** The last line with more than whitespace, trimmed; '' if there was none. */
  get lastLine(): string {
    return this.last;
  }

  /** The kept tail, untrusted text (see {@link OutputTail}). */
  get response(): string {
    return this.tail.text();
  }

  private forward(line: string): void {
    if (line.trim() !== '') this.last = line.trim();
    try {
      this.log(forwardedLine(line));
    } catch {
      // A failing logger must not leave the command running unobserved.
    }
  }
}

/** Untrusted text (hook answers, AWS error messages) kept small and inert for logs and reports. */

/** What capText puts where it cut (the redaction looks for it: see redaction.ts). */
export const TRUNCATION_MARK = '… (truncated';

/** Shortens text to `max` characters, saying that it did. */
export function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}${TRUNCATION_MARK}, ${text.length} chars)` : text;
}

/**
 * Messages carry untrusted text (hook answers, AWS errors). The runner reads a stdout line as a
 * workflow command when it starts with `::` (after leading blanks) or holds the older `##[` form
 * anywhere, and `\r` ends a line for it too: so one line, no `##[`, never a leading `::`.
 */
export function singleLine(message: string): string {
  const oneLine = message.replace(/[\r\n]+/g, ' ⏎ ').replace(/##\[/g, '## [');
  return /^\s*::/.test(oneLine) ? `› ${oneLine}` : oneLine;
}

/** `812 B`, `1.2 KB`, `48.3 MB`: sizes for people (1 KB = 1024 bytes). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `1 file`, `12 files`. */
export function countOf(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A message that ends a sentence, without its own final period: so that `${x}. Then` never reads `..`. */
export function withoutFinalPeriod(text: string): string {
  return text.replace(/\.+\s*$/, '');
}

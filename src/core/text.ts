/** Untrusted text (hook answers, AWS error messages) kept small and inert for logs and reports. */

/** Shortens text to `max` characters, saying that it did. */
export function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (truncated, ${text.length} chars)` : text;
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

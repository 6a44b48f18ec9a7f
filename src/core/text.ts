/** Untrusted text (hook answers, AWS error messages) kept small and inert for logs and reports. */

/** Shortens text to `max` characters, saying that it did. */
export function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (truncated, ${text.length} chars)` : text;
}

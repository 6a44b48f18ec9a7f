/** Untrusted text (hook answers, AWS error messages) made safe for the job summary. */
import { capText } from '../core/text.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;',
  '`': '&#96;',
  '[': '&#91;',
  ']': '&#93;',
  '*': '&#42;',
  _: '&#95;',
  '\\': '&#92;',
  '@': '&#64;'
};

/**
 * Escapes text for a Markdown job summary: HTML and Markdown syntax become entities (so nothing
 * can open a tag, a link, a table cell or a mention) and line breaks become `<br>` for tables.
 */
export function escapeForSummary(text: string, max: number): string {
  const capped = capText(text, max);
  return capped
    .replace(/[&<>"'|`[\]*_\\@]/g, (char) => HTML_ESCAPES[char] ?? char)
    .replace(/\r?\n/g, '<br>')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

import { InputError } from '../core/input-error.js';
import type { InputName } from './keys.js';

/**
 * The input forms several inputs share, one parser each, so that every input that takes the form
 * spells it the same way and refuses the same mistakes.
 */

const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);

/** Booleans in YAML 1.2 core spelling only: `yes`, `1` or `on` are refused, not guessed. */
export function parseBoolean(name: InputName, value: string): boolean {
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  throw new InputError(name, value, 'it is not a boolean', 'true or false');
}

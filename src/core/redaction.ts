import { TRUNCATION_MARK } from './text.js';

/**
 * Secret values kept out of every text the action lets out (outputs, the job summary, annotations,
 * log lines, GitHub deployment statuses). The runner masks only its own log, and only the values it
 * was told of; AWS error text can quote a function's environment variables (Lambda's "exceeded the
 * 4KB limit. String measured: {...}" quotes them all, JSON-escaped). So the action keeps one list
 * of values (the `env-vars` input, the variables it reads from each function) and every text passes
 * it on the way out. Written here because no library redacts by value: log libraries redact by key.
 */

/**
 * Values shorter than this are left alone: `1`, `on` or `dev` would star out every such text (version
 * numbers included), and a value that short cannot be a secret anyway. The runner gets the same ones.
 */
export const MIN_SECRET_CHARS = 4;

/** What a secret becomes. */
export const REDACTED = '***';

/** The values of a run that must never leave it, and the one function that removes them from text. */
export class Redactor {
  private readonly forms = new Set<string>();
  private pattern?: RegExp;

  /** @param onSecret told of each new form of a value (the action registers it with the runner's mask). */
  constructor(private readonly onSecret: (form: string) => void = () => undefined) {}

  /** Registers values: each as given, each of its lines, and each as it appears inside JSON text. */
  add(values: Iterable<string>): void {
    for (const value of values) {
      for (const form of formsOf(value)) {
        if (this.forms.has(form)) continue;
        this.forms.add(form);
        this.pattern = undefined;
        this.onSecret(form);
      }
    }
  }

  /** How many forms are known (for tests and the log: never the values). */
  get size(): number {
    return this.forms.size;
  }

  /**
   * `text` with every known value replaced by `***`; also the start of a value that a cap cut off
   * right before its `… (truncated` mark, since the rest of it is gone and the start alone would
   * still leak.
   */
  redact(text: string): string {
    if (this.forms.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.forms]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g'
    );
    return this.cutOffStarts(text.replace(this.pattern, REDACTED));
  }

  /** Every string inside `value` (plain objects and arrays, as a report is) redacted; other values as they are. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.redactDeep(item)) as T;
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.redactDeep(item)])) as T;
    }
    return value;
  }

  private cutOffStarts(text: string): string {
    if (!text.includes(TRUNCATION_MARK)) return text;
    return text.split(TRUNCATION_MARK).reduce((done, part, index) => {
      if (index === 0) return part;
      return `${this.withoutSecretStart(done)}${TRUNCATION_MARK}${part}`;
    }, '');
  }

  /** `text` without a trailing start of a known value (the longest one found). */
  private withoutSecretStart(text: string): string {
    let cut = 0;
    for (const form of this.forms) {
      for (let length = Math.min(form.length - 1, text.length); length > cut; length--) {
        if (text.endsWith(form.slice(0, length))) {
          cut = length;
          break;
        }
      }
    }
    return cut > 0 ? `${text.slice(0, text.length - cut)}${REDACTED}` : text;
  }
}

/** A value, its lines (a runner masks line by line) and their JSON-escaped forms, long enough to mask. */
function formsOf(value: string): string[] {
  const parts = new Set([value, ...value.split(/\r?\n/)]);
  const forms = new Set<string>();
  for (const part of parts) {
    if (part.trim().length < MIN_SECRET_CHARS) continue;
    forms.add(part);
    forms.add(JSON.stringify(part).slice(1, -1));
  }
  return [...forms];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

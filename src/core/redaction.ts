import { TRUNCATION_MARK } from './text.js';

/**
 * Secret values kept out of every text the action lets out (outputs, the job summary, annotations,
 * log lines, GitHub deployment descriptions). The runner masks only its own log, and only the values
 * it was told of; AWS error text can quote a function's environment variables (Lambda's "exceeded
 * the 4KB limit. String measured: {...}" quotes them all, JSON-escaped). So the action keeps one
 * list of values (the `env-vars` input, the variables it reads from each function) and every text
 * passes it on the way out. Written here because no library redacts by value: log libraries redact
 * by key.
 *
 * Identifiers the action prints by design (function names, aliases, versions, the region, the
 * account, the functions' ARNs) are never starred, even when a variable holds the same text: a
 * variable `TABLE=orders` must not turn "Function orders" into "Function ***", since the name is
 * shown anyway and starring it hides nothing. Only an occurrence lying wholly inside an identifier
 * is spared; a value that starts or ends outside one is starred, identifier and all.
 */

/**
 * Values shorter than this are left alone: `1`, `on` or `dev` would star out every such text (version
 * numbers included), and a value that short cannot be a secret anyway. The runner gets the same ones.
 */
export const MIN_SECRET_CHARS = 4;

/** What a secret becomes. */
export const REDACTED = '***';

/** A stretch of text, [start, end). */
type Span = readonly [number, number];

/**
 * Values shaped like an identifier that is learnt only once AWS answers (an account id, a region, a
 * version number, an ARN): the runner's mask hears of them only when the step ends (see
 * Redactor.settleMasks), and only if no answer showed them to be one, so that an account id given
 * as a value does not star out every ARN in the log. The action's own redaction knows them at once
 * all the same; only later steps depend on the runner's mask.
 */
const LATER_IDENTIFIER = /^(?:\d+|[a-z]{2}(?:-[a-z]+)+-\d|arn:\S+)$/;

/** The values of a run that must never leave it, the identifiers it shows, and the one function that tells them apart in text. */
export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly masked = new Set<string>();
  /** Forms to mask shaped like an identifier not known yet (see LATER_IDENTIFIER). */
  private readonly heldBack = new Set<string>();
  private readonly identifiers = new Set<string>();

  /** @param onMasked told of each new form of a value added with `mask` (the action registers it with the runner's mask). */
  constructor(private readonly onMasked: (form: string) => void = () => undefined) {}

  /**
   * Registers secret values: each as given, each of its lines, and each as it appears inside JSON
   * text. `mask`: the runner is told of them too (its mask then stars them in every later step of
   * the job): for values the user gave as secrets, not for values the action merely read. A form
   * that is a known identifier is not told to the runner (it would star the identifier everywhere),
   * and one that may turn out to be one is held back until settleMasks.
   */
  add(values: Iterable<string>, options: { readonly mask?: boolean } = {}): void {
    for (const value of values) {
      for (const form of formsOf(value)) {
        this.secrets.add(form);
        if (!options.mask) continue;
        if (LATER_IDENTIFIER.test(form)) this.heldBack.add(form);
        else this.mask(form);
      }
    }
  }

  /** Tells the runner's mask of the values held back that no answer showed to be an identifier: when the step ends. */
  settleMasks(): void {
    for (const form of this.heldBack) this.mask(form);
    this.heldBack.clear();
  }

  /** Registers identifiers the action prints by design: never starred (see the top of this file). */
  allow(identifiers: Iterable<string>): void {
    for (const identifier of identifiers) if (identifier.length > 0) this.identifiers.add(identifier);
  }

  /** Whether `value` is a registered identifier. */
  isIdentifier(value: string): boolean {
    return this.identifiers.has(value);
  }

  /** How many secret forms are known (for tests and the log: never the values). */
  get size(): number {
    return this.secrets.size;
  }

  /**
   * `text` with every known value replaced by `***`, except where it lies wholly inside an
   * identifier; also the start of a value that a cap cut off right before its `… (truncated` mark,
   * since the rest of it is gone and the start alone would still leak.
   */
  redact(text: string): string {
    if (this.secrets.size === 0) return text;
    const spared = occurrences(text, this.identifiers);
    const secret = [...occurrences(text, this.secrets), ...this.cutOffStarts(text)].filter(
      ([start, end]) => !spared.some(([from, to]) => from <= start && end <= to)
    );
    if (secret.length === 0) return text;
    let redacted = '';
    let at = 0;
    for (const [start, end] of merged(secret)) {
      redacted += `${text.slice(at, start)}${REDACTED}`;
      at = end;
    }
    return redacted + text.slice(at);
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

  private mask(form: string): void {
    if (this.masked.has(form) || this.identifiers.has(form)) return;
    this.masked.add(form);
    this.onMasked(form);
  }

  /** Before each truncation mark, the longest start of a known value the text ends with there. */
  private cutOffStarts(text: string): Span[] {
    const spans: Span[] = [];
    for (let mark = text.indexOf(TRUNCATION_MARK); mark >= 0; mark = text.indexOf(TRUNCATION_MARK, mark + 1)) {
      const before = text.slice(0, mark);
      let cut = 0;
      for (const form of this.secrets) {
        for (let length = Math.min(form.length - 1, before.length); length > cut; length--) {
          if (before.endsWith(form.slice(0, length))) {
            cut = length;
            break;
          }
        }
      }
      if (cut > 0) spans.push([mark - cut, mark]);
    }
    return spans;
  }
}

/** Every occurrence of every value in `text`, overlapping ones included. */
function occurrences(text: string, values: Iterable<string>): Span[] {
  const spans: Span[] = [];
  for (const value of values) {
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) spans.push([at, at + value.length]);
  }
  return spans;
}

/** Spans joined where they overlap or touch, in order. */
function merged(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const joined: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = joined.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else joined.push([start, end]);
  }
  return joined;
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

/**
 * The forms Lambda accepts for a function: a name, a partial ARN (`123456789012:function:name`) or a
 * full ARN, each optionally with a `:qualifier` (version number, alias or `$LATEST`).
 */
export interface FunctionRef {
  /** The reference without qualifier, as Lambda accepts it in `FunctionName`. */
  readonly base: string;
  /** Version or alias after the last colon, when one was given. */
  readonly qualifier?: string;
  /** Region from a full ARN: calls about this function go to that region. */
  readonly region?: string;
  /** Account from a full or partial ARN. */
  readonly accountId?: string;
}

const NAME = '[a-zA-Z0-9_-]{1,64}';
const QUALIFIER = '(?::(?<qualifier>\\$LATEST|[a-zA-Z0-9_-]{1,128}))?';
const FORMS = [
  new RegExp(`^(?<base>${NAME})${QUALIFIER}$`),
  new RegExp(`^(?<base>(?<account>\\d{12}):function:${NAME})${QUALIFIER}$`),
  new RegExp(
    `^(?<base>arn:aws[a-z-]*:lambda:(?<region>[a-z]{2}(?:-[a-z]+)+-\\d):(?<account>\\d{12}):function:${NAME})${QUALIFIER}$`
  )
];

/** The accepted forms, for error messages. */
export const FUNCTION_REF_FORMS =
  'a function name (my-function), a partial ARN (123456789012:function:my-function) or a full ARN ' +
  '(arn:aws:lambda:us-east-1:123456789012:function:my-function)';

/** Parses a function reference, or returns undefined when it is in none of Lambda's forms. */
export function parseFunctionRef(value: string): FunctionRef | undefined {
  for (const form of FORMS) {
    const groups = form.exec(value)?.groups;
    if (groups?.base) {
      return {
        base: groups.base,
        ...(groups.qualifier ? { qualifier: groups.qualifier } : {}),
        ...(groups.region ? { region: groups.region } : {}),
        ...(groups.account ? { accountId: groups.account } : {})
      };
    }
  }
  return undefined;
}

/**
 * The plain name of a function named in any of Lambda's forms, with or without a qualifier
 * (`orders` from `orders:live`, `123456789012:function:orders` or `arn:…:function:orders:7`):
 * metrics, CodeDeploy's AppSpec and messages name it so.
 */
export function plainFunctionName(ref: string): string {
  const base = parseFunctionRef(ref)?.base ?? ref;
  return base.split(':').at(-1) ?? base;
}

/** Alias names: 1-128 of [a-zA-Z0-9-_], not only digits (that would be a version). */
export function isValidAliasName(value: string): boolean {
  return /^[a-zA-Z0-9_-]{1,128}$/.test(value) && !/^\d+$/.test(value);
}

/** An ARN with its qualifier replaced: `arn:...:function:f` + `7` → `arn:...:function:f:7`. */
export function qualifiedArn(functionArn: string, qualifier: string): string {
  return `${unqualifiedArn(functionArn)}:${qualifier}`;
}

/** Drops a trailing qualifier from a full function ARN. */
export function unqualifiedArn(functionArn: string): string {
  const parts = functionArn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : functionArn;
}

/** A CloudWatch alarm ARN split into its parts, or undefined when `value` is not one. */
export function parseAlarmArn(value: string): { name: string; region: string; accountId: string } | undefined {
  const match = /^arn:aws[a-z-]*:cloudwatch:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):alarm:(.+)$/.exec(value);
  return match ? { region: match[1]!, accountId: match[2]!, name: match[3]! } : undefined;
}

/** The account of an ARN (its fifth field), or undefined. */
export function accountOfArn(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/**
 * The entries that name one function more than once, compared by the function's resolved,
 * unqualified ARN (a name, a partial ARN and a full ARN may all name the same function once the
 * account and region are known): for each function named again, the indexes of every entry naming
 * it, first to last. Entries not resolved (undefined) are left out.
 */
export function sameFunctionTwice(resolvedArns: readonly (string | undefined)[]): number[][] {
  const byArn = new Map<string, number[]>();
  resolvedArns.forEach((arn, index) => {
    if (arn === undefined) return;
    const key = unqualifiedArn(arn);
    byArn.set(key, [...(byArn.get(key) ?? []), index]);
  });
  return [...byArn.values()].filter((indexes) => indexes.length > 1);
}

/**
 * What a function reference (any of Lambda's forms, qualified or not) shows in messages: the
 * reference as given, its unqualified form, its plain name, its qualifier, and the region and account
 * of an ARN. Identifiers the action prints by design (see core/redaction.ts).
 */
export function identifiersOfRef(ref: string): string[] {
  const parsed = parseFunctionRef(ref);
  if (!parsed) return [ref];
  return [ref, parsed.base, plainFunctionName(ref), parsed.qualifier, parsed.region, parsed.accountId].filter(
    (part): part is string => part !== undefined
  );
}

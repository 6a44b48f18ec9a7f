import { lambdaErrors } from './errors.js';

/** An (account, region) pair: the namespace functions, alarms and metrics live in. */
export interface Namespace {
  accountId: string;
  region: string;
}

/** A FunctionName path parameter split into its parts. */
export interface FunctionRef {
  name: string;
  /** Qualifier embedded in the identifier (`name:qualifier`), if any. */
  qualifier?: string;
  /** Region named by a full ARN (plain names and partial ARNs name none). */
  region?: string;
  /** Account named by a full or partial ARN. */
  accountId?: string;
}

const REGION = '[a-z]{2}(?:-gov)?-[a-z]+-\\d';
const FULL_ARN = new RegExp(
  `^arn:aws[a-zA-Z-]*:lambda:(${REGION}):(\\d{12}):function:([a-zA-Z0-9_-]+)(?::(\\$LATEST|[a-zA-Z0-9_-]+))?$`
);
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const PLAIN = /^([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const ALARM_ARN = new RegExp(`^arn:aws[a-zA-Z-]*:cloudwatch:(${REGION}):(\\d{12}):alarm:(.+)$`);
const ACCOUNT_ID = /^\d{12}$/;
const REGION_NAME = new RegExp(`^${REGION}$`);

/**
 * Parses a (URL-decoded) FunctionName: `name`, `name:qual`, `123456789012:function:name[:qual]`
 * or `arn:aws:lambda:region:acct:function:name[:qual]`. The account and region an ARN names are
 * returned, not checked: where the function lives is the caller's business (see lambda/access.ts).
 */
export function parseFunctionRef(raw: string): FunctionRef {
  const full = FULL_ARN.exec(raw);
  if (full) return { ...withQualifier(full[3]!, full[4]), region: full[1]!, accountId: full[2]! };
  const partial = PARTIAL_ARN.exec(raw);
  if (partial) return { ...withQualifier(partial[2]!, partial[3]), accountId: partial[1]! };
  const plain = PLAIN.exec(raw);
  if (plain && plain[1]!.length <= 64) return withQualifier(plain[1]!, plain[2]);
  throw lambdaErrors.invalidParameter(
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`
  );
}

/** Parses a CloudWatch alarm ARN; undefined for anything else (e.g. a plain alarm name). */
export function parseAlarmArn(raw: string): (Namespace & { name: string }) | undefined {
  const m = ALARM_ARN.exec(raw);
  return m ? { region: m[1]!, accountId: m[2]!, name: m[3]! } : undefined;
}

function withQualifier(name: string, qualifier: string | undefined): FunctionRef {
  return qualifier === undefined ? { name } : { name, qualifier };
}

/** Checks an account id given to the control API. */
export function assertAccountId(accountId: string): void {
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId))
    throw new RangeError(`invalid account id: ${accountId} (12 digits expected)`);
}

/** Checks an account id and a region name given to the control API. */
export function assertNamespace(ns: Namespace): void {
  assertAccountId(ns.accountId);
  if (typeof ns.region !== 'string' || !REGION_NAME.test(ns.region)) throw new RangeError(`invalid region: ${ns.region}`);
}

/** A map key for a name inside a namespace. */
export function namespacedKey(ns: Namespace, name: string): string {
  return `${ns.accountId}/${ns.region}/${name}`;
}

/** Builds ARNs for one region/account. */
export class ArnBuilder implements Namespace {
  constructor(
    readonly region: string,
    readonly accountId: string
  ) {}

  function(name: string, qualifier?: string): string {
    const base = `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
    return qualifier === undefined ? base : `${base}:${qualifier}`;
  }

  alarm(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`;
  }
}

/** The ArnBuilder of a namespace. */
export function arnsOf(ns: Namespace): ArnBuilder {
  return new ArnBuilder(ns.region, ns.accountId);
}

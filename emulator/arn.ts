import { lambdaErrors } from './errors.js';

/** A FunctionName path parameter split into its parts. */
export interface FunctionRef {
  name: string;
  /** Qualifier embedded in the identifier (`name:qualifier`), if any. */
  qualifier?: string;
}

const FULL_ARN = /^arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;
const PLAIN = /^([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/**
 * Parses a (URL-decoded) FunctionName: `name`, `name:qual`, `123456789012:function:name[:qual]`
 * or `arn:aws:lambda:region:acct:function:name[:qual]`. An ARN for another account or region
 * names a function that does not exist here.
 */
export function parseFunctionRef(raw: string, region: string, accountId: string): FunctionRef {
  const full = FULL_ARN.exec(raw);
  if (full) {
    if (full[1] !== region || full[2] !== accountId) throw lambdaErrors.notFound(`Function not found: ${raw}`);
    return withQualifier(full[3]!, full[4]);
  }
  const partial = PARTIAL_ARN.exec(raw);
  if (partial) {
    if (partial[1] !== accountId) throw lambdaErrors.notFound(`Function not found: ${raw}`);
    return withQualifier(partial[2]!, partial[3]);
  }
  const plain = PLAIN.exec(raw);
  if (plain && plain[1]!.length <= 64) return withQualifier(plain[1]!, plain[2]);
  throw lambdaErrors.invalidParameter(
    `1 validation error detected: Value '${raw}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );
}

function withQualifier(name: string, qualifier: string | undefined): FunctionRef {
  return qualifier === undefined ? { name } : { name, qualifier };
}

/** Builds ARNs for one region/account. */
export class ArnBuilder {
  constructor(readonly region: string, readonly accountId: string) {}

  function(name: string, qualifier?: string): string {
    const base = `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`;
    return qualifier === undefined ? base : `${base}:${qualifier}`;
  }

  alarm(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.accountId}:alarm:${name}`;
  }
}

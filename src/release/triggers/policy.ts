import { bindingOf, type Trigger } from './classify.js';

/**
 * The grants of a resource-based policy (GetPolicy's JSON text) that let something invoke the
 * function: each Allow statement whose action covers `lambda:InvokeFunction`, as a trigger bound to
 * the function ARN in its Resource (the qualifier it was read for, when the Resource says none).
 * Grants for function URLs alone (`lambda:InvokeFunctionUrl`) are left to the URL listing. A policy
 * that is not the JSON Lambda writes yields nothing rather than a guess. Pure.
 */
export function grantsOf(policy: string, readAs: string, alias: string): Trigger[] {
  let document: unknown;
  try {
    document = JSON.parse(policy);
  } catch {
    return [];
  }
  const statements = asArray((document as { Statement?: unknown } | null)?.Statement);
  return statements.flatMap((statement) => {
    if (!isObject(statement) || statement.Effect !== 'Allow' || !invokes(statement.Action)) return [];
    const [resource] = asArray(statement.Resource).filter((value): value is string => typeof value === 'string');
    return [{ kind: 'permission', source: sourceOf(statement), binding: bindingOf(resource ?? readAs, alias) }];
  });
}

/** Whether the statement's action lets the principal invoke the function (not only its URL). */
function invokes(action: unknown): boolean {
  return asArray(action).some((value) => value === 'lambda:InvokeFunction' || value === 'lambda:*' || value === '*');
}

/** `s3.amazonaws.com (arn:aws:s3:::uploads)`: who may invoke, and from where when a condition says. */
function sourceOf(statement: Record<string, unknown>): string {
  const principal = statement.Principal;
  const who = isObject(principal)
    ? asArray(principal.Service ?? principal.AWS ?? principal.Federated)
        .filter((value): value is string => typeof value === 'string')
        .join(', ')
    : typeof principal === 'string'
      ? principal
      : '';
  const condition = isObject(statement.Condition) ? statement.Condition : {};
  const from = Object.values(condition)
    .flatMap((test) => (isObject(test) ? Object.entries(test) : []))
    .filter(([key]) => /^aws:source(arn|account)$/i.test(key))
    .flatMap(([, value]) => asArray(value))
    .filter((value): value is string => typeof value === 'string');
  const sid = typeof statement.Sid === 'string' ? ` [${statement.Sid}]` : '';
  return `${who || 'a principal'}${from.length > 0 ? ` (${from.join(', ')})` : ''}${sid}`;
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import { arnsOf, parseFunctionRef, type FunctionRef } from '../shared/arn.js';
import { lambdaErrors } from '../shared/errors.js';
import { accessDenied, type Caller } from '../shared/identity.js';
import type { LambdaModel } from './model.js';
import type { FunctionRecord } from './records.js';

/**
 * The ARN IAM authorises a call on: the function (qualified when the call names a qualifier, in the
 * FunctionName or as Qualifier) in its account and region; undefined when FunctionName is not one.
 */
export function resourceArn(functionName: unknown, qualifier: unknown, caller: Caller): string | undefined {
  if (typeof functionName !== 'string') return undefined;
  let ref: FunctionRef;
  try {
    ref = parseFunctionRef(functionName);
  } catch {
    return undefined;
  }
  const arns = arnsOf({ accountId: ref.accountId ?? caller.accountId, region: ref.region ?? caller.region });
  return arns.function(ref.name, ref.qualifier ?? (typeof qualifier === 'string' ? qualifier : undefined));
}

/**
 * Where a FunctionName leads for this caller: a plain name to the caller's account in the request's
 * region; a partial ARN to its account in the request's region; a full ARN to its own account and
 * region, which Lambda refuses when that region is not the request's. Another account's function is
 * reachable only for the actions its resource-based policy grants (a missing one is refused the same way).
 */
export function resolveFunction(
  model: LambdaModel,
  caller: Caller,
  ref: FunctionRef,
  action: string,
  resource: string | undefined
): FunctionRecord {
  const region = ref.region ?? caller.region;
  if (region !== caller.region) {
    throw lambdaErrors.notFound(`Functions from '${region}' are not reachable in this region ('${caller.region}')`);
  }
  const ns = { accountId: ref.accountId ?? caller.accountId, region };
  const fn = model.find(ns, ref.name);
  if (ns.accountId !== caller.accountId && !(fn && model.grantsCrossAccount(fn, action))) {
    throw accessDenied('lambda', caller, action, resource ?? arnsOf(ns).function(ref.name), 'resource-based');
  }
  return fn ?? model.get(ns, ref.name);
}

import type { AliasRouting, AliasState } from '../aws/lambda-gateway.js';

/** Lambda takes weights as fractions; percentages have at most two decimals, so four suffice. */
export function toWeight(percent: number): number {
  return Math.round(percent * 100) / 10_000;
}

/** The routing of a canary step: `percent` of traffic on `target`, the rest on `previous`. */
export function splitRouting(previous: string, target: string, percent: number): AliasRouting {
  return { version: previous, additional: { version: target, weight: toWeight(percent) } };
}

/**
 * Lambda's own routing while it allocates provisioned concurrency on an alias's new FunctionVersion:
 * `{<the version that served>: 1}` in AdditionalVersionWeights, so that every call still goes to
 * `serving` until `allocating` is ready (Lambda clears the weights then, and keeps them if the
 * allocation fails). Undefined for any other routing, a split of ours included.
 */
export function lambdaAllocation(alias: AliasRouting): { readonly allocating: string; readonly serving: string } | undefined {
  const { additional } = alias;
  if (!additional || additional.weight < 1) return undefined;
  return { allocating: alias.version, serving: additional.version };
}

/** The version that serves the alias's traffic as its main version: the FunctionVersion, or the one Lambda still routes to while it allocates. */
export function servingVersion(alias: AliasRouting): string {
  return lambdaAllocation(alias)?.serving ?? alias.version;
}

/** "90% to version 3 and 10% to version 4", for messages. */
export function describeRouting(alias: AliasRouting | undefined): string {
  if (!alias) return 'nowhere (the alias no longer exists)';
  const allocation = lambdaAllocation(alias);
  if (allocation) {
    return (
      `100% to version ${allocation.serving} (Lambda's own weights while it allocates provisioned concurrency ` +
      `on version ${allocation.allocating}, the alias's FunctionVersion)`
    );
  }
  if (!alias.additional) return `100% to version ${alias.version}`;
  const extra = Math.round(alias.additional.weight * 10_000) / 100;
  return `${Math.round((100 - extra) * 100) / 100}% to version ${alias.version} and ${extra}% to version ${alias.additional.version}`;
}

/**
 * An alias as messages name it: `live` when one function is deployed, `orders-api:live` when several
 * are (they often share the alias's name, and a message must say whose alias it is).
 */
export function aliasLabel(functionName: string, alias: string, several: boolean): string {
  return several ? `${functionName}:${alias}` : alias;
}

/** True when `version` receives any traffic through the alias. */
export function routesTo(alias: AliasState, version: string): boolean {
  return alias.version === version || alias.additional?.version === version;
}

/** True when two routings send the same shares to the same versions. */
export function sameRouting(a: AliasRouting, b: AliasRouting): boolean {
  // Compared in basis points: Lambda may echo a weight back with float noise.
  const share = (routing: AliasRouting): number => Math.round((routing.additional?.weight ?? 0) * 10_000);
  return a.version === b.version && a.additional?.version === b.additional?.version && share(a) === share(b);
}

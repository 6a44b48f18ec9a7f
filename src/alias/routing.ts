import type { AliasRouting, AliasState } from '../aws/lambda-gateway.js';

/** Lambda takes weights as fractions; percentages have at most two decimals, so four suffice. */
export function toWeight(percent: number): number {
  return Math.round(percent * 100) / 10_000;
}

/** The routing of a canary step: `percent` of traffic on `target`, the rest on `previous`. */
export function splitRouting(previous: string, target: string, percent: number): AliasRouting {
  return { version: previous, additional: { version: target, weight: toWeight(percent) } };
}

/** "90% to version 3 and 10% to version 4", for messages. */
export function describeRouting(alias: AliasRouting | undefined): string {
  if (!alias) return 'nowhere (the alias no longer exists)';
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

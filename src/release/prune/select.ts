import { readAliasRecord } from '../../alias/record.js';
import type { ListedAlias, ListedVersion } from '../../aws/lambda-inventory-gateway.js';

/**
 * Which old versions pruning may delete, from the facts alone. A version is kept when any of these
 * holds: an alias points or routes to it (every alias of the function), it is the rollback target
 * (the version the alias served before this deployment), an alias's record (alias/record.ts) names
 * it (a held rollout's new and previous versions, which promote and abort go to even if someone
 * moved the alias meanwhile; the good versions rollback-to: last-good picks from), it has
 * provisioned concurrency, an event
 * source mapping names it, it is one of the `keepVersions` newest, or it was published fewer than
 * `keepDays` days ago (or its age is unknown). `$LATEST` is never listed. Pure.
 */

/** What pruning knows of one function. */
export interface PruneFacts {
  /** Every published version, from every page. */
  readonly versions: readonly ListedVersion[];
  /** Every alias of the function with its routing. */
  readonly aliases: readonly ListedAlias[];
  /** Qualifiers (versions and aliases) with provisioned concurrency. */
  readonly provisioned: readonly string[];
  /** Versions named by an event source mapping (a FunctionArn with a version qualifier). */
  readonly mapped: readonly string[];
  /** The version the alias served before this deployment: where a rollback would go. */
  readonly previousVersion?: string;
  readonly nowMs: number;
}

/** What to keep besides the protected versions: the newest `keepVersions`, and those younger than `keepDays`. */
export interface KeepRule {
  readonly keepVersions?: number;
  readonly keepDays?: number;
}

/** The selection: the versions that may go (newest first), and why each other one stays. */
export interface PruneSelection {
  readonly remove: readonly string[];
  readonly kept: ReadonlyArray<{ readonly version: string; readonly reason: string }>;
}

const DAY_MS = 24 * 60 * 60_000;

export function selectPrunable(facts: PruneFacts, rule: KeepRule): PruneSelection {
  const reasons = protectedVersions(facts);
  const newestFirst = [
    ...new Map(facts.versions.filter((v) => /^\d+$/.test(v.version)).map((v) => [v.version, v])).values()
  ].sort((a, b) => Number(b.version) - Number(a.version));
  const remove: string[] = [];
  const kept: Array<{ version: string; reason: string }> = [];
  newestFirst.forEach((listed, index) => {
    const reason =
      reasons.get(listed.version) ??
      (rule.keepVersions !== undefined && index < rule.keepVersions ? `one of the ${rule.keepVersions} newest` : undefined) ??
      youngReason(listed, rule, facts.nowMs);
    if (reason !== undefined) kept.push({ version: listed.version, reason });
    else remove.push(listed.version);
  });
  return { remove, kept };
}

/** The versions that are never deleted, whatever the rule, with why. */
function protectedVersions(facts: PruneFacts): Map<string, string> {
  const reasons = new Map<string, string>();
  const protect = (version: string | undefined, reason: string): void => {
    if (version !== undefined && !reasons.has(version)) reasons.set(version, reason);
  };
  for (const alias of facts.aliases) {
    protect(alias.version, `alias ${alias.name} points to it`);
    if (alias.additional)
      protect(alias.additional.version, `alias ${alias.name} routes ${Math.round(alias.additional.weight * 1000) / 10}% to it`);
  }
  protect(facts.previousVersion, 'the previous version (the rollback target)');
  for (const alias of facts.aliases) {
    const { record } = readAliasRecord(alias.description);
    if (record.hold) {
      protect(record.hold.newVersion, `alias ${alias.name} holds it for approval (deployment ${record.hold.deploymentId})`);
      protect(record.hold.previousVersion, `alias ${alias.name} holds a rollout whose abort goes back to it`);
    }
    for (const version of record.good) protect(version, `alias ${alias.name} records it as good (rollback-to: last-good)`);
  }
  for (const qualifier of facts.provisioned) protect(qualifier, 'it has provisioned concurrency');
  for (const version of facts.mapped) protect(version, 'an event source mapping names it');
  return reasons;
}

/** Why a version is too young to go (or its age unknown); undefined when old enough or no age rule is given. */
function youngReason(listed: ListedVersion, rule: KeepRule, nowMs: number): string | undefined {
  if (rule.keepDays === undefined) return undefined;
  if (listed.lastModifiedMs === undefined) return 'its age is not known';
  const ageDays = (nowMs - listed.lastModifiedMs) / DAY_MS;
  return ageDays < rule.keepDays ? `published ${Math.floor(ageDays)} days ago (keep-days ${rule.keepDays})` : undefined;
}

import { parseFunctionRef, qualifiedArn } from '../../aws/arn.js';
import { explainFailure } from '../../aws/failures.js';
import type { LambdaInventoryGateway } from '../../aws/lambda-inventory-gateway.js';
import type { Clock } from '../../core/clock.js';
import { Deadline } from '../../core/deadline.js';
import type { Journal } from '../../core/journal.js';
import { selectPrunable, type KeepRule } from './select.js';

/**
 * Pruning one function after a successful promotion: read every version, every alias's routing,
 * provisioned concurrency and the event source mappings (all pages), select what may go
 * (select.ts), then for each candidate, right before it would go, make sure no event source mapping
 * and no resource-policy grant names that version (each a read of its own: whether Lambda lists a
 * version's mappings under the unqualified name is not documented), and delete it or only list it.
 * Every call is bounded and cancellable, the whole within PRUNE_BUDGET_MS. Never throws: what could
 * not be read or deleted is in the outcome, and the deployment's status stays what it was.
 */

/** The most time pruning one function may take: what is left waits for the next run. */
export const PRUNE_BUDGET_MS = 5 * 60_000;

/** What pruning needs. */
export interface PruneDeps {
  readonly inventory: LambdaInventoryGateway;
  readonly clock: Clock;
  readonly recorder: Journal;
}

/** What pruning one function came to. */
export interface PruneOutcome {
  readonly functionName: string;
  /** `delete`: versions were deleted; `list`: only listed (no `prune: true`). */
  readonly mode: 'list' | 'delete';
  /** Deleted, or (listing) that would be deleted. */
  readonly versions: readonly string[];
  /** How many versions stay, and the protected ones with why (for the log). */
  readonly kept: number;
  /** Sentences on what went wrong: a read that failed (then nothing is deleted), a delete refused. */
  readonly problems: readonly string[];
}

/** What one function's pruning is about. */
export interface PruneRequest {
  readonly functionName: string;
  /** The function's unqualified ARN. */
  readonly functionArn: string;
  /** The version the alias served before this deployment (the rollback target). */
  readonly previousVersion?: string;
  readonly rule: KeepRule;
  readonly mode: 'list' | 'delete';
}

export async function pruneFunction(deps: PruneDeps, request: PruneRequest, signal?: AbortSignal): Promise<PruneOutcome> {
  const { inventory, clock, recorder } = deps;
  const { functionName, functionArn, mode } = request;
  const outcome = (versions: string[], kept: number, problems: string[]): PruneOutcome => ({
    functionName,
    mode,
    versions,
    kept,
    problems
  });
  const budget = new Deadline(clock, clock.now() + PRUNE_BUDGET_MS, `pruning's ${PRUNE_BUDGET_MS / 60_000} minutes`, signal);
  try {
    let facts;
    try {
      const [versions, aliases, provisioned, mappings] = await Promise.all([
        inventory.listVersions(functionArn, budget.signal),
        inventory.listAliasRoutings(functionArn, budget.signal),
        inventory.listProvisionedConcurrency(functionArn, budget.signal),
        inventory.listEventSourceMappings(functionArn, budget.signal)
      ]);
      const mapped = mappings.flatMap((mapping) => {
        const qualifier = parseFunctionRef(mapping.functionArn)?.qualifier;
        return qualifier && /^\d+$/.test(qualifier) ? [qualifier] : [];
      });
      facts = {
        versions,
        aliases,
        provisioned,
        mapped,
        nowMs: clock.now(),
        ...(request.previousVersion ? { previousVersion: request.previousVersion } : {})
      };
    } catch (error: unknown) {
      return outcome([], 0, [`nothing was pruned: what protects a version could not all be read: ${explainFailure(error)}`]);
    }
    const selection = selectPrunable(facts, request.rule);
    for (const { version, reason } of selection.kept) recorder.detail(`Keeping version ${version} of ${functionName}: ${reason}`);
    const done: string[] = [];
    const problems: string[] = [];
    let kept = selection.kept.length;
    for (const version of [...selection.remove].reverse()) {
      if (budget.signal.aborted) {
        problems.push(
          `pruning stopped (${String(budget.signal.reason ?? 'out of time')}); the versions left are pruned by a later run`
        );
        break;
      }
      const pinned = await pinnedBy(inventory, functionArn, version, budget.signal);
      if (pinned !== undefined) {
        kept++;
        recorder.detail(`Keeping version ${version} of ${functionName}: ${pinned}`);
        continue;
      }
      if (mode === 'list') {
        done.push(version);
        continue;
      }
      try {
        await inventory.deleteVersion(functionArn, version, budget.signal);
        done.push(version);
        recorder.detail(`Deleted version ${version} of ${functionName}`);
      } catch (error: unknown) {
        kept++;
        problems.push(`version ${version} was not deleted: ${explainFailure(error)}`);
      }
    }
    return outcome(done, kept, problems);
  } finally {
    budget.dispose();
  }
}

/** Why a version must stay although the listings let it go: a trigger pinned to it, or not knowing (fail closed). */
async function pinnedBy(
  inventory: LambdaInventoryGateway,
  functionArn: string,
  version: string,
  signal: AbortSignal
): Promise<string | undefined> {
  try {
    const [mappings, policy] = await Promise.all([
      inventory.listEventSourceMappings(qualifiedArn(functionArn, version), signal),
      inventory.getPolicy(functionArn, version, signal)
    ]);
    if (mappings.length > 0) return 'an event source mapping names it';
    if (policy !== undefined) return 'its resource-based policy grants something the right to invoke it';
    return undefined;
  } catch (error: unknown) {
    return `what names it could not be read (${explainFailure(error)})`;
  }
}

/** `1-9, 11, 13-20`: version numbers as ranges, for a list that may hold hundreds. */
export function versionRanges(versions: readonly string[]): string {
  const numbers = [...new Set(versions.map(Number))].filter(Number.isInteger).sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < numbers.length;) {
    let j = i;
    while (j + 1 < numbers.length && numbers[j + 1] === numbers[j]! + 1) j++;
    ranges.push(j > i ? `${numbers[i]}-${numbers[j]}` : String(numbers[i]));
    i = j + 1;
  }
  return ranges.join(', ');
}

/** `version 7`, `3 versions: 1-2, 5`, `no version`. */
export function describeVersions(versions: readonly string[]): string {
  if (versions.length === 0) return 'no version';
  return versions.length === 1 ? `version ${versions[0]}` : `${versions.length} versions: ${versionRanges(versions)}`;
}

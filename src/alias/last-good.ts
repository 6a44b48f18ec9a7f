import { AliasRevisionConflict, explainFailure } from '../aws/failures.js';
import type { AliasState, LambdaGateway } from '../aws/lambda-gateway.js';
import type { Journal } from '../core/journal.js';
import { readAliasRecord, withGoodVersion, withHold, writeAliasRecord, type AliasRecord } from './record.js';

/**
 * The good versions in the alias's record (record.ts), for `rollback-to: last-good`, and how a
 * promotion and a rollback change them. The record lists, newest first, the versions this action
 * promoted on the alias: a version is added by the write that makes it the alias's only version
 * (the runner's promoting UpdateAlias; with CodeDeploy, one guarded UpdateAlias of the description
 * once the deployment succeeded), and a rollback that takes the alias away from it takes it out.
 *
 * Last good, precisely: the newest recorded version that the alias does not serve now (neither its
 * main nor its additional version), which still exists. Going back to a recorded version (by
 * `rollback-to`, `version` or `from-alias`) forgets the versions recorded after it: they were
 * promoted later and have just been left, so a second `rollback-to: last-good` goes further back
 * instead of returning to them.
 */

/** The candidates for last good, newest first, or why there are none. */
export type LastGood =
  { readonly ok: true; readonly versions: readonly string[] } | { readonly ok: false; readonly problem: string };

/** The versions `rollback-to: last-good` may deploy on `alias`, newest first (each still to be found to exist). */
export function lastGoodVersions(alias: AliasState): LastGood {
  const read = readAliasRecord(alias.description);
  if (read.problem)
    return {
      ok: false,
      problem: `${read.problem}, so the last good version of ${alias.name} is not known: name one with version`
    };
  const served = new Set([alias.version, ...(alias.additional ? [alias.additional.version] : [])]);
  const versions = read.record.good.filter((version) => !served.has(version));
  if (versions.length > 0) return { ok: true, versions };
  const recorded =
    read.record.good.length > 0 ? ` (it records only ${read.record.good.join(', ')}, which ${alias.name} serves now)` : '';
  return {
    ok: false,
    problem:
      `no good version other than the live one is recorded on ${alias.name}${recorded}: the record starts with this ` +
      `action's first promotion there and keeps the last 5. Name the version with version`
  };
}

/** The record after `version` became the alias's only version: newest, and those recorded after it forgotten. */
export function afterPromotion(record: AliasRecord, version: string): AliasRecord {
  const at = record.good.indexOf(version);
  return withGoodVersion(at < 0 ? record : { ...record, good: record.good.slice(at + 1) }, version);
}

/**
 * The alias description after `version` was promoted on it: the person's text kept, and any hold
 * ended (an alias on one version holds nothing; a held rollout's promotion writes this).
 */
export function promotedDescription(description: string | undefined, version: string): string {
  const read = readAliasRecord(description);
  return writeAliasRecord(withHold(afterPromotion(read.record, version), undefined), read.text);
}

/**
 * The description a rollback away from `version` writes, when the record names it as the newest
 * good version (a rollback after the promotion: a post-traffic hook or the last check failed);
 * undefined when nothing needs to change (the description is then left as it is).
 */
export function rolledBackDescription(description: string | undefined, version: string): string | undefined {
  const read = readAliasRecord(description);
  if (read.problem || read.record.good[0] !== version) return undefined;
  return writeAliasRecord({ ...read.record, good: read.record.good.slice(1) }, read.text);
}

/**
 * Records `version` as promoted on an alias that another service moved (CodeDeploy): one UpdateAlias
 * that changes only the description, guarded by the RevisionId just read, and only while the alias
 * serves that version alone. Never throws: a record that could not be written is a warning (the
 * deployment succeeded all the same; `rollback-to: last-good` just does not know this version).
 */
export async function recordPromotion(
  deps: { readonly lambda: Pick<LambdaGateway, 'getAlias' | 'updateAlias'>; readonly recorder: Journal },
  functionRef: string,
  aliasName: string,
  version: string,
  signal?: AbortSignal
): Promise<void> {
  const unrecorded = (why: string): void =>
    deps.recorder.warning(`version ${version} was not recorded as good on ${aliasName} (for rollback-to: last-good): ${why}`);
  try {
    const alias = await deps.lambda.getAlias(functionRef, aliasName, signal);
    if (!alias || alias.additional || alias.version !== version) {
      unrecorded(
        alias ? `the alias now serves ${alias.additional ? 'two versions' : `version ${alias.version}`}` : 'the alias is gone'
      );
      return;
    }
    const description = promotedDescription(alias.description, version);
    if (description === (alias.description ?? '')) return;
    await deps.lambda.updateAlias(functionRef, aliasName, { version, description }, alias.revisionId, signal);
  } catch (error: unknown) {
    if (signal?.aborted) throw error;
    unrecorded(error instanceof AliasRevisionConflict ? 'someone changed the alias meanwhile' : explainFailure(error));
  }
}

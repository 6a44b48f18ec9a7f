import type { HoldRecord } from '../alias/record.js';
import type { FinalStatus } from '../rollout/phases.js';

/**
 * What `abort` and `guard` report: one outcome per alias named, and the run's status from them.
 * Plain data, rendered by src/report/ and handed to the outputs.
 */

/** What became of one alias. */
export interface AliasOutcome {
  /** `orders:live`. */
  readonly label: string;
  /**
   * `aborted`: back on its previous version. `held`: a hold left as it is (guard). `no-hold`: nothing
   * held there. `failed`: it could not be read or put back, or someone changed it during the hold.
   */
  readonly outcome: 'aborted' | 'held' | 'no-hold' | 'failed';
  /** One sentence (untrusted parts included: escape before display). */
  readonly message: string;
  /** The hold found on the alias, if any. */
  readonly hold?: HoldRecord;
  /** The command that puts the alias back by hand, when retries did not. */
  readonly manualFix?: string;
  /** Why it was aborted, short (`aborted by octocat: …`), for the GitHub deployment. */
  readonly why?: string;
}

/** How an abort or a guard ended. */
export interface HoldActionReport {
  readonly operation: 'abort' | 'guard';
  /**
   * `failed` when an alias could not be read or put back, or was changed by someone during its hold;
   * else `aborted` when a hold was put back; else `held` when one is left (guard); else `skipped`.
   */
  readonly status: Extract<FinalStatus, 'aborted' | 'held' | 'skipped' | 'failed'>;
  readonly aliases: readonly AliasOutcome[];
  /** Who ran it (GITHUB_ACTOR), and why (abort's `reason`). */
  readonly actor: string;
  readonly reason?: string;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  /** The failures' sentences, joined (the failure-reason output). */
  readonly failureReason?: string;
}

/** The report of an abort or a guard, its status from its aliases' outcomes. */
export function holdActionReport(
  operation: HoldActionReport['operation'],
  aliases: readonly AliasOutcome[],
  facts: Pick<HoldActionReport, 'startedAtMs' | 'finishedAtMs' | 'actor' | 'reason'>
): HoldActionReport {
  const failed = aliases.filter((alias) => alias.outcome === 'failed');
  const has = (outcome: AliasOutcome['outcome']): boolean => aliases.some((alias) => alias.outcome === outcome);
  const status = failed.length > 0 ? 'failed' : has('aborted') ? 'aborted' : has('held') ? 'held' : 'skipped';
  return {
    operation,
    status,
    aliases,
    ...facts,
    ...(failed.length > 0 ? { failureReason: failed.map((alias) => alias.message).join('; ') } : {})
  };
}

import type { AliasState, ProvisionedConcurrency } from '../../aws/lambda-gateway.js';
import type { HoldRecord } from '../../alias/record.js';
import type { RunnerState, RunnerTarget } from './state.js';

/**
 * What a hold leaves for the job that promotes it: the runner's state rebuilt from the aliases and
 * their records alone, since the holding job's runner is gone. Pure.
 */

/** One held alias as the promotion found it. */
export interface HeldTarget {
  /** The function as messages name it. */
  readonly functionName: string;
  /** Its unqualified full ARN. */
  readonly functionRef: string;
  /** The alias as Lambda answered it: split as its record says; its RevisionId guards the first write. */
  readonly alias: AliasState;
  readonly hold: HoldRecord;
  /** The alias's provisioned concurrency, read before the promotion; undefined: it has none. */
  readonly provisioned?: ProvisionedConcurrency;
}

/**
 * The runner's state as the hold left it: each alias written (so that any failure from now on puts
 * it back on its previous version, the hold's record cleared in the same write), the new version its
 * target, no step applied yet. Bakes count from the promotion's first shift.
 */
export function stateFromHold(targets: readonly HeldTarget[]): RunnerState {
  return {
    engine: 'runner',
    applied: 0,
    targets: targets.map((target): RunnerTarget => ({
      functionName: target.functionName,
      functionRef: target.functionRef,
      alias: target.alias.name,
      previousVersion: target.hold.previousVersion,
      targetVersion: target.hold.newVersion,
      alreadyLive: false,
      aliasTouched: true,
      aliasCreated: false,
      aliasWritten: true,
      confirmed: target.alias,
      ...(target.provisioned ? { provisioned: { requested: target.provisioned.requested } } : {})
    }))
  };
}

import { AliasRevisionConflict } from '../../aws/failures.js';
import type { AliasState, AliasWrite, LambdaGateway } from '../../aws/lambda-gateway.js';
import { descriptionWithHold } from '../../alias/hold.js';
import { RolloutFailure } from '../../core/failure.js';
import { describeRouting, sameRouting } from '../../alias/routing.js';

/**
 * Someone else changed the alias while we were deploying. We stop and leave their change alone:
 * the message says what the alias routes to now.
 */
export class AliasConflict extends RolloutFailure {
  override readonly name: string = 'AliasConflict';

  constructor(
    message: string,
    /** The alias as re-read after the conflict (undefined if it is gone). */
    readonly found: AliasState | undefined
  ) {
    super(message);
  }
}

/**
 * Writes the alias with Lambda's optimistic lock (RevisionId), and tells a lost answer to our own
 * write apart from another actor's change. A lost answer shows as a refusal on an SDK *retry*,
 * after an earlier attempt was applied but never answered; a refusal on the first attempt is always
 * someone else, even if they asked for the very routing we wanted (a second deployment of the same
 * version must not think it owns the rollout).
 */
export class AliasWriter {
  constructor(
    private readonly lambda: LambdaGateway,
    private readonly functionRef: string,
    private readonly alias: string,
    /** The alias as messages name it: `function:alias` when several functions are deployed (see aliasLabel). */
    private readonly label: string = alias
  ) {}

  /**
   * Sets the routing, guarded by `current.revisionId`; throws AliasConflict if someone else moved it.
   * A write that does not set the description itself ends any hold the alias's record shows (a
   * promotion's first write, say), in the same UpdateAlias.
   */
  async update(current: AliasState, routing: AliasWrite, signal?: AbortSignal): Promise<AliasState> {
    const description = routing.description ?? descriptionWithHold(current.description, undefined);
    const write = description === undefined ? routing : { ...routing, description };
    try {
      return await this.lambda.updateAlias(this.functionRef, this.alias, write, current.revisionId, signal);
    } catch (error: unknown) {
      if (!(error instanceof AliasRevisionConflict)) throw error;
      const found = await this.lambda.getAlias(this.functionRef, this.alias, signal);
      // Ours, only the answer was lost: the alias is as this write set it, its description included.
      if (error.retried && found && sameRouting(found, write) && (description === undefined || found.description === description))
        return found;
      throw new AliasConflict(
        `the alias ${this.label} was changed by someone else during the deployment (RevisionId ` +
          `${current.revisionId} is stale); it now routes ${describeRouting(found)}. It was left as it is`,
        found
      );
    }
  }

  /** Creates the alias on `target.version` (first deployment), with `target.description` when given. */
  async create(target: AliasWrite, signal?: AbortSignal): Promise<AliasState> {
    const { version } = target;
    try {
      return await this.lambda.createAlias(this.functionRef, this.alias, target, signal);
    } catch (error: unknown) {
      if (!(error instanceof AliasRevisionConflict)) throw error;
      const found = await this.lambda.getAlias(this.functionRef, this.alias, signal);
      if (error.retried && found && sameRouting(found, { version })) return found; // ours; answer lost
      throw new AliasConflict(
        `the alias ${this.label} was created by someone else during the deployment; it routes ${describeRouting(found)}. ` +
          'It was left as it is',
        found
      );
    }
  }
}

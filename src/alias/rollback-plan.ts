import { parseFunctionRef } from '../aws/arn.js';
import type { AliasRouting } from '../aws/lambda-gateway.js';

/** What the rollout knows of the alias when something goes wrong. */
export interface RollbackFacts {
  /**
   * A write to the alias was applied, or sent and its outcome is unknown (no answer came). A write
   * that AWS refused does not count: it changed nothing.
   */
  readonly aliasTouched: boolean;
  /** The version the alias served before; undefined on a first deployment. */
  readonly previousVersion?: string;
  /** This deployment created the alias (first deployment), or sent its creation with no answer. */
  readonly aliasCreated: boolean;
}

/** What rolling back means at the phase reached. */
export type RollbackAction =
  /** The alias was never changed: nothing to undo. */
  | { readonly kind: 'none' }
  /** Put the alias back on the previous version, weights cleared. */
  | { readonly kind: 'restore'; readonly routing: AliasRouting }
  /** The alias did not exist before: remove the one we created. */
  | { readonly kind: 'delete-alias' };

/** What rollback means, from what the rollout knows of the alias. */
export function planRollback(facts: RollbackFacts): RollbackAction {
  if (!facts.aliasTouched) return { kind: 'none' };
  if (facts.previousVersion !== undefined) return { kind: 'restore', routing: { version: facts.previousVersion } };
  if (facts.aliasCreated) return { kind: 'delete-alias' };
  return { kind: 'none' };
}

/**
 * The AWS CLI command that puts the alias back by hand, for when every retry failed. A function
 * named by ARN gets its region too: the CLI refuses an ARN of another region than its own.
 */
export function manualRollbackCommand(functionRef: string, alias: string, action: RollbackAction): string {
  const region = parseFunctionRef(functionRef)?.region;
  const target = `--function-name ${functionRef} --name ${alias}${region ? ` --region ${region}` : ''}`;
  if (action.kind === 'delete-alias') return `aws lambda delete-alias ${target}`;
  if (action.kind === 'restore') {
    return (
      `aws lambda update-alias ${target} ` +
      `--function-version ${action.routing.version} --routing-config '{"AdditionalVersionWeights":{}}'`
    );
  }
  return '';
}

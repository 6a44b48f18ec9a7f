import type { AliasRouting } from '../aws/lambda-gateway.js';

/** What the rollout knows of the alias when something goes wrong. */
export interface RollbackFacts {
  /** A mutating alias call was sent (even if it failed: its effect is then unknown). */
  readonly aliasTouched: boolean;
  /** The version the alias served before; undefined on a first deployment. */
  readonly previousVersion?: string;
  /** We created the alias in this deployment (first deployment). */
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

export function planRollback(facts: RollbackFacts): RollbackAction {
  if (!facts.aliasTouched) return { kind: 'none' };
  if (facts.previousVersion !== undefined) return { kind: 'restore', routing: { version: facts.previousVersion } };
  if (facts.aliasCreated) return { kind: 'delete-alias' };
  return { kind: 'none' };
}

/** The AWS CLI command that puts the alias back by hand, for when every retry failed. */
export function manualRollbackCommand(functionName: string, alias: string, action: RollbackAction): string {
  if (action.kind === 'delete-alias') {
    return `aws lambda delete-alias --function-name ${functionName} --name ${alias}`;
  }
  if (action.kind === 'restore') {
    return (
      `aws lambda update-alias --function-name ${functionName} --name ${alias} ` +
      `--function-version ${action.routing.version} --routing-config '{"AdditionalVersionWeights":{}}'`
    );
  }
  return '';
}

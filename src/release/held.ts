import type { AliasState } from '../aws/lambda-gateway.js';
import { describeHold, findHold } from '../alias/hold.js';

/**
 * A new deployment on an alias held for approval is refused before anything is written, whatever
 * `on-split-alias` says: the split is a person's decision pending, not an interrupted run. The
 * refusal names the held deployment, its weight and age, and how to end it.
 */
export function heldAliasProblem(alias: AliasState | undefined, functionArn: string, nowMs: number): string | undefined {
  const found = findHold(alias);
  if (found.kind !== 'held' || !alias) return undefined;
  const { hold } = found;
  return (
    `alias ${alias.name} is held for approval: ${describeHold(hold, nowMs)}. A new deployment would overwrite it: end ` +
    `the hold first with operation: promote (version ${hold.newVersion} goes on to 100%) or operation: abort (back to ` +
    `version ${hold.previousVersion}), for function ${functionArn} and alias ${alias.name}` +
    ` (deployment-id ${hold.deploymentId})`
  );
}

import type { AliasState, FunctionInfo, LambdaGateway } from '../aws/lambda-gateway.js';
import { findHold, type HoldFinding } from '../alias/hold.js';
import { describeRouting } from '../alias/routing.js';
import { plainFunctionName } from '../aws/arn.js';
import type { TargetSettings } from '../config/settings.js';
import { readProblem } from '../release/preflight.js';

/**
 * The aliases an operation on a hold names, read (the function, to name it by its ARN; the alias,
 * with its record), in parallel. Read-only: every read that fails is a problem of its alias.
 */

/** One alias named by the inputs, as Lambda answered. */
export type AliasRead =
  | {
      readonly kind: 'read';
      /** `orders:live`. */
      readonly label: string;
      readonly fn: FunctionInfo;
      /** Undefined when the alias does not exist. */
      readonly alias?: AliasState;
      readonly finding: HoldFinding;
    }
  | { readonly kind: 'unreadable'; readonly label: string; readonly problem: string };

/** Reads every named function and alias together. */
export async function readAliases(
  lambda: LambdaGateway,
  targets: readonly TargetSettings[],
  signal?: AbortSignal
): Promise<AliasRead[]> {
  return Promise.all(
    targets.map(async (target): Promise<AliasRead> => {
      // Named with its function always: a guard watches aliases of many functions.
      const label = `${plainFunctionName(target.functionName)}:${target.alias}`;
      const [fn, alias] = await Promise.allSettled([
        lambda.getFunction(target.functionName, signal),
        lambda.getAlias(target.functionName, target.alias, signal)
      ]);
      if (fn.status === 'rejected')
        return { kind: 'unreadable', label, problem: readProblem(`function ${target.functionName}`, fn.reason) };
      if (alias.status === 'rejected')
        return { kind: 'unreadable', label, problem: readProblem(`the alias ${target.alias}`, alias.reason) };
      return {
        kind: 'read',
        label,
        fn: fn.value,
        ...(alias.value ? { alias: alias.value } : {}),
        finding: findHold(alias.value)
      };
    })
  );
}

/** What an alias without a hold serves, for the sentence that says there is nothing to act on. */
export function servesNow(read: Extract<AliasRead, { kind: 'read' }>): string {
  return read.alias ? `it routes ${describeRouting(read.alias)}` : 'it does not exist';
}

/**
 * The sentence for an alias whose hold's record no longer matches its routing: someone changed it
 * during the hold. It is theirs now: nothing is overwritten.
 */
export function changedDuringHold(label: string, finding: Extract<HoldFinding, { kind: 'changed' }>): string {
  const { hold } = finding;
  return (
    `alias ${label} was changed by someone else during the hold: its record says deployment ${hold.deploymentId} holds ` +
    `version ${hold.newVersion} at ${hold.weightPercent}% (previous version ${hold.previousVersion}), and it now routes ` +
    `${finding.routes}. It was left as it is (a new deployment clears the stale record)`
  );
}

/** The sentence for an alias whose description holds a record this action cannot read. */
export function damagedRecord(label: string, problem: string): string {
  return `alias ${label}: ${problem}, so whether it holds a rollout cannot be told; it was left as it is`;
}

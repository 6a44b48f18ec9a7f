import { describeProvisioned, describeUnsettled, waitForProvisionedConcurrency } from '../../../alias/provisioned-concurrency.js';
import { explainFailure } from '../../../aws/failures.js';
import type { AliasRouting, LambdaGateway } from '../../../aws/lambda-gateway.js';
import type { Clock } from '../../../core/clock.js';
import type { RunnerTarget } from '../state.js';
import { putBackCommand } from './steps.js';

/**
 * The post step's part for aliases with provisioned concurrency (PC): after it put an alias back,
 * it waits (bounded) for Lambda to move the PC there and clear its own weights, since calls still
 * go to the version rolled back until then; and it puts a headroom back that the main step could
 * not. Each says what it found, as a sentence.
 */

/** What the post step's PC work needs. */
export interface ProvisionedRecoveryDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly provisioned: { readonly timeoutMs: number; readonly pollIntervalMs: number };
}

/** Waits until the alias's PC is READY on `routing`; the sentence to add, and whether that went well. */
export async function settleRecovered(
  target: RunnerTarget,
  label: string,
  routing: AliasRouting,
  deps: ProvisionedRecoveryDeps
): Promise<{ ok: boolean; text: string }> {
  const outcome = await waitForProvisionedConcurrency({
    lambda: deps.lambda,
    clock: deps.clock,
    functionRef: target.functionRef,
    alias: target.alias,
    expected: routing,
    ...deps.provisioned
  });
  switch (outcome.kind) {
    case 'ready':
      return { ok: true, text: `Its provisioned concurrency is READY there (${describeProvisioned(outcome.provisioned)}).` };
    case 'none':
      return { ok: true, text: 'It has no provisioned concurrency any more.' };
    case 'failed':
    case 'timed-out':
    case 'moved':
      return { ok: outcome.kind === 'moved', text: `But ${describeUnsettled(label, outcome)}.` };
  }
}

/** A headroom the main step raised and did not put back: puts it back now. Undefined when none is owed. */
export async function restoreOwedHeadroom(
  target: RunnerTarget,
  label: string,
  deps: ProvisionedRecoveryDeps
): Promise<{ ok: boolean; text: string } | undefined> {
  const provisioned = target.provisioned;
  if (provisioned?.raisedTo === undefined || provisioned.restoredAt !== undefined) return undefined;
  if (target.leftToOtherWriter) {
    return {
      ok: true,
      text:
        `The provisioned concurrency of ${label} stays raised to ${provisioned.raisedTo}, as another writer took the alias; ` +
        `put it back when they are done: ${putBackCommand(target.functionRef, target.alias, provisioned.requested)}`
    };
  }
  try {
    const answer = await deps.lambda.putProvisionedConcurrency(target.functionRef, target.alias, provisioned.requested);
    return {
      ok: true,
      text:
        `The provisioned concurrency of ${label}, raised to ${provisioned.raisedTo} for the deployment, is back to ` +
        `${provisioned.requested} (Lambda reports ${describeProvisioned(answer)}).`
    };
  } catch (error: unknown) {
    return {
      ok: false,
      text:
        `The provisioned concurrency of ${label} is still raised to ${provisioned.raisedTo} (${explainFailure(error)}): set it ` +
        `back by hand: ${putBackCommand(target.functionRef, target.alias, provisioned.requested)}`
    };
  }
}

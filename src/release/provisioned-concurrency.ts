import { describeProvisioned, describeUnsettled, waitForProvisionedConcurrency } from '../alias/provisioned-concurrency.js';
import { manualRollbackCommand } from '../alias/rollback-plan.js';
import { lambdaAllocation } from '../alias/routing.js';
import { explainFailure } from '../aws/failures.js';
import type { AliasState, FunctionInfo, LambdaGateway, ProvisionedConcurrency } from '../aws/lambda-gateway.js';
import type { ProvisionedConcurrencySettings, Settings } from '../config/settings.js';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { Journal } from '../core/journal.js';

/**
 * The preflight's look at an alias's provisioned concurrency (PC). Lambda allows weights on an
 * alias with PC (it splits the PC between the two versions by weight); it refuses PC with
 * SnapStart. While it allocates PC on an alias's new FunctionVersion it puts its own weights
 * `{<old>: 1}` on the alias: that is AWS at work, not a split left by an interrupted run, so the
 * preflight waits for it (bounded) instead of calling it a split; if the allocation FAILED, the
 * weights stay, and clearing them (on the version that serves all the traffic already) is the fix.
 * Read-only: nothing here changes anything.
 */

/** What the look needs. */
export interface ProvisionedLookDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Journal;
}

/** What the look found: the PC (undefined: none), the alias as it stands after any wait, and what refuses the deployment. */
export interface ProvisionedLook {
  readonly provisioned?: ProvisionedConcurrency;
  readonly alias: AliasState;
  readonly problems: readonly string[];
}

/** The settings the look reads. */
export type ProvisionedLookSettings = Pick<Settings, 'onSplitAlias'> & {
  readonly provisionedConcurrency: Pick<ProvisionedConcurrencySettings, 'timeoutMs' | 'pollIntervalMs'>;
};

/** Reads the alias's PC, waits out Lambda's own transition, and says what cannot work. */
export async function lookAtProvisionedConcurrency(
  deps: ProvisionedLookDeps,
  fn: FunctionInfo,
  alias: AliasState,
  settings: ProvisionedLookSettings,
  signal?: AbortSignal
): Promise<ProvisionedLook> {
  const { lambda, recorder } = deps;
  let provisioned: ProvisionedConcurrency | undefined;
  try {
    provisioned = await lambda.getProvisionedConcurrency(fn.arn, alias.name, signal);
  } catch (error: unknown) {
    return {
      alias,
      problems: [`the provisioned concurrency of alias ${alias.name} could not be read: ${explainFailure(error)}`]
    };
  }
  if (!provisioned) return { alias, problems: [] };
  if (fn.snapStart) {
    return {
      alias,
      provisioned,
      problems: [
        `alias ${alias.name} has provisioned concurrency (${provisioned.requested}), and ${fn.name} publishes its versions ` +
          'with SnapStart, which Lambda does not combine with provisioned concurrency: turn SnapStart off for the function, ' +
          'or remove the provisioned concurrency of the alias'
      ]
    };
  }
  if (provisioned.status === 'READY' && !lambdaAllocation(alias)) {
    recorder.event(`Alias ${alias.name} has provisioned concurrency: ${describeProvisioned(provisioned)}`);
    return { alias, provisioned, problems: [] };
  }
  return settle(deps, fn, alias, provisioned, settings, signal);
}

/** The PC is not READY, or Lambda's own weights are on the alias: wait for Lambda, then judge what is left. */
async function settle(
  deps: ProvisionedLookDeps,
  fn: FunctionInfo,
  alias: AliasState,
  found: ProvisionedConcurrency,
  settings: ProvisionedLookSettings,
  signal?: AbortSignal
): Promise<ProvisionedLook> {
  const { timeoutMs, pollIntervalMs } = settings.provisionedConcurrency;
  const allocation = lambdaAllocation(alias);
  if (found.status !== 'FAILED') {
    deps.recorder.event(
      (allocation
        ? `Lambda is allocating the provisioned concurrency of alias ${alias.name} on version ${allocation.allocating} ` +
          `and routes every call to version ${allocation.serving} meanwhile (its own weights, not a split left by a deployment)`
        : `The provisioned concurrency of alias ${alias.name} is being allocated (${describeProvisioned(found)})`) +
        `: waiting up to ${formatDuration(timeoutMs)} for it to be READY before anything changes`
    );
  }
  const outcome =
    found.status === 'FAILED'
      ? { kind: 'failed' as const, alias, provisioned: found, waitedMs: 0 }
      : await waitForProvisionedConcurrency({
          ...deps,
          functionRef: fn.arn,
          alias: alias.name,
          timeoutMs,
          pollIntervalMs,
          signal
        });
  switch (outcome.kind) {
    case 'ready':
      deps.recorder.event(
        `The provisioned concurrency of alias ${alias.name} is READY after ${formatDuration(outcome.waitedMs)}: ` +
          `${describeProvisioned(outcome.provisioned)}; the alias serves version ${outcome.alias.version}`
      );
      return { alias: outcome.alias, provisioned: outcome.provisioned, problems: [] };
    case 'none':
      return { alias: outcome.alias, problems: [] };
    case 'failed':
      return failed(fn, outcome.alias ?? alias, outcome.provisioned, settings);
    case 'timed-out':
      return {
        alias: outcome.alias ?? alias,
        ...(outcome.provisioned ? { provisioned: outcome.provisioned } : {}),
        problems: [
          `${describeUnsettled(alias.name, outcome)}. This is Lambda's own work, not a split left by an interrupted ` +
            'deployment, so it is neither refused as one nor put back: deploy again once ' +
            `\`aws lambda get-provisioned-concurrency-config --function-name ${fn.arn} --qualifier ${alias.name}\` says READY ` +
            `(or allow a longer 'provisioned-concurrency-timeout')`
        ]
      };
    case 'moved':
      return { alias: outcome.alias ?? alias, problems: [`${describeUnsettled(alias.name, outcome)} during the preflight`] };
  }
}

/**
 * The allocation FAILED. With Lambda's own weights left on the alias, the version that serves every
 * call is the one to put the alias back on (no call moves): `on-split-alias: rollback` does that
 * first; otherwise the deployment is refused with the command that does it. Without them, the alias
 * serves on standard concurrency in part: refused with Lambda's reason.
 */
function failed(
  fn: FunctionInfo,
  alias: AliasState,
  provisioned: ProvisionedConcurrency,
  settings: ProvisionedLookSettings
): ProvisionedLook {
  const reason = provisioned.statusReason ?? 'Lambda gave no reason';
  const allocation = lambdaAllocation(alias);
  if (!allocation) {
    return {
      alias,
      provisioned,
      problems: [
        `the provisioned concurrency of alias ${alias.name} is FAILED (${reason}): Lambda could not allocate it before this ` +
          'deployment, and the rollout waits for it to be READY after every step. Fix the cause, then set it again ' +
          `(aws lambda put-provisioned-concurrency-config --function-name ${fn.arn} --qualifier ${alias.name} ` +
          `--provisioned-concurrent-executions ${provisioned.requested})`
      ]
    };
  }
  if (settings.onSplitAlias === 'rollback') return { alias, provisioned, problems: [] };
  const fix = manualRollbackCommand(fn.arn, alias.name, { kind: 'restore', routing: { version: allocation.serving } });
  return {
    alias,
    provisioned,
    problems: [
      `Lambda could not allocate the provisioned concurrency of alias ${alias.name} on version ${allocation.allocating} ` +
        `(${reason}) and left its own weights on the alias: every call still goes to version ${allocation.serving}, and ` +
        'Lambda refuses other changes to the alias until its routing is cleared. Clearing it on that version is the fix and ' +
        `moves no traffic: ${fix}; or set 'on-split-alias: rollback' and the deployment does it first`
    ]
  };
}

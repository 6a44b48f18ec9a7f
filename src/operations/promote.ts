import { describeHold, holdExpired } from '../alias/hold.js';
import type { HoldRecord } from '../alias/record.js';
import { parseAfterHold } from '../config/strategy.js';
import type { PromoteOperation, Settings } from '../config/settings.js';
import { formatInstant } from '../alias/hold.js';
import type { ScheduleStep } from '../core/schedule.js';
import { promoteHold, type HeldRollout, type HeldTarget, type Wiring } from '../engines/index.js';
import type { DeploymentReport, SummaryFact } from '../rollout/result.js';
import { describeProvisioned } from '../alias/provisioned-concurrency.js';
import { explainFailure } from '../aws/failures.js';
import { changedDuringHold, damagedRecord, readAliases, servesNow, type AliasRead } from './holds.js';
import { judgeWindow } from './window.js';

/**
 * `operation: promote`: read each named alias and its hold, refuse before anything changes when
 * there is nothing to promote (no hold, another deployment, a hold past its age, an alias someone
 * changed, outside the deploy window), then continue the held rollout: judge the hold's window,
 * the steps after it (none when expedited), 100 %, the post-traffic hooks.
 */

/** What the promotion came to. */
export type PromoteOutcome =
  /** Refused before anything changed: why (a whole sentence); the held deployment when one was found. */
  | { readonly kind: 'refused'; readonly reason: string; readonly deploymentId?: string }
  /** The hold was continued: the report says how it ended (succeeded, rolled back, failed). */
  | { readonly kind: 'continued'; readonly report: DeploymentReport; readonly held: PromotableHold };

/** A hold found promotable, before the promotion begins. */
export type PromotableHold = Omit<HeldRollout, 'startedAtMs'>;

export interface PromoteInputs {
  readonly settings: Settings;
  readonly operation: PromoteOperation;
  readonly wiring: Wiring;
  /** Who asked (GITHUB_ACTOR), for the summary and the GitHub deployment. */
  readonly actor: string;
  /** Called once the hold is found promotable, right before the promotion changes anything. */
  readonly onContinue?: (held: PromotableHold) => void;
}

export async function promote(inputs: PromoteInputs, signal?: AbortSignal): Promise<PromoteOutcome> {
  const { settings, operation, wiring, actor } = inputs;
  const { recorder, clock } = wiring;
  const startedAtMs = clock.now();
  recorder.enterPhase('preflight', 'Preflight: read the hold (read-only)');
  const reads = await readAliases(wiring.aws.lambda, settings.targets, signal);
  const found = heldRollout(reads, operation, startedAtMs);
  if ('refusal' in found) return refused(found.refusal, found.deploymentId);
  const { held, hold } = found;
  for (const label of found.notHeld)
    recorder.event(`Alias ${label} holds nothing of deployment ${hold.deploymentId}: left as it is`);
  recorder.event(`The hold: ${describeHold(hold, clock.now())}`, hold.weightPercent);
  if (holdExpired(hold, clock.now())) {
    return refused(
      `the hold is past its age: ${describeHold(hold, clock.now())}. A hold nobody promoted in time is not promoted now: ` +
        'abort it (operation: abort, or let the guard), then deploy again',
      hold.deploymentId
    );
  }
  const plannedMs = held.then.reduce((sum, step) => sum + step.bakeMs, 0);
  const window = judgeWindow(operation.window, clock.now(), plannedMs, actor, 'promotion');
  if (window.kind === 'closed') return refused(window.reason, hold.deploymentId);
  if (window.kind === 'overridden') recorder.warning(window.note);
  const problems = await preflightChecks(wiring, signal);
  if (problems.length > 0) return refused(problems.join('; '), hold.deploymentId);
  const provisioned = await provisionedOfHeld(wiring, held, signal);
  if ('refusal' in provisioned) return refused(provisioned.refusal, hold.deploymentId);
  if (wiring.checks.length === 0)
    recorder.warning('no alarms and no analysis inputs given: nothing judges the hold, nor the steps after it');
  recorder.event(
    `Promotion asked by ${actor}` +
      (operation.expedite !== undefined ? `, expedited (the remaining bakes skipped): ${operation.expedite}` : '')
  );
  inputs.onContinue?.(provisioned.held);
  const report = await promoteHold(settings, wiring, { ...provisioned.held, startedAtMs }, signal);
  return {
    kind: 'continued',
    report: withFacts(report, promotionFacts(hold, actor, operation.expedite)),
    held: provisioned.held
  };
}

/** The hold every named alias shows, checked together; or why there is nothing to promote. */
function heldRollout(
  reads: readonly AliasRead[],
  operation: PromoteOperation,
  nowMs: number
):
  | { readonly held: PromotableHold; readonly hold: HoldRecord; readonly notHeld: readonly string[] }
  | { readonly refusal: string; readonly deploymentId?: string } {
  const held: Array<HeldTarget & { label: string }> = [];
  const notHeld: string[] = [];
  for (const read of reads) {
    if (read.kind === 'unreadable') return { refusal: read.problem };
    const { finding, label } = read;
    if (finding.kind === 'damaged') return { refusal: damagedRecord(label, finding.problem) };
    if (finding.kind === 'changed')
      return { refusal: changedDuringHold(label, finding), deploymentId: finding.hold.deploymentId };
    if (finding.kind === 'none' || !read.alias) {
      notHeld.push(`${label} (${servesNow(read)})`);
      continue;
    }
    held.push({ label, functionName: read.fn.name, functionRef: read.fn.arn, alias: read.alias, hold: finding.hold });
  }
  const [first] = held;
  if (!first) return { refusal: `nothing to promote: no alias holds a rollout for approval (${notHeld.join('; ')})` };
  const { hold } = first;
  const others = held.filter((target) => target.hold.deploymentId !== hold.deploymentId);
  if (others.length > 0) {
    return {
      refusal:
        `the aliases hold different deployments (${held.map((t) => `${t.label}: ${t.hold.deploymentId}`).join(', ')}): ` +
        'promote each on its own, or pin one with deployment-id'
    };
  }
  if (operation.deploymentId !== undefined && operation.deploymentId !== hold.deploymentId) {
    return {
      refusal: `the alias holds deployment ${hold.deploymentId}, not ${operation.deploymentId} (deployment-id): ${describeHold(hold, nowMs)}`,
      deploymentId: hold.deploymentId
    };
  }
  const disagreeing = held.find((target) => !sameHold(target.hold, hold));
  if (disagreeing) {
    return {
      refusal: `the records of ${first.label} and ${disagreeing.label} disagree about deployment ${hold.deploymentId}: promote each on its own`,
      deploymentId: hold.deploymentId
    };
  }
  const then: ScheduleStep[] | undefined = parseAfterHold(hold.remaining, hold.weightPercent);
  if (!then) {
    return {
      refusal: `the steps after the hold in the record of ${first.label} ("${hold.remaining}") cannot be read`,
      deploymentId: hold.deploymentId
    };
  }
  const steps = operation.expedite !== undefined ? [] : then;
  return {
    hold,
    notHeld,
    held: {
      deploymentId: hold.deploymentId,
      targets: held.map(({ label: _label, ...target }) => target),
      weightPercent: hold.weightPercent,
      heldAtMs: hold.heldAt * 1000,
      then: steps,
      strategy: {
        name: operation.expedite !== undefined ? 'expedited' : `after the hold: ${hold.remaining}`,
        kind: 'steps',
        steps
      }
    }
  };
}

/**
 * Each held alias's provisioned concurrency: the promotion waits for Lambda to allocate it after every
 * weight change, as the deployment did. A read that fails refuses the promotion (never a blind shift).
 */
async function provisionedOfHeld(
  wiring: Wiring,
  held: PromotableHold,
  signal?: AbortSignal
): Promise<{ readonly held: PromotableHold } | { readonly refusal: string }> {
  const { lambda } = wiring.aws;
  const targets: HeldTarget[] = [];
  for (const target of held.targets) {
    try {
      const provisioned = await lambda.getProvisionedConcurrency(target.functionRef, target.alias.name, signal);
      if (provisioned) {
        wiring.recorder.event(
          `Alias ${target.functionName}:${target.alias.name} has provisioned concurrency: ${describeProvisioned(provisioned)}`
        );
      }
      targets.push(provisioned ? { ...target, provisioned } : target);
    } catch (error: unknown) {
      return {
        refusal: `the provisioned concurrency of ${target.functionName}:${target.alias.name} could not be read: ${explainFailure(error)}`
      };
    }
  }
  return { held: { ...held, targets } };
}

/** Two aliases' records of one deployment agree on what was held and what follows. */
function sameHold(a: HoldRecord, b: HoldRecord): boolean {
  return (
    a.weightPercent === b.weightPercent &&
    a.remaining === b.remaining &&
    a.heldAt === b.heldAt &&
    a.maxAgeSeconds === b.maxAgeSeconds
  );
}

/** The checks' and the post-traffic hooks' read-only look: what must refuse the promotion (an alarm missing, a hook out of reach). */
async function preflightChecks(wiring: Wiring, signal?: AbortSignal): Promise<string[]> {
  const looks = await Promise.allSettled([
    ...wiring.checks.map((check) => check.preflight(signal)),
    ...wiring.hooks.AfterAllowTraffic.map((binding) => binding.hook.preflight(signal))
  ]);
  const problems: string[] = [];
  for (const look of looks) {
    if (look.status === 'rejected') problems.push(`a preflight check could not run: ${String(look.reason)}`);
    else {
      problems.push(...look.value.problems);
      for (const warning of look.value.warnings) wiring.recorder.warning(warning);
    }
  }
  return problems;
}

function refused(reason: string, deploymentId?: string): PromoteOutcome {
  return {
    kind: 'refused',
    reason: `the promotion was refused, nothing was changed: ${reason}`,
    ...(deploymentId !== undefined ? { deploymentId } : {})
  };
}

/** The summary's rows for a promotion: the hold it continued, who asked, and why it was expedited. */
function promotionFacts(hold: HoldRecord, actor: string, expedite: string | undefined): SummaryFact[] {
  return [
    {
      label: 'Hold promoted',
      parts: [{ text: `${hold.weightPercent}% held since ${formatInstant(hold.heldAt * 1000)}, promoted by ${actor}` }]
    },
    ...(expedite !== undefined
      ? [{ label: 'Expedited', parts: [{ text: `by ${actor}: ${expedite} (remaining bakes skipped)` }] }]
      : [])
  ];
}

/** The report with the promotion's own rows in its facts table. */
function withFacts(report: DeploymentReport, facts: readonly SummaryFact[]): DeploymentReport {
  const { result } = report;
  return { ...report, result: { ...result, engine: { ...result.engine, facts: [...facts, ...(result.engine.facts ?? [])] } } };
}

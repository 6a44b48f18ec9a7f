import { describeHold, holdExpired } from '../alias/hold.js';
import { evaluateAll, type BakeCheck } from '../checks/checks.js';
import type { TargetSettings } from '../config/settings.js';
import { describeError } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { abortOne, type HoldActionDeps } from './abort.js';
import { changedDuringHold, damagedRecord, readAliases } from './holds.js';
import { holdActionReport, type AliasOutcome, type HoldActionReport } from './outcome.js';

/**
 * `operation: guard`, for a scheduled workflow: safety while nobody watches a hold. Each named alias
 * that holds a rollout past its age, or while an alarm is in ALARM, is aborted (back on its previous
 * version); any other hold is reported and left as it is. An alias without a hold, or one someone
 * changed during its hold, is never touched.
 */
export async function guardHolds(
  deps: HoldActionDeps & { readonly checks: readonly BakeCheck[] },
  targets: readonly TargetSettings[],
  actor: string,
  signal?: AbortSignal
): Promise<HoldActionReport> {
  const { recorder, clock } = deps;
  const startedAt = clock.now();
  recorder.enterPhase('guard', 'Guard the holds: abort those past their age or with an alarm in ALARM');
  const reads = await readAliases(deps.lambda, targets, signal);
  const anyHeld = reads.some((read) => read.kind === 'read' && read.finding.kind === 'held');
  // The alarms are read once, and only when something is held: a guard that runs every few minutes costs nothing otherwise.
  const alarms = anyHeld ? await readAlarms(deps.checks, clock.now(), signal) : { kind: 'ok' as const };
  if (alarms.kind === 'firing') recorder.event(`Alarm check: ${alarms.reason}`);
  const outcomes = await Promise.all(
    reads.map(async (read): Promise<AliasOutcome> => {
      if (read.kind === 'unreadable') return { label: read.label, outcome: 'failed', message: read.problem };
      const { finding, label } = read;
      switch (finding.kind) {
        case 'none':
          return { label, outcome: 'no-hold', message: `alias ${label} holds no rollout: nothing to guard` };
        case 'damaged':
          return { label, outcome: 'failed', message: damagedRecord(label, finding.problem) };
        case 'changed':
          return { label, outcome: 'failed', hold: finding.hold, message: changedDuringHold(label, finding) };
        case 'held': {
          const { hold } = finding;
          const now = clock.now();
          const held = { label, functionRef: read.fn.arn, alias: read.alias!, hold };
          if (holdExpired(hold, now)) {
            return abortOne(
              deps,
              held,
              `aborted by the guard: the hold is past its age (limit ${formatDuration(hold.maxAgeSeconds * 1000)})`,
              signal
            );
          }
          if (alarms.kind === 'firing') return abortOne(deps, held, `aborted by the guard: ${alarms.reason}`, signal);
          if (alarms.kind === 'unknown') {
            return {
              label,
              outcome: 'failed',
              hold,
              message: `alias ${label}: ${alarms.problem}, so the hold was left as it is`
            };
          }
          const message = `alias ${label}: ${describeHold(hold, now)}; within its age, no alarm in ALARM: left as it is`;
          recorder.event(message, hold.weightPercent);
          return { label, outcome: 'held', hold, message };
        }
      }
    })
  );
  recorder.closeGroup();
  return holdActionReport('guard', outcomes, { startedAtMs: startedAt, finishedAtMs: clock.now(), actor });
}

/** The alarms now: each must exist (a typo must not abort anything), and any in ALARM aborts the holds. */
async function readAlarms(
  checks: readonly BakeCheck[],
  now: number,
  signal?: AbortSignal
): Promise<{ kind: 'ok' } | { kind: 'firing'; reason: string } | { kind: 'unknown'; problem: string }> {
  if (checks.length === 0) return { kind: 'ok' };
  try {
    const looks = await Promise.all(checks.map((check) => check.preflight(signal)));
    const problems = looks.flatMap((look) => look.problems);
    if (problems.length > 0) return { kind: 'unknown', problem: `the alarms could not be judged (${problems.join('; ')})` };
    const verdict = await evaluateAll(checks, { now, weightPercent: 0, ...(signal ? { signal } : {}) });
    return verdict.kind === 'unhealthy' ? { kind: 'firing', reason: verdict.reason } : { kind: 'ok' };
  } catch (error: unknown) {
    return { kind: 'unknown', problem: `the alarms could not be read (${describeError(error)})` };
  }
}

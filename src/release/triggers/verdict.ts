import type { TriggerReport } from './audit.js';
import { consequenceOf, describeTrigger, isUnrouted, type LatestEffect, type TriggerBinding } from './classify.js';

/**
 * What the trigger audit comes to for the deployment, from the reports alone: a row per trigger for
 * the plan and the summary, and the warnings or problems (`on-unrouted-triggers: fail` refuses a
 * trigger that does not follow the alias, and, failing closed, a trigger list it could not read).
 * Pure.
 */

/** One trigger as the plan and the summary show it. */
export interface TriggerRow {
  readonly functionName: string;
  readonly alias: string;
  /** `event source mapping arn:aws:sqs:… on the unqualified function ($LATEST)`. */
  readonly trigger: string;
  readonly binding: TriggerBinding;
  /** What this deployment means for it. */
  readonly consequence: string;
  /** It does not follow the alias. */
  readonly unrouted: boolean;
}

/** One function's audit, with what the deployment does to its $LATEST. */
export interface AuditedFunction {
  /** The function's plain name, as messages give it. */
  readonly functionName: string;
  readonly report: TriggerReport;
  readonly latest: LatestEffect;
}

/** The audit's outcome for the whole deployment. */
export interface TriggerVerdict {
  readonly rows: readonly TriggerRow[];
  /** One line per function with triggers, for the plan (a function with none adds no line). */
  readonly planNotes: readonly string[];
  /** One line per function for the log: its triggers, or that none was found. */
  readonly logNotes: readonly string[];
  readonly warnings: readonly string[];
  /** Non-empty only with `on-unrouted-triggers: fail`: the deployment is refused before any write. */
  readonly problems: readonly string[];
}

export function judgeTriggers(functions: readonly AuditedFunction[], mode: 'warn' | 'fail'): TriggerVerdict {
  const rows: TriggerRow[] = [];
  const planNotes: string[] = [];
  const logNotes: string[] = [];
  const warnings: string[] = [];
  const problems: string[] = [];
  const several = functions.length > 1;
  for (const { functionName, report, latest } of functions) {
    const { alias } = report;
    const of = several ? ` of ${functionName}` : '';
    const mine = report.triggers.map((trigger) => ({
      functionName,
      alias,
      trigger: describeTrigger(trigger, alias),
      binding: trigger.binding,
      consequence: consequenceOf(trigger.binding, alias, latest),
      unrouted: isUnrouted(trigger)
    }));
    rows.push(...mine);
    if (mine.length === 0) {
      logNotes.push(
        `Triggers${of}: none found (no event source mapping, function URL or resource-policy grant; callers that invoke it themselves are not listed anywhere)`
      );
    } else {
      const note = `Triggers${of}: ${mine.map((row) => `${row.trigger}: ${row.consequence}`).join('; ')}`;
      planNotes.push(note);
      logNotes.push(note);
    }
    const unrouted = mine.filter((row) => row.unrouted);
    if (unrouted.length > 0) {
      const listed = unrouted.map((row) => `${row.trigger} (${row.consequence})`).join('; ');
      const sentence = `${unrouted.length === 1 ? 'a trigger' : `${unrouted.length} triggers`}${of} ${unrouted.length === 1 ? 'does' : 'do'} not follow alias ${alias}, so the canary and the rollback do not cover ${unrouted.length === 1 ? 'it' : 'them'}: ${listed}. Bind ${unrouted.length === 1 ? 'it' : 'them'} to the alias (docs/versions-and-triggers.md)`;
      if (mode === 'fail') problems.push(`${sentence}; on-unrouted-triggers is fail`);
      else warnings.push(`${sentence}, or set 'on-unrouted-triggers: fail' to refuse such a deployment`);
    }
    for (const unread of report.unreadable) {
      if (mode === 'fail')
        problems.push(`the trigger audit could not read everything, and on-unrouted-triggers is fail: ${unread}`);
      else warnings.push(`trigger audit incomplete: ${unread}`);
    }
  }
  return { rows, planNotes, logNotes, warnings, problems };
}

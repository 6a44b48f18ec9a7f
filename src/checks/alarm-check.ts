import { accountOfArn } from '../aws/arn.js';
import type { AlarmGateway, AlarmRef, AlarmStatus } from '../aws/alarm-gateway.js';
import type { PreflightFindings } from '../core/findings.js';
import type { BakeCheck, CheckContext, Observation, Verdict } from './checks.js';

const CHECK_NAME = 'alarms';

/**
 * CloudWatch alarms as a bake check, with the rules docs/alarms.md gives: any alarm in
 * ALARM fails the new version; INSUFFICIENT_DATA does not (but is shown, since such an alarm
 * protects nothing). An alarm named by ARN is read in its own region and must be in its own
 * account: DescribeAlarms reads only the credentials' account, so an alarm of another account is
 * refused, never swapped for a namesake.
 */
export class AlarmCheck implements BakeCheck {
  readonly name = CHECK_NAME;
  /**
   * Alarms already firing at the start of a hotfix deployment: ignored until they first leave
   * ALARM, then watched like the others (the hotfix is meant to clear them).
   */
  private readonly firingAtStart = new Set<string>();

  constructor(
    private readonly gateway: AlarmGateway,
    private readonly alarms: readonly AlarmRef[],
    /** Start even when an alarm is already in ALARM (for hotfixes). */
    private readonly allowAlarmAtStart: boolean,
    /**
     * An alarm in ALARM at the start is the verdict, not a refusal: a promotion or a guard judges a
     * hold that has been taking traffic, and an alarm firing now means rolling it back.
     */
    private readonly firingIsVerdict = false
  ) {}

  /** An alarm's state is read as it is: no step waits for it. */
  dataDelay(): undefined {
    return undefined;
  }

  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    if (this.alarms.length === 0) return { problems: [], warnings: [] };
    const { found, missing, elsewhere } = this.match(await this.gateway.describe(this.alarms, signal));
    const problems: string[] = [];
    if (missing.length > 0) {
      problems.push(
        `CloudWatch alarm${missing.length > 1 ? 's' : ''} not found: ${missing.map(label).join(', ')} ` +
          `(check the names in the 'alarms' input, the region and the credentials)`
      );
    }
    for (const { ref, status } of elsewhere) {
      problems.push(
        `alarm ${label(ref)} is in account ${ref.accountId}, but these credentials read the alarms of account ` +
          `${accountOfArn(status.arn ?? '') ?? 'another one'} (an alarm of that name exists there): CloudWatch cannot read ` +
          `another account's alarms, so run the deployment with credentials of account ${ref.accountId}`
      );
    }
    const firing = found.filter(({ status }) => status.state === 'ALARM');
    if (this.allowAlarmAtStart) {
      for (const { ref } of firing) this.firingAtStart.add(label(ref));
    } else if (firing.length > 0 && !this.firingIsVerdict) {
      problems.push(
        `alarm${firing.length > 1 ? 's' : ''} already in ALARM before the deployment: ` +
          `${firing.map(({ ref }) => label(ref)).join(', ')} (a rollout could not tell the new version's ` +
          `health apart; fix the alarm first, or set 'allow-alarm-at-start: true' for a hotfix)`
      );
    }
    const warnings = found
      .filter(({ status }) => status.state === 'INSUFFICIENT_DATA')
      .map(({ ref }) => `alarm ${label(ref)} is INSUFFICIENT_DATA: it stops nothing until its metric has data`);
    return { problems, warnings };
  }

  async evaluate(context: CheckContext): Promise<Verdict> {
    if (this.alarms.length === 0) return { kind: 'healthy', observations: [] };
    const { found, missing, elsewhere } = this.match(await this.gateway.describe(this.alarms, context.signal));
    for (const { ref, status } of found) {
      if (status.state !== 'ALARM') this.firingAtStart.delete(label(ref));
    }
    const observations = found.map(({ ref, status }) => this.toObservation(ref, status));
    const firing = found.filter(({ ref, status }) => status.state === 'ALARM' && !this.firingAtStart.has(label(ref)));
    // An alarm deleted mid-rollout no longer protects anything: that is a failure too.
    const vanished = [...missing, ...elsewhere.map(({ ref }) => ref)];
    if (firing.length === 0 && vanished.length === 0) return { kind: 'healthy', observations };
    const reason = [
      ...firing.map(({ ref, status }) => `alarm ${label(ref)} is in ALARM${status.reason ? ` (${status.reason})` : ''}`),
      ...vanished.map((ref) => `alarm ${label(ref)} no longer exists`)
    ].join('; ');
    return { kind: 'unhealthy', reason, observations };
  }

  /** Pairs each alarm named with what CloudWatch answered in its region and account. */
  private match(statuses: readonly AlarmStatus[]) {
    const found: Array<{ ref: AlarmRef; status: AlarmStatus }> = [];
    const elsewhere: Array<{ ref: AlarmRef; status: AlarmStatus }> = [];
    const missing: AlarmRef[] = [];
    for (const ref of this.alarms) {
      const status = statuses.find((candidate) => candidate.name === ref.name && candidate.region === ref.region);
      if (!status) missing.push(ref);
      else if (ref.accountId && status.arn && accountOfArn(status.arn) !== ref.accountId) elsewhere.push({ ref, status });
      else found.push({ ref, status });
    }
    return { found, missing, elsewhere };
  }

  private toObservation(ref: AlarmRef, alarm: AlarmStatus): Observation {
    const ignored = this.firingAtStart.has(label(ref)) ? ' (ignored: already firing at start)' : '';
    return { check: CHECK_NAME, subject: label(ref), state: `${alarm.state}${ignored}`, detail: alarm.reason };
  }
}

/** How an alarm is named in messages: as the user named it. */
function label(ref: AlarmRef): string {
  return ref.arn ?? ref.name;
}

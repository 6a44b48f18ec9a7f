import type { AlarmGateway, AlarmStatus } from '../aws/alarm-gateway.js';
import type { BakeCheck, CheckContext, Observation, PreflightFindings, Verdict } from './checks.js';

const CHECK_NAME = 'alarms';

/**
 * CloudWatch alarms as a bake check, with CodeDeploy's rules: any alarm in ALARM fails the new
 * version; INSUFFICIENT_DATA does not (but is shown, since such an alarm protects nothing).
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
    private readonly alarmNames: readonly string[],
    /** Start even when an alarm is already in ALARM (for hotfixes). */
    private readonly allowAlarmAtStart: boolean
  ) {}

  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    if (this.alarmNames.length === 0) {
      return { problems: [], warnings: ['no alarms given: nothing will stop a bad version while it bakes'] };
    }
    const found = await this.gateway.describe(this.alarmNames, signal);
    const foundNames = new Set(found.map((alarm) => alarm.name));
    const missing = this.alarmNames.filter((name) => !foundNames.has(name));
    const problems: string[] = [];
    if (missing.length > 0) {
      problems.push(
        `CloudWatch alarm${missing.length > 1 ? 's' : ''} not found in this account and region: ` +
          `${missing.join(', ')} (check the names in the 'alarms' input, the region and the credentials)`
      );
    }
    const firing = found.filter((alarm) => alarm.state === 'ALARM');
    if (this.allowAlarmAtStart) {
      for (const alarm of firing) this.firingAtStart.add(alarm.name);
    } else if (firing.length > 0) {
      problems.push(
        `alarm${firing.length > 1 ? 's' : ''} already in ALARM before the deployment: ` +
          `${firing.map((alarm) => alarm.name).join(', ')} (a rollout could not tell the new version's ` +
          `health apart; fix the alarm first, or set 'allow-alarm-at-start: true' for a hotfix)`
      );
    }
    const blind = found.filter((alarm) => alarm.state === 'INSUFFICIENT_DATA').map((alarm) => alarm.name);
    const warnings = blind.map(
      (name) => `alarm ${name} is INSUFFICIENT_DATA: it stops nothing until its metric has data`
    );
    return { problems, warnings };
  }

  async evaluate(context: CheckContext): Promise<Verdict> {
    if (this.alarmNames.length === 0) return { healthy: true, observations: [] };
    const alarms = await this.gateway.describe(this.alarmNames, context.signal);
    for (const alarm of alarms) {
      if (alarm.state !== 'ALARM') this.firingAtStart.delete(alarm.name);
    }
    const observations = alarms.map((alarm) => this.toObservation(alarm));
    const firing = alarms.filter((alarm) => alarm.state === 'ALARM' && !this.firingAtStart.has(alarm.name));
    // An alarm deleted mid-rollout no longer protects anything: that is a failure too.
    const seen = new Set(alarms.map((alarm) => alarm.name));
    const vanished = this.alarmNames.filter((name) => !seen.has(name));
    if (firing.length === 0 && vanished.length === 0) return { healthy: true, observations };
    const reason = [
      ...firing.map((alarm) => `alarm ${alarm.name} is in ALARM${alarm.reason ? ` (${alarm.reason})` : ''}`),
      ...vanished.map((name) => `alarm ${name} no longer exists`)
    ].join('; ');
    return { healthy: false, reason, observations };
  }

  private toObservation(alarm: AlarmStatus): Observation {
    const ignored = this.firingAtStart.has(alarm.name) ? ' (ignored: already firing at start)' : '';
    return { check: CHECK_NAME, subject: alarm.name, state: `${alarm.state}${ignored}`, detail: alarm.reason };
  }
}

/**
 * Public types of the CloudWatch model: alarm specs and snapshots. (Re-exported by emulator/types.ts.)
 */

/** Alarm state values as CloudWatch reports them. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** Control API: create or replace an alarm. */
export interface AlarmSpec {
  name: string;
  state: AlarmState;
  reason?: string;
  /** true → CompositeAlarm, else MetricAlarm. */
  composite?: boolean;
  /** Region the alarm lives in; default the emulator's region. */
  region?: string;
  /** Account the alarm belongs to; default the emulator's account. */
  accountId?: string;
}

/** Snapshot of one alarm. */
export interface AlarmSnapshot {
  name: string;
  arn: string;
  region: string;
  accountId: string;
  composite: boolean;
  state: AlarmState;
  reason: string;
  stateUpdatedMs: number;
  /** Scheduled future changes not yet in effect. */
  pending: { atMs: number; state: AlarmState; reason: string }[];
}

/** Control API: options of `setAlarmState`. */
export interface AlarmStateOptions {
  /** StateReason; default "Emulator: state set to <state>". */
  reason?: string;
  /** Apply the change this long from now (ms, emulator time) instead of now. */
  afterMs?: number;
}

/** Control API: how late AWS/Lambda datapoints become visible to GetMetricData. */
export interface MetricPublication {
  /**
   * A period's datapoint is visible from this long (ms, emulator time) after the period ends, as
   * Lambda's arrive a minute or more late; a call that runs past that is counted (in its start's
   * period, where Lambda stamps it) only this long after it ends. Unset: every datapoint is visible
   * at once, the current period's too (the default).
   */
  delayMs?: number;
}

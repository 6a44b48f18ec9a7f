import { arnsOf, assertNamespace, namespacedKey, parseAlarmArn, type ArnBuilder, type Namespace } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import { cloudWatchErrors } from '../shared/errors.js';
import type { AlarmSnapshot, AlarmSpec, AlarmState, AlarmStateOptions } from './types.js';

const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const ALARM_TYPES = ['MetricAlarm', 'CompositeAlarm'] as const;

interface ScheduledChange {
  atMs: number;
  state: AlarmState;
  reason: string;
}

interface AlarmRecord extends Namespace {
  name: string;
  arns: ArnBuilder;
  composite: boolean;
  state: AlarmState;
  reason: string;
  stateUpdatedMs: number;
  transitionedMs: number;
  configUpdatedMs: number;
  pending: ScheduledChange[];
  /** Every state the alarm has had since it was put, with the time it took effect (oldest first). */
  history: AlarmTransition[];
}

/** A state an alarm takes at a time: in its history, or scheduled. */
export interface AlarmTransition {
  atMs: number;
  state: AlarmState;
}

/** DescribeAlarms request members the emulator understands. */
export interface DescribeAlarmsInput {
  AlarmNames?: unknown;
  AlarmNamePrefix?: unknown;
  AlarmTypes?: unknown;
  StateValue?: unknown;
  MaxRecords?: unknown;
  NextToken?: unknown;
  ChildrenOfAlarmName?: unknown;
  ParentsOfAlarmName?: unknown;
  ActionPrefix?: unknown;
}

/**
 * CloudWatch alarms with scheduled state changes, in (account, region) namespaces. Changes scheduled
 * with `afterMs` take effect lazily: every read first applies the changes whose time has come, stamped
 * with their due time.
 */
export class AlarmStore {
  /** Keyed by `account/region/name`. */
  private readonly alarms = new Map<string, AlarmRecord>();

  constructor(
    private readonly defaults: Namespace,
    private readonly clock: Clock
  ) {}

  reset(): void {
    this.alarms.clear();
  }

  put(spec: AlarmSpec): AlarmSnapshot {
    if (!spec.name) throw new RangeError('alarm name is required');
    assertState(spec.state);
    const ns = { accountId: spec.accountId ?? this.defaults.accountId, region: spec.region ?? this.defaults.region };
    assertNamespace(ns);
    const now = this.clock.now();
    const key = namespacedKey(ns, spec.name);
    this.alarms.set(key, {
      name: spec.name,
      ...ns,
      arns: arnsOf(ns),
      composite: spec.composite === true,
      state: spec.state,
      reason: spec.reason ?? `Emulator: alarm created in state ${spec.state}`,
      stateUpdatedMs: now,
      transitionedMs: now,
      configUpdatedMs: now,
      pending: [],
      history: [{ atMs: now, state: spec.state }]
    });
    return this.toSnapshot(this.alarms.get(key)!);
  }

  /** Sets the state now, or schedules it `afterMs` ahead in emulator time. `name`: plain (default namespace) or an alarm ARN. */
  setState(name: string, state: AlarmState, opts: AlarmStateOptions = {}): AlarmSnapshot {
    assertState(state);
    const alarm = this.require(name);
    const change = {
      atMs: this.clock.now() + Math.max(0, opts.afterMs ?? 0),
      state,
      reason: opts.reason ?? `Emulator: state set to ${state}`
    };
    alarm.pending.push(change);
    alarm.pending.sort((a, b) => a.atMs - b.atMs);
    return this.toSnapshot(alarm);
  }

  /** Snapshot of one alarm: plain name (default namespace) or alarm ARN. */
  snapshot(name: string): AlarmSnapshot {
    return this.toSnapshot(this.require(name));
  }

  private toSnapshot(alarm: AlarmRecord): AlarmSnapshot {
    const a = this.settle(alarm);
    return {
      name: a.name,
      arn: a.arns.alarm(a.name),
      region: a.region,
      accountId: a.accountId,
      composite: a.composite,
      state: a.state,
      reason: a.reason,
      stateUpdatedMs: a.stateUpdatedMs,
      pending: a.pending.map((p) => ({ ...p }))
    };
  }

  /**
   * The states of alarm `name` of a namespace over time, past and scheduled (oldest first), without applying
   * anything: how a watcher that polls it (CodeDeploy) sees it at any time. Undefined when there is no such alarm.
   */
  timeline(ns: Namespace, name: string): AlarmTransition[] | undefined {
    const alarm = this.alarms.get(namespacedKey(ns, name));
    if (!alarm) return undefined;
    return [...alarm.history, ...alarm.pending].map((t) => ({ atMs: t.atMs, state: t.state }));
  }

  /** Every alarm of every namespace, by name (then account and region). */
  all(): AlarmSnapshot[] {
    return [...this.alarms.values()]
      .sort((a, b) => a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region))
      .map((a) => this.toSnapshot(a));
  }

  /** DescribeAlarms with the real API's filters and limits, over one account and region (SDK output shape: Dates). */
  describe(ns: Namespace, input: DescribeAlarmsInput): Record<string, unknown> {
    const names = optionalStringList(input.AlarmNames, 'alarmNames', 100);
    const types = optionalStringList(input.AlarmTypes, 'alarmTypes', 2) ?? ['MetricAlarm'];
    for (const t of types) {
      if (!(ALARM_TYPES as readonly string[]).includes(t)) {
        throw cloudWatchErrors.validation(
          `1 validation error detected: Value '[${types.join(', ')}]' at 'alarmTypes' failed to satisfy constraint: Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]`
        );
      }
    }
    if (input.StateValue !== undefined && !STATES.includes(input.StateValue as AlarmState)) {
      throw cloudWatchErrors.validation(
        `1 validation error detected: Value '${String(input.StateValue)}' at 'stateValue' failed to satisfy constraint: Member must satisfy enum value set: [INSUFFICIENT_DATA, ALARM, OK]`
      );
    }
    if (input.AlarmNamePrefix !== undefined && names !== undefined) {
      throw cloudWatchErrors.invalidCombination('AlarmNamePrefix and AlarmNames cannot both be specified.');
    }
    for (const key of ['ChildrenOfAlarmName', 'ParentsOfAlarmName', 'ActionPrefix'] as const) {
      if (input[key] !== undefined) throw cloudWatchErrors.invalidParameter(`${key} is not supported by the emulator`);
    }
    const maxRecords = pageSize(input.MaxRecords);
    const offset = decodeToken(input.NextToken);
    const matches = [...this.alarms.values()]
      .filter((a) => a.accountId === ns.accountId && a.region === ns.region)
      .map((a) => this.settle(a))
      .filter((a) => names === undefined || names.includes(a.name))
      .filter((a) => typeof input.AlarmNamePrefix !== 'string' || a.name.startsWith(input.AlarmNamePrefix))
      .filter((a) => types.includes(a.composite ? 'CompositeAlarm' : 'MetricAlarm'))
      .filter((a) => input.StateValue === undefined || a.state === input.StateValue)
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = matches.slice(offset, offset + maxRecords);
    const next =
      offset + maxRecords < matches.length ? { NextToken: Buffer.from(String(offset + maxRecords)).toString('base64') } : {};
    return {
      MetricAlarms: page.filter((a) => !a.composite).map((a) => this.toApi(a)),
      CompositeAlarms: page.filter((a) => a.composite).map((a) => this.toApi(a)),
      ...next
    };
  }

  private toApi(a: AlarmRecord): Record<string, unknown> {
    return {
      AlarmName: a.name,
      AlarmArn: a.arns.alarm(a.name),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: [],
      InsufficientDataActions: [],
      AlarmConfigurationUpdatedTimestamp: new Date(a.configUpdatedMs),
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: new Date(a.stateUpdatedMs),
      StateTransitionedTimestamp: new Date(a.transitionedMs)
    };
  }

  private require(name: string): AlarmRecord {
    const arn = parseAlarmArn(name);
    const alarm = this.alarms.get(arn ? namespacedKey(arn, arn.name) : namespacedKey(this.defaults, name));
    if (!alarm) throw new RangeError(`no such alarm: ${name}`);
    return alarm;
  }

  /** Applies scheduled changes that are due. */
  private settle(alarm: AlarmRecord): AlarmRecord {
    const now = this.clock.now();
    while (alarm.pending.length > 0 && alarm.pending[0]!.atMs <= now) {
      const change = alarm.pending.shift()!;
      if (change.state !== alarm.state) alarm.transitionedMs = change.atMs;
      alarm.state = change.state;
      alarm.reason = change.reason;
      alarm.stateUpdatedMs = change.atMs;
      alarm.history.push({ atMs: change.atMs, state: change.state });
    }
    return alarm;
  }
}

function assertState(state: string): asserts state is AlarmState {
  if (!STATES.includes(state as AlarmState)) throw new RangeError(`invalid alarm state: ${state}`);
}

function optionalStringList(value: unknown, member: string, max: number): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw cloudWatchErrors.validation(`1 validation error detected: Value at '${member}' must be a list of strings`);
  }
  if (value.length > max) {
    throw cloudWatchErrors.validation(
      `1 validation error detected: Value '[${value.join(', ')}]' at '${member}' failed to satisfy constraint: Member must have length less than or equal to ${max}`
    );
  }
  return value as string[];
}

function pageSize(value: unknown): number {
  if (value === undefined) return 50;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
    throw cloudWatchErrors.validation(
      `1 validation error detected: Value '${String(value)}' at 'maxRecords' failed to satisfy constraint: Member must have value between 1 and 100`
    );
  }
  return value;
}

function decodeToken(token: unknown): number {
  if (token === undefined) return 0;
  const offset = typeof token === 'string' ? Number(Buffer.from(token, 'base64').toString('utf8')) : NaN;
  if (!Number.isInteger(offset) || offset < 0)
    throw cloudWatchErrors.invalidNextToken('The service returned an invalid NextToken.');
  return offset;
}

import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** CloudWatch's alarm states; only ALARM stops a rollout (as in CodeDeploy). */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** One alarm as DescribeAlarms reports it. */
export interface AlarmStatus {
  readonly name: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmStateValue;
  /** CloudWatch's own explanation of the state (untrusted text: escape before display). */
  readonly reason: string;
}

export interface AlarmGateway {
  /** The named alarms that exist, metric and composite; unknown names are simply absent. */
  describe(names: readonly string[], signal?: AbortSignal): Promise<AlarmStatus[]>;
}

/** DescribeAlarms accepts at most 100 names per call. */
const NAMES_PER_CALL = 100;

export class CloudWatchAlarmGateway implements AlarmGateway {
  constructor(private readonly client: CloudWatchClient) {}

  async describe(names: readonly string[], signal?: AbortSignal): Promise<AlarmStatus[]> {
    const batches: string[][] = [];
    for (let i = 0; i < names.length; i += NAMES_PER_CALL) batches.push(names.slice(i, i + NAMES_PER_CALL));
    const answers = await Promise.all(batches.map((batch) => this.describeBatch(batch, signal)));
    return answers.flat();
  }

  private async describeBatch(names: string[], signal?: AbortSignal): Promise<AlarmStatus[]> {
    const found: AlarmStatus[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new DescribeAlarmsCommand({
          AlarmNames: names,
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
          MaxRecords: NAMES_PER_CALL,
          NextToken: nextToken
        }),
        { abortSignal: signal }
      );
      for (const alarm of page.MetricAlarms ?? []) found.push(toStatus(alarm, 'metric'));
      for (const alarm of page.CompositeAlarms ?? []) found.push(toStatus(alarm, 'composite'));
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  }
}

function toStatus(
  alarm: { AlarmName?: string; StateValue?: string; StateReason?: string },
  kind: AlarmStatus['kind']
): AlarmStatus {
  return {
    name: alarm.AlarmName ?? '',
    kind,
    state: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue,
    reason: alarm.StateReason ?? ''
  };
}

import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { raceSignal } from '../core/deadline.js';
import type { AwsClients } from './clients.js';
import { translateSdkError } from './translate.js';

/** CloudWatch's alarm states; only ALARM stops a rollout (as in CodeDeploy). */
export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** An alarm as the user named it: a name (read in the default region) or an ARN (its own region and account). */
export interface AlarmRef {
  readonly name: string;
  /** The ARN as given, when the user gave one. */
  readonly arn?: string;
  /** From an alarm ARN; undefined: the deployment's region. */
  readonly region?: string;
  /** From an alarm ARN; undefined: whatever account the credentials read. */
  readonly accountId?: string;
}

/** One alarm as DescribeAlarms reports it. */
export interface AlarmStatus {
  readonly name: string;
  /** The region it was read in (undefined: the default region). */
  readonly region?: string;
  /** Its ARN as CloudWatch reports it: the account it was really read from. */
  readonly arn?: string;
  readonly kind: 'metric' | 'composite';
  readonly state: AlarmStateValue;
  /** CloudWatch's own explanation of the state (untrusted text: escape before display). */
  readonly reason: string;
}

export interface AlarmGateway {
  /** The named alarms that exist, metric and composite, each read in its region; unknown names are absent. */
  describe(alarms: readonly AlarmRef[], signal?: AbortSignal): Promise<AlarmStatus[]>;
}

/** DescribeAlarms accepts at most 100 names per call. */
const NAMES_PER_CALL = 100;

/** AlarmGateway over CloudWatch's DescribeAlarms, one client per region. */
export class CloudWatchAlarmGateway implements AlarmGateway {
  constructor(private readonly clients: AwsClients) {}

  async describe(alarms: readonly AlarmRef[], signal?: AbortSignal): Promise<AlarmStatus[]> {
    const byRegion = new Map<string | undefined, string[]>();
    for (const alarm of alarms) byRegion.set(alarm.region, [...(byRegion.get(alarm.region) ?? []), alarm.name]);
    const batches: Array<{ region?: string; names: string[] }> = [];
    for (const [region, names] of byRegion) {
      const unique = [...new Set(names)];
      for (let i = 0; i < unique.length; i += NAMES_PER_CALL)
        batches.push({ region, names: unique.slice(i, i + NAMES_PER_CALL) });
    }
    const answers = await Promise.all(batches.map((batch) => this.describeBatch(batch.region, batch.names, signal)));
    return answers.flat();
  }

  private async describeBatch(region: string | undefined, names: string[], signal?: AbortSignal): Promise<AlarmStatus[]> {
    const found: AlarmStatus[] = [];
    let nextToken: string | undefined;
    do {
      let page;
      try {
        const sent = this.clients
          .client('cloudwatch', region, (config) => new CloudWatchClient(config))
          .send(
            new DescribeAlarmsCommand({
              AlarmNames: names,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              MaxRecords: NAMES_PER_CALL,
              NextToken: nextToken
            }),
            { abortSignal: signal }
          );
        page = await (signal ? raceSignal(sent, signal) : sent);
      } catch (error: unknown) {
        throw translateSdkError(error, {
          operation: 'DescribeAlarms',
          action: 'cloudwatch:DescribeAlarms',
          endpoint: this.clients.endpoint('cloudwatch', region),
          signal
        });
      }
      for (const alarm of page.MetricAlarms ?? []) found.push(toStatus(alarm, 'metric', region));
      for (const alarm of page.CompositeAlarms ?? []) found.push(toStatus(alarm, 'composite', region));
      nextToken = page.NextToken;
    } while (nextToken);
    return found;
  }
}

function toStatus(
  alarm: { AlarmName?: string; AlarmArn?: string; StateValue?: string; StateReason?: string },
  kind: AlarmStatus['kind'],
  region: string | undefined
): AlarmStatus {
  return {
    name: alarm.AlarmName ?? '',
    ...(region ? { region } : {}),
    ...(alarm.AlarmArn ? { arn: alarm.AlarmArn } : {}),
    kind,
    state: (alarm.StateValue ?? 'INSUFFICIENT_DATA') as AlarmStateValue,
    reason: alarm.StateReason ?? ''
  };
}

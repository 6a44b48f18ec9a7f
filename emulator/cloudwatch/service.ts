import type { Namespace } from '../shared/arn.js';
import type { Clock } from '../shared/clock.js';
import type { InvocationRecord } from '../shared/invocations.js';
import { AlarmStore } from './alarms.js';
import { InvocationMetrics } from './metrics.js';

/** The CloudWatch side of the emulator: alarms and the AWS/Lambda metrics. The AWS operations on it are in operations.ts. */
export class CloudWatchService {
  readonly alarms: AlarmStore;
  readonly metrics: InvocationMetrics;

  constructor(
    defaults: Namespace,
    private readonly clock: Clock
  ) {
    this.alarms = new AlarmStore(defaults, clock);
    this.metrics = new InvocationMetrics(clock);
  }

  /** The emulator's time, as CloudWatch reads it. */
  now(): number {
    return this.clock.now();
  }

  /** Where Lambda reports its invocations (an InvocationSink). */
  readonly recordInvocation = (record: InvocationRecord): void => this.metrics.record(record);

  reset(): void {
    this.alarms.reset();
    this.metrics.reset();
  }
}

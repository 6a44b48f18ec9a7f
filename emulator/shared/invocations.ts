import type { Namespace } from './arn.js';

/**
 * One invocation as Lambda reports it to CloudWatch: the source of the AWS/Lambda Invocations and
 * Errors metrics. The contract between the two services, so that neither imports the other.
 */
export interface InvocationRecord extends Namespace {
  atMs: number;
  functionName: string;
  /** `fn:qualifier` when invoked with a qualifier ($LATEST excluded), else undefined. */
  resource?: string;
  /** Version picked by alias routing; set only for alias invocations. */
  executedVersion?: string;
  error: boolean;
  /** What made the call: an Invoke request (the action's probes and hooks), or the emulator's simulated traffic. */
  source: 'invoke' | 'traffic';
  /** How long the call ran (the Duration metric), in milliseconds; undefined: no Duration datapoint. */
  durationMs?: number;
  /**
   * Through an alias with provisioned concurrency: true when the call ran on standard concurrency
   * (ProvisionedConcurrencySpilloverInvocations), false when on provisioned concurrency; undefined
   * without provisioned concurrency.
   */
  spillover?: boolean;
}

/** Where Lambda sends its invocation records. */
export type InvocationSink = (record: InvocationRecord) => void;

/**
 * Public types of what invokes a function besides its callers' own Invoke: event source mappings,
 * function URLs and the grants of its resource-based policies. (Re-exported by emulator/types.ts.)
 */

/** Control API: an event source mapping (a queue or stream Lambda polls for the function). */
export interface EventSourceMappingSpec {
  /**
   * The function the mapping invokes, as CreateEventSourceMapping takes it: a name or ARN, unqualified
   * (`orders`: $LATEST runs) or with an alias or version (`orders:live`, `orders:3`, `orders:$LATEST`).
   */
  functionName: string;
  /** The queue, stream or broker, e.g. `arn:aws:sqs:us-east-1:123456789012:orders-queue`. */
  eventSourceArn: string;
  /** Default `Enabled`. */
  state?: 'Enabled' | 'Disabled';
}

/** Control API: a function URL, on the unqualified function ($LATEST) or on an alias. */
export interface FunctionUrlSpec {
  /** The function: a name or ARN, unqualified. */
  functionName: string;
  /** The alias the URL invokes; none: the unqualified function. */
  qualifier?: string;
  /** Default `AWS_IAM`. */
  authType?: 'NONE' | 'AWS_IAM';
}

/** Control API: one statement of a resource-based policy, as AddPermission adds it. */
export interface PermissionSpec {
  /** The function: a name or ARN (a qualifier here or in `qualifier`). */
  functionName: string;
  /** The version or alias the grant is on; none: the unqualified function. */
  qualifier?: string;
  statementId: string;
  /** Default `lambda:InvokeFunction`. */
  action?: string;
  /** A service (`s3.amazonaws.com`), an account id or an IAM ARN. */
  principal: string;
  /** The resource that may invoke (a bucket, a topic, a rule, an API). */
  sourceArn?: string;
  sourceAccount?: string;
}

/** What `createEventSourceMapping` answers. */
export interface EventSourceMappingSnapshot {
  uuid: string;
  /** The function ARN, with the qualifier it was created with. */
  functionArn: string;
  eventSourceArn: string;
  state: 'Enabled' | 'Disabled';
}

/** Control API: options of `setVersionInactive`. */
export interface InactiveVersionOptions {
  /**
   * How long the version stays Pending after the invocation that wakes it (ms, emulator time); until
   * it is invoked it stays Inactive. Default 0.
   */
  reactivationMs?: number;
}

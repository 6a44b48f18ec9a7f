import { describeError } from '../core/errors.js';

/**
 * Why an AWS call failed, in the terms the rollout decides on. The SDK adapters translate every
 * SDK error into one of these; nothing above `aws/` reads error names, HTTP statuses or SDK
 * metadata. Messages quote AWS, so they are untrusted text: escape them before display.
 */

/**
 * Whether a failed request may have been applied anyway. `refused`: AWS answered and refused it,
 * nothing changed. `unknown`: no answer came (time-out, dropped connection, cancellation) or AWS
 * failed on its side, so a write may have taken effect: read the resource back before trusting it.
 */
export type CallOutcome = 'refused' | 'unknown';

export abstract class AwsFailure extends Error {
  abstract readonly outcome: CallOutcome;

  constructor(
    message: string,
    /** The AWS operation, e.g. `UpdateAlias`. */
    readonly operation: string
  ) {
    super(message);
  }
}

/** The function, alias, version or configuration named does not exist (or is out of reach). */
export class ResourceNotFound extends AwsFailure {
  override readonly name = 'ResourceNotFound';
  readonly outcome = 'refused';
}

/** The credentials may not do this. `action` is the IAM action AWS named, when it named one. */
export class AccessDenied extends AwsFailure {
  override readonly name = 'AccessDenied';
  readonly outcome = 'refused';

  constructor(
    message: string,
    operation: string,
    readonly action: string,
    readonly resource?: string
  ) {
    super(message, operation);
  }
}

/** The function is busy: an update is in progress, or it is not Active yet (409). */
export class UpdateInProgress extends AwsFailure {
  override readonly name = 'UpdateInProgress';
  readonly outcome = 'refused';
}

/**
 * The alias is not as our request assumed: its RevisionId moved on (UpdateAlias) or it exists
 * already (CreateAlias). `retried`: the SDK had sent this request before, so the earlier attempt
 * may have been ours, applied, with its answer lost.
 */
export class AliasRevisionConflict extends AwsFailure {
  override readonly name = 'AliasRevisionConflict';
  readonly outcome = 'refused';

  constructor(
    message: string,
    operation: string,
    readonly retried: boolean
  ) {
    super(message, operation);
  }
}

/**
 * $LATEST is not what a guarded write assumed: its RevisionId moved on (PublishVersion,
 * UpdateFunctionCode or UpdateFunctionConfiguration with a RevisionId), or it does not hold the code
 * PublishVersion was told to expect (CodeSha256). Someone else changed the function meanwhile.
 */
export class FunctionChanged extends AwsFailure {
  override readonly name = 'FunctionChanged';
  readonly outcome = 'refused';
}

/** AWS refused the request as malformed or not allowed in this state (another 4xx). */
export class RequestRefused extends AwsFailure {
  override readonly name = 'RequestRefused';
  readonly outcome = 'refused';
}

/** No usable answer: a time-out, a dropped connection, a server error or a body that is not AWS's. */
export class NoAnswer extends AwsFailure {
  override readonly name = 'NoAnswer';
  readonly outcome = 'unknown';
}

/** Nothing was sent: no region or no credentials are configured. */
export class AwsNotConfigured extends AwsFailure {
  override readonly name = 'AwsNotConfigured';
  readonly outcome = 'refused';
}

/**
 * The function cannot take a new version: it stayed Pending or its update InProgress past the
 * wait, or its creation or last update failed. The message gives AWS's reason (never the function's
 * configuration: it holds the environment variables).
 */
export class FunctionNotReady extends AwsFailure {
  override readonly name = 'FunctionNotReady';
  readonly outcome = 'refused';
}

/**
 * One sentence on a failed AWS call, worded the same wherever it is told (a failure reason, a
 * preflight problem, the watch, the post step): a refused permission names the IAM action and the
 * resource AWS named (its message says no more, at length, and a preflight lists several) and what
 * to do; any other AWS failure is AWS's message; anything else thrown, its name and message. AWS's
 * text is untrusted: escape it before display.
 */
export function explainFailure(error: unknown): string {
  if (error instanceof AccessDenied) {
    return (
      `these credentials may not ${error.action}${error.resource ? ` on ${error.resource}` : ''} ` +
      `(add it to the role's policy; docs/iam.md lists every permission)`
    );
  }
  if (error instanceof AwsFailure) return error.message;
  return describeError(error);
}

/**
 * explainFailure for the failure reason of a step, where one failure is told (not a preflight's
 * list, which keeps to the point): a refused permission adds what AWS said, which can name the
 * policy, the boundary or the SCP that refused it. AWS's text is capped where it enters
 * (translate.ts) and untrusted: escape it before display.
 */
export function explainStepFailure(error: unknown): string {
  const sentence = explainFailure(error);
  return error instanceof AccessDenied ? `${sentence}. AWS said: ${error.message}` : sentence;
}

/** True when a write that failed may still have been applied. */
export function mayHaveApplied(error: unknown): boolean {
  return !(error instanceof AwsFailure && error.outcome === 'refused');
}

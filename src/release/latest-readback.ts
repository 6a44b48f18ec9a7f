import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import { withDeadline } from '../core/deadline.js';
import { describeError } from '../core/errors.js';
import type { Journal } from '../core/journal.js';
import type { Target } from './target.js';

/** A read-back gets this long of its own: after a cancellation the runner kills the process 10 s after its SIGINT. */
export const READ_BACK_MS = 2_000;

/**
 * After a failure or a cancellation: each upload to $LATEST whose answer never came (cut short,
 * timed out, dropped) may have been applied all the same. $LATEST is read back, within a limit of
 * its own (the run's signal may have fired already), so that the report says what it holds: the
 * new code, the code it had, or that this could not be found out.
 */
export async function readBackUploads(
  targets: readonly Target[],
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock; readonly recorder: Journal },
  limitMs = READ_BACK_MS
): Promise<void> {
  const unanswered = targets.filter((target) => target.change?.written.has('code') && !target.change.uploaded);
  await Promise.all(
    unanswered.map(async (target) => {
      const change = target.change!;
      const name = target.fn.name;
      try {
        const reading = await withDeadline(deps.clock, limitMs, `reading $LATEST of ${name} back`, undefined, (signal) =>
          deps.lambda.getVersionConfiguration(target.fn.arn, '$LATEST', signal)
        );
        const found = change.readBack(reading);
        deps.recorder.event(
          found === 'uploaded'
            ? `The upload to ${name} got no answer, but $LATEST holds its code (CodeSha256 ${reading.codeSha256}, read back)`
            : found === 'not-applied'
              ? `The upload to ${name} got no answer and was not applied: $LATEST holds the code it had (read back)`
              : `The upload to ${name} got no answer, and $LATEST holds code this run cannot tell as its own (CodeSha256 ${reading.codeSha256}, read back)`
        );
      } catch (error: unknown) {
        change.readBackFailed();
        deps.recorder.warning(
          `The upload to ${name} got no answer, and $LATEST could not be read back (${describeError(error)}): it may hold this run's new code`
        );
      }
    })
  );
}

import { FunctionChanged, UpdateInProgress } from '../aws/failures.js';
import type { FunctionReadiness, LambdaGateway, PublishedVersion } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import type { Journal } from '../core/journal.js';
import type { Target } from './target.js';
import { concurrentWriter } from './update.js';

/** PublishVersion attempts when an update of the function keeps starting in between. */
const MAX_PUBLISH_ATTEMPTS = 3;
/** Pause before waiting for the function again after PublishVersion met an update in progress. */
const PUBLISH_RETRY_PAUSE_MS = 2_000;

/** What publishing needs. */
export interface PublishDeps {
  readonly lambda: LambdaGateway;
  readonly clock: Clock;
  readonly recorder: Journal;
}

/**
 * Waits until the function can take a new version (Active, no update in progress), publishes, and
 * waits for the version to be Active. An update that starts in between makes Lambda refuse the
 * publish: wait again, a few times. Marks the target unchanged when Lambda gives back the live version.
 * A publish guarded by a RevisionId (after this run's own updates) is never retried: a refusal then
 * means another writer changed the function, and its code must not be published.
 */
export async function publishTarget(
  deps: PublishDeps,
  target: Target,
  options: { description: string; codeSha256?: string; revisionId?: string },
  signal?: AbortSignal
): Promise<void> {
  const { lambda, recorder, clock } = deps;
  const { fn } = target;
  // Undefined once PublishVersion found the function busy: its state is not known until waited for.
  // A guarded publish follows a reading of $LATEST taken once it was ready: no need to wait again.
  let readiness: FunctionReadiness | undefined =
    options.revisionId !== undefined ? { state: 'Active', lastUpdateStatus: 'Successful' } : fn.readiness;
  let published: PublishedVersion;
  for (let attempt = 1; ; attempt++) {
    if (!readiness || readiness.state !== 'Active' || readiness.lastUpdateStatus !== 'Successful') {
      recorder.detail(`Waiting for ${fn.name} to be ready for a new version: ${describeReadiness(readiness)}`);
      await lambda.waitUntilReady(fn.arn, signal);
    }
    try {
      published = await lambda.publishVersion(fn.arn, options, signal);
      break;
    } catch (error: unknown) {
      if (options.revisionId !== undefined && (error instanceof FunctionChanged || error instanceof UpdateInProgress)) {
        throw concurrentWriter(target, 'PublishVersion', error);
      }
      if (!(error instanceof UpdateInProgress) || attempt >= MAX_PUBLISH_ATTEMPTS) throw error;
      recorder.warning(
        `PublishVersion was refused while the function was busy (${error.message}); waiting for it again ` +
          `(attempt ${attempt + 1} of ${MAX_PUBLISH_ATTEMPTS})`
      );
      await clock.sleepUntil(clock.now() + PUBLISH_RETRY_PAUSE_MS * attempt, signal);
      readiness = undefined;
    }
  }
  if (published.state !== 'Active') await lambda.waitUntilVersionActive(fn.arn, published.version, signal);
  target.published = published;
  const live = target.alias;
  target.unchanged = live !== undefined && !live.additional && live.version === published.version;
}

/** `State Pending (Creating: The function is being created.)`: only what is not ready, with AWS's reason. */
function describeReadiness(readiness: FunctionReadiness | undefined): string {
  if (!readiness) return 'it was busy when PublishVersion was sent';
  const parts = [
    readiness.state !== 'Active' ? `State ${readiness.state}` : undefined,
    readiness.lastUpdateStatus !== 'Successful' ? `LastUpdateStatus ${readiness.lastUpdateStatus}` : undefined
  ].filter((part): part is string => part !== undefined);
  return readiness.reason ? `${parts.join(', ')} (${readiness.reason})` : parts.join(', ');
}

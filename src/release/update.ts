import { FunctionChanged, FunctionNotReady, mayHaveApplied, UpdateInProgress } from '../aws/failures.js';
import type { LambdaGateway, VersionConfiguration } from '../aws/lambda-gateway.js';
import { formatBytes, withoutFinalPeriod } from '../core/text.js';
import { RolloutFailure } from '../core/failure.js';
import type { Journal } from '../core/journal.js';
import type { ChangingTarget, Target } from './target.js';

/**
 * The writes to $LATEST before a version is published: the configuration, then the code, each
 * guarded by the RevisionId of a reading taken after the last update finished (Lambda moves the
 * RevisionId on when an update completes, so the one an update answers with cannot guard the next
 * write), and each awaited until Lambda applied it. A reading that is not what this run left
 * means someone else wrote in between: the deployment stops before publishing anything.
 */

/** What the updates need. */
export interface UpdateDeps {
  readonly lambda: LambdaGateway;
  readonly recorder: Journal;
}

/** UpdateFunctionConfiguration with the values $LATEST lacks; then waits until Lambda applied them. */
export async function updateConfiguration(deps: UpdateDeps, target: ChangingTarget, signal?: AbortSignal): Promise<void> {
  const { change } = target;
  const { configuration, configurationNames } = change.plan.comparison;
  if (!configuration) return;
  const { revisionId } = await checkedLatest(deps, target, signal);
  deps.recorder.event(`Updating the configuration of ${target.fn.name} ($LATEST): ${configurationNames.join(', ')}`);
  change.writing('configuration');
  await guarded(target, 'configuration', () =>
    deps.lambda.updateFunctionConfiguration(target.fn.arn, configuration, { revisionId }, signal)
  );
  change.configured();
  await waitForUpdate(deps, target, 'configuration', signal);
  deps.recorder.event(`The configuration of ${target.fn.name} is updated`);
}

/** UpdateFunctionCode with `Publish: false`; then waits until Lambda applied it. */
export async function updateCode(deps: UpdateDeps, target: ChangingTarget, signal?: AbortSignal): Promise<void> {
  const { change } = target;
  const { code, wanted } = change.plan;
  if (!code) return;
  const { revisionId } = await checkedLatest(deps, target, signal);
  const size = code.size !== undefined ? ` (${formatBytes(code.size)})` : '';
  deps.recorder.event(`Uploading the code of ${target.fn.name} from ${code.source}${size} to $LATEST; nothing is published yet`);
  change.writing('code');
  const answer = await guarded(target, 'code', () =>
    deps.lambda.updateFunctionCode(
      target.fn.arn,
      code.upload,
      { publish: false, revisionId, ...(wanted.architecture ? { architectures: [wanted.architecture] } : {}) },
      signal
    )
  );
  const known = wanted.code?.codeSha256;
  if (known && answer.codeSha256 && answer.codeSha256 !== known) {
    throw new RolloutFailure(
      `Lambda reports CodeSha256 ${answer.codeSha256} for the code uploaded from ${code.source}, but what was sent hashes to ` +
        `${known}: nothing was published, and ${aliasState(target)}`
    );
  }
  const codeSha256 = answer.codeSha256 ?? known;
  if (!codeSha256)
    throw new RolloutFailure(`UpdateFunctionCode answered without a CodeSha256 for ${target.fn.name}: nothing was published`);
  change.codeUploaded(codeSha256);
  deps.recorder.event(`Uploaded the code of ${target.fn.name} (CodeSha256 ${codeSha256}); waiting until Lambda has applied it`);
  await waitForUpdate(deps, target, 'code', signal);
}

/**
 * What guards PublishVersion: the RevisionId of $LATEST read just now, once found as this run left
 * it, and the CodeSha256 of the code it uploaded (or found).
 */
export async function publishGuard(
  deps: UpdateDeps,
  target: ChangingTarget,
  signal?: AbortSignal
): Promise<{ revisionId: string; codeSha256: string }> {
  const reading = await checkedLatest(deps, target, signal);
  return { revisionId: reading.revisionId, codeSha256: target.change.codeSha256 };
}

/** The failure of a guarded write that met another writer's change (or update in progress). */
export function concurrentWriter(target: Target, what: string, error: FunctionChanged | UpdateInProgress): RolloutFailure {
  const met =
    error instanceof UpdateInProgress
      ? `another update of ${target.fn.name} was in progress`
      : `$LATEST of ${target.fn.name} had changed`;
  return new RolloutFailure(
    `${met} when this run sent ${what} (${error.message}): another writer is at work on the function. ` +
      `Nothing was published, and ${aliasState(target)}`
  );
}

/** `alias live still serves version 3`, or that a first deployment's alias was not created. */
export function aliasState(target: Target): string {
  return target.before
    ? `alias ${target.aliasName} still serves version ${target.before.version}`
    : `alias ${target.aliasName} was not created`;
}

/** $LATEST as it is now, after waiting for it when needed, and only if it is as this run left it. */
async function checkedLatest(deps: UpdateDeps, target: ChangingTarget, signal?: AbortSignal): Promise<VersionConfiguration> {
  const { change } = target;
  if (change.reading) return change.reading;
  if (change.mustWait) {
    deps.recorder.detail(`Waiting until ${target.fn.name} is Active and no update is in progress`);
    try {
      await deps.lambda.waitUntilReady(target.fn.arn, signal);
    } catch (error: unknown) {
      if (error instanceof FunctionNotReady) {
        throw new RolloutFailure(
          `${target.fn.name} cannot be updated: ${withoutFinalPeriod(error.message)}. Nothing was changed`
        );
      }
      throw error;
    }
  }
  const reading = await deps.lambda.getVersionConfiguration(target.fn.arn, '$LATEST', signal);
  const problems = change.accept(reading);
  if (problems.length > 0) {
    throw new RolloutFailure(
      `$LATEST of ${target.fn.name} changed under this deployment: ${problems.join('; ')}. Another writer (a deployment, a ` +
        `person, a pipeline) updated the function meanwhile: nothing was published, and ${aliasState(target)}`
    );
  }
  return reading;
}

/**
 * Sends a guarded write; another writer's change becomes a clear failure, anything else stays as it
 * is. A write AWS refused changed nothing: $LATEST does not keep it.
 */
async function guarded<T>(target: ChangingTarget, what: 'code' | 'configuration', write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error: unknown) {
    if (!mayHaveApplied(error)) target.change.refused(what);
    if (error instanceof FunctionChanged || error instanceof UpdateInProgress)
      throw concurrentWriter(target, `its ${what}`, error);
    throw error;
  }
}

/** Waits until the update is applied; a failed update fails the deployment with AWS's reason. */
async function waitForUpdate(deps: UpdateDeps, target: ChangingTarget, what: string, signal?: AbortSignal): Promise<void> {
  try {
    await deps.lambda.waitUntilReady(target.fn.arn, signal);
  } catch (error: unknown) {
    if (!(error instanceof FunctionNotReady)) throw error;
    throw new RolloutFailure(
      `the ${what} update of ${target.fn.name} failed: ${withoutFinalPeriod(error.message)}. Nothing was published, and ${aliasState(target)}; ` +
        `$LATEST keeps the failed update until a deployment replaces it`
    );
  }
  target.change.settled();
}

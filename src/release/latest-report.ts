import type { LambdaGateway, VersionConfiguration } from '../aws/lambda-gateway.js';
import { Inputs } from '../config/keys.js';
import type { Clock } from '../core/clock.js';
import { withDeadline } from '../core/deadline.js';
import { describeError } from '../core/errors.js';
import { aliasLabel } from '../alias/routing.js';
import { configurationDifferences, identityOf } from './changes.js';
import type { Target } from './target.js';

/** Each read of the post step's look at $LATEST gets this long. */
const READ_MS = 10_000;

/**
 * A function whose $LATEST this run writes (new code or configuration), which no rollback undoes:
 * saved with every snapshot, so that a later process (the post step) can say what it holds.
 */
export interface LatestSnapshot {
  /** The function as named in messages. */
  readonly functionName: string;
  /** The function as every call names it: its full ARN. */
  readonly functionRef: string;
  readonly alias: string;
  /** The alias as messages name it: `function:alias` when several functions are deployed. */
  readonly label: string;
  /** The new code's hash, when known beforehand (or once uploaded). */
  readonly codeSha256?: string;
}

/**
 * What the snapshot says of a target's $LATEST: undefined when this run writes none of it.
 * `several`: the rollout deploys several functions.
 */
export function latestSnapshotOf(target: Target, several: boolean): LatestSnapshot | undefined {
  const { change } = target;
  if (!change) return undefined;
  const { comparison, wanted } = change.plan;
  if (!comparison.uploadCode && !comparison.configuration) return undefined;
  const codeSha256 = change.uploaded ? change.codeSha256 : wanted.code?.codeSha256;
  return {
    functionName: target.fn.name,
    functionRef: target.fn.arn,
    alias: target.aliasName,
    label: aliasLabel(target.fn.name, target.aliasName, several),
    ...(codeSha256 !== undefined ? { codeSha256 } : {})
  };
}

/**
 * What $LATEST holds against a version, as the inputs name it: `code`, then the configuration that
 * differs (variables by name only, never values). Empty when they hold the same. Pure.
 */
export function latestDifferences(latest: VersionConfiguration, live: VersionConfiguration): string[] {
  const { handler, runtime, memorySize, timeoutSeconds, environment, layers } = latest;
  const names = identityOf(latest) !== identityOf(live) ? ['code'] : [];
  names.push(
    ...configurationDifferences(
      {
        configuration: {
          ...(handler !== undefined ? { handler } : {}),
          ...(runtime !== undefined ? { runtime } : {}),
          ...(memorySize !== undefined ? { memorySize } : {}),
          ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
          ...(environment !== undefined ? { environment } : {}),
          layers
        }
      },
      live
    )
  );
  if (latest.architectures.join() !== live.architectures.join()) names.push(Inputs.Architectures);
  return names;
}

/**
 * The post step, for each function whose $LATEST the interrupted run may have written: what $LATEST
 * holds, when it differs from the version its alias serves now (a rollback never undoes $LATEST,
 * and callers of the unqualified function run it). One sentence per such function.
 */
export async function describeLatest(
  targets: readonly LatestSnapshot[],
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock }
): Promise<string[]> {
  const lines = await Promise.all(targets.map((target) => latestLine(target, deps)));
  return lines.filter((line): line is string => line !== undefined);
}

async function latestLine(
  target: LatestSnapshot,
  deps: { readonly lambda: LambdaGateway; readonly clock: Clock }
): Promise<string | undefined> {
  const { lambda, clock } = deps;
  const read = <T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> =>
    withDeadline(clock, READ_MS, what, undefined, call);
  const { label } = target;
  try {
    const [reading, alias] = await Promise.all([
      read('reading $LATEST', (signal) => lambda.getVersionConfiguration(target.functionRef, '$LATEST', signal)),
      read('reading the alias', (signal) => lambda.getAlias(target.functionRef, target.alias, signal))
    ]);
    const ours = target.codeSha256 !== undefined && reading.codeSha256 === target.codeSha256;
    const code = `${ours ? "this run's new code" : 'code'} (CodeSha256 ${reading.codeSha256})`;
    const callers = 'callers of the unqualified function or of $LATEST run it until a deployment replaces it.';
    if (!alias) return `$LATEST of ${target.functionName} holds ${code}, and the alias ${label} does not exist: ${callers}`;
    const live = await read(`reading version ${alias.version}`, (signal) =>
      lambda.getVersionConfiguration(target.functionRef, alias.version, signal)
    );
    const differences = latestDifferences(reading, live);
    if (differences.length === 0) return undefined;
    const what = differences.map((difference) => (difference === 'code' ? code : difference)).join(', ');
    return `$LATEST of ${target.functionName} differs from version ${alias.version}, which the alias ${label} serves: ${what}; ${callers}`;
  } catch (error: unknown) {
    return (
      `$LATEST of ${target.functionName} could not be read (${describeError(error)}): it may hold this run's new code ` +
      `or configuration, which the alias ${label} does not serve.`
    );
  }
}

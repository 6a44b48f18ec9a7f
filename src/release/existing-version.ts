import { qualifiedArn } from '../aws/arn.js';
import { AccessDenied, explainFailure, ResourceNotFound } from '../aws/failures.js';
import type { AliasState, LambdaGateway } from '../aws/lambda-gateway.js';
import type { LambdaInventoryGateway, VersionState } from '../aws/lambda-inventory-gateway.js';
import { describeRouting } from '../alias/routing.js';
import type { ReleaseSource } from '../config/settings.js';
import type { Clock } from '../core/clock.js';
import { RolloutFailure } from '../core/failure.js';
import type { Journal } from '../core/journal.js';
import { capText } from '../core/text.js';
import { lastGoodVersions } from '../alias/last-good.js';
import type { FoundTarget } from './preflight.js';
import type { Target } from './target.js';

/**
 * Deploying a version that exists already (`version`, `from-alias`, `rollback-to: last-good`)
 * instead of publishing one: which version, read-only in the preflight, and, before the engine
 * takes it, waiting until it can take traffic. An idle version is `Inactive` (a SnapStart version
 * not invoked for 14 days): Lambda restores it only when it is invoked, so the action invokes it
 * once (the invocation fails while Lambda restores it, running no handler), then reads its state
 * until it is `Active`, within a time limit.
 */

/** How long a version may take to become Active (Pending, or restored from Inactive). */
export const VERSION_READY_BUDGET_MS = 10 * 60_000;
/** How often its state is read meanwhile. */
const VERSION_POLL_MS = 2_000;
/** What the invocation that wakes an Inactive version carries, should it run after all. */
export const WAKE_PAYLOAD = JSON.stringify({ lambdaSafeDeploy: 'wake' });
/** Version descriptions are AWS text: shown capped. */
const DESCRIPTION_MAX_CHARS = 160;

/** The existing version chosen for a function, as the preflight found it. */
export interface ExistingVersion {
  readonly version: string;
  /** How it was chosen, for people: `version input`, `alias staging`, `last good (the record on live)`. */
  readonly from: string;
  /** Its state when read: Active, Pending or Inactive (Failed is refused). */
  readonly state: string;
  /** Its description, capped (this action writes the commit and run there at publish). */
  readonly description?: string;
}

/** What the preflight's look at an existing version found: the version, or why it cannot be deployed. */
export type ExistingLook =
  { readonly ok: true; readonly existing: ExistingVersion } | { readonly ok: false; readonly problem: string };

/** What the look reads. */
export interface ExistingDeps {
  readonly lambda: Pick<LambdaGateway, 'getAlias' | 'invoke'>;
  readonly inventory: Pick<LambdaInventoryGateway, 'getVersionState'>;
}

/** Which existing version `source` names for the function `found`, and whether it can be deployed (read-only). */
export async function lookUpExisting(
  deps: ExistingDeps,
  source: Exclude<ReleaseSource, { kind: 'publish' }>,
  found: FoundTarget,
  index: number,
  signal?: AbortSignal
): Promise<ExistingLook> {
  const { fn } = found;
  const candidates = await candidatesOf(deps, source, found, index, signal);
  if (!candidates.ok) return candidates;
  const skipped: string[] = [];
  for (const version of candidates.versions) {
    let state: VersionState;
    try {
      state = await deps.inventory.getVersionState(fn.arn, version, signal);
    } catch (error: unknown) {
      if (error instanceof ResourceNotFound && candidates.more) {
        skipped.push(version);
        continue;
      }
      return {
        ok: false,
        problem:
          error instanceof ResourceNotFound
            ? `version ${version} of ${fn.name} (${candidates.from}) does not exist`
            : `version ${version} of ${fn.name} could not be read: ${explainFailure(error)}`
      };
    }
    if (state.state === 'Failed' || !['Active', 'Pending', 'Inactive'].includes(state.state)) {
      return {
        ok: false,
        problem: `version ${version} of ${fn.name} is in State ${state.state}${state.reason ? ` (${state.reason})` : ''}: it cannot take traffic`
      };
    }
    const from =
      skipped.length > 0 ? `${candidates.from}; ${skipped.join(', ')} recorded too, but deleted since` : candidates.from;
    return {
      ok: true,
      existing: {
        version,
        from,
        state: state.state,
        ...(state.description ? { description: capText(state.description, DESCRIPTION_MAX_CHARS) } : {})
      }
    };
  }
  return {
    ok: false,
    problem: `no version recorded as good on ${fn.name}:${found.ref.alias} exists any more (${skipped.join(', ')} were deleted): name one with version`
  };
}

type Candidates =
  | { readonly ok: true; readonly versions: readonly string[]; readonly from: string; readonly more: boolean }
  | { readonly ok: false; readonly problem: string };

/** The version(s) to try, newest first: one for `version` and `from-alias`, the record's for `last-good`. */
async function candidatesOf(
  deps: ExistingDeps,
  source: Exclude<ReleaseSource, { kind: 'publish' }>,
  found: FoundTarget,
  index: number,
  signal?: AbortSignal
): Promise<Candidates> {
  const { fn } = found;
  switch (source.kind) {
    case 'version':
      return { ok: true, versions: [source.versions[index]!], from: 'the version input', more: false };
    case 'from-alias': {
      let other: AliasState | undefined;
      try {
        other = await deps.lambda.getAlias(fn.arn, source.alias, signal);
      } catch (error: unknown) {
        return { ok: false, problem: `the alias ${source.alias} of ${fn.name} could not be read: ${explainFailure(error)}` };
      }
      if (!other) return { ok: false, problem: `alias ${source.alias} of ${fn.name} (from-alias) does not exist` };
      if (other.additional) {
        return {
          ok: false,
          problem:
            `alias ${source.alias} of ${fn.name} is split (${describeRouting(other)}): a rollout is in progress there, ` +
            'and which of its versions to deploy is not clear. Wait for it to finish, or name the version with version'
        };
      }
      if (!/^\d+$/.test(other.version)) {
        return {
          ok: false,
          problem: `alias ${source.alias} of ${fn.name} points at ${other.version}, which is not a published version: publish it first, or name a version with version`
        };
      }
      return { ok: true, versions: [other.version], from: `the version alias ${source.alias} serves`, more: false };
    }
    case 'last-good': {
      const alias = found.alias;
      if (!alias)
        return { ok: false, problem: `alias ${found.ref.alias} of ${fn.name} does not exist, so nothing was promoted there` };
      const good = lastGoodVersions(alias);
      if (!good.ok) return good;
      return { ok: true, versions: good.versions, from: `the last good version recorded on ${alias.name}`, more: true };
    }
  }
}

/** What getting a version ready needs. */
export interface ReadyDeps extends ExistingDeps {
  readonly clock: Clock;
  readonly recorder: Journal;
}

/**
 * Makes the chosen version ready to take traffic, then hands it to the target as its release: an
 * Inactive one is woken by one invocation, and its state read until it is Active (within
 * VERSION_READY_BUDGET_MS, cancellable). Throws RolloutFailure when it does not become Active.
 */
export async function readyExisting(deps: ReadyDeps, target: Target, version: string, signal?: AbortSignal): Promise<void> {
  const { fn } = target;
  const deadline = deps.clock.now() + VERSION_READY_BUDGET_MS;
  let woken = false;
  for (;;) {
    const { state, reason } = await deps.inventory.getVersionState(fn.arn, version, signal);
    if (state === 'Active') break;
    if (state === 'Failed')
      throw new RolloutFailure(`version ${version} of ${fn.name} is in State Failed${reason ? ` (${reason})` : ''}`);
    if (state === 'Inactive' && !woken) {
      woken = true;
      await wake(deps, target, version, signal);
      continue;
    }
    if (deps.clock.now() >= deadline) {
      throw new RolloutFailure(
        `version ${version} of ${fn.name} is still ${state}${reason ? ` (${reason})` : ''} after ${VERSION_READY_BUDGET_MS / 60_000} minutes`
      );
    }
    deps.recorder.detail(
      `Version ${version} of ${fn.name} is ${state}${reason ? ` (${reason})` : ''}; waiting until it is Active`
    );
    await deps.clock.sleepUntil(Math.min(deadline, deps.clock.now() + VERSION_POLL_MS), signal);
  }
  target.published = { version, arn: qualifiedArn(fn.arn, version), state: 'Active' };
  const live = target.alias;
  target.unchanged = live !== undefined && !live.additional && live.version === version;
}

/** One invocation of the Inactive version: Lambda answers it with an error and starts restoring the version. */
async function wake(deps: ReadyDeps, target: Target, version: string, signal?: AbortSignal): Promise<void> {
  const { fn } = target;
  deps.recorder.event(
    `Version ${version} of ${fn.name} is Inactive (unused for a while); invoking it once so that Lambda restores it`
  );
  try {
    await deps.lambda.invoke(qualifiedArn(fn.arn, version), WAKE_PAYLOAD, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  } catch (error: unknown) {
    if (signal?.aborted) throw error;
    if (error instanceof AccessDenied) {
      throw new RolloutFailure(
        `version ${version} of ${fn.name} is Inactive, and Lambda restores a version only when it is invoked: ${explainFailure(error)}`
      );
    }
    // Expected: Lambda refuses the call while it restores the version (SnapStartNotReadyException).
  }
}

/** The existing version of every function the preflight found (read in parallel), and every problem at once. */
export async function lookUpAllExisting(
  deps: ExistingDeps,
  source: ReleaseSource,
  found: readonly FoundTarget[],
  /** Which function of the inputs each found one is (the `version` input gives one per function). */
  indexOf: (target: FoundTarget) => number,
  signal?: AbortSignal
): Promise<{ readonly versions: ReadonlyArray<ExistingVersion | undefined>; readonly problems: readonly string[] }> {
  if (source.kind === 'publish') return { versions: found.map(() => undefined), problems: [] };
  const looks = await Promise.all(found.map((target) => lookUpExisting(deps, source, target, indexOf(target), signal)));
  const prefix = (index: number): string => (found.length > 1 ? `${found[index]!.fn.name}: ` : '');
  return {
    versions: looks.map((look) => (look.ok ? look.existing : undefined)),
    problems: looks.flatMap((look, index) => (look.ok ? [] : [prefix(index) + look.problem]))
  };
}

/** The chosen version, told; one the alias already serves leaves nothing to deploy for its function. */
export function takeExisting(target: Target, chosen: ExistingVersion | undefined, recorder: Journal): void {
  if (!chosen) return;
  const { version } = chosen;
  recorder.event(
    `Existing version ${version} of ${target.fn.name} (${chosen.from})${chosen.description ? `: ${chosen.description}` : ''}`
  );
  if (target.before?.version !== version) return;
  target.unchanged = true;
  target.published = { version, arn: qualifiedArn(target.fn.arn, version), state: 'Active' };
}

import type { ReleaseSource } from '../../config/settings.js';
import type { FoundTarget } from '../preflight.js';
import type { TriggerAudit } from './audit.js';
import type { LatestEffect } from './classify.js';
import { judgeTriggers, type TriggerVerdict } from './verdict.js';

/**
 * The trigger audit of every function the preflight found (read in parallel, read-only), judged
 * as `on-unrouted-triggers` says.
 */
export async function auditTriggers(
  audit: TriggerAudit,
  found: readonly FoundTarget[],
  settings: { readonly release: ReleaseSource; readonly onUnroutedTriggers: 'warn' | 'fail' },
  signal?: AbortSignal
): Promise<TriggerVerdict> {
  const reports = await Promise.all(found.map((target) => audit.of(target.ref.functionRef, target.ref.alias, signal)));
  return judgeTriggers(
    found.map((target, index) => ({
      functionName: target.fn.name,
      report: reports[index]!,
      latest: latestEffect(target, settings.release)
    })),
    settings.onUnroutedTriggers
  );
}

/** The same before the preflight compared anything, from the inputs alone: a code source or configuration is taken to be written. */
export function expectedLatestEffect(
  settings: { readonly release: ReleaseSource; readonly configuration?: unknown },
  target: { readonly code?: unknown }
): LatestEffect {
  if (settings.release.kind !== 'publish') return 'untouched';
  return settings.configuration !== undefined || target.code !== undefined ? 'uploads' : 'publishes-latest';
}

/** What the deployment does to a function's $LATEST, which is what a trigger bound to it runs. */
export function latestEffect(target: Pick<FoundTarget, 'change'>, release: ReleaseSource): LatestEffect {
  if (release.kind !== 'publish') return 'untouched';
  const comparison = target.change?.comparison;
  return comparison && (comparison.uploadCode || comparison.configuration !== undefined) ? 'uploads' : 'publishes-latest';
}

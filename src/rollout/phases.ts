/**
 * The rollout's named phases. The spine's own come first (read, update $LATEST, publish, or make an
 * existing version ready instead); each
 * engine names its own after them (`shift`, `watch`, …) with their log group titles, and every
 * deployment ends in a final status. The phase is what the post step reads after a cancelled run.
 */
export type SpinePhase = 'preflight' | 'update' | 'publish' | 'existing-version';

/**
 * How a deployment ended; the `status` output. `in-progress`: the main step's part is done, and the
 * rollout goes on in the service the engine handed it to. `held`: the rollout stopped at a weight on
 * purpose, the alias split until a later job promotes or aborts it. `aborted`: a held rollout was put
 * back on its previous version (`operation: abort`, or `guard`).
 */
export type FinalStatus = 'succeeded' | 'rolled-back' | 'skipped' | 'failed' | 'in-progress' | 'held' | 'aborted';

/** A phase: the spine's, an engine's own (by its name), or a final status. */
export type Phase = SpinePhase | FinalStatus | (string & {});

const FINAL: ReadonlySet<string> = new Set<FinalStatus>([
  'succeeded',
  'rolled-back',
  'skipped',
  'failed',
  'in-progress',
  'held',
  'aborted'
]);

export function isFinal(phase: Phase): phase is FinalStatus {
  return FINAL.has(phase);
}

/** Whether the post step has work: the main step stopped before a final phase, or ended owing a rollback. */
export function needsRecovery(snapshot: { readonly phase: Phase; readonly rollbackOwed: boolean }): boolean {
  return !isFinal(snapshot.phase) || snapshot.rollbackOwed;
}

/** A phase's name as saved: lower-case words joined by hyphens (what the post step accepts back). */
export const PHASE_NAME = /^[a-z]+(?:-[a-z]+)*$/;

/** Log group titles of the spine's phases (no '%': the runner escapes it in group titles). */
export const SPINE_PHASE_TITLES: Readonly<Record<SpinePhase, string>> = {
  preflight: 'Preflight (read-only checks)',
  update: 'Update the code and configuration ($LATEST)',
  publish: 'Publish a new version',
  'existing-version': 'Deploy an existing version (no upload, no publish)'
};

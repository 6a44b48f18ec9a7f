/**
 * The rollout's named phases, in order. What "rollback" means depends on the phase reached
 * (see rollback-plan.ts); the phase is also what the post step reads after a cancelled run.
 */
export type ActivePhase =
  'preflight' | 'update' | 'publish' | 'pre-traffic-hook' | 'shift' | 'promote' | 'post-traffic-hook' | 'rollback';

/** How a deployment ended; the `status` output. */
export type FinalStatus = 'succeeded' | 'rolled-back' | 'skipped' | 'failed';

export type Phase = ActivePhase | FinalStatus;

const FINAL: ReadonlySet<Phase> = new Set<FinalStatus>(['succeeded', 'rolled-back', 'skipped', 'failed']);

export function isFinal(phase: Phase): phase is FinalStatus {
  return FINAL.has(phase);
}

/** Log group titles, one per phase (no '%': the runner escapes it in group titles). */
export const PHASE_TITLES: Record<Phase, string> = {
  preflight: 'Preflight (read-only checks)',
  update: 'Update the code and configuration ($LATEST)',
  publish: 'Publish a new version',
  'pre-traffic-hook': 'Pre-traffic hook',
  shift: 'Shift traffic',
  promote: 'Promote: all traffic to the new version',
  'post-traffic-hook': 'Post-traffic hook',
  rollback: 'Roll back',
  succeeded: 'Succeeded',
  'rolled-back': 'Rolled back',
  skipped: 'Skipped',
  failed: 'Failed'
};

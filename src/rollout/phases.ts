/**
 * The rollout's named phases, in order. What "rollback" means depends on the phase reached
 * (see rollback-plan.ts); the phase is also what the post step reads after a cancelled run.
 */
export type ActivePhase =
  | 'preflight'
  | 'update'
  | 'publish'
  | 'pre-traffic-hook'
  | 'shift'
  | 'promote'
  | 'post-traffic-hook'
  | 'rollback'
  | 'hand-over'
  | 'watch';

/**
 * How a deployment ended; the `status` output. `in-progress`: the main step's part is done, the
 * rollout goes on in AWS CodeDeploy (`engine: codedeploy` with `wait: false`).
 */
export type FinalStatus = 'succeeded' | 'rolled-back' | 'skipped' | 'failed' | 'in-progress';

export type Phase = ActivePhase | FinalStatus;

const FINAL: ReadonlySet<Phase> = new Set<FinalStatus>(['succeeded', 'rolled-back', 'skipped', 'failed', 'in-progress']);

export function isFinal(phase: Phase): phase is FinalStatus {
  return FINAL.has(phase);
}

/** Whether the post step has work: the main step stopped before a final phase, or ended owing a rollback. */
export function needsRecovery(snapshot: { readonly phase: Phase; readonly rollbackOwed: boolean }): boolean {
  return !isFinal(snapshot.phase) || snapshot.rollbackOwed;
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
  'hand-over': 'Hand the rollout over to AWS CodeDeploy',
  watch: 'Watch the CodeDeploy deployment',
  succeeded: 'Succeeded',
  'rolled-back': 'Rolled back',
  skipped: 'Skipped',
  failed: 'Failed',
  'in-progress': 'In progress in AWS CodeDeploy'
};

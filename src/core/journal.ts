/**
 * Where the work of a rollout tells what it does: events for the timeline (and the log), details
 * for the log only, and warnings (the log and the summary). The rollout's recorder is one; the
 * rooms below the rollout (releasing a version, restoring an alias) write through this alone.
 */
export interface Journal {
  /** A timeline event; `weightPercent` is the new version's share of traffic after it, when it changed. */
  event(message: string, weightPercent?: number): void;
  /** A line for the log only. */
  detail(message: string): void;
  warning(message: string): void;
}

import type { Clock } from '../core/clock.js';
import { singleLine } from '../core/text.js';
import type { Observation } from '../checks/checks.js';
import type { Journal } from '../core/journal.js';
import type { Phase } from './phases.js';
import type { HookOutcome } from '../hooks/traffic-hook.js';

/** Where progress lines go: `@actions/core` in the action, a silent or capturing log in tests. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

/** Warnings kept for the summary; a long outage's retries would otherwise fill it. */
const MAX_KEPT_WARNINGS = 30;
/** One line of the timeline table. */
export interface TimelineEvent {
  readonly atMs: number;
  readonly phase: Phase;
  readonly message: string;
  /** Share of traffic on the new version after this event. */
  readonly weightPercent: number;
}

/**
 * Keeps what the job summary shows (timeline, latest observations, hook outcomes) and writes the
 * live log, one group per phase.
 */
export class Recorder implements Journal {
  readonly timeline: TimelineEvent[] = [];
  readonly hookOutcomes: HookOutcome[] = [];
  /** Warnings for the summary, the first {@link MAX_KEPT_WARNINGS} of them (the log has all). */
  readonly warnings: string[] = [];
  private readonly latest = new Map<string, Observation>();
  private phase: Phase = 'preflight';
  private groupOpen = false;
  private weightPercent = 0;

  constructor(
    private readonly log: Log,
    private readonly clock: Clock
  ) {}

  /** Starts a phase: a new log group titled `title`, and a state transition others may listen to. */
  enterPhase(phase: Phase, title: string): void {
    this.closeGroup();
    this.phase = phase;
    this.log.startGroup(title);
    this.groupOpen = true;
  }

  /** Records a timeline event; `weightPercent` is the new version's share after it, when it changed. */
  event(message: string, weightPercent?: number): void {
    if (weightPercent !== undefined) this.weightPercent = weightPercent;
    this.timeline.push({ atMs: this.clock.now(), phase: this.phase, message, weightPercent: this.weightPercent });
    this.log.info(singleLine(message));
  }

  /** A progress line for the log only (polls would flood the summary's timeline). */
  detail(message: string): void {
    this.log.info(singleLine(message));
  }

  warning(message: string): void {
    if (this.warnings.length < MAX_KEPT_WARNINGS) this.warnings.push(message);
    this.log.warning(singleLine(message));
  }

  observe(observations: readonly Observation[]): void {
    for (const observation of observations) this.latest.set(`${observation.check}\u0000${observation.subject}`, observation);
  }

  recordHook(outcome: HookOutcome): void {
    this.hookOutcomes.push(outcome);
  }

  /** The last state seen of everything the checks watched. */
  get observations(): Observation[] {
    return [...this.latest.values()];
  }

  closeGroup(): void {
    if (this.groupOpen) this.log.endGroup();
    this.groupOpen = false;
  }
}

import type { Clock } from '../core/clock.js';
import { singleLine } from '../core/text.js';
import type { Observation, VersionComparison } from '../checks/checks.js';
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
/** Analysis points kept; past it only each step's last one is (a point per new minute of data fits 48 hours). */
const MAX_KEPT_ANALYSIS_POINTS = 5000;

/** One per-version analysis as it was made, for the summary's per-step table and chart. */
export interface AnalysisPoint extends VersionComparison {
  readonly atMs: number;
}

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
  /** Every per-version analysis whose numbers or outcome differed from the one before, oldest first. */
  readonly analysis: AnalysisPoint[] = [];
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
    for (const observation of observations) {
      this.latest.set(`${observation.check}\u0000${observation.subject}`, observation);
      if (observation.metrics) this.keepAnalysis({ ...observation.metrics, atMs: this.clock.now() });
    }
  }

  /** Keeps a point when something changed since the last one of its alias; past the cap, each step's last only. */
  private keepAnalysis(point: AnalysisPoint): void {
    const last = this.analysis.findLast((p) => p.functionName === point.functionName && p.alias === point.alias);
    if (last && sameNumbers(last, point)) return;
    if (last && this.analysis.length >= MAX_KEPT_ANALYSIS_POINTS && last.stepStartedAt === point.stepStartedAt) {
      this.analysis[this.analysis.lastIndexOf(last)] = point;
      return;
    }
    this.analysis.push(point);
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

/** Two analyses that saw the same numbers and said the same thing (their times aside). */
function sameNumbers(a: AnalysisPoint, b: AnalysisPoint): boolean {
  const { atMs: _a, ...left } = a;
  const { atMs: _b, ...right } = b;
  return JSON.stringify(left) === JSON.stringify(right);
}

import type { BakeObservation, BakeProgress } from './bake.js';
import type { Observation } from '../checks/checks.js';
import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { Recorder } from './recorder.js';

/** A progress line at least this often while anything bakes or waits (a minute against AWS). */
export const POLL_HEARTBEAT_MS = 60_000;

/** What is baking, as the progress lines name it. */
export interface BakeView {
  /** `Step 1/3`, `Final bake`, `Judging the hold`. */
  readonly label: string;
  readonly weightPercent: number;
  /** When the bake ends, and how long it may be held past its end for data. */
  readonly deadline: number;
  readonly maxExtensionMs: number;
}

/**
 * Turns each poll of the checks into the log and the summary's "last state seen", and keeps a
 * long bake from looking like a hung job: a progress line (the step, the weight, the time left,
 * each check's state with the per-version calls and errors the analysis has seen) whenever a
 * check's state changes, and at least every `everyMs` while the bake goes on, between polls too.
 */
export class PollLog implements BakeProgress {
  private view?: BakeView;
  private states: readonly Observation[] = [];
  private word = 'not read yet';
  private last = { text: '', atMs: 0 };

  constructor(
    private readonly recorder: Recorder,
    private readonly clock: Clock,
    readonly everyMs = POLL_HEARTBEAT_MS
  ) {}

  /** A new bake begins: its lines name it, and the first is due a period from now. */
  begin(view: BakeView): void {
    this.view = view;
    this.last = { text: '', atMs: this.clock.now() };
  }

  dueAt(): number {
    return this.last.atMs + this.everyMs;
  }

  beat(now: number, holding: boolean): void {
    this.print(now, holding);
  }

  /** A poll's answer: printed when a check's state changed, or a line is due. `holding`: the bake is held past its end for data. */
  record(observation: BakeObservation, holding = false): void {
    if (observation.kind === 'check-error') {
      this.recorder.warning(`Could not read the health checks: ${observation.error}`);
      return;
    }
    const { verdict } = observation;
    this.recorder.observe(verdict.observations);
    this.states = verdict.observations;
    this.word = verdict.kind === 'healthy' ? 'healthy' : verdict.kind === 'unhealthy' ? 'UNHEALTHY' : 'not enough data yet';
    const now = this.clock.now();
    const text = this.checksText();
    // A change at once; an unchanged read only when a line is due.
    if (text === this.last.text && now < this.dueAt()) return;
    this.print(now, holding);
  }

  private print(now: number, holding: boolean): void {
    const checks = this.checksText();
    this.last = { text: checks, atMs: now };
    const where = this.view ? `${this.view.label} at ${this.view.weightPercent}%: ${this.timeLeft(now, holding)}; ` : '';
    this.recorder.detail(`${where}${checks}`);
  }

  /** `2m 10s left`, or how long the step has been held past its end and may still be. */
  private timeLeft(now: number, holding: boolean): string {
    const view = this.view!;
    const seconds = (ms: number): string => formatDuration(Math.max(0, Math.round(ms / 1000)) * 1000);
    if (now < view.deadline) return `${seconds(view.deadline - now)} left`;
    if (!holding) return 'its end reached, judging it';
    const limit = view.deadline + view.maxExtensionMs;
    return `held ${seconds(now - view.deadline)} past its end for data (up to ${seconds(limit - now)} more)`;
  }

  /** `healthy: alarms orders-errors=OK; analysis orders:live=pass (new 2: 0/12 calls failed …)`. */
  private checksText(): string {
    if (this.states.length === 0) return this.word;
    const byCheck = new Map<string, string[]>();
    for (const o of this.states) byCheck.set(o.check, [...(byCheck.get(o.check) ?? []), `${o.subject}=${o.state}`]);
    return `${this.word}: ${[...byCheck].map(([check, states]) => `${check} ${states.join(', ')}`).join('; ')}`;
  }
}

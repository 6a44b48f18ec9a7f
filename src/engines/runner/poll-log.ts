import type { BakeObservation } from './bake.js';
import type { Clock } from '../../core/clock.js';
import type { Recorder } from '../../rollout/recorder.js';

/** Unchanged poll results are logged at most this often, so a long bake stays readable. */
export const POLL_HEARTBEAT_MS = 60_000;

/**
 * Turns each poll of the checks into the log and the summary's "last state seen": every change at
 * once, an unchanged result only as a heartbeat.
 */
export class PollLog {
  private last = { text: '', atMs: 0 };

  constructor(
    private readonly recorder: Recorder,
    private readonly clock: Clock
  ) {}

  record(observation: BakeObservation): void {
    if (observation.kind === 'check-error') {
      this.recorder.warning(`Could not read the health checks: ${observation.error}`);
      return;
    }
    this.recorder.observe(observation.verdict.observations);
    const states = observation.verdict.observations.map((o) => `${o.subject}=${o.state}`).join(', ');
    const { verdict } = observation;
    const word = verdict.kind === 'healthy' ? 'healthy' : verdict.kind === 'unhealthy' ? 'UNHEALTHY' : 'not enough data yet';
    const text = `${word}${states ? `: ${states}` : ''}`;
    const now = this.clock.now();
    if (text === this.last.text && now - this.last.atMs < POLL_HEARTBEAT_MS) return;
    this.last = { text, atMs: now };
    this.recorder.detail(text);
  }
}

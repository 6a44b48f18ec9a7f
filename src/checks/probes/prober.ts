import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import type { Clock } from '../../core/clock.js';
import { DeadlineExceeded, withDeadline } from '../../core/deadline.js';
import { formatDuration } from '../../core/duration.js';
import { describeError } from '../../core/errors.js';
import { QUOTED_RESPONSE_MAX_CHARS } from '../../core/limits.js';
import { judgeProbeAnswer, type ProbeSettings } from '../../core/probes.js';
import { capText } from '../../core/text.js';

/** One probe through an alias, once it answered or gave up. */
export interface ProbeOutcome {
  readonly sentAt: number;
  readonly answeredAt: number;
  /** The version that ran it (`x-amz-executed-version`); undefined when no answer came (a time-out, a throttle, an AWS error). */
  readonly version?: string;
  readonly passed: boolean;
  /** What a failed answer failed on: the answer itself (an error, probe-expect) or only its duration. */
  readonly failedOn?: 'answer' | 'duration';
  /** Which event of `probe-payload` it sent. */
  readonly eventIndex: number;
  /** Why it failed (untrusted text inside: escaped and redacted where it is shown). */
  readonly why?: string;
  /** What it answered, capped (untrusted). */
  readonly answer?: string;
}

/** An alias to probe. */
export interface ProbeTarget {
  /** `function:alias`, the key its outcomes are taken by. */
  readonly key: string;
  /** What Invoke is given: the alias-qualified function (its ARN or `name:alias`). */
  readonly ref: string;
  /** How long one call may take: the function's time limit and a margin. */
  readonly timeoutMs: number;
}

/** Calls in flight per alias beyond which a tick is skipped rather than piling up on a slow function. */
export const MAX_PROBES_IN_FLIGHT = 20;

/**
 * The background prober: `probe-rate` calls a second through each alias, the events in turn, each
 * with a time limit, from `start` until `stop` (or the parent signal) ends it. It judges nothing: the
 * outcomes wait for the probe check to take them at its next poll. The ticks are fixed on the clock
 * from the start; a tick missed (a slow event loop) or one with too many calls in flight is skipped,
 * never sent late in a burst.
 */
export class Prober {
  private controller?: AbortController;
  private readonly outcomes = new Map<string, ProbeOutcome[]>();
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  /** Ticks skipped (too many calls in flight, or missed). */
  skipped = 0;
  /** Calls sent, per alias. */
  readonly sent = new Map<string, number>();

  constructor(
    private readonly lambda: Pick<LambdaGateway, 'invoke'>,
    private readonly settings: ProbeSettings & { readonly ratePerSecond: number },
    /** The probes' clock (the probe check waits on it for a burst). */
    readonly clock: Clock
  ) {}

  get started(): boolean {
    return this.controller !== undefined;
  }

  /** Starts probing the aliases (once; later calls do nothing). `parent`: cancellation of the whole run. */
  start(targets: readonly ProbeTarget[], parent?: AbortSignal): void {
    if (this.controller) return;
    const controller = (this.controller = new AbortController());
    // Each call in flight listens to it (its time limit follows the run's cancellation).
    setMaxListeners(MAX_PROBES_IN_FLIGHT * targets.length + 10, controller.signal);
    if (parent?.aborted) controller.abort(parent.reason);
    parent?.addEventListener('abort', () => controller.abort(parent.reason), { once: true });
    for (const target of targets) this.track(this.loop(target, controller.signal));
  }

  /** The outcomes of `key` since the last take, oldest answer first. */
  take(key: string): ProbeOutcome[] {
    const taken = this.outcomes.get(key) ?? [];
    this.outcomes.set(key, []);
    return taken.sort((a, b) => a.answeredAt - b.answeredAt);
  }

  /** Stops sending, cancels the calls in flight and waits for them to settle. */
  async stop(): Promise<void> {
    this.controller ??= new AbortController();
    this.controller.abort(new Error('probes stopped'));
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async loop(target: ProbeTarget, signal: AbortSignal): Promise<void> {
    const interval = 1000 / this.settings.ratePerSecond;
    const startedAt = this.clock.now();
    const { events } = this.settings;
    for (let tick = 0; !signal.aborted; tick++) {
      try {
        await this.clock.sleepUntil(startedAt + tick * interval, signal);
      } catch {
        return;
      }
      const due = Math.floor((this.clock.now() - startedAt) / interval);
      if (due > tick + 1) {
        this.skipped += due - tick;
        tick = due;
      }
      if ((this.inFlight.get(target.key) ?? 0) >= MAX_PROBES_IN_FLIGHT) {
        this.skipped += 1;
        continue;
      }
      this.track(this.send(target, tick % events.length, signal));
    }
  }

  /**
   * A confirmation burst: event `eventIndex` sent `perVersion` times to each of two versions at the
   * same moment, in an order drawn at random (so that which call went to which version is chance
   * alone), each call with the target's time limit. Resolves with every call's outcome once all
   * have answered or given up; judges nothing.
   */
  async confirm(
    target: Pick<ProbeTarget, 'timeoutMs'>,
    refs: { readonly newVersion: string; readonly previous: string },
    eventIndex: number,
    perVersion: number,
    signal?: AbortSignal
  ): Promise<{ readonly newVersion: ProbeOutcome[]; readonly previous: ProbeOutcome[] }> {
    const order = shuffled([
      ...Array.from({ length: perVersion }, () => 'newVersion' as const),
      ...Array.from({ length: perVersion }, () => 'previous' as const)
    ]);
    const stop = this.controller?.signal;
    const bounded = signal && stop ? AbortSignal.any([signal, stop]) : (signal ?? stop);
    if (bounded) setMaxListeners(2 * perVersion + 10, bounded);
    const outcomes = await Promise.all(
      order.map(async (which) => ({ which, outcome: await this.call(refs[which], target.timeoutMs, eventIndex, bounded) }))
    );
    return {
      newVersion: outcomes.filter((each) => each.which === 'newVersion').map((each) => each.outcome),
      previous: outcomes.filter((each) => each.which === 'previous').map((each) => each.outcome)
    };
  }

  private async send(target: ProbeTarget, eventIndex: number, signal: AbortSignal): Promise<void> {
    this.sent.set(target.key, (this.sent.get(target.key) ?? 0) + 1);
    this.inFlight.set(target.key, (this.inFlight.get(target.key) ?? 0) + 1);
    try {
      const outcome = await this.call(target.ref, target.timeoutMs, eventIndex, signal);
      if (signal.aborted) return;
      const list = this.outcomes.get(target.key) ?? [];
      list.push(outcome);
      this.outcomes.set(target.key, list);
    } finally {
      this.inFlight.set(target.key, (this.inFlight.get(target.key) ?? 1) - 1);
    }
  }

  /** One probe call, with its time limit, judged against the assertions; never throws. */
  private async call(ref: string, timeoutMs: number, eventIndex: number, signal?: AbortSignal): Promise<ProbeOutcome> {
    const sentAt = this.clock.now();
    const outcome = (rest: Omit<ProbeOutcome, 'sentAt' | 'answeredAt' | 'eventIndex'>): ProbeOutcome => ({
      sentAt,
      answeredAt: this.clock.now(),
      eventIndex,
      ...rest
    });
    try {
      const answer = await withDeadline(this.clock, timeoutMs, 'probe', signal, (bounded) => {
        // The SDK listens to it once more at each retry of a throttled call.
        setMaxListeners(50, bounded);
        return this.lambda.invoke(ref, this.settings.events[eventIndex]!, { signal: bounded, timeoutMs });
      });
      const judged = judgeProbeAnswer({ ...answer, durationMs: this.clock.now() - sentAt }, this.settings);
      return outcome({
        ...(answer.executedVersion ? { version: answer.executedVersion } : {}),
        passed: judged.passed,
        ...(judged.passed
          ? {}
          : { failedOn: judged.failedOn, why: judged.why, answer: capText(answer.payload, QUOTED_RESPONSE_MAX_CHARS) })
      });
    } catch (error: unknown) {
      const why =
        error instanceof DeadlineExceeded
          ? `no answer within ${formatDuration(timeoutMs)}`
          : `the invocation failed: ${describeError(error)}`;
      return outcome({ passed: false, why });
    }
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }
}

/** A copy of `items` in an order drawn at random (Fisher–Yates). */
function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** The probers of one run, so that the action's entry point stops them when the rollout ends, however it ends. */
export class ProbeRuns {
  private readonly probers: Prober[] = [];

  add(prober: Prober): Prober {
    this.probers.push(prober);
    return prober;
  }

  /** Stops every prober and waits for their calls in flight to settle. */
  async stop(): Promise<void> {
    await Promise.all(this.probers.map((prober) => prober.stop()));
  }
}

import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import { DeadlineExceeded, withDeadline } from '../core/deadline.js';
import { formatDuration } from '../core/duration.js';
import { describeError } from '../core/errors.js';
import type { PreflightFindings } from '../core/findings.js';
import { HOOK_RESPONSE_MAX_CHARS, QUOTED_RESPONSE_MAX_CHARS } from '../core/limits.js';
import { judgeProbeAnswer, type ProbeSettings } from '../core/probes.js';
import { capText } from '../core/text.js';
import { HOOK_TIMEOUT_MARGIN_MS } from './lambda-hook.js';
import type { HookOutcome, HookPayload, TrafficHook } from './traffic-hook.js';

/** Lambda's longest time limit: a function whose own limit cannot be read gets this. */
const LAMBDA_MAX_TIMEOUT_MS = 15 * 60_000;

/**
 * The probes before traffic, as a pre-traffic hook of one function: each event of `probe-payload`
 * sent synchronously to the new version itself (qualified by its number, never the alias), in turn,
 * each answer held to the assertions. The first failure fails the hook, quoting what came back
 * (capped; the report escapes and redacts it), so the rollout stops before any traffic moves.
 */
export class ProbeTrafficHook implements TrafficHook {
  readonly label: string;
  private limitMs = LAMBDA_MAX_TIMEOUT_MS + HOOK_TIMEOUT_MARGIN_MS;

  constructor(
    private readonly lambda: LambdaGateway,
    /** The function (unqualified), whose time limit bounds each call. */
    private readonly functionRef: string,
    private readonly settings: ProbeSettings,
    private readonly clock: Clock,
    /** The Timeout the new version will have, when the inputs change it. */
    private readonly newTimeoutSeconds?: number
  ) {
    const count = settings.events.length;
    this.label = `probe (${count} event${count === 1 ? '' : 's'} to the new version)`;
  }

  /** Each call may take the function's time limit (the longer of today's and the new one) and a margin. */
  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    try {
      const seconds = Math.max(await this.lambda.getTimeoutSeconds(this.functionRef, signal), this.newTimeoutSeconds ?? 0);
      this.limitMs = seconds * 1000 + HOOK_TIMEOUT_MARGIN_MS;
    } catch {
      // The function may not exist yet (created by this run) or not be readable: Lambda's longest limit stands.
    }
    return { problems: [], warnings: [] };
  }

  async run(payload: HookPayload, signal?: AbortSignal): Promise<HookOutcome> {
    const started = this.clock.now();
    const answers: string[] = [];
    const outcome = (passed: boolean, reason?: string): HookOutcome => ({
      hook: this.label,
      event: payload.lifecycleEvent,
      passed,
      ...(reason !== undefined ? { reason } : {}),
      response: capText(answers.join('\n'), HOOK_RESPONSE_MAX_CHARS),
      durationMs: this.clock.now() - started
    });
    const { events } = this.settings;
    for (const [index, event] of events.entries()) {
      const which = events.length > 1 ? `event ${index + 1} of ${events.length}` : 'the probe';
      const sent = this.clock.now();
      try {
        const answer = await withDeadline(
          this.clock,
          this.limitMs,
          `no answer within ${formatDuration(this.limitMs)}`,
          signal,
          (bounded) => this.lambda.invoke(payload.targetVersionArn, event, { signal: bounded, timeoutMs: this.limitMs })
        );
        answers.push(answer.payload);
        const judged = judgeProbeAnswer({ ...answer, durationMs: this.clock.now() - sent }, this.settings);
        if (!judged.passed) {
          return outcome(
            false,
            `${which} to version ${payload.targetVersion} failed: ${judged.why}; it answered ${capText(answer.payload, QUOTED_RESPONSE_MAX_CHARS)}`
          );
        }
      } catch (error: unknown) {
        signal?.throwIfAborted();
        const why =
          error instanceof DeadlineExceeded
            ? `no answer within ${formatDuration(this.limitMs)} (the function's time limit and a margin)`
            : `the invocation failed: ${describeError(error)}`;
        return outcome(false, `${which} to version ${payload.targetVersion} failed: ${why}`);
      }
    }
    return outcome(true);
  }
}

import type { LambdaGateway } from '../aws/lambda-gateway.js';
import { describeError } from '../aws/errors.js';
import type { Clock } from '../rollout/clock.js';
import { capText } from '../report/text.js';
import type { HookOutcome, HookPayload, TrafficHook } from './traffic-hook.js';

/** A hook's response is kept for the summary up to this size. */
export const MAX_HOOK_RESPONSE_CHARS = 2000;

/**
 * A Lambda function invoked synchronously as a hook. It fails when the invocation fails, when the
 * function throws (FunctionError), or when it returns `{"status": "Failed", "reason": "..."}`.
 */
export class LambdaTrafficHook implements TrafficHook {
  readonly label: string;

  constructor(
    private readonly lambda: LambdaGateway,
    private readonly functionRef: string,
    private readonly clock: Clock
  ) {
    this.label = `lambda:${functionRef}`;
  }

  async run(payload: HookPayload, signal?: AbortSignal): Promise<HookOutcome> {
    const started = this.clock.now();
    const outcome = (verdict: HookVerdict, response: string): HookOutcome => ({
      hook: this.label,
      event: payload.lifecycleEvent,
      ...verdict,
      response: capText(response, MAX_HOOK_RESPONSE_CHARS),
      durationMs: this.clock.now() - started
    });
    try {
      const answer = await this.lambda.invoke(this.functionRef, JSON.stringify(payload), signal);
      return outcome(interpretHookResponse(answer.functionError, answer.payload), answer.payload);
    } catch (error: unknown) {
      signal?.throwIfAborted();
      return outcome({ passed: false, reason: `the invocation failed: ${describeError(error)}` }, '');
    }
  }
}

export type HookVerdict = { passed: true } | { passed: false; reason: string };

/** Reads a hook's answer: the pure half of the contract. */
export function interpretHookResponse(functionError: string | undefined, payload: string): HookVerdict {
  const body = parseJson(payload);
  if (functionError) {
    const message = stringField(body, 'errorMessage') ?? payload;
    return { passed: false, reason: `the function raised an error (${functionError}): ${message}` };
  }
  const status = stringField(body, 'status');
  if (status !== undefined && status.toLowerCase() === 'failed') {
    const reason = stringField(body, 'reason');
    return { passed: false, reason: reason ? `it returned status Failed: ${reason}` : 'it returned status Failed' };
  }
  return { passed: true };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function stringField(body: unknown, field: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

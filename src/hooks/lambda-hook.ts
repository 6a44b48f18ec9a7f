import { AccessDenied, ResourceNotFound } from '../aws/failures.js';
import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import { DeadlineExceeded, withDeadline } from '../core/deadline.js';
import { formatDuration } from '../core/duration.js';
import { describeError } from '../core/errors.js';
import type { PreflightFindings } from '../core/findings.js';
import { HOOK_RESPONSE_MAX_CHARS, QUOTED_RESPONSE_MAX_CHARS } from '../core/limits.js';
import { capText } from '../core/text.js';
import type { HookOutcome, HookPayload, TrafficHook } from './traffic-hook.js';

/** A hook's response is kept for the summary up to this size. */
export const MAX_HOOK_RESPONSE_CHARS = HOOK_RESPONSE_MAX_CHARS;
/** Lambda's longest time limit: a hook whose own limit cannot be read gets this. */
const LAMBDA_MAX_TIMEOUT_MS = 15 * 60_000;
/** Beyond the hook's own time limit: a cold start and the network. */
export const HOOK_TIMEOUT_MARGIN_MS = 30_000;

/**
 * A Lambda function invoked synchronously as a hook. The contract fails closed: see
 * {@link interpretHookResponse}. The invocation may take the function's own time limit plus a
 * margin; past that the hook fails.
 */
export class LambdaTrafficHook implements TrafficHook {
  readonly label: string;
  private limitMs = LAMBDA_MAX_TIMEOUT_MS + HOOK_TIMEOUT_MARGIN_MS;

  constructor(
    private readonly lambda: LambdaGateway,
    private readonly functionRef: string,
    private readonly clock: Clock
  ) {
    this.label = `lambda:${functionRef}`;
  }

  /**
   * Reads the hook's time limit. Credentials that may only invoke it (a hook in another account whose
   * resource policy allows lambda:InvokeFunction alone) are enough: a dry-run invocation proves it.
   */
  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    const ref = this.functionRef;
    try {
      const seconds = await this.lambda.getTimeoutSeconds(ref, signal);
      this.limitMs = seconds * 1000 + HOOK_TIMEOUT_MARGIN_MS;
      return { problems: [], warnings: [] };
    } catch (error: unknown) {
      if (error instanceof ResourceNotFound) {
        return { problems: [`hook function ${ref} does not exist (${error.message})`], warnings: [] };
      }
      if (!(error instanceof AccessDenied)) {
        return { problems: [`hook function ${ref} could not be read: ${describeError(error)}`], warnings: [] };
      }
      try {
        await this.lambda.checkInvokable(ref, signal);
      } catch (invokeError: unknown) {
        const problem = invokeError instanceof ResourceNotFound ? 'does not exist' : 'cannot be invoked with these credentials';
        return { problems: [`hook function ${ref} ${problem}: ${describeError(invokeError)}`], warnings: [] };
      }
      return {
        problems: [],
        warnings: [
          `hook function ${ref} may be invoked but its configuration not read (${error.action} is not allowed, as with a ` +
            `hook in another account): its time limit is taken to be Lambda's longest, ${formatDuration(LAMBDA_MAX_TIMEOUT_MS)}`
        ]
      };
    }
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
      const answer = await withDeadline(
        this.clock,
        this.limitMs,
        `no answer within ${formatDuration(this.limitMs)}`,
        signal,
        (bounded) => this.lambda.invoke(this.functionRef, JSON.stringify(payload), { signal: bounded, timeoutMs: this.limitMs })
      );
      return outcome(interpretHookResponse(answer.functionError, answer.payload), answer.payload);
    } catch (error: unknown) {
      signal?.throwIfAborted();
      const reason =
        error instanceof DeadlineExceeded
          ? `the invocation did not answer within ${formatDuration(this.limitMs)} (the function's time limit and a margin)`
          : `the invocation failed: ${describeError(error)}`;
      return outcome({ passed: false, reason }, '');
    }
  }
}

export type HookVerdict = { passed: true } | { passed: false; reason: string };

const PASSING_FORMS = 'an empty or null answer, {"status": "Succeeded"} or a 2xx statusCode';

/**
 * Reads a hook's answer: the pure half of the contract, which fails closed. A hook passes only on
 * an empty or `null` answer, `{"status": "Succeeded"}` (key and value in any case) or a 2xx
 * `statusCode`, and fails on anything else, quoting what it answered. A verdict that is not clear
 * is not a pass: a safety gate must not let a version through on `"Failed"` or `{"Status":"Failure"}`.
 */
export function interpretHookResponse(functionError: string | undefined, payload: string): HookVerdict {
  const text = payload.trim();
  const body = parseJson(text);
  if (functionError) {
    const message = stringField(body, 'errorMessage') ?? text;
    return fail(`the function raised an error (${functionError}): ${quote(message)}`);
  }
  if (text === '' || text === 'null') return { passed: true };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail(`it answered ${quote(text)}, which is not a verdict (a hook passes with ${PASSING_FORMS})`);
  }
  const status = fieldIgnoringCase(body as Record<string, unknown>, 'status');
  const statusCode = fieldIgnoringCase(body as Record<string, unknown>, 'statusCode');
  if (status.kind === 'ambiguous' || statusCode.kind === 'ambiguous') {
    return fail(`it answered ${quote(text)}, whose status is given twice with different values`);
  }
  if (status.kind === 'absent' && statusCode.kind === 'absent') {
    return fail(`it answered ${quote(text)}, which has no status (a hook passes with ${PASSING_FORMS})`);
  }
  if (status.kind === 'present' && !(typeof status.value === 'string' && status.value.toLowerCase() === 'succeeded')) {
    const reason = stringField(body, 'reason');
    return fail(`it returned status ${quote(String(JSON.stringify(status.value)))}${reason ? `: ${quote(reason)}` : ''}`);
  }
  if (statusCode.kind === 'present' && !isSuccessCode(statusCode.value)) {
    return fail(`it returned statusCode ${quote(String(JSON.stringify(statusCode.value)))}: ${quote(text)}`);
  }
  return { passed: true };
}

function fail(reason: string): HookVerdict {
  return { passed: false, reason };
}

function isSuccessCode(value: unknown): boolean {
  const code = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof code === 'number' && Number.isInteger(code) && code >= 200 && code <= 299;
}

type Field = { kind: 'absent' } | { kind: 'present'; value: unknown } | { kind: 'ambiguous' };

/** A field whose key matches `name` in any case; two such keys with different values are ambiguous. */
function fieldIgnoringCase(body: Record<string, unknown>, name: string): Field {
  const values = Object.entries(body)
    .filter(([key]) => key.toLowerCase() === name.toLowerCase())
    .map(([, value]) => value);
  if (values.length === 0) return { kind: 'absent' };
  const distinct = new Set(values.map((value) => JSON.stringify(value)));
  return distinct.size > 1 ? { kind: 'ambiguous' } : { kind: 'present', value: values[0] };
}

function quote(text: string): string {
  return capText(text, QUOTED_RESPONSE_MAX_CHARS);
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

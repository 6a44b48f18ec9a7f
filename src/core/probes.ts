/**
 * Probes: the action's own synchronous invocations of the function, with a payload the user gives,
 * before any traffic moves (the new version itself) and during the rollout (through the alias).
 * Pure data and the pure reading of one answer; parsed in config/, used by hooks/ (before traffic)
 * and checks/probes/ (during the rollout).
 */

/** What `probe-payload` and its assertions ask for. */
export interface ProbeSettings {
  /** The events to send, each a JSON text; sent in turn. At least one. */
  readonly events: readonly string[];
  /** `probe-expect`: a JSON value the answer must contain (objects by subset, arrays and scalars equal). */
  readonly expect?: unknown;
  /** `probe-max-duration`: an answer slower than this fails, in milliseconds. */
  readonly maxDurationMs?: number;
  /** `probe-rate`: calls per second through the alias during the rollout; undefined: no probes there. */
  readonly ratePerSecond?: number;
}

/** The highest `probe-rate`: probes are real invocations, and a few a second give evidence in seconds. */
export const MAX_PROBE_RATE = 10;

/** One answer of a probe, as the Lambda gateway returned it. */
export interface ProbeAnswer {
  readonly functionError?: string;
  readonly payload: string;
  readonly durationMs: number;
}

/**
 * How an answer fares against the assertions: passed, or failed with why (untrusted text inside:
 * escape it) and on what: its `answer` (a FunctionError, probe-expect) or only its `duration`.
 */
export type ProbeJudgement =
  { readonly passed: true } | { readonly passed: false; readonly why: string; readonly failedOn: 'answer' | 'duration' };

/**
 * Whether an answer passes: no FunctionError, the expected subset present, in time. Fails closed:
 * an answer that is not JSON cannot contain the expected value.
 */
export function judgeProbeAnswer(answer: ProbeAnswer, settings: Pick<ProbeSettings, 'expect' | 'maxDurationMs'>): ProbeJudgement {
  const onAnswer = (why: string): ProbeJudgement => ({ passed: false, why, failedOn: 'answer' });
  if (answer.functionError) return onAnswer(`the function raised an error (${answer.functionError})`);
  if (settings.expect !== undefined) {
    const body = parseJson(answer.payload);
    if (!body.ok) return onAnswer('the answer is not JSON, so it cannot contain probe-expect');
    if (!contains(body.value, settings.expect)) return onAnswer('the answer does not contain probe-expect');
  }
  if (settings.maxDurationMs !== undefined && answer.durationMs > settings.maxDurationMs) {
    return {
      passed: false,
      why: `it took ${answer.durationMs} ms, over probe-max-duration (${settings.maxDurationMs} ms)`,
      failedOn: 'duration'
    };
  }
  return { passed: true };
}

/** Whether `actual` contains `expected`: every key of an expected object, recursively; anything else equal. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (typeof expected !== 'object' || expected === null) return Object.is(actual, expected) || actual === expected;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => contains(actual[index], item))
    );
  }
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  return Object.entries(expected).every(
    ([key, value]) =>
      Object.prototype.hasOwnProperty.call(actual, key) && contains((actual as Record<string, unknown>)[key], value)
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * A user input that cannot be used. The message always names the input, the value given and the
 * form that is expected, so the user can fix the workflow without reading our source.
 */
export class InputError extends Error {
  override readonly name = 'InputError';

  constructor(
    /** The action input's name as written in the workflow, e.g. `strategy`. */
    readonly input: string,
    /** The offending value, exactly as received (shown quoted and capped in the message). */
    readonly value: string,
    /** What is wrong with it, as a short clause: "the percentage must be between 1 and 99". */
    readonly problem: string,
    /** The accepted forms, e.g. "a duration such as 30s, 5m or 1h". */
    readonly expected: string
  ) {
    super(`Input '${input}' has an invalid value ${quote(value)}: ${problem}. Expected ${expected}.`);
  }
}

const MAX_SHOWN = 120;

function quote(value: string): string {
  const shown = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
  return JSON.stringify(shown);
}

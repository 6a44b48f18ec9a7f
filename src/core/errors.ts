/**
 * Anything can be thrown in JavaScript (SDK errors, strings, plain objects from a hook library);
 * these read a name and a message from whatever arrived, never assuming `instanceof Error`.
 */
export function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { name, code } = error as { name?: unknown; code?: unknown };
    if (typeof name === 'string' && name !== '') return name;
    if (typeof code === 'string' && code !== '') return code;
  }
  return typeof error;
}

/**
 * The message of whatever was thrown. An object without a message is never serialised: thrown
 * objects can be whole AWS answers (a function's configuration, its environment variables included),
 * and what is printed here reaches logs and summaries.
 */
export function errorMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message } = error as { message?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    return 'no message';
  }
  return String(error);
}

/** "Name: message", the form used in logs and failure reasons. */
export function describeError(error: unknown): string {
  const name = errorName(error);
  const message = errorMessage(error);
  return message.startsWith(name) ? message : `${name}: ${message}`;
}

/** True for an AbortSignal-driven stop (our own cancellation), as the SDK and timers report it. */
export function isAbort(error: unknown): boolean {
  const name = errorName(error);
  return name === 'AbortError' || name === 'CancellationError';
}

import { bodyOf, CONTROL_METHODS, type AsyncEmulatorControl, type ControlMethodName, type EmulatorControl } from './table.js';

/** Error raised when a control call is refused. */
export class EmulatorControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string
  ) {
    super(message);
    this.name = 'EmulatorControlError';
  }
}

/**
 * Typed client for the emulator's HTTP control API, for code in another process (e.g. a test that
 * spawns the bundled action). It has every method of the control table (table.ts), with the in-process
 * signatures, each returning a Promise: `await client.createFunction(spec)`.
 */
export class EmulatorClient {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /** Calls one control method by name: `POST /_emulator/<method>` with the arguments as named JSON members. */
  async call<K extends ControlMethodName>(
    method: K,
    ...args: Parameters<EmulatorControl[K]>
  ): Promise<ReturnType<EmulatorControl[K]>> {
    const res = await fetch(`${this.base}/_emulator/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(bodyOf(method, args))
    });
    const payload = (await res.json()) as { result?: ReturnType<EmulatorControl[K]>; error?: string; code?: string };
    if (!res.ok) throw new EmulatorControlError(res.status, payload.error ?? `control call ${method} failed`, payload.code);
    return payload.result as ReturnType<EmulatorControl[K]>;
  }
}

// The methods themselves come from the table: one generic `call` behind each name.
export interface EmulatorClient extends AsyncEmulatorControl {}
for (const name of CONTROL_METHODS) {
  Object.defineProperty(EmulatorClient.prototype, name, {
    value(this: EmulatorClient, ...args: unknown[]) {
      return (this.call as (method: ControlMethodName, ...rest: unknown[]) => Promise<unknown>)(name, ...args);
    },
    writable: true,
    configurable: true
  });
}

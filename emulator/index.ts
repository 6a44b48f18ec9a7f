/**
 * Local AWS emulator (Lambda + CloudWatch) for tests, demos and benchmarks.
 *
 * Real AWS SDK v3 clients talk to it over HTTP: point them at `url` (client `endpoint`
 * option or the AWS_ENDPOINT_URL environment variable) with any credentials.
 */
import { Emulator } from './core/emulator.js';
import { listen } from './server/listen.js';
import type { EmulatorOptions } from './types.js';

export type * from './types.js';
export { Emulator } from './core/emulator.js';
export { EmulatorClient, EmulatorControlError } from './control/client.js';

/** A running emulator: the control API in-process, plus its address. */
export interface RunningEmulator extends Emulator {
  /** Base URL, e.g. http://127.0.0.1:49152 */
  readonly url: string;
  readonly port: number;
  /** Stops the HTTP server (open connections are closed). */
  close(): Promise<void>;
}

/** Starts an emulator on `host:port` (default 127.0.0.1, random free port). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = new Emulator(options);
  const host = options.host ?? '127.0.0.1';
  const server = await listen(emu, host, options.port ?? 0);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return Object.assign(emu, {
    url: `http://${urlHost}:${server.port}`,
    port: server.port,
    close: server.close,
  });
}

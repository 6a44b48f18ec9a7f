/**
 * Local AWS emulator (Lambda, CloudWatch, CodeDeploy) for tests, demos and benchmarks: the package's public entry.
 *
 * Real AWS SDK v3 clients talk to it over HTTP: point them at `url` (client `endpoint` option or the
 * AWS_ENDPOINT_URL environment variable) with any credentials. Unit tests can skip HTTP: mocked SDK
 * clients forward their commands to `Emulator.handleOperation` (see sdk-mock.ts).
 *
 * Layout: shared/ (clock, errors, ARNs, identities, faults, call log), lambda/, cloudwatch/ and codedeploy/
 * (the AWS models and their operations; codedeploy/ drives the Lambda aliases and reads the alarms, never the reverse), control/ (the control table and its HTTP client), core/ (the Emulator
 * and its call pipeline), server/ (the HTTP front), runner/ (the local GitHub runner and the demo).
 */
import { Emulator, type EmulatorOptions } from './core/emulator.js';
import { listen } from './server/listen.js';

export type * from './types.js';
export { Emulator } from './core/emulator.js';
export { EmulatedServiceException } from './core/in-process.js';
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
    close: server.close
  });
}

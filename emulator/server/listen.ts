import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Emulator } from '../core/emulator.js';
import { handleAwsRequest } from './aws.js';
import { handleControl, isControlRequest } from './control.js';
import { readRequest, writeReply } from './http.js';

/** A listening HTTP front for an Emulator. */
export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server: the control API under /_emulator/, AWS requests everywhere else. SigV4
 * signatures are not checked: any credentials are accepted, but the credential scope's region and
 * access key id decide where the caller's requests go (see sigv4.ts).
 */
export async function listen(emu: Emulator, host: string, port: number): Promise<RunningServer> {
  const server = createServer((req, res) => {
    handle(emu, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`emulator failure: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    host,
    port: address.port,
    // Idempotent; open connections, hung ones included, are destroyed rather than waited for.
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      })
  };
}

async function handle(emu: Emulator, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const req = await readRequest(raw);
  if (isControlRequest(req)) return writeReply(res, handleControl(emu, req));
  const outcome = await handleAwsRequest(emu, req);
  if ('drop' in outcome) {
    raw.socket.destroy();
    return;
  }
  // A hung call: the request was read, the answer never comes. Nothing is scheduled, so nothing keeps
  // the process alive; the socket stays open until the client gives up or close() destroys it.
  if ('hang' in outcome) return;
  if (outcome.reply.delayMs) await emu.clock.sleep(outcome.reply.delayMs);
  writeReply(res, outcome.reply);
}

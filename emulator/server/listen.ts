import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl, isControlRequest } from './control.js';
import type { Emulator } from '../core/emulator.js';
import type { HttpReply, IncomingRequest } from './http.js';

/** A listening HTTP front for an Emulator. */
export interface RunningServer {
  server: Server;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server. SigV4 signatures are not checked: any credentials are accepted, but the
 * credential scope's region and access key id decide where the caller's requests go (see identity.ts).
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
      }),
  };
}

async function handle(emu: Emulator, raw: IncomingMessage, res: ServerResponse): Promise<void> {
  const req = await readRequest(raw);
  if (isControlRequest(req)) return write(res, handleControl(emu, req));
  const outcome = await emu.handleAws(req);
  if ('drop' in outcome) {
    raw.socket.destroy();
    return;
  }
  // A hung call: the request was read, the answer never comes. Nothing is scheduled, so nothing keeps
  // the process alive; the socket stays open until the client gives up or close() destroys it.
  if ('hang' in outcome) return;
  if (outcome.reply.delayMs) await new Promise((r) => setTimeout(r, outcome.reply.delayMs));
  write(res, outcome.reply);
}

async function readRequest(raw: IncomingMessage): Promise<IncomingRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of raw) chunks.push(chunk as Buffer);
  const url = new URL(raw.url ?? '/', 'http://emulator');
  return {
    method: raw.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: raw.headers,
    body: Buffer.concat(chunks),
  };
}

function write(res: ServerResponse, reply: HttpReply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, {
    ...(reply.bare ? {} : { 'x-amzn-requestid': randomUUID() }),
    ...reply.headers,
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

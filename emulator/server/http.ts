import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** A fully read HTTP request. */
export interface IncomingRequest {
  method: string;
  /** Raw (still URL-encoded) path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** What to write back. */
export interface HttpReply {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Real wall-clock delay before the reply is written. */
  delayMs?: number;
  /** Not from AWS (e.g. a proxy's error page): written without the x-amzn-requestid header. */
  bare?: boolean;
}

/** JSON reply helper. */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): HttpReply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** Reads the whole request (the emulator's requests are small). */
export async function readRequest(raw: IncomingMessage): Promise<IncomingRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of raw) chunks.push(chunk as Buffer);
  const url = new URL(raw.url ?? '/', 'http://emulator');
  return {
    method: raw.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    headers: raw.headers,
    body: Buffer.concat(chunks)
  };
}

/** Writes a reply, with a request id as AWS sends one (unless the reply is `bare`). */
export function writeReply(res: ServerResponse, reply: HttpReply): void {
  const body = reply.body ?? '';
  res.writeHead(reply.status, {
    ...(reply.bare ? {} : { 'x-amzn-requestid': randomUUID() }),
    ...reply.headers,
    'content-length': String(Buffer.byteLength(body))
  });
  res.end(body);
}

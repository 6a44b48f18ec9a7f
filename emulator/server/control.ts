import type { Emulator } from '../core/emulator.js';
import { argsOf, callControl, CONTROL, isControlMethod } from '../control/table.js';
import { ApiError } from '../shared/errors.js';
import { jsonReply, type HttpReply, type IncomingRequest } from './http.js';

/** Path prefix of the HTTP control API. */
export const CONTROL_PREFIX = '/_emulator/';

/** True for control API paths. */
export function isControlRequest(req: IncomingRequest): boolean {
  return req.path.startsWith(CONTROL_PREFIX);
}

/**
 * HTTP control API, driven by the control table: `POST /_emulator/<method>` with the arguments as
 * named members of a JSON body (`GET` too for read-only methods such as `state` and `calls`).
 * Replies `{result}`, or `{error}` with 400 (or an AWS error's status and `code`).
 */
export function handleControl(emu: Emulator, req: IncomingRequest): HttpReply {
  const name = req.path.slice(CONTROL_PREFIX.length);
  if (!isControlMethod(name)) return jsonReply(404, { error: `unknown control method: ${name}` });
  if (req.method !== 'POST' && !(req.method === 'GET' && CONTROL[name].readOnly)) {
    return jsonReply(405, { error: `use POST for ${name}` });
  }
  let body: unknown;
  try {
    body = req.body.length > 0 ? JSON.parse(req.body.toString('utf8')) : {};
  } catch {
    return jsonReply(400, { error: 'control body must be JSON' });
  }
  body ??= {};
  if (typeof body !== 'object' || Array.isArray(body)) return jsonReply(400, { error: 'control body must be a JSON object' });
  try {
    return jsonReply(200, { result: callControl(emu.parts, name, argsOf(name, body as Record<string, unknown>)) ?? null });
  } catch (error) {
    if (error instanceof ApiError) return jsonReply(error.status, { error: error.message, code: error.code });
    return jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
  }
}

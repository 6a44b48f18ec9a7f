import type { Emulator } from '../core/emulator.js';
import { ApiError } from '../shared/errors.js';
import { jsonReply, type HttpReply, type IncomingRequest } from './http.js';

/** Path prefix of the HTTP control API. */
export const CONTROL_PREFIX = '/_emulator/';

type Body = Record<string, any>;

/**
 * HTTP control API: `POST /_emulator/<method>` with a JSON body of named arguments,
 * `GET /_emulator/calls` and `GET /_emulator/state`. Replies `{result}` or `{error}`.
 */
const METHODS: Record<string, (emu: Emulator, b: Body) => unknown> = {
  reset: (emu) => emu.reset(),
  createFunction: (emu, b) => emu.createFunction(b as Parameters<Emulator['createFunction']>[0]),
  updateCode: (emu, b) => emu.updateCode(b.name, b.codeSha256 ?? undefined, b.options ?? {}),
  setLastUpdateFailed: (emu, b) => emu.setLastUpdateFailed(b.name, b.reason, b.reasonCode),
  putAlarm: (emu, b) => emu.putAlarm(b as Parameters<Emulator['putAlarm']>[0]),
  setAlarmState: (emu, b) => emu.setAlarmState(b.name, b.state, { reason: b.reason, afterMs: b.afterMs }),
  queueInvokeResults: (emu, b) => emu.queueInvokeResults(b.functionName, b.results ?? []),
  setProvisionedConcurrency: (emu, b) => emu.setProvisionedConcurrency(b.functionName, b.alias, b.n),
  setFaults: (emu, b) => emu.setFaults(b),
  failNext: (emu, b) => emu.failNext(b.operation, b.count, b.errorCode),
  setAccessKeyAccount: (emu, b) => emu.setAccessKeyAccount(b.accessKeyId, b.accountId),
  denyActions: (emu, b) => emu.denyActions(b.actions),
  advanceTime: (emu, b) => emu.advanceTime(b.ms),
  calls: (emu) => emu.calls(),
  state: (emu) => emu.state(),
};

const READ_ONLY = new Set(['calls', 'state']);

/** True for control API paths. */
export function isControlRequest(req: IncomingRequest): boolean {
  return req.path.startsWith(CONTROL_PREFIX);
}

/** Runs one control call. */
export function handleControl(emu: Emulator, req: IncomingRequest): HttpReply {
  const method = req.path.slice(CONTROL_PREFIX.length);
  const impl = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!impl) return jsonReply(404, { error: `unknown control method: ${method}` });
  if (req.method !== 'POST' && !(req.method === 'GET' && READ_ONLY.has(method))) {
    return jsonReply(405, { error: `use POST for ${method}` });
  }
  let body: Body;
  try {
    body = req.body.length > 0 ? (JSON.parse(req.body.toString('utf8')) as Body) : {};
  } catch {
    return jsonReply(400, { error: 'control body must be JSON' });
  }
  try {
    return jsonReply(200, { result: impl(emu, body ?? {}) ?? null });
  } catch (error) {
    if (error instanceof ApiError) return jsonReply(error.status, { error: error.message, code: error.code });
    return jsonReply(400, { error: error instanceof Error ? error.message : String(error) });
  }
}

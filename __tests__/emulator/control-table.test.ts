import { CONTROL_METHODS } from '../../emulator/control/table.js';
import { EmulatorClient, EmulatorControlError, type RunningEmulator } from '../../emulator/index.js';
import { startHarness, type Harness } from './harness.js';

// The control methods are declared once (emulator/control/table.ts): the in-process methods, the
// HTTP dispatch and EmulatorClient all come from that table.
let h: Harness;
let client: EmulatorClient;
beforeEach(async () => {
  h = await startHarness();
  client = new EmulatorClient(h.emu.url);
});
afterEach(async () => {
  await h.close();
});

const post = (method: string, body: unknown) =>
  fetch(`${h.emu.url}/_emulator/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body)
  });

test('the emulator and the client both have every method of the table', () => {
  for (const name of CONTROL_METHODS) {
    expect(typeof h.emu[name]).toBe('function');
    expect(typeof client[name]).toBe('function');
  }
});

test('the HTTP body stays the documented one: specs are the body, options sit beside the named arguments', async () => {
  expect((await post('createFunction', { name: 'orders', versions: 1, alias: { name: 'live', version: '1' } })).status).toBe(200);
  expect((await post('putAlarm', { name: 'errors', state: 'OK', reason: 'fine' })).status).toBe(200);
  expect((await post('updateCode', { name: 'orders' })).status).toBe(200);
  expect((await post('setAlarmState', { name: 'errors', state: 'ALARM', afterMs: 1_500, reason: 'boom' })).status).toBe(200);
  const state = h.emu.state();
  expect(state.functions[0]!.latest.codeSha256).not.toBe(state.functions[0]!.versions[0]!.codeSha256);
  expect(state.alarms[0]!.pending).toEqual([{ atMs: state.nowMs + 1_500, state: 'ALARM', reason: 'boom' }]);
  const viaGet = await fetch(`${h.emu.url}/_emulator/state`);
  expect(((await viaGet.json()) as { result: { functions: unknown[] } }).result.functions).toHaveLength(1);
  expect((await fetch(`${h.emu.url}/_emulator/reset`)).status).toBe(405);
});

test('arguments are checked the same way in-process and over HTTP', async () => {
  const bad = ['x', '1', 'ResourceConflictException'] as unknown as Parameters<RunningEmulator['failNext']>;
  expect(() => h.emu.failNext(...bad)).toThrow('failNext: count must be a number, got "1"');
  const res = await post('failNext', { operation: 'x', count: '1', errorCode: 'ResourceConflictException' });
  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'failNext: count must be a number, got "1"' });
  await expect(client.setAlarmState('errors', 'RED' as 'OK')).rejects.toThrow(
    /setAlarmState: state must be one of OK, ALARM, INSUFFICIENT_DATA/
  );
  await expect(client.queueInvokeResults('fn', {} as [])).rejects.toBeInstanceOf(EmulatorControlError);
  expect((await post('reset', [1])).status).toBe(400);
});

test('a client call is the in-process call: same arguments, same result', async () => {
  const viaClient = await client.createFunction({ name: 'fn', versions: 2 });
  const inProcess = h.emu.updateCode('fn', 'sha-x', { durationMs: 0 });
  expect(inProcess.versions).toEqual(viaClient.versions);
  expect(await client.call('setProvisionedConcurrency', 'fn', 'live', 1).catch((e: Error) => e.message)).toMatch(
    /Alias not found/
  );
});

// Compile-time only: the generated methods keep the in-process signatures.
export function typeChecks(emu: RunningEmulator, c: EmulatorClient): void {
  emu.updateCode('fn');
  emu.setAlarmState('a', 'OK');
  const snapshot: Promise<{ name: string }> = c.createFunction({ name: 'fn' });
  void snapshot;
  // @ts-expect-error count is a number
  emu.failNext('UpdateAlias', '1', 'x');
  // @ts-expect-error not an alarm state
  void c.setAlarmState('a', 'RED');
  // @ts-expect-error the spec needs a name
  emu.createFunction({});
  // @ts-expect-error no such control method
  void c.call('nope');
}

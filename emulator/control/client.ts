import type {
  AlarmSnapshot,
  AlarmSpec,
  AlarmState,
  AsyncEmulatorControl,
  CallLogEntry,
  CreateFunctionSpec,
  EmulatorSnapshot,
  FaultConfig,
  FunctionSnapshot,
  InvokeResultSpec,
  UpdateCodeOptions,
} from '../types.js';

/** Error raised when a control call is refused. */
export class EmulatorControlError extends Error {
  constructor(readonly status: number, message: string, readonly code?: string) {
    super(message);
    this.name = 'EmulatorControlError';
  }
}

/**
 * Typed client for the emulator's HTTP control API, for code in another process
 * (e.g. a test that spawns the bundled action). Same methods as the in-process emulator, async.
 */
export class EmulatorClient implements AsyncEmulatorControl {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.replace(/\/+$/, '');
  }

  reset(): Promise<void> {
    return this.call('reset', {});
  }

  createFunction(spec: CreateFunctionSpec): Promise<FunctionSnapshot> {
    return this.call('createFunction', spec);
  }

  updateCode(name: string, codeSha256?: string, options: UpdateCodeOptions = {}): Promise<FunctionSnapshot> {
    return this.call('updateCode', { name, codeSha256, options });
  }

  setLastUpdateFailed(name: string, reason: string, reasonCode: string): Promise<FunctionSnapshot> {
    return this.call('setLastUpdateFailed', { name, reason, reasonCode });
  }

  putAlarm(spec: AlarmSpec): Promise<AlarmSnapshot> {
    return this.call('putAlarm', spec);
  }

  setAlarmState(name: string, state: AlarmState, opts: { reason?: string; afterMs?: number } = {}): Promise<AlarmSnapshot> {
    return this.call('setAlarmState', { name, state, ...opts });
  }

  queueInvokeResults(functionName: string, results: InvokeResultSpec[]): Promise<void> {
    return this.call('queueInvokeResults', { functionName, results });
  }

  setProvisionedConcurrency(functionName: string, alias: string, n: number): Promise<void> {
    return this.call('setProvisionedConcurrency', { functionName, alias, n });
  }

  setFaults(faults: FaultConfig): Promise<void> {
    return this.call('setFaults', faults);
  }

  failNext(operation: string, count: number, errorCode: string): Promise<void> {
    return this.call('failNext', { operation, count, errorCode });
  }

  setAccessKeyAccount(accessKeyId: string, accountId: string): Promise<void> {
    return this.call('setAccessKeyAccount', { accessKeyId, accountId });
  }

  denyActions(actions: string[]): Promise<void> {
    return this.call('denyActions', { actions });
  }

  advanceTime(ms: number): Promise<void> {
    return this.call('advanceTime', { ms });
  }

  calls(): Promise<CallLogEntry[]> {
    return this.call('calls', {});
  }

  state(): Promise<EmulatorSnapshot> {
    return this.call('state', {});
  }

  private async call<T>(method: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.base}/_emulator/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const payload = (await res.json()) as { result?: T; error?: string; code?: string };
    if (!res.ok) throw new EmulatorControlError(res.status, payload.error ?? `control call ${method} failed`, payload.code);
    return payload.result as T;
  }
}

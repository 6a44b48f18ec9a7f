import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { runAction, type ActionResult } from '../../emulator/action-runner.js';

const BUNDLE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Seconds-long rollouts keep the suite fast while exercising real timers. */
export const FAST = { 'alarm-poll-interval': '200ms', 'max-retries': '8' } as const;

/** A fresh emulator holding `orders` with version 1 live on `live`, and a code change waiting to be published. */
export async function ordersWorld(options: { firstDeployment?: boolean } = {}): Promise<RunningEmulator> {
  if (!existsSync(BUNDLE)) throw new Error('dist/index.js is missing: run `npm run bundle` first');
  const emu = await startEmulator();
  if (options.firstDeployment) {
    emu.createFunction({ name: 'orders' });
  } else {
    emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
    emu.updateCode('orders');
  }
  emu.putAlarm({ name: 'orders-errors', state: 'OK' });
  return emu;
}

/** Runs the bundled action against the emulator with the `orders` function and fast polling. */
export function deploy(emu: RunningEmulator, inputs: Record<string, string>, extra: { signal?: { name: NodeJS.Signals; afterMs: number } } = {}): Promise<ActionResult> {
  return runAction({ endpoint: emu.url, inputs: { 'function-name': 'orders', ...FAST, ...inputs }, ...extra, timeoutMs: 60_000 });
}

/** The alias as the emulator holds it now. */
export function liveAlias(emu: RunningEmulator, name = 'live') {
  return emu.state().functions.find((f) => f.name === 'orders')?.aliases.find((a) => a.name === name);
}

const MUTATING_OR_INVOKE = new Set(['PublishVersion', 'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'UpdateFunctionCode', 'Invoke']);

/** Operations that changed something (or ran a hook), in order, successful ones only. */
export function changes(emu: RunningEmulator): string[] {
  return emu
    .calls()
    .filter((call) => MUTATING_OR_INVOKE.has(call.operation) && call.status >= 200 && call.status < 300)
    .map((call) => call.operation);
}

/** The weights the alias was given, in order: [FunctionVersion, weights] per successful UpdateAlias. */
export function aliasUpdates(emu: RunningEmulator): Array<[string, Record<string, number>]> {
  return emu
    .calls()
    .filter((call) => call.operation === 'UpdateAlias' && call.status === 200)
    .map((call) => {
      const params = call.params as { FunctionVersion: string; RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> } };
      return [params.FunctionVersion, params.RoutingConfig?.AdditionalVersionWeights ?? {}];
    });
}

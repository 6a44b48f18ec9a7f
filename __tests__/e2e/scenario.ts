import { afterEach, expect, test } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';
import { runAction, type ActionResult, type ActionRun } from '../../emulator/runner/action-runner.js';

const BUNDLE = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Seconds-long rollouts keep the suite fast while exercising real timers. */
export const FAST = { 'alarm-poll-interval': '200ms', 'max-retries': '8' } as const;

/** How the `orders` world starts. */
export interface WorldOptions {
  /** No alias yet: the deployment creates it. */
  readonly firstDeployment?: boolean;
  /** The function's environment variables (what must never be printed). */
  readonly environment?: Record<string, string>;
  /** $LATEST holds what version 1 holds: no code change waits to be published (the action brings its own). */
  readonly latestIsLive?: boolean;
  /** The function's Timeout in seconds (default Lambda's 3). */
  readonly timeout?: number;
}

/** A fresh emulator holding `orders` with version 1 live on `live`, and a code change waiting to be published. */
export async function ordersWorld(options: WorldOptions = {}): Promise<RunningEmulator> {
  if (!existsSync(BUNDLE)) throw new Error('dist/index.js is missing: run `npm run bundle` first');
  const emu = await startEmulator();
  const environment = {
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.timeout !== undefined ? { timeout: options.timeout } : {})
  };
  if (options.firstDeployment) {
    emu.createFunction({ name: 'orders', ...environment });
  } else {
    emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' }, ...environment });
    if (!options.latestIsLive) emu.updateCode('orders');
  }
  emu.putAlarm({ name: 'orders-errors', state: 'OK' });
  return emu;
}

/** Runs the bundled action against the emulator with the `orders` function and fast polling. */
export function deploy(
  emu: RunningEmulator,
  inputs: Record<string, string>,
  extra: Pick<ActionRun, 'signal' | 'env' | 'onLine'> = {}
): Promise<ActionResult> {
  return runAction({ endpoint: emu.url, inputs: { 'function-name': 'orders', ...FAST, ...inputs }, ...extra, timeoutMs: 60_000 });
}

/** The alias as the emulator holds it now. */
export function liveAlias(emu: RunningEmulator, name = 'live') {
  return emu
    .state()
    .functions.find((f) => f.name === 'orders')
    ?.aliases.find((a) => a.name === name);
}

const MUTATING_OR_INVOKE = new Set([
  'PublishVersion',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
  'UpdateFunctionCode',
  'UpdateFunctionConfiguration',
  'Invoke'
]);

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
      const params = call.params as {
        FunctionVersion: string;
        RoutingConfig?: { AdditionalVersionWeights?: Record<string, number> };
      };
      return [params.FunctionVersion, params.RoutingConfig?.AdditionalVersionWeights ?? {}];
    });
}

/** AWS operations the emulator saw in this test file, for the IAM policy check. */
const seenOperations = new Set<string>();

/**
 * One emulator per test, closed after it (its calls are kept for the IAM policy check). `start()`
 * gives the test its `orders` world; a second `start()` in the same test replaces the first.
 */
export function emulatorPerTest(): { start(options?: WorldOptions): Promise<RunningEmulator> } {
  let current: RunningEmulator | undefined;
  const stop = async (): Promise<void> => {
    if (!current) return;
    rememberOperations(current);
    await current.close();
    current = undefined;
  };
  afterEach(stop);
  return {
    async start(options) {
      await stop();
      current = await ordersWorld(options);
      return current;
    }
  };
}

/**
 * Registers, last in a test file (jest runs a file's tests in order), the check that the IAM policy
 * of docs/iam.md grants every AWS action the file's runs used: the document cannot drift from the code.
 */
export function testIamPolicyCoversCalls(): void {
  test('the IAM policy of docs/iam.md grants every AWS action these runs used', () => {
    expect(seenOperations.size).toBeGreaterThan(3);
    expect(undocumentedOperations()).toEqual([]);
  });
}

/** Remembers every AWS operation the action called in this emulator (call before closing it). */
function rememberOperations(emu: RunningEmulator): void {
  for (const call of emu.calls()) {
    // What emulated CodeDeploy did by itself (its alias updates, its hook invocations) is the service role's, not the action's.
    if (call.origin === 'codedeploy') continue;
    // Reading a given version of an S3 object is an IAM action of its own.
    const operation = call.service === 's3' && call.params.VersionId !== undefined ? 'GetObjectVersion' : call.operation;
    seenOperations.add(`${call.service}:${operation}`);
  }
}

/** The IAM action an SDK operation needs (Invoke is the one whose name differs). */
export function iamActionFor(operation: string): string {
  return operation === 'lambda:Invoke' ? 'lambda:InvokeFunction' : operation;
}

/** Every `Action` of the IAM policy documented in docs/iam.md. */
export function documentedIamActions(): Set<string> {
  const readme = readFileSync(new URL('../../docs/iam.md', import.meta.url), 'utf8');
  const actions = new Set<string>();
  for (const block of readme.matchAll(/```json\n([\s\S]*?)```/g)) {
    const doc = JSON.parse(block[1]!) as { Statement?: Array<{ Action: string | string[] }> };
    for (const statement of doc.Statement ?? []) {
      for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return actions;
}

/** The AWS actions this file's runs used that the IAM policy of docs/iam.md does not grant. */
function undocumentedOperations(): string[] {
  const documented = documentedIamActions();
  return [...seenOperations].map(iamActionFor).filter((action) => !documented.has(action));
}

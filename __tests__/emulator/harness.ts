/** Test harness: an in-process emulator on a random port plus real SDK clients pointed at it. */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { startEmulator, type RunningEmulator } from '../../emulator/index.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const T0 = 1_700_000_000_000;

/** What each emulator test gets. */
export interface Harness {
  emu: RunningEmulator;
  lambda: LambdaClient;
  cw: CloudWatchClient;
  /** Moves the injected clock (no real sleeping). */
  advance(ms: number): void;
  /** A Lambda client with extra config (e.g. retries); destroyed by close(). */
  lambdaWith(config: Partial<LambdaClientConfig>): LambdaClient;
  close(): Promise<void>;
}

export async function startHarness(seed = 1): Promise<Harness> {
  let t = T0;
  const emu = await startEmulator({ now: () => t, seed });
  const base = {
    region: REGION,
    endpoint: emu.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  const extra: LambdaClient[] = [];
  const lambda = new LambdaClient(base);
  const cw = new CloudWatchClient(base);
  return {
    emu,
    lambda,
    cw,
    advance: (ms) => {
      t += ms;
    },
    lambdaWith: (config) => {
      const client = new LambdaClient({ ...base, ...config });
      extra.push(client);
      return client;
    },
    close: async () => {
      for (const c of [lambda, cw, ...extra]) c.destroy();
      await emu.close();
    },
  };
}

/** Runs `p` and returns the SDK error it rejects with (fails the test if it resolves). */
export async function sdkError(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; $response?: unknown }> {
  try {
    await p;
  } catch (error) {
    return error as Error & { $metadata?: { httpStatusCode?: number } };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

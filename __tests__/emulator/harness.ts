/** Test harness: an in-process emulator on a random port plus real SDK clients pointed at it. */
import { CloudWatchClient, type CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
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
  cd: CodeDeployClient;
  /** Moves the injected clock (no real sleeping). */
  advance(ms: number): void;
  /** A Lambda client with extra config (e.g. retries); destroyed by close(). */
  lambdaWith(config: Partial<LambdaClientConfig>): LambdaClient;
  /** A CloudWatch client with extra config (e.g. other credentials or region); destroyed by close(). */
  cwWith(config: Partial<CloudWatchClientConfig>): CloudWatchClient;
  close(): Promise<void>;
}

export async function startHarness(seed = 1, options: { sleep?: (ms: number) => Promise<void> } = {}): Promise<Harness> {
  let t = T0;
  const emu = await startEmulator({ now: () => t, seed, ...options });
  const base = {
    region: REGION,
    endpoint: emu.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1
  };
  const extra: Array<LambdaClient | CloudWatchClient> = [];
  const lambda = new LambdaClient(base);
  const cw = new CloudWatchClient(base);
  const cd = new CodeDeployClient(base);
  return {
    emu,
    lambda,
    cw,
    cd,
    advance: (ms) => {
      t += ms;
    },
    lambdaWith: (config) => {
      const client = new LambdaClient({ ...base, ...config });
      extra.push(client);
      return client;
    },
    cwWith: (config) => {
      const client = new CloudWatchClient({ ...base, ...config });
      extra.push(client);
      return client;
    },
    close: async () => {
      for (const c of [lambda, cw, cd, ...extra]) c.destroy();
      await emu.close();
    }
  };
}

/** What the SDK rejects with: an Error, with HTTP metadata when an answer came. */
export type SdkError = Error & {
  $metadata?: { httpStatusCode?: number; attempts?: number; requestId?: string };
  $response?: unknown;
  $fault?: string;
  code?: string;
  Code?: string;
};

/** A Lambda error for `account` as AWS words the principal in IAM refusals. */
export const principal = (account: string) => `arn:aws:sts::${account}:assumed-role/emulator/session`;

/** Runs `p` and returns the SDK error it rejects with (fails the test if it resolves). */
export async function sdkError(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * The emulator's real delays (latency faults, queued Invoke delays), held until the test releases
 * them: pass `sleep` as the emulator's. Tests see what was asked for and decide when the answer goes
 * out, instead of measuring time.
 */
export class HeldSleeps {
  /** Each delay asked for, in ms, in order. */
  readonly asked: number[] = [];
  private readonly held: Array<() => void> = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      this.asked.push(ms);
      this.held.push(resolve);
      for (const waiter of this.waiters.filter((w) => this.asked.length >= w.count)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });

  /** Resolves once `count` delays have been asked for. */
  whenAsked(count: number): Promise<void> {
    if (this.asked.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Ends every delay held so far. */
  releaseAll(): void {
    for (const release of this.held.splice(0)) release();
  }
}

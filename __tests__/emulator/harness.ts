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

export async function startHarness(seed = 1): Promise<Harness> {
  let t = T0;
  const emu = await startEmulator({ now: () => t, seed });
  const base = {
    region: REGION,
    endpoint: emu.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
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
    },
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

/**
 * Unit tests against the emulator without HTTP: SDK clients mocked with aws-sdk-client-mock forward
 * every command the emulator supports to `Emulator.handleOperation`, so unit tests and end-to-end tests
 * run against one AWS model (with its faults, IAM denials and call log).
 *
 *   const emu = new Emulator({ now: () => clock.now() });
 *   attachToSdkMocks(emu, { lambda: mockClient(LambdaClient), cloudwatch: mockClient(CloudWatchClient) });
 *   emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
 */
import * as cloudWatchSdk from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  type CloudWatchClient
} from '@aws-sdk/client-cloudwatch';
import * as lambdaSdk from '@aws-sdk/client-lambda';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaServiceException,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import type { Emulator } from './core/emulator.js';
import { EmulatedServiceException } from './core/in-process.js';
import type { CallerOptions } from './shared/identity.js';
import type { ServiceName } from './shared/types.js';

/** The SDK command class of every operation the emulator runs (see lambda/operations.ts, cloudwatch/operations.ts). */
export const SDK_COMMANDS = {
  lambda: {
    GetFunction: GetFunctionCommand,
    GetFunctionConfiguration: GetFunctionConfigurationCommand,
    PublishVersion: PublishVersionCommand,
    ListVersionsByFunction: ListVersionsByFunctionCommand,
    CreateAlias: CreateAliasCommand,
    ListAliases: ListAliasesCommand,
    GetAlias: GetAliasCommand,
    UpdateAlias: UpdateAliasCommand,
    DeleteAlias: DeleteAliasCommand,
    Invoke: InvokeCommand,
    UpdateFunctionCode: UpdateFunctionCodeCommand,
    UpdateFunctionConfiguration: UpdateFunctionConfigurationCommand,
    GetProvisionedConcurrencyConfig: GetProvisionedConcurrencyConfigCommand
  },
  cloudwatch: {
    DescribeAlarms: DescribeAlarmsCommand,
    GetMetricData: GetMetricDataCommand
  }
} as const;

/** The mocked clients to forward (either may be left out). */
export interface SdkMocks {
  lambda?: AwsClientStub<LambdaClient>;
  cloudwatch?: AwsClientStub<CloudWatchClient>;
}

/** How mocked calls reach the emulator. */
export interface AttachOptions {
  /**
   * Who calls. Default: the mocked client's configured region (when it resolves to one; else the
   * emulator's) and the emulator's default account. Name an account (or an access key mapped with
   * setAccessKeyAccount) to call as another account.
   */
  caller?: CallerOptions;
}

/** The part of an aws-sdk-client-mock stub used here (its generics do not survive a loop over commands). */
interface Stub {
  on(command: unknown): { callsFake(fake: (input: Record<string, unknown>, getClient: () => unknown) => unknown): unknown };
}

/**
 * Makes each mocked client answer every command the emulator supports from `emu`: `.on(XCommand)
 * .callsFake(input => emu.handleOperation(service, 'X', input, caller))`. Service errors are rethrown
 * as the SDK's own exception classes (e.g. `PreconditionFailedException`, else the service's base
 * exception), so `instanceof` and `name` checks behave as with a real client. Commands the emulator does
 * not run keep the mock's default behaviour; any command can still be overridden with `.on(...)` later.
 */
export function attachToSdkMocks(emu: Emulator, mocks: SdkMocks, options: AttachOptions = {}): void {
  for (const service of ['lambda', 'cloudwatch'] as const) {
    const stub = mocks[service] as Stub | undefined;
    if (!stub) continue;
    for (const [operation, command] of Object.entries(SDK_COMMANDS[service])) {
      stub.on(command).callsFake(async (input, getClient) => {
        const caller = options.caller ?? (await clientCaller(getClient));
        try {
          return await emu.handleOperation(service, operation, input, caller);
        } catch (error) {
          throw error instanceof EmulatedServiceException ? sdkException(service, error) : error;
        }
      });
    }
  }
}

/** The region the mocked client is configured with, if it resolves to one (a client without one has none). */
async function clientCaller(getClient: () => unknown): Promise<CallerOptions> {
  try {
    const provider = (getClient() as { config?: { region?: unknown } } | undefined)?.config?.region;
    const region: unknown = typeof provider === 'function' ? await (provider as () => Promise<unknown>)() : provider;
    return typeof region === 'string' && region !== '' ? { region } : {};
  } catch {
    return {};
  }
}

type ExceptionClass = new (options: Record<string, unknown>) => Error;

/** The SDK's exception for an emulated service error: its modelled class when there is one, else the service's base class. */
function sdkException(service: ServiceName, error: EmulatedServiceException): Error {
  const sdk: Record<string, unknown> = service === 'lambda' ? lambdaSdk : cloudWatchSdk;
  const base = service === 'lambda' ? LambdaServiceException : CloudWatchServiceException;
  const modelled = sdk[error.name];
  const Exception = (typeof modelled === 'function' && modelled.prototype instanceof base ? modelled : base) as ExceptionClass;
  return new Exception({ ...error, name: error.name, message: error.message, $fault: error.$fault, $metadata: error.$metadata });
}

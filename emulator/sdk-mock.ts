/**
 * Unit tests against the emulator without HTTP: SDK clients mocked with aws-sdk-client-mock forward
 * every command the emulator supports to `Emulator.handleOperation`, so unit tests and end-to-end tests
 * run against one AWS model (with its faults, IAM denials and call log).
 *
 *   const emu = new Emulator({ now: () => clock.now() });
 *   attachToSdkMocks(emu, {
 *     lambda: mockClient(LambdaClient),
 *     cloudwatch: mockClient(CloudWatchClient),
 *     codedeploy: mockClient(CodeDeployClient)
 *   });
 *   emu.createFunction({ name: 'orders', versions: 1, alias: { name: 'live', version: '1' } });
 */
import * as cloudWatchSdk from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchServiceException,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  type CloudWatchClient
} from '@aws-sdk/client-cloudwatch';
import * as codeDeploySdk from '@aws-sdk/client-codedeploy';
import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  CodeDeployServiceException,
  CreateApplicationCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  StopDeploymentCommand,
  UpdateDeploymentGroupCommand,
  type CodeDeployClient
} from '@aws-sdk/client-codedeploy';
import * as lambdaSdk from '@aws-sdk/client-lambda';
import * as s3Sdk from '@aws-sdk/client-s3';
import { S3ServiceException } from '@aws-sdk/client-s3';
import {
  AddPermissionCommand,
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetPolicyCommand,
  ListEventSourceMappingsCommand,
  ListFunctionUrlConfigsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaServiceException,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
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

/** The SDK command class of every operation the emulator runs (see lambda/, cloudwatch/ and codedeploy/operations.ts). */
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
    GetProvisionedConcurrencyConfig: GetProvisionedConcurrencyConfigCommand,
    PutProvisionedConcurrencyConfig: PutProvisionedConcurrencyConfigCommand,
    DeleteProvisionedConcurrencyConfig: DeleteProvisionedConcurrencyConfigCommand,
    DeleteFunction: DeleteFunctionCommand,
    ListProvisionedConcurrencyConfigs: ListProvisionedConcurrencyConfigsCommand,
    ListEventSourceMappings: ListEventSourceMappingsCommand,
    ListFunctionUrlConfigs: ListFunctionUrlConfigsCommand,
    GetPolicy: GetPolicyCommand,
    AddPermission: AddPermissionCommand
  },
  cloudwatch: {
    DescribeAlarms: DescribeAlarmsCommand,
    GetMetricData: GetMetricDataCommand,
    ListMetrics: ListMetricsCommand
  },
  codedeploy: {
    CreateApplication: CreateApplicationCommand,
    GetApplication: GetApplicationCommand,
    CreateDeploymentGroup: CreateDeploymentGroupCommand,
    GetDeploymentGroup: GetDeploymentGroupCommand,
    UpdateDeploymentGroup: UpdateDeploymentGroupCommand,
    CreateDeploymentConfig: CreateDeploymentConfigCommand,
    GetDeploymentConfig: GetDeploymentConfigCommand,
    CreateDeployment: CreateDeploymentCommand,
    GetDeployment: GetDeploymentCommand,
    BatchGetDeployments: BatchGetDeploymentsCommand,
    ListDeployments: ListDeploymentsCommand,
    ListDeploymentTargets: ListDeploymentTargetsCommand,
    GetDeploymentTarget: GetDeploymentTargetCommand,
    BatchGetDeploymentTargets: BatchGetDeploymentTargetsCommand,
    StopDeployment: StopDeploymentCommand,
    PutLifecycleEventHookExecutionStatus: PutLifecycleEventHookExecutionStatusCommand
  }
} as const;

/** The mocked clients to forward (any may be left out). */
export interface SdkMocks {
  lambda?: AwsClientStub<LambdaClient>;
  cloudwatch?: AwsClientStub<CloudWatchClient>;
  codedeploy?: AwsClientStub<CodeDeployClient>;
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
  for (const service of ['lambda', 'cloudwatch', 'codedeploy'] as const) {
    const stub = mocks[service] as Stub | undefined;
    if (!stub) continue;
    for (const [operation, command] of Object.entries(SDK_COMMANDS[service])) {
      stub.on(command).callsFake(emulatorAnswer(emu, service, operation, options));
    }
  }
}

/**
 * The fake `attachToSdkMocks` gives one operation: `(input, getClient) => Promise<output>`, answered
 * by `emu` with SDK-shaped errors. For a test's own override of one command that still reaches the
 * emulator, e.g. a call that takes time on a fake clock:
 *
 *   const updateAlias = emulatorAnswer(emu, 'lambda', 'UpdateAlias');
 *   lambdaMock.on(UpdateAliasCommand).callsFake((input, getClient) => { clock.advance(3_000); return updateAlias(input, getClient); });
 */
export function emulatorAnswer(
  emu: Emulator,
  service: ServiceName,
  operation: string,
  options: AttachOptions = {}
): (input: Record<string, unknown>, getClient?: () => unknown) => Promise<unknown> {
  return async (input, getClient) => {
    const caller = options.caller ?? (getClient ? await clientCaller(getClient) : {});
    try {
      return await emu.handleOperation(service, operation, input, caller);
    } catch (error) {
      throw error instanceof EmulatedServiceException ? sdkException(service, error) : error;
    }
  };
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

/** Each service's SDK module (its exception classes) and base exception. */
const SDKS: Record<ServiceName, { sdk: Record<string, unknown>; base: ExceptionClass }> = {
  lambda: { sdk: lambdaSdk, base: LambdaServiceException as unknown as ExceptionClass },
  cloudwatch: { sdk: cloudWatchSdk, base: CloudWatchServiceException as unknown as ExceptionClass },
  codedeploy: { sdk: codeDeploySdk, base: CodeDeployServiceException as unknown as ExceptionClass },
  s3: { sdk: s3Sdk, base: S3ServiceException as unknown as ExceptionClass }
};

/** The SDK's exception for an emulated service error: its modelled class when there is one, else the service's base class. */
function sdkException(service: ServiceName, error: EmulatedServiceException): Error {
  const { sdk, base } = SDKS[service];
  const modelled = sdk[error.name];
  const Exception = (typeof modelled === 'function' && modelled.prototype instanceof base ? modelled : base) as ExceptionClass;
  return new Exception({ ...error, name: error.name, message: error.message, $fault: error.$fault, $metadata: error.$metadata });
}

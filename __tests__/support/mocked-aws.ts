import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  LambdaClient,
  ListAliasesCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  type AliasConfiguration,
  type UpdateAliasCommandInput
} from '@aws-sdk/client-lambda';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';

export const FUNCTION = 'orders';
export const ACCOUNT_ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
export const FUNCTION_ARN = `${ACCOUNT_ARN}:${FUNCTION}`;

/** An AWS-shaped service error, as the SDK raises it. */
export function awsError(name: string, message = name, attempts = 1): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $fault: 'client', $metadata: { httpStatusCode: 400, attempts } });
  return error;
}

export interface MockedAwsOptions {
  /** The alias before the deployment; undefined = it does not exist. */
  alias?: { version: string; weights?: Record<string, number> };
  /** What PublishVersion answers. */
  publishes?: string;
  /** Alarm states per name, per DescribeAlarms call: a function of the call index. */
  alarms?: Record<string, (call: number) => 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>;
  /** Hook functions that exist, and what each invocation returns. */
  hooks?: Record<string, () => { payload: unknown; functionError?: string }>;
  /** Other aliases the function has (when `alias` is undefined), as ListAliases reports them. */
  otherAliases?: string[];
  /** Runs before every UpdateAlias is applied (e.g. to make it slow on a fake clock). */
  beforeUpdateAlias?: () => void;
}

/**
 * The SDK clients mocked with aws-sdk-client-mock, over a small stateful model of one alias so
 * RevisionIds move on like Lambda's. Every mutating call is kept in order for assertions.
 */
export function mockAws(options: MockedAwsOptions) {
  const lambda = mockClient(LambdaClient);
  const cloudwatch = mockClient(CloudWatchClient);
  let revision = 1;
  let alias: AliasConfiguration | undefined = options.alias && {
    Name: 'live',
    AliasArn: `${FUNCTION_ARN}:live`,
    FunctionVersion: options.alias.version,
    RoutingConfig: { AdditionalVersionWeights: options.alias.weights ?? {} },
    RevisionId: `rev-${revision}`
  };
  const mutations: Array<{ op: string; input: unknown }> = [];
  let describeCalls = 0;

  lambda.on(GetFunctionCommand).resolves({
    Configuration: { FunctionName: FUNCTION, FunctionArn: FUNCTION_ARN, LastUpdateStatus: 'Successful', State: 'Active' }
  });
  lambda.on(GetFunctionConfigurationCommand).callsFake((input: { FunctionName?: string; Qualifier?: string }) => {
    const name = input.FunctionName ?? '';
    if (name === FUNCTION || name === FUNCTION_ARN) return { FunctionName: FUNCTION, State: 'Active', LastUpdateStatus: 'Successful' };
    if (options.hooks && name in options.hooks) return { FunctionName: name, State: 'Active' };
    throw awsError('ResourceNotFoundException', `Function not found: ${name}`);
  });
  lambda.on(GetAliasCommand).callsFake(() => {
    if (!alias) throw awsError('ResourceNotFoundException', 'Alias not found');
    return alias;
  });
  lambda.on(ListAliasesCommand).callsFake(() => ({ Aliases: alias ? [alias] : (options.otherAliases ?? []).map((Name) => ({ Name })) }));
  lambda.on(GetProvisionedConcurrencyConfigCommand).rejects(awsError('ProvisionedConcurrencyConfigNotFoundException'));
  lambda.on(PublishVersionCommand).callsFake((input) => {
    mutations.push({ op: 'PublishVersion', input });
    const version = options.publishes ?? '2';
    return { Version: version, FunctionArn: `${FUNCTION_ARN}:${version}` };
  });
  lambda.on(CreateAliasCommand).callsFake((input: { Name: string; FunctionVersion: string }) => {
    mutations.push({ op: 'CreateAlias', input });
    alias = {
      Name: input.Name,
      AliasArn: `${FUNCTION_ARN}:${input.Name}`,
      FunctionVersion: input.FunctionVersion,
      RevisionId: `rev-${++revision}`
    };
    return alias;
  });
  lambda.on(UpdateAliasCommand).callsFake((input: UpdateAliasCommandInput) => {
    mutations.push({ op: 'UpdateAlias', input });
    options.beforeUpdateAlias?.();
    if (!alias) throw awsError('ResourceNotFoundException');
    if (input.RevisionId !== alias.RevisionId) throw awsError('PreconditionFailedException', 'stale revision');
    alias = { ...alias, FunctionVersion: input.FunctionVersion, RoutingConfig: input.RoutingConfig, RevisionId: `rev-${++revision}` };
    return alias;
  });
  lambda.on(DeleteAliasCommand).callsFake((input) => {
    mutations.push({ op: 'DeleteAlias', input });
    alias = undefined;
    return {};
  });
  lambda.on(InvokeCommand).callsFake((input: { FunctionName: string; Payload: Uint8Array; InvocationType?: string }) => {
    if (input.InvocationType === 'DryRun') return { StatusCode: 204 };
    mutations.push({ op: 'Invoke', input: { ...input, Payload: JSON.parse(new TextDecoder().decode(input.Payload)) } });
    const answer = options.hooks?.[input.FunctionName]?.() ?? { payload: { status: 'Succeeded' } };
    return {
      StatusCode: 200,
      FunctionError: answer.functionError,
      Payload: new TextEncoder().encode(JSON.stringify(answer.payload))
    };
  });
  cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames?: string[] }) => {
    const call = describeCalls++;
    const alarms = options.alarms ?? {};
    return {
      MetricAlarms: (input.AlarmNames ?? [])
        .filter((name) => name in alarms)
        .map((name) => ({ AlarmName: name, StateValue: alarms[name]!(call), StateReason: `reason of ${name}` }))
    };
  });

  return {
    lambda,
    cloudwatch,
    mutations,
    /** The alias as it is now. */
    alias: () => alias,
    describeCalls: () => describeCalls,
    /** The UpdateAlias calls as [FunctionVersion, weights] pairs. */
    aliasUpdates: () =>
      mutations
        .filter((m) => m.op === 'UpdateAlias')
        .map((m) => {
          const input = m.input as UpdateAliasCommandInput;
          return [input.FunctionVersion, input.RoutingConfig?.AdditionalVersionWeights ?? {}] as const;
        }),
    restore: () => {
      lambda.restore();
      cloudwatch.restore();
    }
  };
}

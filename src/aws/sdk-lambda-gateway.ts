import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type AliasConfiguration,
  type LambdaClient
} from '@aws-sdk/client-lambda';
import { errorName } from './errors.js';
import { unqualifiedArn } from './arn.js';
import type {
  AliasRouting,
  AliasState,
  FunctionInfo,
  InvokeResponse,
  LambdaGateway,
  PublishedVersion
} from './lambda-gateway.js';

/** How long the SDK waiters may wait for a function update or a new version, in seconds. */
const WAITER_MAX_SECONDS = 300;

/** LambdaGateway over the AWS SDK v3 client (retries come from the client's retry strategy). */
export class SdkLambdaGateway implements LambdaGateway {
  constructor(private readonly client: LambdaClient) {}

  async getFunction(functionName: string): Promise<FunctionInfo> {
    const { Configuration } = await this.client.send(new GetFunctionCommand({ FunctionName: functionName }));
    if (!Configuration?.FunctionName || !Configuration.FunctionArn) {
      throw new Error(`GetFunction returned no configuration for ${functionName}`);
    }
    return { name: Configuration.FunctionName, arn: unqualifiedArn(Configuration.FunctionArn) };
  }

  async functionExists(functionRef: string): Promise<boolean> {
    const answer = await this.notFoundAsUndefined(
      this.client.send(new GetFunctionConfigurationCommand({ FunctionName: functionRef }))
    );
    return answer !== undefined;
  }

  async getAlias(functionName: string, alias: string): Promise<AliasState | undefined> {
    const answer = await this.notFoundAsUndefined(
      this.client.send(new GetAliasCommand({ FunctionName: functionName, Name: alias }))
    );
    return answer && toAliasState(answer);
  }

  async getProvisionedConcurrency(functionName: string, alias: string): Promise<number | undefined> {
    const answer = await this.notFoundAsUndefined(
      this.client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionName, Qualifier: alias }))
    );
    return answer?.RequestedProvisionedConcurrentExecutions;
  }

  async waitUntilUpdated(functionName: string, signal?: AbortSignal): Promise<void> {
    await waitUntilFunctionUpdatedV2(
      { client: this.client, maxWaitTime: WAITER_MAX_SECONDS, abortSignal: signal },
      { FunctionName: functionName }
    );
  }

  async publishVersion(
    functionName: string,
    options: { description: string; codeSha256?: string },
    signal?: AbortSignal
  ): Promise<PublishedVersion> {
    const answer = await this.client.send(
      new PublishVersionCommand({
        FunctionName: functionName,
        Description: options.description,
        CodeSha256: options.codeSha256
      }),
      { abortSignal: signal }
    );
    if (!answer.Version || !answer.FunctionArn) throw new Error('PublishVersion returned no version');
    return { version: answer.Version, arn: answer.FunctionArn };
  }

  async waitUntilVersionActive(functionName: string, version: string, signal?: AbortSignal): Promise<void> {
    await waitUntilPublishedVersionActive(
      { client: this.client, maxWaitTime: WAITER_MAX_SECONDS, abortSignal: signal },
      { FunctionName: functionName, Qualifier: version }
    );
  }

  async createAlias(functionName: string, alias: string, version: string, signal?: AbortSignal): Promise<AliasState> {
    const answer = await this.client.send(
      new CreateAliasCommand({ FunctionName: functionName, Name: alias, FunctionVersion: version }),
      { abortSignal: signal }
    );
    return toAliasState(answer);
  }

  async updateAlias(
    functionName: string,
    alias: string,
    routing: AliasRouting,
    revisionId: string,
    signal?: AbortSignal
  ): Promise<AliasState> {
    const weights = routing.additional ? { [routing.additional.version]: routing.additional.weight } : {};
    const answer = await this.client.send(
      new UpdateAliasCommand({
        FunctionName: functionName,
        Name: alias,
        FunctionVersion: routing.version,
        // An empty map clears the routing; leaving RoutingConfig out would keep the old weights.
        RoutingConfig: { AdditionalVersionWeights: weights },
        RevisionId: revisionId
      }),
      { abortSignal: signal }
    );
    return toAliasState(answer);
  }

  async deleteAlias(functionName: string, alias: string, signal?: AbortSignal): Promise<void> {
    await this.client.send(new DeleteAliasCommand({ FunctionName: functionName, Name: alias }), {
      abortSignal: signal
    });
  }

  async invoke(functionRef: string, payload: string, signal?: AbortSignal): Promise<InvokeResponse> {
    const answer = await this.client.send(
      new InvokeCommand({
        FunctionName: functionRef,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(payload)
      }),
      { abortSignal: signal }
    );
    return {
      functionError: answer.FunctionError,
      payload: answer.Payload ? new TextDecoder().decode(answer.Payload) : ''
    };
  }

  private async notFoundAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
    try {
      return await request;
    } catch (error: unknown) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const name = errorName(error);
  return name === 'ResourceNotFoundException' || name === 'ProvisionedConcurrencyConfigNotFoundException';
}

function toAliasState(alias: AliasConfiguration): AliasState {
  if (!alias.Name || !alias.AliasArn || !alias.FunctionVersion || !alias.RevisionId) {
    throw new Error(`Lambda returned an incomplete alias: ${JSON.stringify(alias)}`);
  }
  const [additional] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  return {
    name: alias.Name,
    arn: alias.AliasArn,
    version: alias.FunctionVersion,
    revisionId: alias.RevisionId,
    ...(additional ? { additional: { version: additional[0], weight: additional[1] } } : {})
  };
}

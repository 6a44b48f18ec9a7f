import {
  CreateAliasCommand,
  DeleteAliasCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  ListAliasesCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  waitUntilPublishedVersionActive,
  type AliasConfiguration,
  type Architecture,
  type FunctionCodeLocation,
  type FunctionConfiguration,
  type GetProvisionedConcurrencyConfigResponse,
  type LambdaClient,
  type Runtime
} from '@aws-sdk/client-lambda';
import { reasonError } from '../core/deadline.js';
import { identifiersOfRef, unqualifiedArn } from './arn.js';
import type { AwsClients } from './clients.js';
import { callLambda, lambdaRegionOf, type LambdaSend } from './lambda-call.js';
import { FunctionNotReady, NoAnswer, ResourceNotFound } from './failures.js';
import type {
  AliasWrite,
  AliasState,
  CodeUpload,
  ConfigurationChanges,
  FunctionInfo,
  FunctionReadiness,
  FunctionUpdate,
  InvokeResponse,
  LambdaGateway,
  ProvisionedConcurrency,
  PublishedVersion,
  VersionConfiguration
} from './lambda-gateway.js';

/** How long the SDK waiters may wait for a function to become Active, updated, or a version Active. */
const WAITER_MAX_SECONDS = 600;
/**
 * An upload of a zip must not be cut by `aws-request-timeout` (30 s by default, meant for small
 * calls): the time limit runs until the answer's headers, so it covers sending the whole body (the
 * zip, base64 in JSON: a third larger) and Lambda unpacking it. A minute, plus time for the body at
 * a slow 512 KiB/s; never less than the configured limit.
 */
const UPLOAD_FLOOR_MS = 60_000;
const UPLOAD_BYTES_PER_SECOND = 512 * 1024;

/** What the gateway tells its owner besides its answers. */
export interface LambdaGatewayOptions {
  /**
   * Called with the values of the environment variables of every configuration of a deployed
   * function it reads (GetFunction, GetFunctionConfiguration): they are secrets, and AWS error text
   * may quote them, so the action's redaction must know them. (A hook function's are not asked for.)
   */
  readonly onVariables?: (values: readonly string[]) => void;
  /**
   * Called with the identifiers Lambda's answers name: a function's name, ARN, region and account,
   * an alias's name and ARN, version numbers. The action prints them by design, so its redaction
   * leaves them alone even when a variable holds the same text.
   */
  readonly onIdentifiers?: (identifiers: readonly string[]) => void;
}

/**
 * LambdaGateway over the AWS SDK v3 client. Each call goes to the region of the ARN it names (or the
 * default region for a plain name); retries and time limits come from the clients. Every error
 * leaves as a domain failure: see translate.ts.
 */
export class SdkLambdaGateway implements LambdaGateway {
  constructor(
    private readonly clients: AwsClients,
    private readonly options: LambdaGatewayOptions = {}
  ) {}

  async getFunction(functionRef: string, signal?: AbortSignal): Promise<FunctionInfo> {
    const { Configuration } = await this.call('GetFunction', functionRef, signal, (client, o) =>
      client.send(new GetFunctionCommand({ FunctionName: functionRef }), o)
    );
    this.variablesSeen(Configuration);
    if (!Configuration?.FunctionName || !Configuration.FunctionArn) {
      throw new NoAnswer(`GetFunction answered without a configuration for ${functionRef}`, 'GetFunction');
    }
    this.identified(Configuration.FunctionName, ...identifiersOfRef(Configuration.FunctionArn));
    return {
      name: Configuration.FunctionName,
      arn: unqualifiedArn(Configuration.FunctionArn),
      readiness: readinessOf(Configuration),
      ...(Configuration.MemorySize !== undefined ? { memorySizeMb: Configuration.MemorySize } : {}),
      ...(Configuration.SnapStart?.ApplyOn === 'PublishedVersions' ? { snapStart: true } : {})
    };
  }

  async getTimeoutSeconds(functionRef: string, signal?: AbortSignal): Promise<number> {
    const answer = await this.call('GetFunctionConfiguration', functionRef, signal, (client, o) =>
      client.send(new GetFunctionConfigurationCommand({ FunctionName: functionRef }), o)
    );
    return answer.Timeout ?? 3;
  }

  async checkInvokable(functionRef: string, signal?: AbortSignal): Promise<void> {
    await this.call(
      'Invoke',
      functionRef,
      signal,
      (client, o) => client.send(new InvokeCommand({ FunctionName: functionRef, InvocationType: 'DryRun' }), o),
      { action: 'lambda:InvokeFunction' }
    );
  }

  async getAlias(functionRef: string, alias: string, signal?: AbortSignal): Promise<AliasState | undefined> {
    const answer = await notFoundAsUndefined(
      this.call('GetAlias', functionRef, signal, (client, o) =>
        client.send(new GetAliasCommand({ FunctionName: functionRef, Name: alias }), o)
      )
    );
    return answer && this.aliasSeen(answer);
  }

  async listAliases(functionRef: string, signal?: AbortSignal): Promise<string[]> {
    const names: string[] = [];
    let marker: string | undefined;
    do {
      const page = await this.call('ListAliases', functionRef, signal, (client, o) =>
        client.send(new ListAliasesCommand({ FunctionName: functionRef, Marker: marker }), o)
      );
      for (const alias of page.Aliases ?? []) if (alias.Name) names.push(alias.Name);
      marker = page.NextMarker;
    } while (marker);
    return names;
  }

  async getProvisionedConcurrency(
    functionRef: string,
    qualifier: string,
    signal?: AbortSignal
  ): Promise<ProvisionedConcurrency | undefined> {
    const answer = await notFoundAsUndefined(
      this.call('GetProvisionedConcurrencyConfig', functionRef, signal, (client, o) =>
        client.send(new GetProvisionedConcurrencyConfigCommand({ FunctionName: functionRef, Qualifier: qualifier }), o)
      )
    );
    return answer && provisionedOf(answer, 'GetProvisionedConcurrencyConfig');
  }

  async putProvisionedConcurrency(
    functionRef: string,
    qualifier: string,
    executions: number,
    signal?: AbortSignal
  ): Promise<ProvisionedConcurrency> {
    const answer = await this.call('PutProvisionedConcurrencyConfig', functionRef, signal, (client, o) =>
      client.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: functionRef,
          Qualifier: qualifier,
          ProvisionedConcurrentExecutions: executions
        }),
        o
      )
    );
    return provisionedOf(answer, 'PutProvisionedConcurrencyConfig');
  }

  async waitUntilReady(functionRef: string, signal?: AbortSignal): Promise<void> {
    const client = this.client(functionRef);
    const params = { client, maxWaitTime: WAITER_MAX_SECONDS, abortSignal: signal };
    await this.waitOr(functionRef, signal, 'to become Active', () =>
      waitUntilFunctionActiveV2(params, { FunctionName: functionRef })
    );
    await this.waitOr(functionRef, signal, 'to finish its update', () =>
      waitUntilFunctionUpdatedV2(params, { FunctionName: functionRef })
    );
  }

  async publishVersion(
    functionRef: string,
    options: { description: string; codeSha256?: string; revisionId?: string },
    signal?: AbortSignal
  ): Promise<PublishedVersion> {
    const answer = await this.call('PublishVersion', functionRef, signal, (client, o) =>
      client.send(
        new PublishVersionCommand({
          FunctionName: functionRef,
          Description: options.description,
          CodeSha256: options.codeSha256,
          RevisionId: options.revisionId
        }),
        o
      )
    );
    if (!answer.Version || !answer.FunctionArn) throw new NoAnswer('PublishVersion answered without a version', 'PublishVersion');
    this.identified(answer.Version, ...identifiersOfRef(answer.FunctionArn));
    return {
      version: answer.Version,
      arn: answer.FunctionArn,
      state: answer.State ?? 'Active',
      ...(answer.CodeSha256 ? { codeSha256: answer.CodeSha256 } : {})
    };
  }

  async getVersionConfiguration(functionRef: string, version: string, signal?: AbortSignal): Promise<VersionConfiguration> {
    const answer = await this.call('GetFunction', functionRef, signal, (client, o) =>
      client.send(new GetFunctionCommand({ FunctionName: functionRef, Qualifier: version }), o)
    );
    this.variablesSeen(answer.Configuration);
    this.identified(answer.Configuration?.Version);
    if (!answer.Configuration?.CodeSha256 || !answer.Configuration.RevisionId) {
      throw new NoAnswer(`GetFunction answered without the code of ${functionRef}:${version}`, 'GetFunction');
    }
    return versionConfigurationOf(answer.Configuration, answer.Code);
  }

  async updateFunctionConfiguration(
    functionRef: string,
    changes: ConfigurationChanges,
    options: { revisionId?: string },
    signal?: AbortSignal
  ): Promise<FunctionUpdate> {
    const answer = await this.call('UpdateFunctionConfiguration', functionRef, signal, (client, o) =>
      client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: functionRef,
          Handler: changes.handler,
          Runtime: changes.runtime as Runtime | undefined,
          MemorySize: changes.memorySize,
          Timeout: changes.timeoutSeconds,
          Description: changes.description,
          Environment: changes.environment ? { Variables: { ...changes.environment } } : undefined,
          Layers: changes.layers ? [...changes.layers] : undefined,
          RevisionId: options.revisionId
        }),
        o
      )
    );
    return updateOf(answer, 'UpdateFunctionConfiguration');
  }

  async updateFunctionCode(
    functionRef: string,
    source: CodeUpload,
    options: { publish: false; revisionId?: string; architectures?: readonly string[] },
    signal?: AbortSignal
  ): Promise<FunctionUpdate> {
    const code =
      source.kind === 'zip'
        ? { ZipFile: source.zipFile }
        : source.kind === 's3'
          ? { S3Bucket: source.bucket, S3Key: source.key, S3ObjectVersion: source.objectVersion }
          : { ImageUri: source.imageUri };
    const bodyBytes = source.kind === 'zip' ? Math.ceil(source.zipFile.length / 3) * 4 : 0;
    const requestTimeoutMs = Math.max(
      this.clients.settings.requestTimeoutMs,
      UPLOAD_FLOOR_MS + Math.ceil((bodyBytes / UPLOAD_BYTES_PER_SECOND) * 1000)
    );
    const answer = await this.call(
      'UpdateFunctionCode',
      functionRef,
      signal,
      (client, o) =>
        client.send(
          new UpdateFunctionCodeCommand({
            FunctionName: functionRef,
            ...code,
            Publish: options.publish,
            RevisionId: options.revisionId,
            Architectures: options.architectures ? (options.architectures as Architecture[]) : undefined
          }),
          o
        ),
      { requestTimeoutMs }
    );
    return updateOf(answer, 'UpdateFunctionCode');
  }

  async waitUntilVersionActive(functionRef: string, version: string, signal?: AbortSignal): Promise<void> {
    const params = { client: this.client(functionRef), maxWaitTime: WAITER_MAX_SECONDS, abortSignal: signal };
    await this.waitOr(`${functionRef}:${version}`, signal, 'to become Active', () =>
      waitUntilPublishedVersionActive(params, { FunctionName: functionRef, Qualifier: version })
    );
  }

  async createAlias(functionRef: string, alias: string, target: AliasWrite, signal?: AbortSignal): Promise<AliasState> {
    const answer = await this.call('CreateAlias', functionRef, signal, (client, o) =>
      client.send(
        new CreateAliasCommand({
          FunctionName: functionRef,
          Name: alias,
          FunctionVersion: target.version,
          ...(target.description !== undefined ? { Description: target.description } : {})
        }),
        o
      )
    );
    return this.aliasSeen(answer);
  }

  async updateAlias(
    functionRef: string,
    alias: string,
    routing: AliasWrite,
    revisionId: string,
    signal?: AbortSignal
  ): Promise<AliasState> {
    const weights = routing.additional ? { [routing.additional.version]: routing.additional.weight } : {};
    const answer = await this.call('UpdateAlias', functionRef, signal, (client, o) =>
      client.send(
        new UpdateAliasCommand({
          FunctionName: functionRef,
          Name: alias,
          FunctionVersion: routing.version,
          // An empty map clears the routing; leaving RoutingConfig out would keep the old weights.
          RoutingConfig: { AdditionalVersionWeights: weights },
          // Left out, the description stays as it is.
          ...(routing.description !== undefined ? { Description: routing.description } : {}),
          RevisionId: revisionId
        }),
        o
      )
    );
    return this.aliasSeen(answer);
  }

  async deleteAlias(functionRef: string, alias: string, signal?: AbortSignal): Promise<void> {
    await this.call('DeleteAlias', functionRef, signal, (client, o) =>
      client.send(new DeleteAliasCommand({ FunctionName: functionRef, Name: alias }), o)
    );
  }

  async invoke(
    functionRef: string,
    payload: string,
    options: { signal?: AbortSignal; timeoutMs: number }
  ): Promise<InvokeResponse> {
    const answer = await this.call(
      'Invoke',
      functionRef,
      options.signal,
      (client, o) =>
        client.send(
          new InvokeCommand({
            FunctionName: functionRef,
            InvocationType: 'RequestResponse',
            Payload: new TextEncoder().encode(payload)
          }),
          o
        ),
      { action: 'lambda:InvokeFunction', requestTimeoutMs: options.timeoutMs }
    );
    return {
      functionError: answer.FunctionError,
      payload: answer.Payload ? new TextDecoder().decode(answer.Payload) : '',
      ...(answer.ExecutedVersion ? { executedVersion: answer.ExecutedVersion } : {})
    };
  }

  /** Makes one call in the function's region; any failure leaves as a domain failure (see lambda-call.ts). */
  private call<T>(
    operation: string,
    functionRef: string,
    signal: AbortSignal | undefined,
    send: LambdaSend<T>,
    extra: { action?: string; requestTimeoutMs?: number } = {}
  ): Promise<T> {
    return callLambda(this.clients, operation, functionRef, signal, send, extra);
  }

  /**
   * Runs an SDK waiter. A waiter that fails throws the last answer it saw, which is the whole
   * function configuration, environment variables included: that error is dropped unread, and
   * the reason is read afresh from the fields that hold AWS's explanation.
   */
  private async waitOr(
    functionRef: string,
    signal: AbortSignal | undefined,
    what: string,
    wait: () => Promise<unknown>
  ): Promise<void> {
    try {
      await wait();
    } catch {
      if (signal?.aborted) throw reasonError(signal);
      const readiness = await this.readiness(functionRef, signal);
      const operation = 'GetFunction';
      if (readiness.state === 'Failed' || readiness.lastUpdateStatus === 'Failed') {
        const failed = readiness.state === 'Failed' ? 'is in State Failed' : 'has a last update that failed';
        throw new FunctionNotReady(`${functionRef} ${failed}: ${readiness.reason ?? 'Lambda gave no reason'}`, operation);
      }
      throw new FunctionNotReady(
        `waited ${WAITER_MAX_SECONDS / 60} minutes for ${functionRef} ${what}; it is still State ${readiness.state}, ` +
          `LastUpdateStatus ${readiness.lastUpdateStatus}${readiness.reason ? ` (${readiness.reason})` : ''}`,
        operation
      );
    }
  }

  private async readiness(functionRef: string, signal?: AbortSignal): Promise<FunctionReadiness> {
    const answer = await this.call('GetFunctionConfiguration', functionRef, signal, (client, o) =>
      client.send(new GetFunctionConfigurationCommand({ FunctionName: functionRef }), o)
    );
    this.variablesSeen(answer);
    return readinessOf(answer);
  }

  /** An alias's state from Lambda's answer, its identifiers told to the owner. */
  private aliasSeen(answer: AliasConfiguration): AliasState {
    const alias = toAliasState(answer);
    this.identified(alias.name, alias.version, alias.additional?.version, ...identifiersOfRef(alias.arn));
    return alias;
  }

  /** Hands identifiers Lambda named to the owner (see LambdaGatewayOptions). */
  private identified(...identifiers: Array<string | undefined>): void {
    const named = identifiers.filter((identifier): identifier is string => identifier !== undefined && identifier !== '');
    if (named.length > 0) this.options.onIdentifiers?.(named);
  }

  /** Hands the values of a configuration's environment variables to the owner (see LambdaGatewayOptions). */
  private variablesSeen(configuration: FunctionConfiguration | undefined): void {
    const variables = configuration?.Environment?.Variables;
    if (variables && this.options.onVariables) this.options.onVariables(Object.values(variables));
  }

  private client(functionRef: string): LambdaClient {
    return this.clients.lambda(lambdaRegionOf(functionRef));
  }
}

/** Only the readiness fields: the rest of a configuration (its environment) never leaves here. */
function readinessOf(configuration: FunctionConfiguration): FunctionReadiness {
  const state = configuration.State ?? 'Active';
  const lastUpdateStatus = configuration.LastUpdateStatus ?? 'Successful';
  const reasons = [
    state !== 'Active' ? reasonText(configuration.StateReasonCode, configuration.StateReason) : undefined,
    lastUpdateStatus !== 'Successful'
      ? reasonText(configuration.LastUpdateStatusReasonCode, configuration.LastUpdateStatusReason)
      : undefined
  ].filter((reason): reason is string => reason !== undefined);
  return { state, lastUpdateStatus, ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}) };
}

/** An update's answer, reduced to what the rollout needs: never the configuration itself. */
function updateOf(answer: FunctionConfiguration, operation: string): FunctionUpdate {
  if (!answer.RevisionId) throw new NoAnswer(`${operation} answered without a RevisionId`, operation);
  return {
    revisionId: answer.RevisionId,
    ...(answer.CodeSha256 ? { codeSha256: answer.CodeSha256 } : {}),
    lastUpdateStatus: answer.LastUpdateStatus ?? 'InProgress'
  };
}

/** The fields a deployment compares; the environment is copied into the result and goes nowhere else. */
function versionConfigurationOf(
  configuration: FunctionConfiguration,
  code: FunctionCodeLocation | undefined
): VersionConfiguration {
  const environment = configuration.Environment;
  return {
    version: configuration.Version ?? '$LATEST',
    revisionId: configuration.RevisionId!,
    codeSha256: configuration.CodeSha256!,
    packageType: configuration.PackageType === 'Image' ? 'Image' : 'Zip',
    ...(code?.ImageUri ? { imageUri: code.ImageUri } : {}),
    ...(code?.ResolvedImageUri ? { resolvedImageUri: code.ResolvedImageUri } : {}),
    ...(configuration.Handler !== undefined ? { handler: configuration.Handler } : {}),
    ...(configuration.Runtime !== undefined ? { runtime: configuration.Runtime } : {}),
    ...(configuration.MemorySize !== undefined ? { memorySize: configuration.MemorySize } : {}),
    ...(configuration.Timeout !== undefined ? { timeoutSeconds: configuration.Timeout } : {}),
    ...(configuration.Description !== undefined ? { description: configuration.Description } : {}),
    layers: (configuration.Layers ?? []).flatMap((layer) => (layer.Arn ? [layer.Arn] : [])),
    architectures: configuration.Architectures ?? ['x86_64'],
    // Lambda reports an error instead of the variables when it cannot decrypt them for this caller.
    ...(environment?.Error ? {} : { environment: { ...(environment?.Variables ?? {}) } })
  };
}

function reasonText(code: string | undefined, reason: string | undefined): string | undefined {
  if (!code && !reason) return undefined;
  return [code, reason].filter(Boolean).join(': ');
}

async function notFoundAsUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error: unknown) {
    if (error instanceof ResourceNotFound) return undefined;
    throw error;
  }
}

/** The fields of a provisioned-concurrency answer; a status Lambda did not send counts as not ready. */
function provisionedOf(answer: GetProvisionedConcurrencyConfigResponse, operation: string): ProvisionedConcurrency {
  const requested = answer.RequestedProvisionedConcurrentExecutions;
  if (requested === undefined) throw new NoAnswer(`${operation} answered without the executions requested`, operation);
  const status = answer.Status === 'READY' || answer.Status === 'FAILED' ? answer.Status : 'IN_PROGRESS';
  return {
    requested,
    allocated: answer.AllocatedProvisionedConcurrentExecutions ?? 0,
    available: answer.AvailableProvisionedConcurrentExecutions ?? 0,
    status,
    ...(answer.StatusReason ? { statusReason: answer.StatusReason } : {})
  };
}

function toAliasState(alias: AliasConfiguration): AliasState {
  if (!alias.Name || !alias.AliasArn || !alias.FunctionVersion || !alias.RevisionId) {
    throw new NoAnswer(`Lambda answered with an incomplete alias (name ${alias.Name ?? 'missing'})`, 'GetAlias');
  }
  const [additional] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
  return {
    name: alias.Name,
    arn: alias.AliasArn,
    version: alias.FunctionVersion,
    revisionId: alias.RevisionId,
    ...(additional ? { additional: { version: additional[0], weight: additional[1] } } : {}),
    ...(alias.Description ? { description: alias.Description } : {})
  };
}

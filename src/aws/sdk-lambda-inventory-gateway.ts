import {
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  ListAliasesCommand,
  ListEventSourceMappingsCommand,
  ListFunctionUrlConfigsCommand,
  ListProvisionedConcurrencyConfigsCommand,
  ListVersionsByFunctionCommand
} from '@aws-sdk/client-lambda';
import { identifiersOfRef, parseFunctionRef } from './arn.js';
import type { AwsClients } from './clients.js';
import { NoAnswer, ResourceNotFound } from './failures.js';
import { callLambda, type LambdaSend } from './lambda-call.js';
import type { LambdaGatewayOptions } from './sdk-lambda-gateway.js';
import type {
  EventSourceMapping,
  FunctionUrl,
  LambdaInventoryGateway,
  ListedAlias,
  ListedVersion,
  VersionState
} from './lambda-inventory-gateway.js';

/**
 * More pages than any function has (Lambda keeps at most 75 GB of code per region; a page is 50 or
 * 100 items): an endpoint that keeps answering with a marker is broken, and the read stops.
 */
const MAX_PAGES = 1_000;

/**
 * LambdaInventoryGateway over the AWS SDK v3 client, each call in the function's region, with the
 * clients' retries and time limits and the caller's abort signal (see lambda-call.ts). Like the
 * Lambda gateway, it tells its owner the identifiers Lambda's answers name (versions, aliases,
 * ARNs, which the action prints) and the variables of the configurations it reads (secrets).
 */
export class SdkLambdaInventoryGateway implements LambdaInventoryGateway {
  constructor(
    private readonly clients: AwsClients,
    private readonly options: LambdaGatewayOptions = {}
  ) {}

  listEventSourceMappings(functionRef: string, signal?: AbortSignal): Promise<EventSourceMapping[]> {
    return this.allPages('ListEventSourceMappings', functionRef, signal, async (marker, client, o) => {
      const page = await client.send(
        new ListEventSourceMappingsCommand({ FunctionName: functionRef, Marker: marker, MaxItems: 100 }),
        o
      );
      for (const m of page?.EventSourceMappings ?? [])
        this.identified(...identifiersOfRef(m.FunctionArn ?? ''), m.EventSourceArn, m.UUID);
      return {
        items: (page?.EventSourceMappings ?? []).flatMap((m) =>
          m.UUID && m.FunctionArn
            ? [
                {
                  uuid: m.UUID,
                  functionArn: m.FunctionArn,
                  ...(m.EventSourceArn ? { eventSource: m.EventSourceArn } : {}),
                  ...(m.State ? { state: m.State } : {})
                }
              ]
            : []
        ),
        next: page?.NextMarker
      };
    });
  }

  listFunctionUrls(functionRef: string, signal?: AbortSignal): Promise<FunctionUrl[]> {
    return this.allPages('ListFunctionUrlConfigs', functionRef, signal, async (marker, client, o) => {
      const page = await client.send(
        new ListFunctionUrlConfigsCommand({ FunctionName: functionRef, Marker: marker, MaxItems: 50 }),
        o
      );
      for (const u of page?.FunctionUrlConfigs ?? []) this.identified(...identifiersOfRef(u.FunctionArn ?? ''), u.FunctionUrl);
      return {
        items: (page?.FunctionUrlConfigs ?? []).flatMap((u) =>
          u.FunctionUrl && u.FunctionArn
            ? [{ url: u.FunctionUrl, functionArn: u.FunctionArn, ...(u.AuthType ? { authType: u.AuthType } : {}) }]
            : []
        ),
        next: page?.NextMarker
      };
    });
  }

  async getPolicy(functionRef: string, qualifier: string | undefined, signal?: AbortSignal): Promise<string | undefined> {
    try {
      const answer = await this.call('GetPolicy', functionRef, signal, (client, o) =>
        client.send(
          new GetPolicyCommand({ FunctionName: functionRef, ...(qualifier !== undefined ? { Qualifier: qualifier } : {}) }),
          o
        )
      );
      return answer?.Policy;
    } catch (error: unknown) {
      // Lambda answers 404 for a function (or qualifier) without a policy: nothing is granted there.
      if (error instanceof ResourceNotFound) return undefined;
      throw error;
    }
  }

  listVersions(functionRef: string, signal?: AbortSignal): Promise<ListedVersion[]> {
    return this.allPages('ListVersionsByFunction', functionRef, signal, async (marker, client, o) => {
      const page = await client.send(
        new ListVersionsByFunctionCommand({ FunctionName: functionRef, Marker: marker, MaxItems: 50 }),
        o
      );
      return {
        items: (page?.Versions ?? []).flatMap((v) => {
          this.variablesSeen(v.Environment?.Variables);
          if (!v.Version || !/^\d+$/.test(v.Version)) return [];
          this.identified(v.Version);
          const at = v.LastModified ? Date.parse(v.LastModified) : NaN;
          return [{ version: v.Version, ...(Number.isFinite(at) ? { lastModifiedMs: at } : {}) }];
        }),
        next: page?.NextMarker
      };
    });
  }

  listAliasRoutings(functionRef: string, signal?: AbortSignal): Promise<ListedAlias[]> {
    return this.allPages('ListAliases', functionRef, signal, async (marker, client, o) => {
      const page = await client.send(new ListAliasesCommand({ FunctionName: functionRef, Marker: marker }), o);
      return {
        items: (page?.Aliases ?? []).flatMap((alias) => {
          if (!alias.Name || !alias.FunctionVersion) return [];
          this.identified(alias.Name, alias.FunctionVersion, ...identifiersOfRef(alias.AliasArn ?? ''));
          const [additional] = Object.entries(alias.RoutingConfig?.AdditionalVersionWeights ?? {});
          return [
            {
              name: alias.Name,
              version: alias.FunctionVersion,
              ...(additional ? { additional: { version: additional[0], weight: additional[1] } } : {}),
              ...(alias.Description ? { description: alias.Description } : {})
            }
          ];
        }),
        next: page?.NextMarker
      };
    });
  }

  listProvisionedConcurrency(functionRef: string, signal?: AbortSignal): Promise<string[]> {
    return this.allPages('ListProvisionedConcurrencyConfigs', functionRef, signal, async (marker, client, o) => {
      const page = await client.send(
        new ListProvisionedConcurrencyConfigsCommand({ FunctionName: functionRef, Marker: marker, MaxItems: 50 }),
        o
      );
      return {
        items: (page?.ProvisionedConcurrencyConfigs ?? []).flatMap((config) => {
          const qualifier = config.FunctionArn ? parseFunctionRef(config.FunctionArn)?.qualifier : undefined;
          this.identified(qualifier);
          return qualifier ? [qualifier] : [];
        }),
        next: page?.NextMarker
      };
    });
  }

  async getVersionState(functionRef: string, version: string, signal?: AbortSignal): Promise<VersionState> {
    const answer = await this.call('GetFunctionConfiguration', functionRef, signal, (client, o) =>
      client.send(new GetFunctionConfigurationCommand({ FunctionName: functionRef, Qualifier: version }), o)
    );
    if (!answer)
      throw new NoAnswer(`GetFunctionConfiguration answered nothing for ${functionRef}:${version}`, 'GetFunctionConfiguration');
    const state = answer.State ?? 'Active';
    const reason = [answer.StateReasonCode, answer.StateReason].filter(Boolean).join(': ');
    // Only these fields leave: the rest of a configuration holds the environment variables.
    return {
      state,
      ...(state !== 'Active' && reason ? { reason } : {}),
      snapStart: answer.SnapStart?.OptimizationStatus === 'On',
      ...(answer.Description ? { description: answer.Description } : {})
    };
  }

  async deleteVersion(functionRef: string, version: string, signal?: AbortSignal): Promise<void> {
    // Without a version, DeleteFunction deletes the whole function: never send one that is not a number.
    if (!/^\d+$/.test(version))
      throw new TypeError(`refusing to delete ${functionRef}:${version}: only a version number may be deleted`);
    if (parseFunctionRef(functionRef)?.qualifier !== undefined)
      throw new TypeError(`refusing to delete a version of ${functionRef}: name the function without a qualifier`);
    await this.call('DeleteFunction', functionRef, signal, (client, o) =>
      client.send(new DeleteFunctionCommand({ FunctionName: functionRef, Qualifier: version }), o)
    );
  }

  /** Hands identifiers Lambda named to the owner (see LambdaGatewayOptions). */
  private identified(...identifiers: Array<string | undefined>): void {
    const named = identifiers.filter((identifier): identifier is string => identifier !== undefined && identifier !== '');
    if (named.length > 0) this.options.onIdentifiers?.(named);
  }

  /** Hands the values of a configuration's environment variables to the owner (see LambdaGatewayOptions). */
  private variablesSeen(variables: Record<string, string> | undefined): void {
    if (variables && this.options.onVariables) this.options.onVariables(Object.values(variables));
  }

  private call<T>(operation: string, functionRef: string, signal: AbortSignal | undefined, send: LambdaSend<T>): Promise<T> {
    return callLambda(this.clients, operation, functionRef, signal, send);
  }

  /** Reads every page of a list, each page one bounded, cancellable call. */
  private async allPages<T>(
    operation: string,
    functionRef: string,
    signal: AbortSignal | undefined,
    page: (
      marker: string | undefined,
      ...send: Parameters<LambdaSend<unknown>>
    ) => Promise<{ items: T[]; next: string | undefined }>
  ): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let marker: string | undefined;
    for (let pages = 0; pages < MAX_PAGES; pages++) {
      const answer = await this.call(operation, functionRef, signal, (client, o) => page(marker, client, o));
      items.push(...answer.items);
      if (!answer.next) return items;
      if (seen.has(answer.next)) break;
      seen.add(answer.next);
      marker = answer.next;
    }
    throw new NoAnswer(
      `${operation} of ${functionRef} kept answering with more pages (a marker given twice, or over ${MAX_PAGES} pages)`,
      operation
    );
  }
}

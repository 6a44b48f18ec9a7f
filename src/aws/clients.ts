import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';

/** How every AWS call is made: retries and time limits (the `max-retries` and `aws-*-timeout` inputs). */
export interface AwsCallSettings {
  /** Retries per call on throttling and transient errors (SDK standard retry mode). */
  readonly maxRetries: number;
  /** Time limit to open a connection. */
  readonly connectTimeoutMs: number;
  /** Time limit of one attempt, from sending the request to the answer's headers. */
  readonly requestTimeoutMs: number;
  /**
   * The region of everything named without an ARN: the function's own region when `function-name`
   * is a full ARN, else undefined (the SDK's default chain: AWS_REGION, the profile).
   */
  readonly region?: string;
}

export type AwsService = 'lambda' | 'cloudwatch' | 'codedeploy';

/**
 * SDK clients, one per service and region, made on first use. Credentials and endpoints come from
 * the default chain and environment (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA, ...), never from
 * inputs. Each client has the standard retry strategy and a connection and request time limit, so
 * that a connection that is accepted but never answered fails instead of hanging.
 */
export class AwsClients {
  private readonly lambdas = new Map<string, LambdaClient>();
  private readonly cloudwatches = new Map<string, CloudWatchClient>();
  private readonly codedeploys = new Map<string, CodeDeployClient>();

  constructor(
    readonly settings: AwsCallSettings,
    private readonly env: NodeJS.ProcessEnv = process.env
  ) {}

  /** The region used for `region` (undefined: the default one, if any is configured). */
  regionFor(region?: string): string | undefined {
    // The SDK reads AWS_REGION itself; AWS_DEFAULT_REGION (AWS CLI convention) it does not.
    return region ?? this.settings.region ?? (nonEmpty(this.env.AWS_REGION) || nonEmpty(this.env.AWS_DEFAULT_REGION));
  }

  lambda(region?: string): LambdaClient {
    const resolved = this.regionFor(region);
    return cached(this.lambdas, resolved, () => new LambdaClient(this.clientConfig(resolved)));
  }

  cloudwatch(region?: string): CloudWatchClient {
    const resolved = this.regionFor(region);
    return cached(this.cloudwatches, resolved, () => new CloudWatchClient(this.clientConfig(resolved)));
  }

  /** CodeDeploy (`engine: codedeploy`), with the same retries and time limits as the others. */
  codedeploy(region?: string): CodeDeployClient {
    const resolved = this.regionFor(region);
    return cached(this.codedeploys, resolved, () => new CodeDeployClient(this.clientConfig(resolved)));
  }

  /** Where calls to `service` in `region` go, for messages about an endpoint that answered oddly. */
  endpoint(service: AwsService, region?: string): string {
    const specific =
      service === 'lambda'
        ? this.env.AWS_ENDPOINT_URL_LAMBDA
        : service === 'codedeploy'
          ? this.env.AWS_ENDPOINT_URL_CODEDEPLOY
          : this.env.AWS_ENDPOINT_URL_CLOUDWATCH;
    const configured = nonEmpty(specific) || nonEmpty(this.env.AWS_ENDPOINT_URL);
    if (configured) return configured;
    const resolved = this.regionFor(region);
    const host = service === 'lambda' ? 'lambda' : service === 'codedeploy' ? 'codedeploy' : 'monitoring';
    return resolved ? `https://${host}.${resolved}.amazonaws.com` : `the ${service} endpoint (no region configured)`;
  }

  destroy(): void {
    for (const client of [...this.lambdas.values(), ...this.cloudwatches.values(), ...this.codedeploys.values()])
      client.destroy();
    this.lambdas.clear();
    this.cloudwatches.clear();
    this.codedeploys.clear();
  }

  private clientConfig(region: string | undefined): ClientConfig {
    const { maxRetries, connectTimeoutMs, requestTimeoutMs } = this.settings;
    return {
      maxAttempts: maxRetries + 1,
      retryMode: 'standard',
      requestHandler: { connectionTimeout: connectTimeoutMs, requestTimeout: requestTimeoutMs, throwOnRequestTimeout: true },
      ...(region ? { region } : {})
    };
  }
}

interface ClientConfig {
  readonly maxAttempts: number;
  readonly retryMode: string;
  readonly requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  readonly region?: string;
}

function cached<T>(cache: Map<string, T>, region: string | undefined, make: () => T): T {
  const key = region ?? '';
  let client = cache.get(key);
  if (!client) {
    client = make();
    cache.set(key, client);
  }
  return client;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

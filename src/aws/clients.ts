import { LambdaClient } from '@aws-sdk/client-lambda';

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

export type AwsService = 'lambda' | 'cloudwatch' | 's3' | 'codedeploy';

/** Where each service's endpoint may be overridden, besides AWS_ENDPOINT_URL (the SDK reads the same variables). */
const ENDPOINT_VARIABLES: Record<AwsService, string> = {
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  cloudwatch: 'AWS_ENDPOINT_URL_CLOUDWATCH',
  s3: 'AWS_ENDPOINT_URL_S3',
  codedeploy: 'AWS_ENDPOINT_URL_CODEDEPLOY'
};
const HOSTS: Record<AwsService, string> = { lambda: 'lambda', cloudwatch: 'monitoring', s3: 's3', codedeploy: 'codedeploy' };

/** What every SDK client is, to this class: something to close when the step ends. */
export interface SdkClient {
  destroy(): void;
}

/**
 * SDK clients, one per service and region, made on first use. Credentials and endpoints come from
 * the default chain and environment (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA, ...), never from
 * inputs. Each client has the standard retry strategy and a connection and request time limit, so
 * that a connection that is accepted but never answered fails instead of hanging. Lambda's client
 * is made here; the others by the gateway that uses them (see `client`), so that a run loads the
 * SDK package of a service only when it calls that service.
 */
export class AwsClients {
  private readonly lambdas = new Map<string, LambdaClient>();
  private readonly others = new Map<string, SdkClient>();

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
    return cached(this.lambdas, resolved ?? '', () => new LambdaClient(this.clientConfig(resolved)));
  }

  /**
   * The client of `service` in `region`, made on first use by `make` from the shared configuration
   * (retries, time limits, region); closed with the others by destroy().
   */
  client<T extends SdkClient>(
    service: Exclude<AwsService, 'lambda'>,
    region: string | undefined,
    make: (config: ClientConfig) => T
  ): T {
    const resolved = this.regionFor(region);
    return cached(this.others, `${service}/${resolved ?? ''}`, () => make(this.clientConfig(resolved))) as T;
  }

  /** Whether calls to `service` go to an endpoint set in the environment (an emulator, LocalStack, MinIO). */
  hasCustomEndpoint(service: AwsService): boolean {
    return this.customEndpoint(service) !== undefined;
  }

  /** Where calls to `service` in `region` go, for messages about an endpoint that answered oddly. */
  endpoint(service: AwsService, region?: string): string {
    const configured = this.customEndpoint(service);
    if (configured) return configured;
    const resolved = this.regionFor(region);
    return resolved ? `https://${HOSTS[service]}.${resolved}.amazonaws.com` : `the ${service} endpoint (no region configured)`;
  }

  destroy(): void {
    for (const client of [...this.lambdas.values(), ...this.others.values()]) client.destroy();
    this.lambdas.clear();
    this.others.clear();
  }

  private customEndpoint(service: AwsService): string | undefined {
    return nonEmpty(this.env[ENDPOINT_VARIABLES[service]]) || nonEmpty(this.env.AWS_ENDPOINT_URL);
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

/** The configuration every client is made with. */
export interface ClientConfig {
  readonly maxAttempts: number;
  readonly retryMode: string;
  readonly requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  readonly region?: string;
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
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

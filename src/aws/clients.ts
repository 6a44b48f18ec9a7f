import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
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

export type AwsService = 'lambda' | 'cloudwatch' | 's3' | 'codedeploy';

/** Where each service's endpoint may be overridden, besides AWS_ENDPOINT_URL (the SDK reads the same variables). */
const ENDPOINT_VARIABLES: Record<AwsService, string> = {
  lambda: 'AWS_ENDPOINT_URL_LAMBDA',
  cloudwatch: 'AWS_ENDPOINT_URL_CLOUDWATCH',
  s3: 'AWS_ENDPOINT_URL_S3',
  codedeploy: 'AWS_ENDPOINT_URL_CODEDEPLOY'
};
const HOSTS: Record<AwsService, string> = { lambda: 'lambda', cloudwatch: 'monitoring', s3: 's3', codedeploy: 'codedeploy' };

/**
 * SDK clients, one per service and region, made on first use. Credentials and endpoints come from
 * the default chain and environment (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_LAMBDA, ...), never from
 * inputs. Each client has the standard retry strategy and a connection and request time limit, so
 * that a connection that is accepted but never answered fails instead of hanging.
 */
export class AwsClients {
  private readonly lambdas = new Map<string, LambdaClient>();
  private readonly cloudwatches = new Map<string, CloudWatchClient>();
  private readonly s3s = new Map<string, S3Client>();
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

  /**
   * S3, for reading a code object. An endpoint set in the environment (an emulator, LocalStack,
   * MinIO) is addressed path-style (`/<bucket>/<key>`): such endpoints seldom resolve bucket names
   * as host names.
   */
  s3(region?: string): S3Client {
    const resolved = this.regionFor(region);
    const custom = this.customEndpoint('s3') !== undefined;
    return cached(
      this.s3s,
      resolved,
      () => new S3Client({ ...this.clientConfig(resolved), ...(custom ? { forcePathStyle: true } : {}) })
    );
  }

  /** CodeDeploy (`engine: codedeploy`), with the same retries and time limits as the others. */
  codedeploy(region?: string): CodeDeployClient {
    const resolved = this.regionFor(region);
    return cached(this.codedeploys, resolved, () => new CodeDeployClient(this.clientConfig(resolved)));
  }

  /** Where calls to `service` in `region` go, for messages about an endpoint that answered oddly. */
  endpoint(service: AwsService, region?: string): string {
    const configured = this.customEndpoint(service);
    if (configured) return configured;
    const resolved = this.regionFor(region);
    return resolved ? `https://${HOSTS[service]}.${resolved}.amazonaws.com` : `the ${service} endpoint (no region configured)`;
  }

  destroy(): void {
    const all = [...this.lambdas.values(), ...this.cloudwatches.values(), ...this.s3s.values(), ...this.codedeploys.values()];
    for (const client of all) client.destroy();
    this.lambdas.clear();
    this.cloudwatches.clear();
    this.s3s.clear();
    this.codedeploys.clear();
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

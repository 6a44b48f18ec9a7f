import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** SDK clients for one deployment. */
export interface AwsClients {
  readonly lambda: LambdaClient;
  readonly cloudwatch: CloudWatchClient;
}

/**
 * Clients with the SDK's standard retry strategy (backoff with jitter, throttling-aware).
 * Credentials and endpoints come from the default chain and environment (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_LAMBDA, ...), never from inputs. `fallbackRegion` (from a function ARN) is used
 * only when the environment names no region.
 */
export function createAwsClients(options: { maxRetries: number; fallbackRegion?: string }): AwsClients {
  // The SDK reads AWS_REGION itself; AWS_DEFAULT_REGION (AWS CLI convention) it does not.
  const region = process.env.AWS_REGION ? undefined : process.env.AWS_DEFAULT_REGION || options.fallbackRegion;
  const config = { maxAttempts: options.maxRetries + 1, retryMode: 'standard', ...(region ? { region } : {}) };
  return { lambda: new LambdaClient(config), cloudwatch: new CloudWatchClient(config) };
}

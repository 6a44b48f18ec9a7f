import type { AlarmGateway } from '../aws/alarm-gateway.js';
import { AwsClients } from '../aws/clients.js';
import type { CodeObjectGateway } from '../aws/code-object-gateway.js';
import type { CodeDeployGateway } from '../aws/codedeploy-gateway.js';
import type { MetricsGateway } from '../aws/metrics-gateway.js';
import { SdkLambdaGateway } from '../aws/sdk-lambda-gateway.js';
import type { Settings } from '../config/settings.js';
import { loadOnFirstCall } from './load-on-first-call.js';
import { redactor } from './output.js';

/**
 * The AWS side of one step: clients made on first use, the gateways over them, and their end.
 * Every run calls Lambda; the other gateways (and their SDK packages) load on their first call.
 */
export class AwsSession {
  readonly lambda: SdkLambdaGateway;
  readonly alarms: AlarmGateway;
  readonly metrics: MetricsGateway;
  /** Reads S3 code objects (the s3-bucket source), to hash them before anything is written. */
  readonly codeObjects: CodeObjectGateway;
  /** `engine: codedeploy`. */
  readonly codedeploy: CodeDeployGateway;
  private readonly clients: AwsClients;

  constructor(settings: Settings) {
    const clients = new AwsClients({
      maxRetries: settings.maxRetries,
      connectTimeoutMs: settings.awsConnectTimeoutMs,
      requestTimeoutMs: settings.awsRequestTimeoutMs,
      ...(settings.defaultRegion ? { region: settings.defaultRegion } : {})
    });
    this.clients = clients;
    // Each function's current variables are secrets too, from the first read of its configuration.
    this.lambda = new SdkLambdaGateway(clients, { onVariables: (values) => redactor.add(values) });
    this.alarms = loadOnFirstCall(async () => new (await import('../aws/alarm-gateway.js')).CloudWatchAlarmGateway(clients), {});
    this.metrics = loadOnFirstCall(
      async () => new (await import('../aws/cloudwatch-metrics-gateway.js')).CloudWatchMetricsGateway(clients),
      {}
    );
    this.codeObjects = loadOnFirstCall(
      async () => new (await import('../aws/code-object-gateway.js')).S3CodeObjectGateway(clients),
      {}
    );
    this.codedeploy = loadOnFirstCall(
      async () => new (await import('../aws/sdk-codedeploy-gateway.js')).SdkCodeDeployGateway(clients),
      { region: clients.regionFor(undefined) }
    );
  }

  /** Closes the clients' connections, so that the process can exit. */
  close(): void {
    this.clients.destroy();
  }
}

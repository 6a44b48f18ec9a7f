import { CloudWatchAlarmGateway } from '../aws/alarm-gateway.js';
import { AwsClients } from '../aws/clients.js';
import { CloudWatchMetricsGateway } from '../aws/cloudwatch-metrics-gateway.js';
import { S3CodeObjectGateway } from '../aws/code-object-gateway.js';
import { SdkLambdaGateway } from '../aws/sdk-lambda-gateway.js';
import { SdkCodeDeployGateway } from '../aws/sdk-codedeploy-gateway.js';
import type { Settings } from '../config/settings.js';

/** The AWS side of one step: clients made on first use, the gateways over them, and their end. */
export class AwsSession {
  readonly lambda: SdkLambdaGateway;
  readonly alarms: CloudWatchAlarmGateway;
  readonly metrics: CloudWatchMetricsGateway;
  /** Reads S3 code objects (the s3-bucket source), to hash them before anything is written. */
  readonly codeObjects: S3CodeObjectGateway;
  /** `engine: codedeploy` (its client is made on first use, like the others). */
  readonly codedeploy: SdkCodeDeployGateway;
  private readonly clients: AwsClients;

  constructor(settings: Settings) {
    this.clients = new AwsClients({
      maxRetries: settings.maxRetries,
      connectTimeoutMs: settings.awsConnectTimeoutMs,
      requestTimeoutMs: settings.awsRequestTimeoutMs,
      ...(settings.defaultRegion ? { region: settings.defaultRegion } : {})
    });
    this.lambda = new SdkLambdaGateway(this.clients);
    this.alarms = new CloudWatchAlarmGateway(this.clients);
    this.metrics = new CloudWatchMetricsGateway(this.clients);
    this.codeObjects = new S3CodeObjectGateway(this.clients);
    this.codedeploy = new SdkCodeDeployGateway(this.clients);
  }

  /** Closes the clients' connections, so that the process can exit. */
  close(): void {
    this.clients.destroy();
  }
}

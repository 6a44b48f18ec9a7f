import { CloudWatchAlarmGateway } from '../aws/alarm-gateway.js';
import { AwsClients } from '../aws/clients.js';
import { SdkLambdaGateway } from '../aws/sdk-lambda-gateway.js';
import { SdkCodeDeployGateway } from '../aws/sdk-codedeploy-gateway.js';
import type { Settings } from '../config/settings.js';

/** The AWS side of one step: clients made on first use, the gateways over them, and their end. */
export class AwsSession {
  readonly lambda: SdkLambdaGateway;
  readonly alarms: CloudWatchAlarmGateway;
  /** `engine: codedeploy` (its client is made on first use, like the others). */
  readonly codedeploy: SdkCodeDeployGateway;
  private readonly clients: AwsClients;

  constructor(settings: Settings) {
    this.clients = new AwsClients({
      maxRetries: settings.maxRetries,
      connectTimeoutMs: settings.awsConnectTimeoutMs,
      requestTimeoutMs: settings.awsRequestTimeoutMs,
      ...(settings.functionRegion ? { region: settings.functionRegion } : {})
    });
    this.lambda = new SdkLambdaGateway(this.clients);
    this.alarms = new CloudWatchAlarmGateway(this.clients);
    this.codedeploy = new SdkCodeDeployGateway(this.clients);
  }

  /** Closes the clients' connections, so that the process can exit. */
  close(): void {
    this.clients.destroy();
  }
}

import type { AlarmGateway } from './alarm-gateway.js';
import { AwsClients, type AwsCallSettings } from './clients.js';
import type { CodeObjectGateway } from './code-object-gateway.js';
import type { CodeDeployGateway } from './codedeploy-gateway.js';
import type { LambdaGateway } from './lambda-gateway.js';
import type { LambdaInventoryGateway } from './lambda-inventory-gateway.js';
import { loadOnFirstCall } from './load-on-first-call.js';
import type { MetricsGateway, SpilloverMetrics } from './metrics-gateway.js';
import { SdkLambdaGateway, type LambdaGatewayOptions } from './sdk-lambda-gateway.js';
import { SdkLambdaInventoryGateway } from './sdk-lambda-inventory-gateway.js';

/** Every gateway a step may call. */
export interface AwsGateways {
  readonly lambda: LambdaGateway;
  /** What surrounds a function's alias: its triggers, versions, aliases, provisioned concurrency (and pruning). */
  readonly inventory: LambdaInventoryGateway;
  readonly alarms: AlarmGateway;
  readonly metrics: MetricsGateway & SpilloverMetrics;
  /** Reads S3 code objects (the s3-bucket source), to hash them before anything is written. */
  readonly codeObjects: CodeObjectGateway;
  /** `engine: codedeploy`. */
  readonly codedeploy: CodeDeployGateway;
}

/**
 * The AWS side of one step: clients made on first use, the gateways over them, and their end.
 * Every run calls Lambda; the other gateways (and their SDK packages) load on their first call.
 */
export class AwsSession implements AwsGateways {
  readonly lambda: SdkLambdaGateway;
  readonly inventory: LambdaInventoryGateway;
  readonly alarms: AlarmGateway;
  readonly metrics: MetricsGateway & SpilloverMetrics;
  readonly codeObjects: CodeObjectGateway;
  readonly codedeploy: CodeDeployGateway;
  private readonly clients: AwsClients;

  /**
   * @param calls how every call is made: retries, time limits, the region of what is named without an ARN
   * @param observer what the Lambda gateway tells of its answers besides the answers (see LambdaGatewayOptions)
   */
  constructor(calls: AwsCallSettings, observer: LambdaGatewayOptions = {}) {
    const clients = new AwsClients(calls);
    this.clients = clients;
    this.lambda = new SdkLambdaGateway(clients, observer);
    this.inventory = new SdkLambdaInventoryGateway(clients, observer);
    this.alarms = loadOnFirstCall(async () => new (await import('./alarm-gateway.js')).CloudWatchAlarmGateway(clients), {});
    this.metrics = loadOnFirstCall(
      async () => new (await import('./cloudwatch-metrics-gateway.js')).CloudWatchMetricsGateway(clients),
      {}
    );
    this.codeObjects = loadOnFirstCall(
      async () => new (await import('./code-object-gateway.js')).S3CodeObjectGateway(clients),
      {}
    );
    this.codedeploy = loadOnFirstCall(
      async () => new (await import('./sdk-codedeploy-gateway.js')).SdkCodeDeployGateway(clients),
      { region: clients.regionFor(undefined) }
    );
  }

  /** Closes the clients' connections, so that the process can exit. */
  close(): void {
    this.clients.destroy();
  }
}

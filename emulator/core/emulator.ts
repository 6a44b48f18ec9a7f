import { prepareCloudWatchCall } from '../cloudwatch/operations.js';
import { CloudWatchService } from '../cloudwatch/service.js';
import { prepareCodeDeployCall } from '../codedeploy/operations.js';
import { CodeDeployService } from '../codedeploy/service.js';
import { callControl, CONTROL_METHODS, type EmulatorControl, type EmulatorParts } from '../control/table.js';
import { prepareLambdaCall } from '../lambda/operations.js';
import { LambdaService } from '../lambda/service.js';
import { S3Objects } from '../s3/objects.js';
import { prepareS3Call } from '../s3/operations.js';
import { ArnBuilder, assertNamespace, type Namespace } from '../shared/arn.js';
import { CallLog } from '../shared/call-log.js';
import { Clock } from '../shared/clock.js';
import type { ApiError } from '../shared/errors.js';
import { FaultInjector } from '../shared/faults.js';
import { Identities, type Caller, type CallerOptions } from '../shared/identity.js';
import type { PreparedCall } from '../shared/operation.js';
import type { CallLogEntry, ServiceName } from '../shared/types.js';
import { settle } from './in-process.js';
import { runCall, type CallOutcome } from './pipeline.js';

/** Options accepted by `startEmulator` and `new Emulator`. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a random free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /**
   * Default region: where functions and alarms are created when their spec names none, and the region of
   * callers that name none (unsigned requests). Default us-east-1.
   */
  region?: string;
  /** Default 12-digit account id: of created resources without one, and of callers whose access key is unknown. Default 123456789012. */
  accountId?: string;
  /** Emulator clock in epoch ms; default Date.now. All timed state (updates, pending versions, scheduled alarm changes) reads this. */
  now?: () => number;
  /**
   * How real delays are waited out: latency faults and queued Invoke results' delayMs. Default
   * setTimeout. A test can pass its own to see the delay asked for and release the answer when it likes.
   */
  sleep?: (ms: number) => Promise<void>;
  /** Seed for alias weighted routing; default 1. */
  seed?: number;
  /**
   * How long one CodeDeploy minute lasts on the emulator clock (ms): a canary's bake, a linear step and a
   * hook's one-hour deadline are counted in these minutes. Default 60 000 (real time); `setCodeDeployTiming`
   * changes it until `reset`.
   */
  codeDeployMinuteMs?: number;
}

/**
 * The emulator, independent of any transport: the AWS model, the control methods (generated from
 * control/table.ts) and the AWS operations, run in-process with `handleOperation` or over HTTP by
 * server/. Both run the same pipeline: faults, IAM, the operation, the call log.
 */
export class Emulator {
  readonly clock: Clock;
  /** ARNs of the default account and region. */
  readonly arns: ArnBuilder;
  /** The models behind the control methods and the AWS operations (for the fronts; tests use the methods). */
  readonly parts: EmulatorParts;

  constructor(options: EmulatorOptions = {}) {
    this.clock = new Clock(options.now, options.sleep);
    this.arns = new ArnBuilder(options.region ?? 'us-east-1', options.accountId ?? '123456789012');
    assertNamespace(this.arns);
    const defaults: Namespace = { region: this.arns.region, accountId: this.arns.accountId };
    const cloudwatch = new CloudWatchService(defaults, this.clock);
    const s3 = new S3Objects();
    const lambda = new LambdaService(defaults, this.clock, cloudwatch.recordInvocation, options.seed ?? 1, s3);
    const log = new CallLog();
    // Metrics read the traffic model's calls: those due by now are made first.
    cloudwatch.metrics.settleBeforeRead(() => lambda.traffic.catchUp());
    this.parts = {
      clock: this.clock,
      cloudwatch,
      s3,
      lambda,
      codedeploy: new CodeDeployService(defaults, this.clock, lambda, cloudwatch.alarms, log, options.codeDeployMinuteMs),
      faults: new FaultInjector(),
      identities: new Identities(defaults),
      log
    };
  }

  /**
   * Runs one AWS operation in-process, with the SDK command's input (e.g. UpdateAlias:
   * `{ FunctionName, Name, FunctionVersion, RoutingConfig, RevisionId }`; Invoke: `{ FunctionName,
   * InvocationType, Payload: Uint8Array }`; CodeDeploy's GetDeployment: `{ deploymentId }`). Resolves with the SDK output shape (with `$metadata`), or
   * rejects as the SDK would: a service error named after its AWS code with `$metadata.httpStatusCode`
   * (EmulatedServiceException), a SyntaxError for an 'html-502', a connection reset for a dropped call;
   * a hung call never settles. Faults and denials apply and the call is logged, as over HTTP.
   * `caller` defaults to the emulator's account and region.
   */
  handleOperation(
    service: ServiceName,
    operation: string,
    input: Record<string, unknown> = {},
    caller: CallerOptions = {}
  ): Promise<unknown> {
    try {
      const who = this.callerOf(caller);
      const call = this.prepareCall(service, operation, input, who);
      return this.runCall(call, who).then((outcome) => settle(service, outcome, this.clock.sleep));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Calls `listener` with each AWS call as the call log takes it: a hung or dropped call as it
   * arrives, any other call once it ran and before its answer goes out. Returns the function that stops
   * listening. For tests that act at a precise point of a run (a cancellation while a call hangs)
   * rather than at a time.
   */
  onCall(listener: (call: CallLogEntry) => void): () => void {
    return this.parts.log.listen(listener);
  }

  /**
   * Resolves, with the matching calls, once `count` calls matching `match` (default: any) are in the
   * call log; at once if they already are. Tests wait on the emulator's progress, never on time.
   */
  waitForCalls(count: number, match: (call: CallLogEntry) => boolean = () => true): Promise<CallLogEntry[]> {
    const matching = (): CallLogEntry[] => this.parts.log.all().filter(match);
    const now = matching();
    if (now.length >= count) return Promise.resolve(now);
    return new Promise((resolve) => {
      const stop = this.onCall(() => {
        const seen = matching();
        if (seen.length < count) return;
        stop();
        resolve(seen);
      });
    });
  }

  /** Who a caller is: the named account (or its access key's), the named region; defaults for the rest. */
  callerOf(who: CallerOptions): Caller {
    return this.parts.identities.callerOf(who);
  }

  /** One call of an SDK operation by `caller`; `inputError` is a request the protocol layer could not parse. */
  prepareCall(
    service: ServiceName,
    operation: string,
    input: Record<string, unknown>,
    caller: Caller,
    inputError?: ApiError
  ): PreparedCall {
    if (service === 'lambda') return prepareLambdaCall(this.parts.lambda, caller, operation, input, inputError);
    if (service === 'cloudwatch') return prepareCloudWatchCall(this.parts.cloudwatch, caller, operation, input, inputError);
    if (service === 'codedeploy') return prepareCodeDeployCall(this.parts.codedeploy, caller, operation, input, inputError);
    if (service === 's3') return prepareS3Call(this.parts.s3, caller, operation, input, inputError);
    throw new RangeError(`unknown service: ${String(service)} (lambda, cloudwatch, codedeploy or s3)`);
  }

  /** Runs a prepared call through faults, IAM denials, the operation and the call log. */
  runCall(call: PreparedCall, caller: Caller): Promise<CallOutcome> {
    return runCall(this.parts, call, caller);
  }
}

// The control methods (reset, createFunction, updateCode, ...) come from the control table.
export interface Emulator extends EmulatorControl {}
for (const name of CONTROL_METHODS) {
  Object.defineProperty(Emulator.prototype, name, {
    value(this: Emulator, ...args: unknown[]) {
      return callControl(this.parts, name, args);
    },
    writable: true,
    configurable: true
  });
}

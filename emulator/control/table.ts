/**
 * The control API, declared once. Each entry is a control method: its parameters (positional in code,
 * members of the JSON body over HTTP) and what it does to the emulator's parts. From this table come
 * the in-process methods (`emu.createFunction(spec)`, core/emulator.ts), the HTTP dispatch
 * (`POST /_emulator/createFunction`, server/control.ts) and `EmulatorClient` (client.ts), with the
 * same types. Adding a control method is adding an entry here (and what it calls on a model).
 *
 * Where a function is named, a plain name means the emulator's default account and region; a full ARN
 * (`arn:aws:lambda:<region>:<account>:function:<name>`) or a partial one (`<account>:function:<name>`,
 * default region) names a function elsewhere. Alarms likewise: a plain name or an alarm ARN.
 */
import type { CloudWatchService } from '../cloudwatch/service.js';
import type { AlarmSnapshot, AlarmSpec, AlarmState, AlarmStateOptions, MetricPublication } from '../cloudwatch/types.js';
import type { CodeDeployService } from '../codedeploy/service.js';
import type { CodeDeploySnapshot, CodeDeployTiming, HookResponseOptions } from '../codedeploy/types.js';
import type { LambdaService } from '../lambda/service.js';
import type {
  CreateFunctionSpec,
  FunctionSnapshot,
  InvokeBehaviourSpec,
  InvokeResultSpec,
  ProvisionedConcurrencyOptions,
  TrafficSnapshot,
  TrafficSpec,
  UpdateCodeOptions
} from '../lambda/types.js';
import type {
  EventSourceMappingSnapshot,
  EventSourceMappingSpec,
  FunctionUrlSpec,
  InactiveVersionOptions,
  PermissionSpec
} from '../lambda/trigger-types.js';
import type { InvocationRecord } from '../shared/invocations.js';
import type { S3Objects } from '../s3/objects.js';
import type { S3ObjectSnapshot } from '../s3/types.js';
import type { CallLog } from '../shared/call-log.js';
import type { Clock } from '../shared/clock.js';
import type { FaultInjector } from '../shared/faults.js';
import type { Identities } from '../shared/identity.js';
import type { CallLogEntry, FaultConfig } from '../shared/types.js';
import { list, number, object, oneOf, optional, param, spread, string, type Param } from './fields.js';

/** The emulator's parts, as the control methods (and the AWS pipeline) act on them. */
export interface EmulatorParts {
  readonly clock: Clock;
  readonly lambda: LambdaService;
  readonly cloudwatch: CloudWatchService;
  readonly codedeploy: CodeDeployService;
  /** Objects that UpdateFunctionCode reads code from (S3Bucket, S3Key) and GetObject answers. */
  readonly s3: S3Objects;
  readonly faults: FaultInjector;
  readonly identities: Identities;
  readonly log: CallLog;
}

/** Whole-emulator snapshot returned by `state()`. */
export interface EmulatorSnapshot {
  nowMs: number;
  functions: FunctionSnapshot[];
  alarms: AlarmSnapshot[];
}

/** One control method: `params` describe the arguments `run` takes after the parts, in order. */
export interface ControlMethod<A extends unknown[], R> {
  readonly params: { readonly [K in keyof A]-?: Param<A[K]> };
  /** Read-only methods also answer GET over HTTP. */
  readonly readOnly: boolean;
  readonly run: (parts: EmulatorParts, ...args: A) => R;
}

/** Declares a control method; the compiler holds `params` to `run`'s own parameter list. */
function method<A extends unknown[], R>(
  params: NoInfer<{ readonly [K in keyof A]-?: Param<A[K]> }>,
  run: (parts: EmulatorParts, ...args: A) => R,
  options: { readOnly?: boolean } = {}
): ControlMethod<A, R> {
  return { params, run, readOnly: options.readOnly === true };
}

const ALARM_STATES = oneOf<AlarmState>('OK', 'ALARM', 'INSUFFICIENT_DATA');

export const CONTROL = {
  /**
   * Clears functions, alarms, metrics, CodeDeploy (applications, groups, custom configurations, deployments,
   * hook responses; timing back to the default), faults, the call log, access keys and denials.
   */
  reset: method([], (p): void => {
    p.lambda.reset();
    p.cloudwatch.reset();
    p.codedeploy.reset();
    p.s3.reset();
    p.faults.reset();
    p.log.reset();
    p.identities.reset();
  }),

  /** Creates a function (as if it had been deployed earlier). Over HTTP the body is the spec. */
  createFunction: method([spread('spec', object<CreateFunctionSpec>())], (p, spec: CreateFunctionSpec) =>
    p.lambda.createFunction(spec)
  ),

  /** Replaces $LATEST's code (as a pipeline would before the action runs); LastUpdateStatus is InProgress for the update's duration. */
  updateCode: method(
    [param('name', string), param('codeSha256', optional(string)), param('options', optional(object<UpdateCodeOptions>()))],
    (p, name: string, codeSha256?: string, options: UpdateCodeOptions = {}) => p.lambda.updateCode(name, codeSha256, options)
  ),

  /** Marks the last update of $LATEST Failed now (an update still in progress ends now, Failed). */
  setLastUpdateFailed: method(
    [param('name', string), param('reason', string), param('reasonCode', string)],
    (p, name: string, reason: string, reasonCode: string) => p.lambda.setLastUpdateFailed(name, reason, reasonCode)
  ),

  /** The next update of the function through the API (UpdateFunctionCode or UpdateFunctionConfiguration) ends Failed with this reason, after its duration. */
  failNextUpdate: method(
    [param('name', string), param('reason', string), param('reasonCode', string)],
    (p, name: string, reason: string, reasonCode: string): void => p.lambda.failNextUpdate(name, reason, reasonCode)
  ),

  /** Right before the next `operation` call on the function runs, another writer updates its code (a concurrent deployment). */
  concurrentUpdateBefore: method(
    [param('operation', string), param('name', string)],
    (p, operation: string, name: string): void => p.lambda.concurrentUpdateBefore(operation, name)
  ),

  /** Stores a version of an S3 object (the body base64-encoded), for UpdateFunctionCode's S3Bucket/S3Key and GetObject. */
  putS3Object: method(
    [param('bucket', string), param('key', string), param('bodyBase64', string), param('versionId', optional(string))],
    (p, bucket: string, key: string, bodyBase64: string, versionId?: string): S3ObjectSnapshot =>
      p.s3.put(bucket, key, new Uint8Array(Buffer.from(bodyBase64, 'base64')), versionId)
  ),

  /** Creates or replaces an alarm. Over HTTP the body is the spec. */
  putAlarm: method([spread('spec', object<AlarmSpec>())], (p, spec: AlarmSpec) => p.cloudwatch.alarms.put(spec)),

  /** Sets an alarm's state now, or `afterMs` from now. Over HTTP the options are body members beside name and state. */
  setAlarmState: method(
    [param('name', string), param('state', ALARM_STATES), spread('opts', optional(object<AlarmStateOptions>()))],
    (p, name: string, state: AlarmState, opts: AlarmStateOptions = {}) => p.cloudwatch.alarms.setState(name, state, opts)
  ),

  /** Queues what the function's next invocations answer (FIFO). */
  queueInvokeResults: method(
    [param('functionName', string), param('results', list<InvokeResultSpec>())],
    (p, functionName: string, results: InvokeResultSpec[]): void => p.lambda.queueInvokeResults(functionName, results)
  ),

  /** Sets how one version answers Invoke when nothing is queued: its error rate, error, payload, delay. */
  setInvokeBehaviour: method(
    [param('functionName', string), param('version', string), param('behaviour', object<InvokeBehaviourSpec>())],
    (p, functionName: string, version: string, behaviour: InvokeBehaviourSpec): void =>
      p.lambda.setInvokeBehaviour(functionName, version, behaviour)
  ),

  /**
   * Sets provisioned concurrency on an alias or a version (0 removes it), READY at once as if set long
   * ago; Lambda refuses it on a weighted alias. `allocationMs` sets how long the function's later
   * allocations take (after a change of the setting or of the alias's routing). Over HTTP the options
   * sit beside the named arguments.
   */
  setProvisionedConcurrency: method(
    [
      param('functionName', string),
      param('alias', string),
      param('n', number),
      spread('options', optional(object<ProvisionedConcurrencyOptions>()))
    ],
    (p, functionName: string, alias: string, n: number, options: ProvisionedConcurrencyOptions = {}): void =>
      p.lambda.setProvisionedConcurrency(functionName, alias, n, options)
  ),

  /**
   * The next allocation of the provisioned concurrency of this alias (or version) ends FAILED with
   * `reason` as its StatusReason; on an alias moving to a new version, Lambda's own weights stay.
   */
  failProvisionedConcurrency: method(
    [param('functionName', string), param('alias', string), param('reason', string)],
    (p, functionName: string, alias: string, reason: string): void =>
      p.lambda.failProvisionedConcurrency(functionName, alias, reason)
  ),

  /**
   * An event source mapping (a queue or stream Lambda polls) on the function as named: unqualified,
   * or with an alias, a version or $LATEST (`orders:live`). Over HTTP the body is the spec.
   */
  createEventSourceMapping: method(
    [spread('spec', object<EventSourceMappingSpec>())],
    (p, spec: EventSourceMappingSpec): EventSourceMappingSnapshot => p.lambda.createEventSourceMapping(spec)
  ),

  /** A function URL on the unqualified function or an alias; answers the URL. Over HTTP the body is the spec. */
  createFunctionUrl: method([spread('spec', object<FunctionUrlSpec>())], (p, spec: FunctionUrlSpec): string =>
    p.lambda.createFunctionUrl(spec)
  ),

  /** A grant in the resource-based policy of the function, a version or an alias, as AddPermission adds it. Over HTTP the body is the spec. */
  addPermission: method([spread('spec', object<PermissionSpec>())], (p, spec: PermissionSpec): void =>
    p.lambda.addPermission(spec)
  ),

  /** Sets provisioned concurrency on a published version (0 removes it). */
  setVersionProvisionedConcurrency: method(
    [param('functionName', string), param('version', string), param('n', number)],
    (p, functionName: string, version: string, n: number): void =>
      p.lambda.setVersionProvisionedConcurrency(functionName, version, n)
  ),

  /** A published version goes Inactive (idle); its next invocation wakes it (see InactiveVersionOptions). */
  setVersionInactive: method(
    [param('functionName', string), param('version', string), param('options', optional(object<InactiveVersionOptions>()))],
    (p, functionName: string, version: string, options: InactiveVersionOptions = {}): void =>
      p.lambda.setVersionInactive(functionName, version, options)
  ),

  /** Replaces the random fault configuration. Over HTTP the body is the configuration. */
  setFaults: method([spread('faults', object<FaultConfig>())], (p, faults: FaultConfig): void => p.faults.set(faults)),

  /**
   * The next `count` calls of `operation` fail with `errorCode`: an AWS error code or a SpecialFault;
   * with `functionName`, only the calls about that function (by its plain name); with `message`, an
   * AWS error code's error says that (as AWS would word it) instead of `Injected fault: <code>`.
   */
  failNext: method(
    [
      param('operation', string),
      param('count', number),
      param('errorCode', string),
      param('functionName', optional(string)),
      param('message', optional(string))
    ],
    (p, operation: string, count: number, errorCode: string, functionName?: string, message?: string): void =>
      p.faults.failNext(operation, count, errorCode, functionName, message)
  ),

  /** Drops every fault failNext queued that has not struck yet (setFaults' random configuration stays). */
  clearFailNext: method([], (p): void => p.faults.clearForced()),

  /** Requests signed with this access key id come from `accountId` (unknown keys: the default account). */
  setAccessKeyAccount: method(
    [param('accessKeyId', string), param('accountId', string)],
    (p, accessKeyId: string, accountId: string): void => p.identities.setAccountOf(accessKeyId, accountId)
  ),

  /** Every caller is denied these IAM actions (403, "no identity-based policy allows ..."); `[]` clears. */
  denyActions: method([param('actions', list<string>())], (p, actions: string[]): void => p.identities.deny(actions)),

  /**
   * CodeDeploy's time scale: one CodeDeploy minute (a canary's bake, a linear step) lasts `minuteMs` of emulator
   * time (default 60 000), a lifecycle event waits `hookTimeoutMs` for its hooks' answers (default 60 × minuteMs).
   * Members left out take their defaults; waits already under way keep their end. Over HTTP the body is the timing.
   */
  setCodeDeployTiming: method(
    [spread('timing', object<Partial<CodeDeployTiming>>())],
    (p, timing: Partial<CodeDeployTiming>): CodeDeployTiming => p.codedeploy.setTiming(timing)
  ),

  /**
   * What hook function `functionName` does when CodeDeploy invokes it: report `status` through
   * PutLifecycleEventHookExecutionStatus `afterMs` later (emulator time), as a real hook would; 'None' stops it
   * (the hook then waits for a real PutLifecycleEventHookExecutionStatus). Over HTTP the options sit beside the
   * named arguments.
   */
  setHookResponse: method(
    [
      param('functionName', string),
      param('status', oneOf<'Succeeded' | 'Failed' | 'None'>('Succeeded', 'Failed', 'None')),
      spread('options', optional(object<HookResponseOptions>()))
    ],
    (p, functionName: string, status: 'Succeeded' | 'Failed' | 'None', options: HookResponseOptions = {}): void =>
      p.codedeploy.setHookResponse(functionName, status, options)
  ),

  /**
   * Starts calls through an alias at a steady rate, routed by its weights at each call, each version
   * failing and taking as long as the spec says (see TrafficSpec). Over HTTP the body is the spec.
   */
  startTraffic: method([spread('spec', object<TrafficSpec>())], (p, spec: TrafficSpec): TrafficSnapshot =>
    p.lambda.traffic.start(spec)
  ),

  /** Stops the traffic to one function, or all traffic when no function is named. */
  stopTraffic: method([param('functionName', optional(string))], (p, functionName?: string): void =>
    p.lambda.traffic.stop(functionName)
  ),

  /** How late AWS/Lambda datapoints reach GetMetricData (`{ delayMs }` after their period; `{}`: at once). */
  setMetricPublication: method([spread('publication', object<MetricPublication>())], (p, publication: MetricPublication): void =>
    p.cloudwatch.metrics.setPublication(publication)
  ),

  /** Every invocation of a function so far (the source of its metrics), oldest first. */
  invocationRecords: method([param('functionName', string)], (p, functionName: string): InvocationRecord[] =>
    p.cloudwatch.metrics.invocationsOf(functionName)
  ),

  /** Moves emulator time forward by `ms` on top of the injected clock. */
  advanceTime: method([param('ms', number)], (p, ms: number): void => p.clock.advance(ms)),

  /** Every AWS call so far, in arrival order. */
  calls: method([], (p): CallLogEntry[] => p.log.all(), { readOnly: true }),

  /** Emulated CodeDeploy: applications, groups, custom configurations, deployments with their events and hooks, the timing. */
  codeDeployState: method([], (p): CodeDeploySnapshot => p.codedeploy.snapshot(), { readOnly: true }),

  /** Every function and alarm, and the emulator's time. */
  state: method(
    [],
    (p): EmulatorSnapshot => ({ nowMs: p.clock.now(), functions: p.lambda.snapshots(), alarms: p.cloudwatch.alarms.all() }),
    { readOnly: true }
  )
};

type ControlTable = typeof CONTROL;

/** Name of a control method. */
export type ControlMethodName = keyof ControlTable;

/** The control surface of the in-process emulator: every method of the table, synchronous. */
export type EmulatorControl = {
  [K in ControlMethodName]: ControlTable[K] extends ControlMethod<infer A, infer R> ? (...args: A) => R : never;
};

/** The same control surface over HTTP: every method returns a Promise (see `EmulatorClient`). */
export type AsyncEmulatorControl = {
  [K in ControlMethodName]: (...args: Parameters<EmulatorControl[K]>) => Promise<ReturnType<EmulatorControl[K]>>;
};

/** Every control method's name. */
export const CONTROL_METHODS = Object.keys(CONTROL) as ControlMethodName[];

/** True when `name` is a control method. */
export function isControlMethod(name: string): name is ControlMethodName {
  return Object.hasOwn(CONTROL, name);
}

/** Erases a method's types: the dispatch below works on any entry. */
function entry(name: ControlMethodName): ControlMethod<unknown[], unknown> {
  return CONTROL[name] as unknown as ControlMethod<unknown[], unknown>;
}

/**
 * Runs a control method on the parts; the arguments are checked first, whether they came in-process or over HTTP.
 * What was due on the emulator's clock (CodeDeploy's steps) happens before it.
 */
export function callControl(parts: EmulatorParts, name: ControlMethodName, args: readonly unknown[]): unknown {
  parts.codedeploy.settle();
  const m = entry(name);
  const checked = m.params.map((p, i) => p.check(args[i], `${name}: ${p.name}`));
  return m.run(parts, ...checked);
}

/** Positional arguments → the JSON body (for the client). */
export function bodyOf(name: ControlMethodName, args: readonly unknown[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  entry(name).params.forEach((p, i) => {
    const arg = args[i];
    if (arg === undefined) return;
    if (p.spread) Object.assign(body, arg);
    else body[p.name] = arg;
  });
  return body;
}

/** The JSON body → positional arguments (for the HTTP dispatch; callControl checks them). */
export function argsOf(name: ControlMethodName, body: Record<string, unknown>): unknown[] {
  const params = entry(name).params;
  const named = new Set(params.filter((p) => !p.spread).map((p) => p.name));
  return params.map((p) =>
    p.spread ? Object.fromEntries(Object.entries(body).filter(([key]) => !named.has(key))) : body[p.name]
  );
}

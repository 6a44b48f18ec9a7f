import type { Clock } from '../shared/clock.js';
import { ApiError, lambdaErrors } from '../shared/errors.js';
import type { InvocationSink } from '../shared/invocations.js';
import type { Rng } from '../shared/rng.js';
import type { LambdaModel } from './model.js';
import type { FunctionRecord, VersionRecord } from './records.js';
import type { InvokeResultSpec } from './types.js';

/** Invoke request after its function and qualifier are known. */
export interface InvokeInput {
  qualifier?: string;
  invocationType: 'RequestResponse' | 'Event' | 'DryRun';
  payload: Uint8Array;
}

/** What Invoke answers (the operation turns it into the SDK's InvokeCommandOutput). */
export interface InvokeOutcome {
  status: number;
  executedVersion?: string;
  functionError?: string;
  payload?: string;
  /** Real delay before answering (from a queued result). */
  delayMs: number;
}

const DEFAULT_PAYLOAD = { status: 'Succeeded' };

/** Invoke: weighted alias routing (seeded), queued results, invocation counting, records for CloudWatch metrics. */
export class Invoker {
  constructor(
    private readonly model: LambdaModel,
    private readonly sink: InvocationSink,
    private readonly clock: Clock,
    private rng: Rng
  ) {}

  /** Replaces the routing RNG (reset / reseed). */
  reseed(rng: Rng): void {
    this.rng = rng;
  }

  invoke(fn: FunctionRecord, input: InvokeInput): InvokeOutcome {
    assertJsonPayload(input.payload);
    // DryRun validates the request and the qualifier and runs nothing: no routing roll, no queued
    // result consumed, no invocation counted, no metric.
    if (input.invocationType === 'DryRun') {
      this.model.resolve(fn, input.qualifier);
      return { status: 204, delayMs: 0 };
    }
    const executed = this.pickVersion(fn, input.qualifier);
    if (executed === '$LATEST') {
      this.model.assertFunctionActive(fn);
    } else {
      const version = this.model.version(fn, executed);
      this.wakeIfInactive(version);
      this.assertActive(version);
    }
    const result = fn.queue.shift() ?? this.behaviourResult(fn, executed);
    fn.invocations.set(executed, (fn.invocations.get(executed) ?? 0) + 1);
    this.sink({
      atMs: this.clock.now(),
      accountId: fn.accountId,
      region: fn.region,
      functionName: fn.name,
      ...resourceDimensions(fn, input.qualifier, executed),
      error: result?.functionError !== undefined,
      source: 'invoke',
      durationMs: Math.max(1, result?.delayMs ?? 0)
    });
    const delayMs = result?.delayMs ?? 0;
    if (input.invocationType === 'Event') return { status: 202, executedVersion: executed, delayMs: 0 };
    if (result?.functionError) {
      const { errorType, errorMessage } = result.functionError;
      return {
        status: 200,
        executedVersion: executed,
        functionError: 'Unhandled',
        payload: JSON.stringify({ errorType, errorMessage, trace: [] }),
        delayMs
      };
    }
    const payload = result && 'payload' in result ? result.payload : DEFAULT_PAYLOAD;
    return { status: 200, executedVersion: executed, payload: JSON.stringify(payload ?? null), delayMs };
  }

  /** What the executed version's behaviour (setInvokeBehaviour) answers this call; undefined: the default answer. */
  private behaviourResult(fn: FunctionRecord, executed: string): InvokeResultSpec | undefined {
    const behaviour = fn.invokeBehaviour.get(executed);
    if (!behaviour) return undefined;
    const errorRate = behaviour.errorRate ?? (behaviour.functionError ? 1 : 0);
    const fails = errorRate >= 1 || (errorRate > 0 && this.rng() < errorRate);
    const delay = behaviour.delayMs !== undefined ? { delayMs: behaviour.delayMs } : {};
    if (fails) {
      return { functionError: behaviour.functionError ?? { errorType: 'Error', errorMessage: 'injected failure' }, ...delay };
    }
    return { ...('payload' in behaviour ? { payload: behaviour.payload } : {}), ...delay };
  }

  /** Version that serves the call: alias weights decide with the seeded RNG. */
  private pickVersion(fn: FunctionRecord, qualifier: string | undefined): string {
    const target = this.model.resolve(fn, qualifier);
    if (target.kind === 'latest') return '$LATEST';
    if (target.kind === 'version') return target.version.version;
    const alias = fn.aliases.get(target.alias)!;
    const roll = this.rng();
    let cumulative = 0;
    for (const [version, weight] of Object.entries(alias.weights)) {
      cumulative += weight;
      if (roll < cumulative) return version;
    }
    return alias.functionVersion;
  }

  /** An Inactive version's invocation fails, and starts restoring it: Pending, then Active (as SnapStart does). */
  private wakeIfInactive(version: VersionRecord): void {
    if (!version.inactive) return;
    version.activeAtMs = this.clock.now() + version.inactive.reactivationMs;
    delete version.inactive;
    throw new ApiError(
      'SnapStartNotReadyException',
      'Lambda is initializing your function. It will be ready to invoke once your function state becomes ACTIVE.',
      409
    );
  }

  private assertActive(version: VersionRecord): void {
    if (this.model.isPending(version)) {
      throw lambdaErrors.conflict(
        `The operation cannot be performed at this time. The function is currently in the following state: Pending`
      );
    }
  }
}

function resourceDimensions(fn: FunctionRecord, qualifier: string | undefined, executed: string) {
  if (qualifier === undefined || qualifier === '$LATEST') return {};
  const isAlias = fn.aliases.has(qualifier);
  return isAlias ? { resource: `${fn.name}:${qualifier}`, executedVersion: executed } : { resource: `${fn.name}:${qualifier}` };
}

function assertJsonPayload(payload: Uint8Array): void {
  if (payload.length === 0) return;
  try {
    JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch {
    throw lambdaErrors.invalidContent('Could not parse request body into json: Could not parse payload into json');
  }
}

import type { AliasService } from './aliases.js';
import type { LambdaModel } from './model.js';
import type { FunctionRecord } from './records.js';
import type { FunctionSnapshot } from './types.js';

/** What the control API shows of a function: plain JSON, safe to send over HTTP. */
export function functionSnapshot(model: LambdaModel, aliases: AliasService, fn: FunctionRecord): FunctionSnapshot {
  const { latest } = fn;
  const state = model.functionState(fn);
  const update = model.lastUpdate(fn);
  return {
    name: fn.name,
    arn: fn.arns.function(fn.name),
    region: fn.region,
    accountId: fn.accountId,
    latest: {
      version: '$LATEST',
      codeSha256: latest.codeSha256,
      revisionId: latest.revisionId,
      description: latest.description,
      state: state.State,
      ...(state.StateReason !== undefined ? { stateReason: state.StateReason } : {}),
      ...(state.StateReasonCode !== undefined ? { stateReasonCode: state.StateReasonCode } : {}),
      ...(latest.environment ? { environment: { ...latest.environment } } : {}),
      lastUpdateStatus: update.LastUpdateStatus,
      ...(update.LastUpdateStatusReason !== undefined ? { lastUpdateStatusReason: update.LastUpdateStatusReason } : {}),
      ...(update.LastUpdateStatusReasonCode !== undefined
        ? { lastUpdateStatusReasonCode: update.LastUpdateStatusReasonCode }
        : {})
    },
    versions: fn.versions.map((v) => ({
      version: v.version,
      codeSha256: v.codeSha256,
      revisionId: v.revisionId,
      description: v.description,
      state: model.isPending(v) ? 'Pending' : 'Active',
      ...(model.isPending(v) ? { stateReason: 'The function is being created.', stateReasonCode: 'Creating' } : {}),
      ...(v.environment ? { environment: { ...v.environment } } : {})
    })),
    aliases: aliases.list(fn).map((a) => ({
      name: a.name,
      functionVersion: a.functionVersion,
      description: a.description,
      revisionId: a.revisionId,
      weights: { ...a.weights },
      ...(fn.provisioned.has(a.name) ? { provisionedConcurrency: fn.provisioned.get(a.name)!.requested } : {})
    })),
    invocations: Object.fromEntries(fn.invocations),
    queuedResults: fn.queue.length
  };
}

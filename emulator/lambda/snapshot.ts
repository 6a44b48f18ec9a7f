import type { AliasService } from './aliases.js';
import type { LambdaModel } from './model.js';
import type { ProvisionedConcurrency } from './provisioned.js';
import type { FunctionRecord, LatestRecord, VersionRecord } from './records.js';
import type { FunctionSnapshot, VersionSnapshot } from './types.js';

/** What the control API shows of a function: plain JSON, safe to send over HTTP. */
export function functionSnapshot(
  model: LambdaModel,
  aliases: AliasService,
  provisioned: ProvisionedConcurrency,
  fn: FunctionRecord
): FunctionSnapshot {
  const { latest } = fn;
  const state = model.functionState(fn);
  const update = model.lastUpdate(fn);
  return {
    name: fn.name,
    arn: fn.arns.function(fn.name),
    region: fn.region,
    accountId: fn.accountId,
    latest: {
      ...contentOf(latest),
      version: '$LATEST',
      revisionId: model.revisionOf(fn),
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
      ...contentOf(v),
      version: v.version,
      revisionId: v.revisionId,
      state: v.inactive ? 'Inactive' : model.isPending(v) ? 'Pending' : 'Active',
      ...(model.isPending(v) ? { stateReason: 'The function is being created.', stateReasonCode: 'Creating' } : {}),
      ...(v.environment ? { environment: { ...v.environment } } : {}),
      ...(fn.provisioned.has(v.version) ? { provisionedConcurrency: fn.provisioned.get(v.version)!.requested } : {})
    })),
    aliases: aliases.list(fn).map((a) => ({
      name: a.name,
      functionVersion: a.functionVersion,
      description: a.description,
      revisionId: a.revisionId,
      weights: { ...a.weights },
      ...(fn.provisioned.has(a.name)
        ? {
            provisionedConcurrency: fn.provisioned.get(a.name)!.requested,
            provisioned: provisioned.snapshot(fn.provisioned.get(a.name)!)
          }
        : {})
    })),
    invocations: Object.fromEntries(fn.invocations),
    queuedResults: fn.queue.length
  };
}

/** What a version (or $LATEST) holds: code and the configuration a deployment may set. */
function contentOf(
  source: LatestRecord | VersionRecord
): Omit<
  VersionSnapshot,
  'version' | 'revisionId' | 'state' | 'stateReason' | 'stateReasonCode' | 'environment' | 'provisionedConcurrency'
> {
  return {
    codeSha256: source.codeSha256,
    codeSize: source.codeSize,
    description: source.description,
    packageType: source.packageType,
    ...(source.packageType === 'Zip' ? { handler: source.handler, runtime: source.runtime } : {}),
    memorySize: source.memorySize,
    timeout: source.timeout,
    layers: [...source.layers],
    architectures: [...source.architectures],
    ...(source.imageUri !== undefined ? { imageUri: source.imageUri } : {})
  };
}

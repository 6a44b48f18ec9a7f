import { namespacedKey, type FunctionRef } from '../shared/arn.js';
import { lambdaErrors } from '../shared/errors.js';
import type { OperationResult } from '../shared/operation.js';
import type { LambdaModel } from './model.js';
import { pageOf } from './pages.js';
import { lambdaTimestamp, type FunctionRecord } from './records.js';
import type { TriggerStore } from './triggers.js';

/**
 * The operations on a function's versions as a whole: listing them (paged at 50, $LATEST first, as
 * Lambda answers), deleting one (refused while an alias points or routes to it, as Lambda refuses
 * it; $LATEST only goes with the function), and listing provisioned concurrency (paged at 50).
 */

/** What these operations are given: the resolved function, the name as sent, and the SDK-shaped input. */
export interface VersionCall {
  readonly model: LambdaModel;
  readonly triggers: TriggerStore;
  readonly fn: FunctionRecord;
  readonly ref: FunctionRef;
  readonly input: Record<string, unknown>;
}

/** ListVersionsByFunction: $LATEST, then every published version in order, at most 50 a page. */
export function listVersionsByFunction(c: VersionCall): OperationResult {
  if (c.ref.qualifier !== undefined)
    throw lambdaErrors.invalidParameter(`Unsupported qualifier in function name: ${c.ref.qualifier}`);
  const { model, fn } = c;
  const all = [model.latestConfiguration(fn, true), ...fn.versions.map((v) => model.versionConfiguration(fn, v))];
  const { page, nextMarker } = pageOf(all, c.input.MaxItems, c.input.Marker, 50);
  return { status: 200, output: { Versions: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) } };
}

/**
 * DeleteFunction. With a version (Qualifier, or in the name) only that version goes, unless an alias
 * points or routes to it (409, naming the aliases) or it is $LATEST (400). Without one, the whole
 * function goes, with its versions, aliases and triggers: what Lambda does, and what a pruner must never send.
 */
export function deleteFunction(c: VersionCall): OperationResult {
  const { model, fn } = c;
  const qualifier = model.qualifierOf(c.ref, typeof c.input.Qualifier === 'string' ? c.input.Qualifier : undefined);
  if (qualifier === undefined) {
    model.functions.delete(namespacedKey(fn, fn.name));
    c.triggers.forget(fn);
    return { status: 204, output: {} };
  }
  if (qualifier === '$LATEST')
    throw lambdaErrors.invalidParameter('$LATEST version cannot be deleted without deleting the function.');
  if (!/^\d+$/.test(qualifier))
    throw lambdaErrors.invalidParameter(`Deletion of aliases is not supported: ${qualifier} is not a version number.`);
  model.version(fn, qualifier);
  const referencing = [...fn.aliases.values()]
    .filter((alias) => alias.functionVersion === qualifier || Object.hasOwn(alias.weights, qualifier))
    .map((alias) => alias.name);
  if (referencing.length > 0)
    throw lambdaErrors.conflict(
      `Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`
    );
  fn.versions = fn.versions.filter((v) => v.version !== qualifier);
  fn.provisioned.delete(qualifier);
  return { status: 204, output: {} };
}

/** ListProvisionedConcurrencyConfigs: every configuration of the function (on aliases and versions), at most 50 a page. */
export function listProvisionedConcurrencyConfigs(c: VersionCall): OperationResult {
  if (c.ref.qualifier !== undefined)
    throw lambdaErrors.invalidParameter(`Unsupported qualifier in function name: ${c.ref.qualifier}`);
  const { fn } = c;
  const items = [...fn.provisioned.entries()].map(([qualifier, config]) => ({
    FunctionArn: fn.arns.function(fn.name, qualifier),
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: config.requested,
    AllocatedProvisionedConcurrentExecutions: config.requested,
    Status: 'READY',
    LastModified: lambdaTimestamp(config.lastModifiedMs)
  }));
  const { page, nextMarker } = pageOf(items, c.input.MaxItems, c.input.Marker, 50);
  return { status: 200, output: { ProvisionedConcurrencyConfigs: page, ...(nextMarker ? { NextMarker: nextMarker } : {}) } };
}

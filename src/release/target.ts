import type { AliasState, FunctionInfo, ProvisionedConcurrency, PublishedVersion } from '../aws/lambda-gateway.js';
import type { LatestChange } from './latest-change.js';
import { servingVersion } from '../alias/routing.js';

/**
 * One function being released: what the preflight found of it and its alias, its change to
 * $LATEST, and the version the publish gave. What an engine then does to the alias is the
 * engine's own state.
 */
export class Target {
  /** The alias as Lambda last confirmed it to the release (read, or put back by a repair); undefined if it does not exist. */
  alias?: AliasState;
  /** The version this deployment published (or, when nothing changed, the live one). */
  published?: PublishedVersion;
  /** PublishVersion gave back the live version: this function has nothing to deploy and drops out. */
  unchanged = false;
  /** The code and configuration this deployment writes to $LATEST before publishing, when it brings any. */
  change?: LatestChange;
  /** The alias's provisioned concurrency as the preflight found it; undefined when it has none. */
  provisioned?: ProvisionedConcurrency;

  constructor(
    readonly fn: FunctionInfo,
    readonly aliasName: string,
    /** The alias before the deployment; undefined when it did not exist. */
    readonly before: AliasState | undefined
  ) {
    this.alias = before;
  }

  /**
   * The version the alias served before the deployment (its main version; while Lambda's own
   * weights are on it after a failed allocation of provisioned concurrency, the version they route to).
   */
  get previousVersion(): string | undefined {
    return this.before && servingVersion(this.before);
  }
}

/** A target that brings code or configuration: it has a change to write to $LATEST. */
export type ChangingTarget = Target & { readonly change: LatestChange };

export function isChanging(target: Target): target is ChangingTarget {
  return target.change !== undefined;
}

import { explainFailure } from '../../aws/failures.js';
import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import type { LambdaInventoryGateway } from '../../aws/lambda-inventory-gateway.js';
import {
  bindingOf,
  consequenceOf,
  describeTrigger,
  distinctTriggers,
  isUnrouted,
  type LatestEffect,
  type Trigger
} from './classify.js';
import { grantsOf } from './policy.js';

/**
 * The trigger audit's reads: for one function and alias, read-only, before anything is written,
 * every event source mapping (all pages) bound to the unqualified function, `$LATEST`, the alias
 * and each version the alias serves; every function URL; and the resource-policy grants of the
 * unqualified function, the alias and those versions. (Lambda keeps a policy per qualifier, and
 * whether it lists an alias's or a version's mappings under the unqualified name is not
 * documented: so each qualifier is asked for.) A read that fails is not a trigger found: it is
 * reported as unreadable, naming the permission, and the caller decides what that means.
 *
 * One audit per function and alias per run: the spine and the per-version analysis (which names
 * the triggers that bypass the alias) share the answer.
 */

/** What the audit found of one function and alias. */
export interface TriggerReport {
  /** The function as the inputs name it. */
  readonly functionRef: string;
  readonly alias: string;
  /** Every trigger found, each once. */
  readonly triggers: readonly Trigger[];
  /** What could not be read, one sentence each (naming the permission when AWS refused it). */
  readonly unreadable: readonly string[];
}

/** The reads of the audit, shared by whoever asks within one run. */
export class TriggerAudit {
  private readonly reports = new Map<string, Promise<TriggerReport>>();

  constructor(
    private readonly lambda: Pick<LambdaGateway, 'getAlias'>,
    private readonly inventory: LambdaInventoryGateway
  ) {}

  /** The audit of `functionRef` (a name or an unqualified ARN) and `alias`; never rejects. */
  of(functionRef: string, alias: string, signal?: AbortSignal): Promise<TriggerReport> {
    const key = `${functionRef}|${alias}`;
    let report = this.reports.get(key);
    if (!report) {
      report = this.read(functionRef, alias, signal);
      // Started early and awaited later: a cancellation meanwhile must not be an unhandled rejection.
      report.catch(() => undefined);
      this.reports.set(key, report);
    }
    return report;
  }

  /**
   * The triggers that call the function without the alias, as sentences (for the per-version
   * analysis, which sees only calls through the alias); what could not be read is said too.
   */
  async bypassing(functionRef: string, alias: string, latest: LatestEffect, signal?: AbortSignal): Promise<string[]> {
    const report = await this.of(functionRef, alias, signal);
    return [
      ...report.triggers
        .filter(isUnrouted)
        .map((trigger) => `${describeTrigger(trigger, alias)} (${consequenceOf(trigger.binding, alias, latest)})`),
      ...report.unreadable
    ];
  }

  private async read(functionRef: string, alias: string, signal?: AbortSignal): Promise<TriggerReport> {
    const unreadable = new Map<string, string>();
    /** One read; a failure is noted once per kind of read (the same permission refuses them all). */
    const attempt = async <T>(what: string, read: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await read();
      } catch (error: unknown) {
        if (signal?.aborted) throw error;
        if (!unreadable.has(what)) unreadable.set(what, `${what} could not be read: ${explainFailure(error)}`);
        return undefined;
      }
    };
    const qualified = (qualifier: string | undefined): string =>
      qualifier === undefined ? functionRef : `${functionRef}:${qualifier}`;
    const mappingsOf = (qualifier: string | undefined) =>
      attempt(`the event source mappings of ${functionRef}`, () =>
        this.inventory.listEventSourceMappings(qualified(qualifier), signal)
      );
    const policyOf = async (qualifier: string | undefined) => ({
      qualifier,
      policy: await attempt(`the resource-based policy of ${functionRef}`, () =>
        this.inventory.getPolicy(functionRef, qualifier, signal)
      )
    });
    // What needs no alias is read at once; what the alias serves is read once the alias is known.
    const [found, unqualified, urls, unqualifiedPolicy] = await Promise.all([
      attempt(`the alias ${alias} of ${functionRef} (for the versions it serves)`, () =>
        this.lambda.getAlias(functionRef, alias, signal)
      ),
      Promise.all([mappingsOf(undefined), mappingsOf('$LATEST')]),
      attempt(`the function URLs of ${functionRef}`, () => this.inventory.listFunctionUrls(functionRef, signal)),
      policyOf(undefined)
    ]);
    const live = found
      ? [found.version, ...(found.additional ? [found.additional.version] : [])].filter((v) => /^\d+$/.test(v))
      : [];
    const servedBy = found ? [alias, ...live] : [];
    const [served, servedPolicies] = await Promise.all([
      Promise.all(servedBy.map(mappingsOf)),
      Promise.all(servedBy.map(policyOf))
    ]);
    const mappings = [...unqualified, ...served];
    const policies = [unqualifiedPolicy, ...servedPolicies];
    const seen = new Set<string>();
    const triggers: Trigger[] = [
      ...mappings
        .flat()
        .flatMap((mapping) => (mapping && !seen.has(mapping.uuid) && seen.add(mapping.uuid) ? [mapping] : []))
        .map((mapping) => ({
          kind: 'event-source-mapping' as const,
          source: `${mapping.eventSource ?? mapping.uuid}${mapping.state && mapping.state !== 'Enabled' ? ` (${mapping.state})` : ''}`,
          binding: bindingOf(mapping.functionArn, alias)
        })),
      ...(urls ?? []).map((url) => ({
        kind: 'function-url' as const,
        source: `${url.url}${url.authType ? ` (auth ${url.authType})` : ''}`,
        binding: bindingOf(url.functionArn, alias)
      })),
      ...policies.flatMap(({ qualifier, policy }) => (policy ? grantsOf(policy, qualified(qualifier), alias) : []))
    ];
    return { functionRef, alias, triggers: distinctTriggers(triggers), unreadable: [...unreadable.values()] };
  }
}

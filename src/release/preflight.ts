import { sameFunctionTwice } from '../aws/arn.js';
import type { CodeObjectGateway } from '../aws/code-object-gateway.js';
import { AwsNotConfigured, explainFailure, ResourceNotFound } from '../aws/failures.js';
import type { AliasState, FunctionInfo, LambdaGateway, ProvisionedConcurrency } from '../aws/lambda-gateway.js';
import type { Clock } from '../core/clock.js';
import type { Settings } from '../config/settings.js';
import type { TrafficHook } from '../hooks/traffic-hook.js';
import { describeSchedule, isWeighted } from '../strategy/plan.js';
import type { BakeCheck } from '../checks/checks.js';
import { describeComparison, inspectContent, type TargetContent } from './inspect.js';
import type { PlannedChange } from './latest-change.js';
import type { Journal } from '../core/journal.js';
import { describeRouting, lambdaAllocation, servingVersion } from '../alias/routing.js';
import { manualRollbackCommand } from '../alias/rollback-plan.js';
import { lookAtProvisionedConcurrency } from './provisioned-concurrency.js';
import { findHold } from '../alias/hold.js';
import { heldAliasProblem } from './held.js';

/** A function to deploy and the alias that carries its traffic, as the user named them. */
export interface TargetRef {
  readonly functionRef: string;
  readonly alias: string;
  /** The code and configuration the deployment brings; undefined: it publishes what $LATEST holds. */
  readonly content?: TargetContent;
}

/** What the preflight found of one function: it and its alias as they are now. */
export interface FoundTarget {
  readonly ref: TargetRef;
  readonly fn: FunctionInfo;
  /** Undefined when the alias does not exist yet (the first deployment creates it). */
  readonly alias?: AliasState;
  /** The alias's provisioned concurrency; undefined when it has none. */
  readonly provisioned?: ProvisionedConcurrency;
  /** What the deployment writes to $LATEST before publishing, when it brings code or configuration. */
  readonly change?: PlannedChange;
}

/** What the read-only preflight found, and every problem that must stop the deployment. */
export interface PreflightReport {
  /** Each function that could be read, in order (with no problem: all of them). */
  readonly targets: readonly FoundTarget[];
  /** Everything that must stop the deployment, listed at once so one fix-up round suffices. */
  readonly problems: readonly string[];
}

/** The settings the preflight reads: the schedule, what to do about a split or missing alias, and how long to wait for Lambda's allocations. */
export type PreflightSettings = Pick<Settings, 'strategy' | 'onSplitAlias' | 'allowNewAlias' | 'provisionedConcurrency'>;

/** What the preflight reads. */
export interface PreflightDeps {
  readonly lambda: LambdaGateway;
  readonly checks: readonly BakeCheck[];
  readonly hooks: readonly TrafficHook[];
  readonly recorder: Journal;
  /** Reads S3 code objects, to hash them before anything is written. */
  readonly codeObjects?: CodeObjectGateway;
  /** How old a hold found on an alias is; bounds the wait for Lambda's own transition of an alias with provisioned concurrency. */
  readonly clock: Clock;
}

/**
 * Reads everything the deployment depends on, before anything in AWS changes, in parallel where
 * nothing depends on an earlier answer. Nothing throws: every read that fails (a missing function,
 * a permission, an endpoint that does not answer) becomes a problem, and all of them are listed.
 */
export async function runPreflight(
  deps: PreflightDeps,
  refs: readonly TargetRef[],
  settings: PreflightSettings,
  signal?: AbortSignal
): Promise<PreflightReport> {
  const { lambda, recorder } = deps;
  const [reads, findings] = await Promise.all([
    Promise.all(
      refs.map((ref) =>
        Promise.allSettled([lambda.getFunction(ref.functionRef, signal), lambda.getAlias(ref.functionRef, ref.alias, signal)])
      )
    ),
    Promise.allSettled([
      ...deps.hooks.map((hook) => hook.preflight(signal)),
      ...deps.checks.map((check) => check.preflight(signal))
    ])
  ]);
  // Without a region or credentials every read fails alike: say it once.
  const unconfigured = [...reads.flat(), ...findings].find(
    (read): read is PromiseRejectedResult => read.status === 'rejected' && read.reason instanceof AwsNotConfigured
  );
  if (unconfigured) return { targets: [], problems: [(unconfigured.reason as AwsNotConfigured).message] };

  const problems = new Set<string>();
  for (const finding of findings) {
    if (finding.status === 'rejected') problems.add(readProblem('a preflight check', finding.reason));
    else for (const problem of finding.value.problems) problems.add(problem);
  }
  for (const finding of findings)
    if (finding.status === 'fulfilled') for (const warning of finding.value.warnings) recorder.warning(warning);

  for (const problem of namedTwice(refs, reads)) problems.add(problem);
  const targets: FoundTarget[] = [];
  for (const [index, ref] of refs.entries()) {
    const [fn, alias] = reads[index]!;
    const prefix = refs.length > 1 ? `${ref.functionRef}: ` : '';
    if (fn.status === 'rejected') problems.add(prefix + functionProblem(ref.functionRef, fn.reason));
    if (alias.status === 'rejected') problems.add(prefix + readProblem(`the alias ${ref.alias}`, alias.reason));
    if (fn.status !== 'fulfilled' || alias.status !== 'fulfilled') continue;
    recorder.event(`Function ${fn.value.name} (${fn.value.arn})`);
    // Lambda's own transition of an alias with provisioned concurrency is waited out first: the rest judges the alias after it.
    const look = alias.value ? await lookAtProvisionedConcurrency(deps, fn.value, alias.value, settings, signal) : undefined;
    for (const problem of look?.problems ?? []) problems.add(prefix + problem);
    const found = look?.alias ?? alias.value;
    for (const problem of await aliasProblems(lambda, fn.value, ref.alias, settings, found, signal))
      problems.add(prefix + problem);
    const held = heldAliasProblem(found, fn.value.arn, deps.clock.now());
    if (held) problems.add(prefix + held);
    const inspection = ref.content ? await inspectContent(deps, fn.value, found, ref.content, signal) : undefined;
    for (const { what, error } of inspection?.failedReads ?? []) problems.add(prefix + readProblem(what, error));
    for (const problem of inspection?.problems ?? []) problems.add(prefix + problem);
    const change = inspection?.change;
    targets.push({
      ref,
      fn: fn.value,
      ...(found ? { alias: found } : {}),
      ...(look?.provisioned ? { provisioned: look.provisioned } : {}),
      ...(change ? { change } : {})
    });
  }
  if (problems.size === 0) {
    for (const { ref, fn, alias, change } of targets) {
      const of = refs.length > 1 ? ` of ${fn.name}` : '';
      recorder.event(
        alias
          ? `Alias ${alias.name}${of} serves version ${servingVersion(alias)}; plan: ${describeSchedule(settings.strategy)}`
          : `Alias ${ref.alias}${of} does not exist yet: this first deployment creates it on the new version`
      );
      const compared = change && describeComparison(fn.name, change);
      if (compared) recorder.event(compared);
    }
  }
  return { targets, problems: [...problems] };
}

/**
 * One function named twice in `functions` (by name and by ARN, say): its two uploads and publishes
 * would race on one $LATEST. Refused once the ARNs are resolved, naming every entry.
 */
function namedTwice(
  refs: readonly TargetRef[],
  reads: ReadonlyArray<readonly [PromiseSettledResult<FunctionInfo>, ...unknown[]]>
): string[] {
  const arns = reads.map(([fn]) => (fn.status === 'fulfilled' ? fn.value.arn : undefined));
  return sameFunctionTwice(arns).map((indexes) => {
    const entries = indexes.map((index) => `${index + 1} (${refs[index]!.functionRef})`);
    const items = `${entries.slice(0, -1).join(', ')} and ${entries.at(-1)!}`;
    return (
      `items ${items} of functions name the same function, ${arns[indexes[0]!]!}: each function may appear once ` +
      `(its code and its versions are one, whatever name it is given by)`
    );
  });
}

/** One sentence on a read that failed: what could not be read, and what to do about it. */
export function readProblem(what: string, error: unknown): string {
  return `${what} could not be read: ${explainFailure(error)}`;
}

function functionProblem(ref: string, error: unknown): string {
  if (error instanceof ResourceNotFound) {
    return `function ${ref} was not found (check 'function-name', the region and the credentials): ${error.message}`;
  }
  return readProblem(`function ${ref}`, error);
}

/** A split alias, one on $LATEST, or a missing alias that is likely a typo. */
async function aliasProblems(
  lambda: LambdaGateway,
  fn: FunctionInfo,
  aliasName: string,
  settings: PreflightSettings,
  alias: AliasState | undefined,
  signal?: AbortSignal
): Promise<string[]> {
  const weighted = isWeighted(settings.strategy);
  if (!alias) return missingAliasProblems(lambda, fn, aliasName, settings, signal);
  // Lambda's own weights after a failed allocation of provisioned concurrency: the look above judged them.
  if (lambdaAllocation(alias)) return [];
  // A hold is its own refusal (heldAliasProblem), whatever on-split-alias says: it is no interrupted deployment.
  if (findHold(alias).kind === 'held') return [];
  if (alias.additional) {
    if (settings.onSplitAlias === 'rollback') return []; // the deployment puts it back first
    const fix = manualRollbackCommand(fn.arn, alias.name, { kind: 'restore', routing: { version: alias.version } });
    return [
      `alias ${alias.name} is already split (${describeRouting(alias)}): another deployment is in progress ` +
        `or was interrupted. Wait for it to finish; or set 'on-split-alias: rollback' to put it back on version ` +
        `${alias.version} before deploying; or do that by hand: ${fix}`
    ];
  }
  if (alias.version === '$LATEST' && weighted) {
    return [
      `alias ${alias.name} points at $LATEST, which Lambda cannot weight against a new version: point it at a ` +
        `published version first, or use strategy AllAtOnce for this deployment`
    ];
  }
  return [];
}

/**
 * The alias does not exist. On the function's first deployment (no alias at all) it is created; if
 * the function has other aliases, a new one is far more likely a typo (`Live` for `live`), and
 * creating it would send all of its traffic to the new version at once: refused unless allowed.
 */
async function missingAliasProblems(
  lambda: LambdaGateway,
  fn: FunctionInfo,
  aliasName: string,
  settings: PreflightSettings,
  signal?: AbortSignal
): Promise<string[]> {
  if (settings.allowNewAlias) return [];
  let existing: string[];
  try {
    existing = await lambda.listAliases(fn.arn, signal);
  } catch (error: unknown) {
    return [readProblem(`the aliases of ${fn.name} (to tell a new alias from a typo)`, error)];
  }
  if (existing.length === 0) return [];
  const similar = existing.find((name) => name.toLowerCase() === aliasName.toLowerCase());
  return [
    `alias ${aliasName} does not exist, and ${fn.name} has other aliases: ${existing.slice(0, 20).join(', ')}` +
      `${existing.length > 20 ? ', …' : ''}. A new alias would get all of its traffic at once, so it is not created ` +
      `unless 'allow-new-alias' is true${similar ? `; did you mean ${similar}?` : ''}`
  ];
}

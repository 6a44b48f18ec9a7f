import { AccessDenied, AwsFailure, AwsNotConfigured, ResourceNotFound } from '../aws/failures.js';
import type { AliasState, FunctionInfo, LambdaGateway } from '../aws/lambda-gateway.js';
import { describeError } from '../core/errors.js';
import type { PreflightFindings } from '../core/findings.js';
import type { Settings } from '../config/settings.js';
import type { TrafficHook } from '../hooks/traffic-hook.js';
import { describeSchedule } from '../strategy/plan.js';
import type { BakeCheck } from './checks.js';
import type { Recorder } from './recorder.js';
import { describeRouting } from './routing.js';
import { manualRollbackCommand } from './rollback-plan.js';

/** What the read-only preflight found: the function and the alias as they are now, and any problem. */
export interface PreflightReport {
  /** Undefined when the function could not be read (a problem then says why). */
  readonly fn?: FunctionInfo;
  /** Undefined when the alias does not exist yet (the first deployment creates it). */
  readonly alias?: AliasState;
  /** Everything that must stop the deployment, listed at once so one fix-up round suffices. */
  readonly problems: readonly string[];
}

/** What the preflight reads. */
export interface PreflightDeps {
  readonly lambda: LambdaGateway;
  readonly checks: readonly BakeCheck[];
  readonly hooks: readonly TrafficHook[];
  readonly recorder: Recorder;
}

/**
 * Reads everything the deployment depends on, before anything in AWS changes, in parallel where
 * nothing depends on an earlier answer. Nothing throws: every read that fails (a missing function,
 * a permission, an endpoint that does not answer) becomes a problem, and all of them are listed.
 */
export async function runPreflight(deps: PreflightDeps, settings: Settings, signal?: AbortSignal): Promise<PreflightReport> {
  const { lambda, recorder } = deps;
  const ref = settings.functionName;
  const [fn, alias, ...findings] = await Promise.allSettled([
    lambda.getFunction(ref, signal),
    lambda.getAlias(ref, settings.alias, signal),
    ...deps.hooks.map((hook) => hook.preflight(signal)),
    ...deps.checks.map((check) => check.preflight(signal))
  ]);
  // Without a region or credentials every read fails alike: say it once.
  const unconfigured = [fn, alias, ...findings].find(
    (read): read is PromiseRejectedResult => read.status === 'rejected' && read.reason instanceof AwsNotConfigured
  );
  if (unconfigured) return { problems: [(unconfigured.reason as AwsNotConfigured).message] };
  const problems = new Set<string>();
  if (fn.status === 'rejected') problems.add(functionProblem(ref, fn.reason));
  if (alias.status === 'rejected') problems.add(readProblem(`the alias ${settings.alias}`, alias.reason));
  for (const finding of findings) {
    if (finding.status === 'rejected') problems.add(readProblem('a preflight check', finding.reason));
    else for (const problem of (finding.value as PreflightFindings).problems) problems.add(problem);
  }
  const warnings = findings.flatMap((finding) => (finding.status === 'fulfilled' ? (finding.value as PreflightFindings).warnings : []));
  for (const warning of warnings) recorder.warning(warning);

  const found = fn.status === 'fulfilled' ? fn.value : undefined;
  const current = alias.status === 'fulfilled' ? alias.value : undefined;
  if (found) {
    recorder.event(`Function ${found.name} (${found.arn})`);
    for (const problem of await aliasProblems(lambda, found, settings, current, alias.status === 'fulfilled', signal)) problems.add(problem);
  }
  if (problems.size === 0) {
    recorder.event(
      current
        ? `Alias ${current.name} serves version ${current.version}; plan: ${describeSchedule(settings.strategy)}`
        : `Alias ${settings.alias} does not exist yet: this first deployment creates it on the new version`
    );
  }
  return { ...(found ? { fn: found } : {}), ...(current ? { alias: current } : {}), problems: [...problems] };
}

/** One sentence on a read that failed: what could not be read, and what to do about it. */
export function readProblem(what: string, error: unknown): string {
  if (error instanceof AccessDenied) {
    return (
      `${what} could not be read: these credentials may not ${error.action}${error.resource ? ` on ${error.resource}` : ''} ` +
      `(add it to the role's policy; the README lists every permission)`
    );
  }
  if (error instanceof AwsFailure) return `${what} could not be read: ${error.message}`;
  return `${what} could not be read: ${describeError(error)}`;
}

function functionProblem(ref: string, error: unknown): string {
  if (error instanceof ResourceNotFound) {
    return `function ${ref} was not found (check 'function-name', the region and the credentials): ${error.message}`;
  }
  return readProblem(`function ${ref}`, error);
}

/** A split alias, one on $LATEST, provisioned concurrency, or a missing alias that is likely a typo. */
async function aliasProblems(
  lambda: LambdaGateway,
  fn: FunctionInfo,
  settings: Settings,
  alias: AliasState | undefined,
  aliasRead: boolean,
  signal?: AbortSignal
): Promise<string[]> {
  const weighted = settings.strategy.steps.length > 0;
  if (!aliasRead) return [];
  if (!alias) return missingAliasProblems(lambda, fn, settings, signal);
  if (alias.additional) {
    if (settings.onSplitAlias === 'rollback') return []; // the engine restores it first
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
  if (!weighted) return [];
  try {
    const provisioned = await lambda.getProvisionedConcurrency(fn.arn, alias.name, signal);
    if (provisioned === undefined) return [];
    return [
      `alias ${alias.name} has provisioned concurrency (${provisioned}), and Lambda refuses weighted routing on such an ` +
        `alias: use strategy AllAtOnce, or move the provisioned concurrency to a version`
    ];
  } catch (error: unknown) {
    return [readProblem(`the provisioned concurrency of alias ${alias.name}`, error)];
  }
}

/**
 * The alias does not exist. On the function's first deployment (no alias at all) it is created; if
 * the function has other aliases, a new one is far more likely a typo (`Live` for `live`), and
 * creating it would send all of its traffic to the new version at once: refused unless allowed.
 */
async function missingAliasProblems(lambda: LambdaGateway, fn: FunctionInfo, settings: Settings, signal?: AbortSignal): Promise<string[]> {
  if (settings.allowNewAlias) return [];
  let existing: string[];
  try {
    existing = await lambda.listAliases(fn.arn, signal);
  } catch (error: unknown) {
    return [readProblem(`the aliases of ${fn.name} (to tell a new alias from a typo)`, error)];
  }
  if (existing.length === 0) return [];
  const similar = existing.find((name) => name.toLowerCase() === settings.alias.toLowerCase());
  return [
    `alias ${settings.alias} does not exist, and ${fn.name} has other aliases: ${existing.slice(0, 20).join(', ')}` +
      `${existing.length > 20 ? ', …' : ''}. A new alias would get all of its traffic at once, so it is not created ` +
      `unless 'allow-new-alias' is true${similar ? `; did you mean ${similar}?` : ''}`
  ];
}

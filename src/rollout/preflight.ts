import type { AliasState, FunctionInfo, LambdaGateway } from '../aws/lambda-gateway.js';
import { errorName } from '../aws/errors.js';
import type { Settings } from '../config/settings.js';
import { describeSchedule } from '../strategy/plan.js';
import type { BakeCheck } from './checks.js';
import type { Recorder } from './recorder.js';
import { RolloutFailure } from './failure.js';
import { describeRouting } from './routing.js';
import { manualRollbackCommand } from './rollback-plan.js';

/** What the read-only preflight found: the function and the alias as they are now, and any problem. */
export interface PreflightReport {
  readonly fn: FunctionInfo;
  /** Undefined when the alias does not exist yet (the first deployment creates it). */
  readonly alias?: AliasState;
  /** Everything that must stop the deployment, listed at once so one fix-up round suffices. */
  readonly problems: readonly string[];
}

/**
 * Reads everything the deployment depends on, before anything in AWS changes. Only a function
 * that does not exist throws; every other problem is listed in the report.
 */
export async function runPreflight(
  deps: { lambda: LambdaGateway; checks: readonly BakeCheck[]; recorder: Recorder },
  settings: Settings,
  signal?: AbortSignal
): Promise<PreflightReport> {
  const { lambda, recorder } = deps;
  const fn = await resolveFunction(lambda, settings.functionName);
  recorder.event(`Function ${fn.name} (${fn.arn})`);
  const hookRefs = [settings.preTrafficHook, settings.postTrafficHook].filter((ref): ref is string => !!ref);
  const [alias, missingHooks, findings] = await Promise.all([
    lambda.getAlias(fn.name, settings.alias),
    missing(lambda, hookRefs),
    Promise.all(deps.checks.map((check) => check.preflight(signal)))
  ]);
  const weighted = settings.strategy.steps.length > 0;
  const problems = [
    ...aliasProblems(fn, settings, alias, weighted),
    ...(alias && weighted ? await provisionedConcurrencyProblems(lambda, fn, settings.alias) : []),
    ...missingHooks.map((ref) => `hook function ${ref} does not exist (or these credentials cannot see it)`),
    ...findings.flatMap((finding) => finding.problems)
  ];
  for (const warning of findings.flatMap((finding) => finding.warnings)) recorder.warning(warning);
  if (problems.length === 0) {
    recorder.event(
      alias
        ? `Alias ${alias.name} serves version ${alias.version}; plan: ${describeSchedule(settings.strategy)}`
        : `Alias ${settings.alias} does not exist yet: this first deployment creates it on the new version`
    );
  }
  return { fn, alias, problems };
}

async function resolveFunction(lambda: LambdaGateway, functionName: string): Promise<FunctionInfo> {
  try {
    return await lambda.getFunction(functionName);
  } catch (error: unknown) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    throw new RolloutFailure(
      `function ${functionName} was not found (check 'function-name', the region and the credentials); nothing was changed`
    );
  }
}

async function missing(lambda: LambdaGateway, refs: readonly string[]): Promise<string[]> {
  const exists = await Promise.all(refs.map((ref) => lambda.functionExists(ref)));
  return refs.filter((_, index) => !exists[index]);
}

function aliasProblems(fn: FunctionInfo, settings: Settings, alias: AliasState | undefined, weighted: boolean): string[] {
  if (!alias) return [];
  if (alias.additional) {
    if (settings.onSplitAlias === 'rollback') return []; // the engine restores it first
    const fix = manualRollbackCommand(fn.name, alias.name, { kind: 'restore', routing: { version: alias.version } });
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

async function provisionedConcurrencyProblems(lambda: LambdaGateway, fn: FunctionInfo, alias: string): Promise<string[]> {
  const provisioned = await lambda.getProvisionedConcurrency(fn.name, alias);
  if (provisioned === undefined) return [];
  return [
    `alias ${alias} has provisioned concurrency (${provisioned}), and Lambda refuses weighted routing on such an ` +
      `alias: use strategy AllAtOnce, or move the provisioned concurrency to a version`
  ];
}

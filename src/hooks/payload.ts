import { qualifiedArn } from '../aws/arn.js';
import type { RunContext } from '../core/run-context.js';
import type { FunctionFacts, HookPayload, LifecycleEvent } from './traffic-hook.js';

/** The facts of a deployment that every hook is told. */
export interface HookFacts {
  readonly deploymentId: string;
  readonly functionName: string;
  /** Unqualified function ARN. */
  readonly functionArn: string;
  readonly alias: string;
  /** Undefined on a first deployment. */
  readonly previousVersion?: string;
  readonly target: { readonly version: string; readonly arn: string };
  readonly strategy: string;
  readonly source?: RunContext;
  /** Every function of the rollout, for a hook that runs once for all of them. */
  readonly functions?: readonly FunctionFacts[];
}

/** The payload (and, for commands, the environment) a hook receives at `lifecycleEvent`. */
export function hookPayload(facts: HookFacts, lifecycleEvent: LifecycleEvent): HookPayload {
  const previous = facts.previousVersion;
  return {
    deploymentId: facts.deploymentId,
    lifecycleEvent,
    functionName: facts.functionName,
    functionArn: facts.functionArn,
    alias: facts.alias,
    aliasArn: qualifiedArn(facts.functionArn, facts.alias),
    currentVersion: previous ?? null,
    currentVersionArn: previous === undefined ? null : qualifiedArn(facts.functionArn, previous),
    targetVersion: facts.target.version,
    targetVersionArn: facts.target.arn,
    strategy: facts.strategy,
    ...(facts.functions ? { functions: facts.functions } : {}),
    ...(facts.source ? { github: githubFacts(facts.source) } : {})
  };
}

function githubFacts(source: RunContext): NonNullable<HookPayload['github']> {
  return {
    repository: `${source.owner}/${source.repo}`,
    sha: source.sha,
    ref: source.ref,
    actor: source.actor,
    runUrl: source.runUrl
  };
}

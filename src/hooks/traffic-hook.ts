import type { PreflightFindings } from '../core/findings.js';
import type { LifecycleEvent } from '../core/lifecycle.js';

/**
 * Traffic hooks: code the user runs against the new version before it gets traffic
 * (BeforeAllowTraffic) and after it has all of it (AfterAllowTraffic): Lambda functions and
 * commands on the runner.
 */

export type { LifecycleEvent } from '../core/lifecycle.js';

/** What a hook is told about the deployment (the JSON payload of a Lambda hook). */
export interface HookPayload {
  readonly deploymentId: string;
  readonly lifecycleEvent: LifecycleEvent;
  readonly functionName: string;
  readonly functionArn: string;
  readonly alias: string;
  readonly aliasArn: string;
  /** The version the alias served before; null on the first deployment. */
  readonly currentVersion: string | null;
  readonly currentVersionArn: string | null;
  readonly targetVersion: string;
  readonly targetVersionArn: string;
  readonly strategy: string;
  /**
   * Every function of the rollout, for a hook that runs once for all of them (a command); the fields
   * above are then the first function's. Absent for a Lambda hook of one function.
   */
  readonly functions?: readonly FunctionFacts[];
  /** Where the deployment came from; absent when not running in GitHub Actions. */
  readonly github?: {
    readonly repository: string;
    readonly sha: string;
    readonly ref?: string;
    readonly actor?: string;
    readonly runUrl: string;
  };
}

/** One function of the rollout, as a hook that runs for all of them is told. */
export interface FunctionFacts {
  readonly functionName: string;
  readonly functionArn: string;
  readonly alias: string;
  readonly aliasArn: string;
  readonly currentVersion: string | null;
  readonly targetVersion: string;
  readonly targetVersionArn: string;
}

/**
 * A hook and what it runs for: one function of the rollout (`target`, its index: a Lambda hook
 * given for that function), or the whole rollout once (a traffic command).
 */
export interface HookBinding {
  readonly hook: TrafficHook;
  readonly target?: number;
}

/** How a hook went. `response` is untrusted text, already capped: escape it before display. */
export interface HookOutcome {
  readonly hook: string;
  readonly event: LifecycleEvent;
  readonly passed: boolean;
  readonly reason?: string;
  readonly response: string;
  readonly durationMs: number;
}

export interface TrafficHook {
  /** How the hook is named in logs, e.g. `lambda:my-pre-hook`. */
  readonly label: string;
  /** Read-only look before anything changes: does the hook exist, can it be run, how long may it take. */
  preflight(signal?: AbortSignal): Promise<PreflightFindings>;
  /** Runs the hook. A failed or timed-out hook is an outcome that did not pass; cancellation throws. */
  run(payload: HookPayload, signal?: AbortSignal): Promise<HookOutcome>;
}

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
  /** Where the deployment came from; absent when not running in GitHub Actions. */
  readonly github?: {
    readonly repository: string;
    readonly sha: string;
    readonly ref?: string;
    readonly actor?: string;
    readonly runUrl: string;
  };
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

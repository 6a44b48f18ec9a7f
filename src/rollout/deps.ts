import type { CodeObjectGateway } from '../aws/code-object-gateway.js';
import type { LambdaGateway } from '../aws/lambda-gateway.js';
import type { LambdaInventoryGateway } from '../aws/lambda-inventory-gateway.js';
import type { TriggerAudit } from '../release/triggers/audit.js';
import type { BakeCheck } from '../checks/checks.js';
import type { Clock } from '../core/clock.js';
import type { RunContext } from '../core/run-context.js';
import type { Settings } from '../config/settings.js';
import type { TrafficHook } from '../hooks/traffic-hook.js';
import type { Recorder } from './recorder.js';
import type { DeploymentSnapshot } from './result.js';

/** What the spine talks to; tests hand in SDK-mocked gateways, a fake engine and a fake clock. */
export interface SpineDeps {
  readonly lambda: LambdaGateway;
  /** What surrounds the alias: triggers, versions, provisioned concurrency (the audit, existing versions, pruning). */
  readonly inventory: LambdaInventoryGateway;
  /** The trigger audit's reads, shared with the per-version analysis (which names the triggers that bypass the alias). */
  readonly triggers: TriggerAudit;
  /** Reads S3 code objects to hash them (the `s3-bucket` source); without it, such code counts as new. */
  readonly codeObjects?: CodeObjectGateway;
  /** What judges the new version (the spine runs their read-only preflight; the engine, their verdicts). */
  readonly checks: readonly BakeCheck[];
  /** Every traffic hook, for its read-only preflight. */
  readonly hooks: readonly TrafficHook[];
  readonly clock: Clock;
  readonly recorder: Recorder;
  /** The workflow run this deployment comes from (commit, ref, actor, run URL), for the summary. */
  readonly source?: RunContext;
  /**
   * Called at every phase change, and around every write a later process must know of, with what
   * that process (the post step) needs to finish the job.
   */
  readonly onTransition?: (snapshot: DeploymentSnapshot) => void;
  /** How long putting a split alias back (`on-split-alias: rollback`) keeps retrying. */
  readonly rollbackBudgetMs?: number;
}

/** The settings the spine reads: the functions, what they get, and how the rollout is shaped. */
export type SpineSettings = Pick<
  Settings,
  | 'targets'
  | 'strategy'
  | 'configuration'
  | 'architecture'
  | 'versionDescription'
  | 'codeSha256'
  | 'onSplitAlias'
  | 'allowNewAlias'
  | 'dryRun'
  | 'release'
  | 'onUnroutedTriggers'
  | 'pruning'
  | 'symlinks'
  | 'provisionedConcurrency'
>;

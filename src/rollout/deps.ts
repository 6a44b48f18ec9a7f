import type { CodeObjectGateway } from '../aws/code-object-gateway.js';
import type { CodeDeployGateway } from '../aws/codedeploy-gateway.js';
import type { BakeCheck } from '../checks/checks.js';
import type { LifecycleEvent } from '../core/lifecycle.js';
import type { RunContext } from '../core/run-context.js';
import type { HookBinding } from '../hooks/traffic-hook.js';
import type { DeploymentSnapshot } from './result.js';
import type { UndoDeps } from './undo.js';

/** Everything the engine talks to; tests hand in fakes or SDK-mocked gateways and a fake clock. */
export interface EngineDeps extends UndoDeps {
  readonly checks: readonly BakeCheck[];
  /** The hooks of each event, in order, each for one function or (commands) for the whole rollout. */
  readonly hooks: { readonly [event in LifecycleEvent]: readonly HookBinding[] };
  /** The workflow run this deployment comes from (commit, ref, actor, run URL), for hooks and the summary. */
  readonly source?: RunContext;
  /** Reads S3 code objects to hash them (the `s3-bucket` source); without it, such code counts as new. */
  readonly codeObjects?: CodeObjectGateway;
  /**
   * Called at every phase change, and just before an alias is first changed, with what a later
   * process (the post step) needs to finish the job.
   */
  readonly onTransition?: (snapshot: DeploymentSnapshot) => void;
  /** `engine: codedeploy`: the CodeDeploy calls (hand-over, watch, stop). */
  readonly codedeploy?: CodeDeployGateway;
}

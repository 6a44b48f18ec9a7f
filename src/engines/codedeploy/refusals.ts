import { Inputs } from '../../config/keys.js';
import type { Settings } from '../../config/settings.js';
import { InputError } from '../../core/input-error.js';
import { deploymentConfigFor, type DeploymentConfigChoice } from './deployment-config.js';

/**
 * What `engine: codedeploy` cannot do with the other inputs, found before anything in AWS is read:
 * each an InputError naming the input, the value, why, and what to use instead. The engine's own
 * refusals, beside it rather than among the inputs' parsers.
 */

/** CodeDeploy watches at most 10 alarms per deployment group (and per deployment). */
export const MAX_CODEDEPLOY_ALARMS = 10;

/** The settings CodeDeploy may refuse. */
export type RefusableSettings = Pick<
  Settings,
  | 'strategy'
  | 'preTrafficCommand'
  | 'postTrafficCommand'
  | 'alarms'
  | 'allowAlarmAtStart'
  | 'analysis'
  | 'targets'
  | 'provisionedConcurrency'
> &
  Partial<Pick<Settings, 'pruning' | 'engine'>>;

/** The deployment configuration the strategy becomes, or every input CodeDeploy refuses (in input order). */
export type Acceptance =
  | { readonly ok: true; readonly config: DeploymentConfigChoice }
  | { readonly ok: false; readonly refusals: readonly InputError[] };

/** What a hand-over to CodeDeploy makes of the settings. */
export function acceptHandOver(settings: RefusableSettings): Acceptance {
  const refusals: InputError[] = [];
  const mapping = deploymentConfigFor(settings.strategy);
  if (settings.strategy.hold) {
    refusals.push(
      new InputError(
        Inputs.Strategy,
        settings.strategy.name,
        'with engine codedeploy a rollout cannot hold for approval: CodeDeploy for Lambda cannot pause a traffic shift ' +
          'or continue one later (ContinueDeployment is for blue/green waits only), so nothing could wait at the weight',
        'a strategy without hold with engine: codedeploy, or engine: runner to hold at a weight until operation: promote or abort'
      )
    );
  } else if (!mapping.ok) {
    refusals.push(
      new InputError(
        Inputs.Strategy,
        settings.strategy.name,
        `with engine codedeploy, ${mapping.problem}`,
        "AllAtOnce, one of CodeDeploy's predefined configurations, or a Canary<P>Percent<N>Minutes or " +
          'Linear<P>PercentEvery<N>Minutes in whole minutes (whole hours work too) with engine: codedeploy'
      )
    );
  }
  const runnerOnly =
    'nothing may run on the runner with engine codedeploy: CodeDeploy owns the rollout, which may outlive the job';
  if (settings.preTrafficCommand !== undefined) {
    refusals.push(
      new InputError(
        Inputs.PreTrafficCommand,
        settings.preTrafficCommand,
        runnerOnly,
        'no pre-traffic-command with engine: codedeploy (a pre-traffic-hook, a Lambda function CodeDeploy invokes, does the same), or engine: runner'
      )
    );
  }
  if (settings.postTrafficCommand !== undefined) {
    refusals.push(
      new InputError(
        Inputs.PostTrafficCommand,
        settings.postTrafficCommand,
        runnerOnly,
        'no post-traffic-command with engine: codedeploy (use a post-traffic-hook), or engine: runner'
      )
    );
  }
  if (settings.alarms.length > MAX_CODEDEPLOY_ALARMS) {
    refusals.push(
      new InputError(
        Inputs.Alarms,
        settings.alarms.map((alarm) => alarm.arn ?? alarm.name).join('\n'),
        `it names ${settings.alarms.length} alarms, and CodeDeploy watches at most ${MAX_CODEDEPLOY_ALARMS} per deployment`,
        `at most ${MAX_CODEDEPLOY_ALARMS} alarms with engine: codedeploy (a composite alarm can stand for several), or engine: runner (up to 100)`
      )
    );
  }
  if (settings.allowAlarmAtStart) {
    refusals.push(
      new InputError(
        Inputs.AllowAlarmAtStart,
        'true',
        'CodeDeploy fails a deployment whose alarm is in ALARM when it starts, so that cannot be allowed',
        'false with engine: codedeploy, or engine: runner for a hotfix that is meant to clear an alarm'
      )
    );
  }
  if (settings.analysis) {
    refusals.push(
      new InputError(
        Inputs.Engine,
        'codedeploy',
        'the per-version analysis judges the new version from the runner, and CodeDeploy, which owns the rollout in this mode, reads alarms only',
        'engine: runner with the analysis inputs, or alarms with engine: codedeploy (a per-version alarm on ExecutedVersion, see docs/alarms.md)'
      )
    );
  }
  if (settings.targets.length > 1) {
    refusals.push(
      new InputError(
        Inputs.Functions,
        settings.targets.map((target) => target.functionName).join(', '),
        'a CodeDeploy deployment shifts one function, so several functions cannot move in lockstep in this mode',
        'engine: runner for several functions in one rollout, or one step per function with engine: codedeploy'
      )
    );
  }
  const { headroom } = settings.provisionedConcurrency;
  if (headroom) {
    refusals.push(
      new InputError(
        Inputs.ProvisionedConcurrencyHeadroom,
        headroom.kind === 'percent' ? `${headroom.percent}%` : String(headroom.executions),
        'CodeDeploy owns the rollout in this mode, and the headroom is raised and put back around the rollout by the runner, which may end before CodeDeploy does',
        "no provisioned-concurrency-headroom with engine: codedeploy (raise the alias's provisioned concurrency before the deployment yourself), or engine: runner"
      )
    );
  }
  if (settings.pruning?.kind === 'prune' && settings.engine?.kind === 'codedeploy' && !settings.engine.wait) {
    refusals.push(
      new InputError(
        Inputs.Wait,
        'false',
        'pruning runs once the promotion is seen, and with wait: false the step ends before CodeDeploy promotes',
        'wait: true with keep-versions or keep-days, or no pruning in this step'
      )
    );
  }
  return mapping.ok && refusals.length === 0 ? { ok: true, config: mapping.config } : { ok: false, refusals };
}

/** What a step that only watches an existing deployment refuses. */
export function watchRefusals(settings: Pick<Settings, 'dryRun'> & Partial<Pick<Settings, 'release' | 'pruning'>>): InputError[] {
  const refusals: InputError[] = [];
  if (settings.dryRun) {
    refusals.push(
      new InputError(
        Inputs.DryRun,
        'true',
        'a step that watches an existing deployment (codedeploy-deployment-id) changes nothing anyway',
        'false with codedeploy-deployment-id'
      )
    );
  }
  const watchOnly = 'a step that watches an existing deployment (codedeploy-deployment-id) deploys nothing of its own';
  const { release, pruning } = settings;
  if (release && release.kind !== 'publish') {
    const input =
      release.kind === 'version' ? Inputs.Version : release.kind === 'from-alias' ? Inputs.FromAlias : Inputs.RollbackTo;
    const value =
      release.kind === 'version' ? release.versions.join(', ') : release.kind === 'from-alias' ? release.alias : 'last-good';
    refusals.push(new InputError(input, value, watchOnly, `no ${input} with codedeploy-deployment-id`));
  }
  if (pruning?.kind === 'prune') {
    const keeps = pruning.keepVersions !== undefined;
    refusals.push(
      new InputError(
        keeps ? Inputs.KeepVersions : Inputs.KeepDays,
        String(keeps ? pruning.keepVersions : pruning.keepDays),
        `${watchOnly}, and it does not prune`,
        'no keep-versions or keep-days with codedeploy-deployment-id'
      )
    );
  }
  return refusals;
}

import { InputError } from '../core/input-error.js';
import { CODEDEPLOY_DEPLOYMENT_ID } from '../core/traffic-routing.js';
import { deploymentConfigFor } from '../strategy/codedeploy.js';
import { Inputs, type InputName } from './keys.js';
import type { CodeDeploySettings, Settings } from './settings.js';

/**
 * The `engine` input and the inputs of `engine: codedeploy`: who shifts the traffic, and where the
 * rollout is handed over. Pure, like the rest of config/.
 */

/** CodeDeploy watches at most 10 alarms per deployment group (and per deployment). */
export const MAX_CODEDEPLOY_ALARMS = 10;

const ENGINES = ['runner', 'codedeploy'] as const;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const CODEDEPLOY_NAME_MAX = 100;
const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);

/**
 * The engine inputs: undefined for `engine: runner` (which refuses the inputs only CodeDeploy uses,
 * rather than ignore them), the CodeDeploy settings for `engine: codedeploy`. `functionName` and
 * `alias` give the default application (the function's name) and deployment group (the alias).
 * @param read an input's trimmed value, or its default when empty
 */
export function parseEngineInputs(
  read: (name: InputName) => string,
  functionName: string,
  alias: string
): CodeDeploySettings | undefined {
  const engine = read(Inputs.Engine);
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new InputError(
      Inputs.Engine,
      engine,
      'it is not one of the choices',
      'runner (this action shifts the traffic from the runner) or codedeploy (AWS CodeDeploy shifts it, and the action watches)'
    );
  }
  const wait = parseBool(Inputs.Wait, read(Inputs.Wait));
  const only = [
    Inputs.CodeDeployApplication,
    Inputs.CodeDeployDeploymentGroup,
    Inputs.CodeDeployServiceRole,
    Inputs.CodeDeployDeploymentId
  ] as const;
  if (engine === 'runner') {
    for (const name of only) {
      const value = read(name);
      if (value !== '')
        throw new InputError(
          name,
          value,
          'it is used only with engine: codedeploy',
          `an empty value with engine: runner, or engine: codedeploy`
        );
    }
    if (!wait) {
      throw new InputError(
        Inputs.Wait,
        read(Inputs.Wait),
        'the runner engine drives the rollout itself, so it cannot leave it to run on after the job',
        'true with engine: runner, or engine: codedeploy to hand the rollout to AWS CodeDeploy'
      );
    }
    return undefined;
  }
  const plainName = functionName.split(':').at(-1)!;
  const application = codeDeployName(Inputs.CodeDeployApplication, read(Inputs.CodeDeployApplication) || plainName);
  const deploymentGroup = codeDeployName(Inputs.CodeDeployDeploymentGroup, read(Inputs.CodeDeployDeploymentGroup) || alias);
  const role = read(Inputs.CodeDeployServiceRole);
  if (role !== '' && !ROLE_ARN.test(role)) {
    throw new InputError(
      Inputs.CodeDeployServiceRole,
      role,
      'it is not an IAM role ARN',
      'the ARN of the role CodeDeploy assumes, such as arn:aws:iam::123456789012:role/codedeploy-lambda'
    );
  }
  const deploymentId = read(Inputs.CodeDeployDeploymentId);
  if (deploymentId !== '' && !CODEDEPLOY_DEPLOYMENT_ID.test(deploymentId)) {
    throw new InputError(
      Inputs.CodeDeployDeploymentId,
      deploymentId,
      'it is not a CodeDeploy deployment id',
      "d- and nine capital letters or digits, such as d-A1B2C3D4E (the deployment-id output of a step with 'wait: false')"
    );
  }
  return {
    application,
    deploymentGroup,
    ...(role !== '' ? { serviceRoleArn: role } : {}),
    wait,
    ...(deploymentId !== '' ? { deploymentId } : {})
  };
}

/**
 * What `engine: codedeploy` cannot do, found at input time, before anything in AWS is read: each
 * an InputError naming the input, the value, why, and what to use instead. The strategy's
 * deployment configuration is decided here too (see withDeploymentConfig).
 */
export function codedeployRefusals(settings: Settings): InputError[] {
  const codedeploy = settings.codedeploy;
  if (!codedeploy) return [];
  const refusals: InputError[] = [];
  if (codedeploy.deploymentId !== undefined) {
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
    if (!codedeploy.wait) {
      refusals.push(
        new InputError(
          Inputs.Wait,
          'false',
          'a step with codedeploy-deployment-id does nothing but watch',
          'true (the default) with codedeploy-deployment-id'
        )
      );
    }
    return refusals;
  }
  const mapping = deploymentConfigFor(settings.strategy);
  if (!mapping.ok) {
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
  return refusals;
}

/** The settings with the strategy's deployment configuration, once codedeployRefusals found nothing. */
export function withDeploymentConfig(settings: Settings): Settings {
  const codedeploy = settings.codedeploy;
  if (!codedeploy || codedeploy.deploymentId !== undefined) return settings;
  const mapping = deploymentConfigFor(settings.strategy);
  return mapping.ok ? { ...settings, codedeploy: { ...codedeploy, config: mapping.config } } : settings;
}

/** CodeDeploy's application and deployment group names: 1 to 100 printable characters. */
function codeDeployName(name: InputName, value: string): string {
  if (value.length > CODEDEPLOY_NAME_MAX || /[\u0000-\u001f]/.test(value)) {
    throw new InputError(name, value, 'it is not a CodeDeploy name', `1 to ${CODEDEPLOY_NAME_MAX} printable characters`);
  }
  return value;
}

/** The same spelling of booleans as every other input (see inputs.ts). */
function parseBool(name: InputName, value: string): boolean {
  if (TRUE_WORDS.has(value)) return true;
  if (FALSE_WORDS.has(value)) return false;
  throw new InputError(name, value, 'it is not a boolean', 'true or false');
}

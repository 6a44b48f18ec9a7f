import { plainFunctionName } from '../aws/arn.js';
import { parseDuration } from '../core/duration.js';
import { InputError } from '../core/input-error.js';
import { CODEDEPLOY_DEPLOYMENT_ID } from '../aws/traffic-routing.js';
import { Inputs, type InputName } from './keys.js';
import { parseBoolean } from './primitives.js';
import type { EngineSettings } from './settings.js';

/**
 * The `engine` input and the inputs of `engine: codedeploy`: who shifts the traffic, and where the
 * rollout is handed over. Pure, like the rest of config/. What an engine cannot do with the other
 * inputs is its own to refuse (see src/engines/).
 */

const ENGINES = ['runner', 'codedeploy'] as const;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const CODEDEPLOY_NAME_MAX = 100;

/**
 * The engine inputs, as the engine they choose: `runner` (which refuses the inputs only CodeDeploy
 * uses, rather than ignore them), `codedeploy`, or `codedeploy-watch` when `codedeploy-deployment-id`
 * is given. `functionName` and `alias` give the default application (the function's name) and
 * deployment group (the alias).
 * @param read an input's trimmed value, or its default when empty
 */
export function parseEngineInputs(
  read: (name: InputName) => string,
  functionName: string,
  alias: string,
  /** What the CodeDeploy watch polls at when `codedeploy-poll-interval` is empty: `alarm-poll-interval`. */
  alarmPollIntervalMs: number
): EngineSettings {
  const engine = read(Inputs.Engine);
  if (!(ENGINES as readonly string[]).includes(engine)) {
    throw new InputError(
      Inputs.Engine,
      engine,
      'it is not one of the choices',
      'runner (this action shifts the traffic from the runner) or codedeploy (AWS CodeDeploy shifts it, and the action watches)'
    );
  }
  const wait = parseBoolean(Inputs.Wait, read(Inputs.Wait));
  const only = [
    Inputs.CodeDeployApplication,
    Inputs.CodeDeployDeploymentGroup,
    Inputs.CodeDeployServiceRole,
    Inputs.CodeDeployDeploymentId,
    Inputs.CodeDeployPollInterval
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
    return { kind: 'runner' };
  }
  const application = codeDeployName(
    Inputs.CodeDeployApplication,
    read(Inputs.CodeDeployApplication) || plainFunctionName(functionName)
  );
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
  const pollInterval = read(Inputs.CodeDeployPollInterval);
  const pollIntervalMs =
    pollInterval === ''
      ? alarmPollIntervalMs
      : parseDuration(pollInterval, Inputs.CodeDeployPollInterval, { min: 100, max: 60 * 60_000 });
  const deploymentId = read(Inputs.CodeDeployDeploymentId);
  if (deploymentId !== '' && !CODEDEPLOY_DEPLOYMENT_ID.test(deploymentId)) {
    throw new InputError(
      Inputs.CodeDeployDeploymentId,
      deploymentId,
      'it is not a CodeDeploy deployment id',
      "d- and nine capital letters or digits, such as d-A1B2C3D4E (the deployment-id output of a step with 'wait: false')"
    );
  }
  if (deploymentId !== '') {
    if (!wait) {
      throw new InputError(
        Inputs.Wait,
        'false',
        'a step with codedeploy-deployment-id does nothing but watch',
        'true (the default) with codedeploy-deployment-id'
      );
    }
    return { kind: 'codedeploy-watch', application, deploymentGroup, deploymentId, pollIntervalMs };
  }
  return {
    kind: 'codedeploy',
    application,
    deploymentGroup,
    ...(role !== '' ? { serviceRoleArn: role } : {}),
    wait,
    pollIntervalMs
  };
}

/** CodeDeploy's application and deployment group names: 1 to 100 printable characters. */
function codeDeployName(name: InputName, value: string): string {
  if (value.length > CODEDEPLOY_NAME_MAX || /[\u0000-\u001f]/.test(value)) {
    throw new InputError(name, value, 'it is not a CodeDeploy name', `1 to ${CODEDEPLOY_NAME_MAX} printable characters`);
  }
  return value;
}

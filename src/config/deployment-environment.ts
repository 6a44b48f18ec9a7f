import { InputError } from '../core/input-error.js';
import { Inputs, RetiredInputs } from './keys.js';

/**
 * `deployment-environment`: the GitHub environment a GitHub deployment is recorded in. Next door, in
 * aws-actions/aws-lambda-deploy, an input named `environment` holds the function's environment
 * variables as JSON; a value shaped like variables is therefore refused here, with a pointer to
 * `env-vars`, rather than becoming a GitHub deployment named after the JSON. Such a value may hold
 * secrets: no message quotes it.
 */

const ENV_VARS_HINT = 'env-vars (KEY=VALUE lines or a JSON object)';

/** What the value looks like if it looks like environment variables: a JSON object or KEY=VALUE lines. */
function variablesForm(value: string): string | undefined {
  if (/^[{[]/.test(value)) return 'a JSON value (not shown: it may hold secrets)';
  if (/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/m.test(value)) return 'KEY=VALUE text (not shown: it may hold secrets)';
  return undefined;
}

/** GitHub environment names: up to 255 characters, no control characters, not variables. */
export function parseDeploymentEnvironment(value: string): string | undefined {
  if (value === '') return undefined;
  const form = variablesForm(value);
  if (form) {
    throw new InputError(
      Inputs.DeploymentEnvironment,
      form,
      "it names the GitHub environment to record a GitHub deployment in, and this looks like the function's environment variables",
      `a GitHub environment name such as production; the function's environment variables go in ${ENV_VARS_HINT}`
    );
  }
  if (value.length > 255 || /[\u0000-\u001f]/.test(value)) {
    throw new InputError(
      Inputs.DeploymentEnvironment,
      value,
      'it is not a valid environment name',
      'a GitHub environment name of up to 255 characters, such as production'
    );
  }
  return value;
}

/**
 * Refuses `environment`, this input's name before the first release. action.yml no longer declares
 * it: the runner then warns "Unexpected input" and passes it all the same, so it is read here to
 * say what to write instead, before anything in AWS is read or changed.
 */
export function refuseRetiredEnvironment(value: string): void {
  if (value.trim() === '') return;
  throw new InputError(
    RetiredInputs.Environment,
    variablesForm(value.trim()) ?? value,
    `this action has no input named environment: it was renamed ${Inputs.DeploymentEnvironment}, since in ` +
      "aws-actions/aws-lambda-deploy the same name holds the function's environment variables",
    `${Inputs.DeploymentEnvironment}: <GitHub environment name> to record a GitHub deployment, or ${ENV_VARS_HINT} ` +
      "for the function's environment variables"
  );
}

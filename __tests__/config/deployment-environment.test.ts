import { describe, expect, test } from '@jest/globals';
import { parseSettings } from '../../src/config/inputs.js';
import { Inputs, RetiredInputs } from '../../src/config/keys.js';
import { InputError } from '../../src/core/input-error.js';

/** The settings for these raw inputs (names as in action.yml), or the InputError they raise. */
function parse(values: Record<string, string>) {
  try {
    return parseSettings({ get: (name) => values[name] ?? '', env: {} });
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
}

const SECRET = 'hunter22-not-for-logs';

describe('deployment-environment', () => {
  test('a GitHub environment name is the GitHub deployment to record', () => {
    expect(parse({ [Inputs.FunctionName]: 'orders', [Inputs.DeploymentEnvironment]: 'production' })).toMatchObject({
      deploymentEnvironment: 'production'
    });
    expect(parse({ [Inputs.FunctionName]: 'orders', [Inputs.DeploymentEnvironment]: 'eu-west / prod (blue)' })).toMatchObject({
      deploymentEnvironment: 'eu-west / prod (blue)'
    });
    expect(parse({ [Inputs.FunctionName]: 'orders' })).not.toHaveProperty('deploymentEnvironment');
  });

  test.each([
    ['a JSON object', `{"STAGE":"prod","TOKEN":"${SECRET}"}`, 'a JSON value'],
    ['a JSON object after blanks', `  { "TOKEN": "${SECRET}" }`, 'a JSON value'],
    ['a JSON list', `[{"Name":"TOKEN","Value":"${SECRET}"}]`, 'a JSON value'],
    ['one KEY=VALUE', `TOKEN=${SECRET}`, 'KEY=VALUE text'],
    ['KEY=VALUE lines', `STAGE=prod\nTOKEN=${SECRET}`, 'KEY=VALUE text'],
    ['KEY = VALUE with blanks', `TOKEN = ${SECRET}`, 'KEY=VALUE text']
  ])('%s is refused as the function’s variables, without quoting them, pointing at env-vars', (_, value, form) => {
    const error = parse({ [Inputs.FunctionName]: 'orders', [Inputs.DeploymentEnvironment]: value });
    expect(error).toBeInstanceOf(InputError);
    const { message, input } = error as InputError;
    expect(input).toBe('deployment-environment');
    expect(message).toContain(`"${form} (not shown: it may hold secrets)"`);
    expect(message).toContain("looks like the function's environment variables");
    expect(message).toContain('env-vars (KEY=VALUE lines or a JSON object)');
    expect(message).not.toContain(SECRET);
  });
});

describe('environment, the name before the first release', () => {
  test('is refused with the new name, whatever it holds, before any other input is judged', () => {
    const error = parse({ [RetiredInputs.Environment]: 'production', [Inputs.Strategy]: 'not a strategy' });
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).input).toBe('environment');
    expect((error as InputError).message).toBe(
      `Input 'environment' has an invalid value "production": this action has no input named environment: it was renamed ` +
        "deployment-environment, since in aws-actions/aws-lambda-deploy the same name holds the function's environment " +
        'variables. Expected deployment-environment: <GitHub environment name> to record a GitHub deployment, or env-vars ' +
        "(KEY=VALUE lines or a JSON object) for the function's environment variables."
    );
  });

  test('JSON given to it is not quoted', () => {
    const error = parse({ [Inputs.FunctionName]: 'orders', [RetiredInputs.Environment]: `{"TOKEN":"${SECRET}"}` });
    expect((error as InputError).message).toMatch(/^Input 'environment' has an invalid value "a JSON value \(not shown/);
    expect((error as InputError).message).not.toContain(SECRET);
  });

  test('left empty, it is no error', () => {
    expect(parse({ [Inputs.FunctionName]: 'orders', [RetiredInputs.Environment]: '  ' })).not.toBeInstanceOf(InputError);
  });
});

import * as core from '@actions/core';
import { parseSettings } from '../config/inputs.js';
import type { Settings } from '../config/settings.js';
import { redactor } from './output.js';

/**
 * The action's settings from the runner's INPUT_* variables. The token and the values of `env-vars`
 * become secrets at once (the runner's mask and the action's redaction: see output.ts), so that no
 * later line, output or summary can reveal them. Throws InputError on a bad input.
 */
export function readSettings(): Settings {
  const settings = parseSettings({ get: (name) => core.getInput(name), env: process.env });
  redactor.add([
    ...(settings.githubToken ? [settings.githubToken] : []),
    ...Object.values(settings.configuration?.environment ?? {})
  ]);
  return settings;
}

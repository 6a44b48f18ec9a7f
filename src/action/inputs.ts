import * as core from '@actions/core';
import { parseSettings } from '../config/inputs.js';
import type { Settings } from '../config/settings.js';

/**
 * The action's settings from the runner's INPUT_* variables. The token is masked at once, so that
 * no later line can reveal it. Throws InputError on a bad input.
 */
export function readSettings(): Settings {
  const settings = parseSettings({ get: (name) => core.getInput(name), env: process.env });
  if (settings.githubToken) core.setSecret(settings.githubToken);
  return settings;
}

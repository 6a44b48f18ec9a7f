import * as core from '@actions/core';
import { parseSettings } from '../config/inputs.js';
import type { Settings } from '../config/settings.js';

/**
 * Values shorter than this are not masked: the runner would star out every `1`, `on` or `dev` in
 * the whole log (version numbers included), and a value that short cannot be a secret anyway.
 */
const MIN_MASKED_CHARS = 4;

/**
 * The action's settings from the runner's INPUT_* variables. The token and the values of `env-vars`
 * are masked at once, so that no later line can reveal them. Throws InputError on a bad input.
 */
export function readSettings(): Settings {
  const settings = parseSettings({ get: (name) => core.getInput(name), env: process.env });
  if (settings.githubToken) core.setSecret(settings.githubToken);
  for (const value of Object.values(settings.configuration?.environment ?? {})) maskValue(value);
  return settings;
}

/** Masks a value, and each of its lines (the runner matches a secret line by line). */
function maskValue(value: string): void {
  for (const part of new Set([value, ...value.split(/\r?\n/)])) {
    if (part.trim().length >= MIN_MASKED_CHARS) core.setSecret(part);
  }
}

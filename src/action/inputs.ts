import * as core from '@actions/core';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { identifiersOfRef } from '../aws/arn.js';
import { parseSettings } from '../config/inputs.js';
import type { Settings } from '../config/settings.js';
import { redactor } from './output.js';

/**
 * The action's settings from the runner's INPUT_* variables. The token and the values of `env-vars`
 * become secrets at once (the runner's mask and the action's redaction: see output.ts), so that no
 * later line, output or summary can reveal them; the identifiers the inputs name (functions,
 * aliases, regions, accounts) are known to the redaction first, so that a value equal to one stars
 * nothing out (the name is printed anyway). Throws InputError on a bad input.
 */
export function readSettings(): Settings {
  const settings = parseSettings({
    get: (name) => core.getInput(name),
    env: process.env,
    readFile: (path) => readFileSync(resolve(process.env.GITHUB_WORKSPACE || process.cwd(), path), 'utf8')
  });
  redactor.allow(identifiersOf(settings, process.env));
  redactor.add(
    [...(settings.githubToken ? [settings.githubToken] : []), ...Object.values(settings.configuration?.environment ?? {})],
    { mask: true }
  );
  return settings;
}

/** The identifiers the settings name, which the action prints by design. */
export function identifiersOf(settings: Settings, env: NodeJS.ProcessEnv): string[] {
  const { engine } = settings;
  return [
    ...settings.targets.flatMap((target) => [
      ...identifiersOfRef(target.functionName),
      target.alias,
      ...[target.preTrafficHook, target.postTrafficHook].flatMap((hook) => (hook ? identifiersOfRef(hook) : []))
    ]),
    ...[settings.aws.region, env.AWS_REGION, env.AWS_DEFAULT_REGION].filter((region): region is string => !!region),
    ...(engine.kind === 'runner' ? [] : [engine.application, engine.deploymentGroup]),
    ...(engine.kind === 'codedeploy-watch' ? [engine.deploymentId] : [])
  ];
}

import * as core from '@actions/core';
import { out } from './action/output.js';
import { savedState } from './action/state.js';
import { plainFunctionName } from './aws/arn.js';
import type { AwsSession } from './aws/session.js';
import { AlarmCheck } from './checks/alarm-check.js';
import { AnalysisCheck } from './checks/analysis/analysis-check.js';
import type { BakeCheck } from './checks/checks.js';
import type { Settings, TargetSettings } from './config/settings.js';
import { systemClock } from './core/clock.js';
import { readRunContext } from './core/run-context.js';
import type { Wiring } from './engines/index.js';
import { CommandTrafficHook } from './hooks/command-hook.js';
import { LambdaTrafficHook } from './hooks/lambda-hook.js';
import type { HookBinding } from './hooks/traffic-hook.js';
import { Recorder } from './rollout/recorder.js';

/** What a rollout (a deployment, or a promotion of a hold) is wired to in the action: the session, the checks, the hooks, the clock. */
export function wiring(settings: Settings, session: AwsSession, recorder = new Recorder(out, systemClock)): Wiring {
  const clock = systemClock;
  // Each function's Lambda hook runs first, then the command, once for the whole rollout.
  const hooks = (hookOf: (target: TargetSettings) => string | undefined, command: string | undefined): HookBinding[] => [
    ...settings.targets.flatMap((target, index) => {
      const functionRef = hookOf(target);
      return functionRef ? [{ hook: new LambdaTrafficHook(session.lambda, functionRef, clock), target: index }] : [];
    }),
    ...(command
      ? [
          {
            hook: new CommandTrafficHook({
              command,
              timeoutMs: settings.commandTimeoutMs,
              clock,
              log: (line) => recorder.detail(line)
            })
          }
        ]
      : [])
  ];
  const source = runContext();
  return {
    aws: session,
    checks: checks(settings, session),
    hooks: {
      BeforeAllowTraffic: hooks((target) => target.preTrafficHook, settings.preTrafficCommand),
      AfterAllowTraffic: hooks((target) => target.postTrafficHook, settings.postTrafficCommand)
    },
    clock,
    recorder,
    ...(source ? { source } : {}),
    // Saved at every phase change: if this process is killed, the post step knows what to undo.
    onTransition: (snapshot) => savedState.saveSnapshot(core.saveState, snapshot)
  };
}

/**
 * The alarms, and the per-version analysis of each function when an analysis input asks for it. An
 * operation on a hold judges a version that has been taking traffic: an alarm in ALARM at its start
 * is its verdict, not a refusal.
 */
export function checks(settings: Settings, session: Pick<AwsSession, 'alarms' | 'metrics'>): BakeCheck[] {
  const { analysis } = settings;
  const aliases = settings.targets.map((target) => ({
    functionName: plainFunctionName(target.functionName),
    alias: target.alias,
    ...(target.functionRegion ? { region: target.functionRegion } : {})
  }));
  const onHold = settings.operation.kind !== 'deploy';
  return [
    ...(settings.alarms.length > 0 ? [new AlarmCheck(session.alarms, settings.alarms, settings.allowAlarmAtStart, onHold)] : []),
    ...(analysis ? aliases.map((alias) => new AnalysisCheck(session.metrics, alias, analysis)) : [])
  ];
}

/** Who runs the step (`GITHUB_ACTOR`), for what an operation records. */
export function actorOf(env: NodeJS.ProcessEnv): string {
  return env.GITHUB_ACTOR?.trim() || 'someone (GITHUB_ACTOR is not set)';
}

function runContext() {
  try {
    return readRunContext(process.env);
  } catch {
    return undefined; // not running in GitHub Actions
  }
}

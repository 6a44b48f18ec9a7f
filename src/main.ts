import * as core from '@actions/core';
import { randomUUID } from 'node:crypto';
import { trackOnGitHub } from './action/github.js';
import { readSettings } from './action/inputs.js';
import { lambdaObserver, out, redactor } from './action/output.js';
import { publishRefusal, publishReport } from './action/report.js';
import { cancelOnSignals } from './action/signals.js';
import { savedState } from './action/state.js';
import { plainFunctionName } from './aws/arn.js';
import { AwsSession } from './aws/session.js';
import { AlarmCheck } from './checks/alarm-check.js';
import { AnalysisCheck } from './checks/analysis/analysis-check.js';
import type { BakeCheck } from './checks/checks.js';
import type { Settings, TargetSettings } from './config/settings.js';
import { systemClock } from './core/clock.js';
import { describeError } from './core/errors.js';
import { InputError } from './core/input-error.js';
import { readRunContext } from './core/run-context.js';
import { chooseEngine, type ChosenEngine, type Wiring } from './engines/index.js';
import { CommandTrafficHook } from './hooks/command-hook.js';
import { LambdaTrafficHook } from './hooks/lambda-hook.js';
import type { HookBinding } from './hooks/traffic-hook.js';
import { Recorder } from './rollout/recorder.js';

/** The action's main step: read the inputs, choose the engine, deploy, report. Wiring only. */
export async function runMain(): Promise<void> {
  let settings: Settings;
  let engine: ChosenEngine;
  try {
    settings = readSettings();
    // What the chosen engine cannot do is refused here too, before anything in AWS is read.
    engine = chooseEngine(settings);
  } catch (error: unknown) {
    // Refused before anything in AWS was touched; an InputError's message is already the full story.
    publishRefusal(error instanceof InputError ? error.message : describeError(error));
    return;
  }
  const deploymentId = newDeploymentId(process.env);
  const session = new AwsSession(settings.aws, lambdaObserver);
  const cancellation = cancelOnSignals((message) => out.warning(message));
  const tracking = trackOnGitHub(settings, deploymentId);
  try {
    const report = await engine.run(wiring(settings, session), deploymentId, cancellation.signal);
    await publishReport(report);
    await tracking.finish(report.result);
  } finally {
    cancellation.dispose();
    session.close();
    // Later steps of the job get the runner's mask of every value of env-vars that is no identifier.
    redactor.settleMasks();
  }
}

/** The entry point @github/local-action calls (see .env.example). */
export { runMain as run };

function wiring(settings: Settings, session: AwsSession): Wiring {
  const clock = systemClock;
  // Every line the recorder writes leaves through the redaction (see action/output.ts).
  const recorder = new Recorder(out, clock);
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
  let source;
  try {
    source = readRunContext(process.env);
  } catch {
    source = undefined; // not running in GitHub Actions
  }
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

/** The alarms, and the per-version analysis of each function when an analysis input asks for it. */
function checks(settings: Settings, session: AwsSession): BakeCheck[] {
  const { analysis } = settings;
  const aliases = settings.targets.map((target) => ({
    functionName: plainFunctionName(target.functionName),
    alias: target.alias,
    ...(target.functionRegion ? { region: target.functionRegion } : {})
  }));
  return [
    ...(settings.alarms.length > 0 ? [new AlarmCheck(session.alarms, settings.alarms, settings.allowAlarmAtStart)] : []),
    ...(analysis ? aliases.map((alias) => new AnalysisCheck(session.metrics, alias, analysis)) : [])
  ];
}

/** Unique per run attempt, and traceable back to the run. */
function newDeploymentId(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}-${randomUUID().slice(0, 8)}`;
}

import * as core from '@actions/core';
import { out } from './action/output.js';
import { savedState } from './action/state.js';
import { plainFunctionName } from './aws/arn.js';
import type { AwsSession } from './aws/session.js';
import { AlarmCheck } from './checks/alarm-check.js';
import { analysedFunction } from './action/analysed-function.js';
import { AnalysisCheck } from './checks/analysis/analysis-check.js';
import type { AnalysisLog } from './checks/analysis/analysis-log.js';
import type { BakeCheck } from './checks/checks.js';
import { ProbeCheck } from './checks/probes/probe-check.js';
import { Prober, ProbeRuns } from './checks/probes/prober.js';
import type { Settings, TargetSettings } from './config/settings.js';
import { systemClock, type Clock } from './core/clock.js';
import { readRunContext } from './core/run-context.js';
import type { Wiring } from './engines/index.js';
import { CommandTrafficHook } from './hooks/command-hook.js';
import { LambdaTrafficHook } from './hooks/lambda-hook.js';
import { ProbeTrafficHook } from './hooks/probe-hook.js';
import type { HookBinding } from './hooks/traffic-hook.js';
import { TriggerAudit } from './release/triggers/audit.js';
import { expectedLatestEffect } from './release/triggers/run.js';
import { Recorder } from './rollout/recorder.js';

/**
 * What a rollout (a deployment, or a promotion of a hold) is wired to in the action: the session,
 * the checks (the analysis reports to `analysis`, for the summary), the hooks, the clock.
 */
export function wiring(
  settings: Settings,
  session: AwsSession,
  analysis: AnalysisLog,
  recorder = new Recorder(out, systemClock),
  /** Where the probers go, for the entry point to stop them when the rollout ends. */
  probes = new ProbeRuns(),
  /** The run's cancellation: the probes stop with it. */
  signal?: AbortSignal
): Wiring {
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
  // One trigger audit per run: the spine lists the triggers, the analysis names those that bypass the alias.
  const triggers = new TriggerAudit(session.lambda, session.inventory);
  return {
    aws: session,
    triggers,
    checks: [...checks(settings, session, analysis, clock, triggers), ...probeChecks(settings, session, clock, probes, signal)],
    hooks: {
      BeforeAllowTraffic: [
        ...preTrafficProbes(settings, session, clock),
        ...hooks((target) => target.preTrafficHook, settings.preTrafficCommand)
      ],
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
 * The alarms. An operation on a hold judges a version that has been taking traffic: an alarm in
 * ALARM at its start is its verdict, not a refusal.
 */
export function alarmChecks(settings: Settings, session: Pick<AwsSession, 'alarms'>): BakeCheck[] {
  const onHold = settings.operation.kind !== 'deploy';
  return settings.alarms.length > 0 ? [new AlarmCheck(session.alarms, settings.alarms, settings.allowAlarmAtStart, onHold)] : [];
}

/**
 * The alarms, and the per-version analysis of each function when an analysis input asks for it. A
 * promotion's analysis judges the hold's window and the steps after it: it has no forecast to make.
 * With the run's trigger audit, the analysis's "no calls through the alias" warning names the
 * triggers that bypass the alias.
 */
function checks(settings: Settings, session: AwsSession, log: AnalysisLog, clock: Clock, triggers: TriggerAudit): BakeCheck[] {
  const { analysis } = settings;
  const rollout =
    settings.operation.kind === 'promote'
      ? { kind: 'promotion' as const }
      : { kind: 'deployment' as const, strategy: settings.strategy };
  const analysed = analysis
    ? settings.targets.map(
        (target) =>
          new AnalysisCheck({
            gateway: session.metrics,
            alias: {
              functionName: plainFunctionName(target.functionName),
              alias: target.alias,
              ...(target.functionRegion ? { region: target.functionRegion } : {})
            },
            thresholds: analysis,
            fn: analysedFunction(session.lambda, target, settings.configuration?.timeoutSeconds),
            rollout,
            clock,
            functions: settings.targets.length,
            maxBakeExtensionMs: settings.maxBakeExtensionMs,
            pollIntervalMs: settings.alarmPollIntervalMs,
            finalBake: settings.finalBake !== undefined,
            sink: log,
            bypassing: (signal?: AbortSignal) =>
              triggers.bypassing(target.functionName, target.alias, expectedLatestEffect(settings, target), signal)
          })
      )
    : [];
  return [...alarmChecks(settings, session), ...analysed];
}

/**
 * The probes before traffic: each function's new version gets the probe events first, before its
 * own pre-traffic hooks (a promotion runs no pre-traffic hook, and sends none).
 */
function preTrafficProbes(settings: Settings, session: AwsSession, clock: Clock): HookBinding[] {
  const { probes } = settings;
  if (!probes || settings.operation.kind !== 'deploy') return [];
  return settings.targets.map((target, index) => ({
    hook: new ProbeTrafficHook(session.lambda, target.functionName, probes, clock, settings.configuration?.timeoutSeconds),
    target: index
  }));
}

/** The probes through each alias during the rollout (`probe-rate`), one prober for them all. */
function probeChecks(
  settings: Settings,
  session: AwsSession,
  clock: Clock,
  runs: ProbeRuns,
  signal: AbortSignal | undefined
): BakeCheck[] {
  const { probes } = settings;
  if (probes?.ratePerSecond === undefined) return [];
  const prober = runs.add(new Prober(session.lambda, { ...probes, ratePerSecond: probes.ratePerSecond }, clock));
  const aliases = settings.targets.map((target) => ({
    functionName: plainFunctionName(target.functionName),
    alias: target.alias,
    functionRef: target.functionName,
    ...(settings.configuration?.timeoutSeconds !== undefined ? { newTimeoutSeconds: settings.configuration.timeoutSeconds } : {})
  }));
  return [new ProbeCheck(session.lambda, prober, aliases, signal)];
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

import { randomUUID } from 'node:crypto';
import { trackOnGitHub } from './action/github.js';
import { readSettings } from './action/inputs.js';
import { lambdaObserver, out, redactor } from './action/output.js';
import { publishRefusal, publishReport } from './action/report.js';
import { cancelOnSignals } from './action/signals.js';
import { AwsSession } from './aws/session.js';
import { AnalysisLog } from './checks/analysis/analysis-log.js';
import { ProbeRuns } from './checks/probes/prober.js';
import type { Settings } from './config/settings.js';
import { systemClock } from './core/clock.js';
import { describeError } from './core/errors.js';
import { InputError } from './core/input-error.js';
import { chooseEngine, type ChosenEngine } from './engines/index.js';
import { runOnHold } from './on-hold.js';
import { judgeWindow } from './operations/window.js';
import { Recorder } from './rollout/recorder.js';
import { totalBakeMs } from './strategy/plan.js';
import { actorOf, wiring } from './wiring.js';

/**
 * The action's main step: read the inputs, then the operation they choose: a deployment (choose the
 * engine, deploy, report), or an operation on a held rollout (on-hold.ts). Wiring only.
 */
export async function runMain(): Promise<void> {
  let settings: Settings;
  try {
    settings = readSettings();
  } catch (error: unknown) {
    return refuse(error);
  }
  if (settings.operation.kind !== 'deploy') return runOnHold(settings, settings.operation);
  let engine: ChosenEngine;
  try {
    // What the chosen engine cannot do is refused here too, before anything in AWS is read.
    engine = chooseEngine(settings);
  } catch (error: unknown) {
    return refuse(error);
  }
  // The deploy window covers the automatic part: the bakes up to 100 % and the final bake, or up to a hold.
  const window = judgeWindow(
    settings.operation.window,
    Date.now(),
    totalBakeMs(settings.strategy, settings.finalBake?.durationMs),
    actorOf(process.env),
    'deployment'
  );
  if (window.kind === 'closed') return publishRefusal(window.reason);
  const deploymentId = newDeploymentId(process.env);
  const session = new AwsSession(settings.aws, lambdaObserver);
  const cancellation = cancelOnSignals((message) => out.warning(message));
  const tracking = trackOnGitHub(settings, deploymentId);
  // Every line the recorder writes leaves through the redaction (see action/output.ts).
  const recorder = new Recorder(out, systemClock);
  if (window.kind === 'overridden') recorder.warning(window.note);
  const analysis = new AnalysisLog();
  const probes = new ProbeRuns();
  try {
    const report = await engine
      .run(wiring(settings, session, analysis, recorder, probes, cancellation.signal), deploymentId, cancellation.signal)
      .finally(() => probes.stop());
    await publishReport(report, analysis.points);
    await tracking.finish(report.result);
  } finally {
    await probes.stop();
    cancellation.dispose();
    session.close();
    // Later steps of the job get the runner's mask of every value of env-vars that is no identifier.
    redactor.settleMasks();
  }
}

/** The entry point @github/local-action calls (see .env.example). */
export { runMain as run };

/** Refused before anything in AWS was touched; an InputError's message is already the full story. */
function refuse(error: unknown): void {
  publishRefusal(error instanceof InputError ? error.message : describeError(error));
}

/** Unique per run attempt, and traceable back to the run. */
function newDeploymentId(env: NodeJS.ProcessEnv): string {
  return `${env.GITHUB_RUN_ID ?? 'local'}-${env.GITHUB_RUN_ATTEMPT ?? '1'}-${randomUUID().slice(0, 8)}`;
}

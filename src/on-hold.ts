import { trackHeldOnGitHub } from './action/github.js';
import { lambdaObserver, out, redactor } from './action/output.js';
import { publishHoldActionReport, publishOperationRefusal, publishReport } from './action/report.js';
import { cancelOnSignals } from './action/signals.js';
import { AwsSession } from './aws/session.js';
import { AnalysisLog } from './checks/analysis/analysis-log.js';
import { ProbeRuns } from './checks/probes/prober.js';
import type { AbortOperation, GuardOperation, PromoteOperation, Settings } from './config/settings.js';
import { systemClock } from './core/clock.js';
import { outcomeFor } from './github/outcome.js';
import { abortHolds } from './operations/abort.js';
import { guardHolds } from './operations/guard.js';
import type { HoldActionReport } from './operations/outcome.js';
import { promote } from './operations/promote.js';
import { Recorder } from './rollout/recorder.js';
import { actorOf, alarmChecks, wiring } from './wiring.js';

/**
 * The main step of an operation on a rollout held for approval: promote, abort or guard. Each reads
 * the hold from the aliases themselves (nothing else is needed), acts, and reports: outputs, the
 * job summary, and the GitHub deployment the job that held created. Wiring only.
 */
export async function runOnHold(
  settings: Settings,
  operation: PromoteOperation | AbortOperation | GuardOperation
): Promise<void> {
  const session = new AwsSession(settings.aws, lambdaObserver);
  const cancellation = cancelOnSignals((message) => out.warning(message));
  // Every line the recorder writes leaves through the redaction (see action/output.ts).
  const recorder = new Recorder(out, systemClock);
  const actor = actorOf(process.env);
  try {
    switch (operation.kind) {
      case 'promote':
        return await runPromote(settings, operation, { session, recorder, actor, signal: cancellation.signal });
      case 'abort': {
        const deps = { lambda: session.lambda, clock: systemClock, recorder };
        const report = await abortHolds(deps, settings.targets, operation, actor, cancellation.signal);
        return await reportHoldAction(settings, report, recorder);
      }
      case 'guard': {
        const deps = { lambda: session.lambda, clock: systemClock, recorder, checks: alarmChecks(settings, session) };
        const report = await guardHolds(deps, settings.targets, actor, cancellation.signal);
        return await reportHoldAction(settings, report, recorder);
      }
    }
  } finally {
    recorder.closeGroup();
    cancellation.dispose();
    session.close();
    redactor.settleMasks();
  }
}

async function runPromote(
  settings: Settings,
  operation: PromoteOperation,
  run: { session: AwsSession; recorder: Recorder; actor: string; signal: AbortSignal }
): Promise<void> {
  const { recorder, actor } = run;
  let github: ReturnType<typeof trackHeldOnGitHub> | undefined;
  let started: Promise<void> = Promise.resolve();
  const expedited = operation.expedite !== undefined ? `, expedited: ${operation.expedite}` : '';
  const analysis = new AnalysisLog();
  const probes = new ProbeRuns();
  const outcome = await promote(
    {
      settings,
      operation,
      wiring: wiring(settings, run.session, analysis, recorder, probes, run.signal),
      actor,
      // The GitHub deployment goes on beside the promotion, never in front of it.
      onContinue: (held) => {
        github = trackHeldOnGitHub(settings, held.deploymentId);
        started = github.set('in_progress', `Promoting from ${held.weightPercent} %, asked by ${actor}${expedited}`);
      }
    },
    run.signal
  ).finally(() => probes.stop());
  recorder.closeGroup();
  if (outcome.kind === 'refused') {
    const aliases = settings.targets.map((target) => `${target.functionName}:${target.alias}`).join(', ');
    return publishOperationRefusal(`Promotion refused: ${aliases}`, outcome.reason, outcome.deploymentId);
  }
  await publishReport(outcome.report, analysis.points);
  await started;
  const ended = outcomeFor(outcome.report.result);
  const why = operation.expedite !== undefined ? ` (${operation.expedite})` : '';
  if (github && ended) await github.set(ended.state, `${ended.description}; promoted by ${actor}${why}`);
}

/** An abort's or a guard's report, and each aborted hold's GitHub deployment ended `failure`, saying who and why. */
async function reportHoldAction(settings: Settings, report: HoldActionReport, recorder: Recorder): Promise<void> {
  await publishHoldActionReport(report, recorder.warnings);
  const aborted = new Map(
    report.aliases.flatMap((alias) =>
      alias.outcome === 'aborted' && alias.hold ? [[alias.hold.deploymentId, alias] as const] : []
    )
  );
  for (const [deploymentId, alias] of aborted) {
    const why = alias.why ?? 'aborted';
    await trackHeldOnGitHub(settings, deploymentId).set(
      'failure',
      `${why.charAt(0).toUpperCase()}${why.slice(1)}; back on version ${alias.hold?.previousVersion ?? '?'}`
    );
  }
}

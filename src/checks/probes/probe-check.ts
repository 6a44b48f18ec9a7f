import { ResourceNotFound } from '../../aws/failures.js';
import type { LambdaGateway } from '../../aws/lambda-gateway.js';
import { describeError } from '../../core/errors.js';
import type { PreflightFindings } from '../../core/findings.js';
import type { BakeCheck, CheckContext, Observation, ShiftingVersions, Verdict } from '../checks.js';
import {
  CONFIRMATION_CALLS,
  MAX_CONFIRMATIONS,
  ProbeJudge,
  PROBE_FALSE_ROLLBACK_RATE,
  type BurstTally,
  type ConfirmationBurst
} from './judge.js';
import type { Prober, ProbeOutcome, ProbeTarget } from './prober.js';

const CHECK_NAME = 'probes';
/** Beyond the function's time limit, a probe may take this long (a cold start, the network). */
const PROBE_TIMEOUT_MARGIN_MS = 30_000;
/** Lambda's longest time limit: a function whose own limit cannot be read gets this. */
const LAMBDA_MAX_TIMEOUT_SECONDS = 15 * 60;
/** Probes in a row with no answer at all, across polls, before the check says it cannot judge. */
const MAX_UNANSWERED_IN_A_ROW = 5;
/**
 * How long a poll waits for the confirmation bursts it sent (all aliases together): half the shortest
 * time limit of a poll (10 s). A slower burst (a function that takes longer to answer) goes on, and a
 * later poll enters it.
 */
const BURST_PATIENCE_MS = 5_000;

/** A confirmation burst sent for one alias, entered in `judge` once it is back. */
interface PendingBurst {
  readonly judge: ProbeJudge;
  readonly done: Promise<void>;
  result?: ConfirmationBurst;
}

/** One alias the probes go through. */
export interface ProbedAlias {
  readonly functionName: string;
  readonly alias: string;
  /** The function as Invoke and GetFunctionConfiguration take it (its ARN, or its name). */
  readonly functionRef: string;
  /** The Timeout the new version will have, when the inputs change it. */
  readonly newTimeoutSeconds?: number;
}

/**
 * The probes through the alias as a bake check: their own evidence stream, read at every poll like
 * the alarms and the analysis. The first poll with both versions known starts the prober (the check
 * right before the first shift); from then on each poll takes the probes answered since the last
 * one, enters them in each alias's ProbeJudge, and says unhealthy as soon as a rule breaks. When the
 * new version failed a probe on its answer, the same poll puts it to the test at once: a burst of
 * the same event to both versions, qualified by their numbers, at the same moment (judge.ts), so a
 * broken version is rolled back at the first poll after its first failed probe. A step
 * passes only once the new version answered at least one probe sent during it. Probes that get no
 * answer at all, several in a row, make the poll throw (the bake loop's check error: three in a row
 * roll back), since the check would otherwise judge blind.
 */
export class ProbeCheck implements BakeCheck {
  readonly name = CHECK_NAME;
  private readonly judges = new Map<string, ProbeJudge>();
  private readonly timeouts = new Map<string, number>();
  private unansweredInARow = 0;
  private lastNoAnswer = '';

  constructor(
    private readonly lambda: Pick<LambdaGateway, 'getTimeoutSeconds' | 'checkInvokable'>,
    private readonly prober: Prober,
    private readonly aliases: readonly ProbedAlias[],
    /** The run's cancellation: the prober stops with it. */
    private readonly runSignal?: AbortSignal
  ) {}

  /** Probes answer at once: no step waits for them. */
  dataDelay(): undefined {
    return undefined;
  }

  /** May these credentials invoke each alias (a DryRun Invoke), and how long may a probe take. */
  async preflight(signal?: AbortSignal): Promise<PreflightFindings> {
    const problems: string[] = [];
    const warnings: string[] = [];
    for (const alias of this.aliases) {
      const key = keyOf(alias);
      try {
        const seconds = await this.lambda.getTimeoutSeconds(alias.functionRef, signal);
        this.timeouts.set(key, Math.max(seconds, alias.newTimeoutSeconds ?? 0));
      } catch {
        this.timeouts.set(key, LAMBDA_MAX_TIMEOUT_SECONDS);
      }
      try {
        await this.lambda.checkInvokable(`${alias.functionRef}:${alias.alias}`, signal);
      } catch (error: unknown) {
        // A new alias does not exist until the promotion creates it: nothing to probe through yet.
        if (error instanceof ResourceNotFound) continue;
        problems.push(
          `probe-rate sends probes through ${key}, and these credentials cannot invoke it (lambda:InvokeFunction on the ` +
            `alias): ${describeError(error)}`
        );
      }
    }
    if (problems.length === 0 && this.aliases.length > 0) {
      warnings.push(
        'probe-rate: each probe is a real invocation of your function through the alias (its side effects included): use a read-only payload'
      );
    }
    return { problems, warnings };
  }

  async evaluate(context: CheckContext): Promise<Verdict> {
    const versions = context.versions ?? [];
    this.startOnce(versions);
    const observations: Observation[] = [];
    const broken: string[] = [];
    const holding: string[] = [];
    let answered = 0;
    let unanswered = 0;
    // One wait for the bursts of the poll, whatever the number of aliases, so the poll keeps to its time limit.
    const patienceUntil = this.prober.clock.now() + BURST_PATIENCE_MS;
    for (const alias of this.aliases) {
      const key = keyOf(alias);
      const pair = versions.find((v) => v.functionName === alias.functionName && v.alias === alias.alias);
      const taken = this.prober.take(key);
      if (!pair) {
        observations.push({
          check: CHECK_NAME,
          subject: key,
          state: 'not judged',
          detail: 'no previous version to compare with'
        });
        continue;
      }
      const judge = this.judgeOf(key, pair);
      this.keepNewVersionAnswers(key, pair.target, taken);
      if (context.stepStartedAt !== undefined) judge.observeStep(context.stepStartedAt, context.now, context.weightPercent);
      for (const outcome of taken) {
        judge.add(outcome);
        if (outcome.version === undefined) {
          unanswered += 1;
          this.lastNoAnswer = outcome.why ?? 'no answer';
        } else answered += 1;
      }
      await this.confirmIfCalledFor(alias, judge, taken, patienceUntil);
      const failure = judge.failure;
      const lastFailed = [...taken].reverse().find((outcome) => !outcome.passed && outcome.version === pair.target);
      if (lastFailed) this.lastFailures.set(key, lastFailed);
      observations.push(this.observation(key, judge, failure ? 'FAIL' : 'pass', this.lastFailures.get(key)));
      if (failure) {
        broken.push(`probes through ${key} (${failure.rule}): ${failure.why}${quoteLast(this.lastFailures.get(key))}`);
        continue;
      }
      const stepEnded = context.stepEndsAt !== undefined && context.now >= context.stepEndsAt;
      const inStep = context.weightPercent > 0 && context.stepStartedAt !== undefined && context.step !== undefined;
      if (stepEnded && inStep && this.newVersionAnsweredSince(key, context.stepStartedAt!) === 0) {
        holding.push(`no probe through ${key} reached version ${pair.target} in this step yet`);
      }
    }
    this.unansweredInARow = answered > 0 ? 0 : this.unansweredInARow + unanswered;
    if (broken.length > 0) return { kind: 'unhealthy', reason: broken.join('; '), observations };
    if (this.unansweredInARow >= MAX_UNANSWERED_IN_A_ROW) {
      throw new Error(`the last ${this.unansweredInARow} probes got no answer (last: ${this.lastNoAnswer})`);
    }
    if (holding.length > 0) return { kind: 'inconclusive', reason: holding.join('; '), observations };
    return { kind: 'healthy', observations };
  }

  /**
   * Sends a confirmation burst when the new version failed a probe on its answer (one at a time per
   * alias), waits for it until `patienceUntil`, and enters it once it is back (this poll or a later one).
   */
  private async confirmIfCalledFor(
    alias: ProbedAlias,
    judge: ProbeJudge,
    taken: readonly ProbeOutcome[],
    patienceUntil: number
  ): Promise<void> {
    const key = keyOf(alias);
    let pending = this.bursts.get(key);
    if (!pending) {
      const trigger = [...taken].reverse().find((outcome) => judge.wantsConfirmation(outcome));
      if (!trigger) return;
      pending = this.sendBurst(alias, judge, trigger);
      this.bursts.set(key, pending);
      const patience = new AbortController();
      const { clock } = this.prober;
      await Promise.race([pending.done, clock.sleepUntil(patienceUntil, patience.signal).catch(() => undefined)]);
      patience.abort();
    }
    if (pending.result === undefined) return;
    this.bursts.delete(key);
    if (pending.judge === judge) judge.addConfirmation(pending.result);
  }

  /** The event `trigger` failed on, sent to both versions by their numbers; bounded by the run, not by one poll. */
  private sendBurst(alias: ProbedAlias, judge: ProbeJudge, trigger: ProbeOutcome): PendingBurst {
    const { target, previous } = judge.versions;
    const pending: PendingBurst = {
      judge,
      done: this.prober
        .confirm(
          { timeoutMs: this.timeoutMsOf(alias) },
          { newVersion: `${alias.functionRef}:${target}`, previous: `${alias.functionRef}:${previous}` },
          trigger.eventIndex,
          CONFIRMATION_CALLS,
          this.runSignal
        )
        .then(
          (burst) => {
            pending.result = {
              newVersion: burstTally(burst.newVersion, target),
              previous: burstTally(burst.previous, previous),
              sent: burst.newVersion.length + burst.previous.length
            };
          },
          // Its calls never throw; should the burst itself, it decides nothing.
          () => {
            pending.result = { newVersion: { answered: 0, failed: 0 }, previous: { answered: 0, failed: 0 }, sent: 0 };
          }
        )
    };
    return pending;
  }

  private timeoutMsOf(alias: ProbedAlias): number {
    return (this.timeouts.get(keyOf(alias)) ?? LAMBDA_MAX_TIMEOUT_SECONDS) * 1000 + PROBE_TIMEOUT_MARGIN_MS;
  }

  /** Probe calls answered by each version so far, per alias (for the summary: probes apart from real traffic). */
  tallies(): ReadonlyArray<{
    readonly key: string;
    readonly versions: ReadonlyMap<string, { calls: number; failures: number }>;
  }> {
    return [...this.judges.entries()].map(([key, judge]) => ({ key, versions: judge.tallies }));
  }

  /** When each probe the new version answered was sent, per alias (for the per-step minimum). */
  private readonly newVersionAnswers = new Map<string, number[]>();
  /** The new version's last failed probe, per alias, for the log and the reason. */
  private readonly lastFailures = new Map<string, ProbeOutcome>();
  /** The confirmation burst out for each alias, if any. */
  private readonly bursts = new Map<string, PendingBurst>();

  private keepNewVersionAnswers(key: string, target: string, taken: readonly ProbeOutcome[]): void {
    const sent = this.newVersionAnswers.get(key) ?? [];
    for (const outcome of taken) if (outcome.version === target) sent.push(outcome.sentAt);
    this.newVersionAnswers.set(key, sent);
  }

  private newVersionAnsweredSince(key: string, since: number): number {
    return (this.newVersionAnswers.get(key) ?? []).filter((sentAt) => sentAt >= since).length;
  }

  private judgeOf(key: string, pair: ShiftingVersions): ProbeJudge {
    let judge = this.judges.get(key);
    if (!judge || judge.versions.target !== pair.target || judge.versions.previous !== pair.previous) {
      judge = new ProbeJudge(PROBE_FALSE_ROLLBACK_RATE / Math.max(1, this.aliases.length), {
        target: pair.target,
        previous: pair.previous
      });
      this.judges.set(key, judge);
    }
    return judge;
  }

  private startOnce(versions: readonly ShiftingVersions[]): void {
    if (this.prober.started) return;
    const targets: ProbeTarget[] = this.aliases
      .filter((alias) => versions.some((v) => v.functionName === alias.functionName && v.alias === alias.alias))
      .map((alias) => ({
        key: keyOf(alias),
        ref: `${alias.functionRef}:${alias.alias}`,
        timeoutMs: this.timeoutMsOf(alias)
      }));
    if (targets.length === 0) return;
    this.prober.start(targets, this.runSignal);
  }

  private observation(key: string, judge: ProbeJudge, word: string, lastFailed: ProbeOutcome | undefined): Observation {
    const counts = [...judge.tallies.entries()]
      .map(([version, tally]) => `version ${version}: ${tally.failures} of ${tally.calls} failed`)
      .join(', ');
    const total = [...judge.tallies.values()].reduce((sum, tally) => sum + tally.calls, 0);
    const noAnswer = judge.unanswered > 0 ? `, ${judge.unanswered} unanswered` : '';
    const spent = judge.confirmations >= MAX_CONFIRMATIONS ? ', none left: the sequential rules judge alone' : '';
    const bursts =
      judge.confirmations > 0
        ? `; ${judge.confirmations} confirmation${judge.confirmations === 1 ? '' : 's'} of ${judge.confirmationCalls} direct calls${spent}`
        : '';
    const evidence = judge.evidence;
    return {
      check: CHECK_NAME,
      subject: key,
      state: `${word} (${total} probe calls${counts ? `: ${counts}` : ''}${noAnswer}${bursts})`,
      detail:
        `probe calls are counted apart from real traffic (the analysis's calls include them); ${evidence.rule} ` +
        `evidence ${evidence.eValue.toPrecision(3)} of ${evidence.bar}${lastFailed ? `; last failure: ${describeOutcome(lastFailed)}` : ''}`
    };
  }
}

function keyOf(alias: Pick<ProbedAlias, 'functionName' | 'alias'>): string {
  return `${alias.functionName}:${alias.alias}`;
}

/**
 * A burst's calls to one version: those it answered (the version that ran them is the one asked
 * for), and of them those that failed on their answer. A slow answer counts as passed here: a burst
 * starts execution environments on both versions at once, so its durations judge neither.
 */
function burstTally(outcomes: readonly ProbeOutcome[], version: string): BurstTally {
  const answered = outcomes.filter((outcome) => outcome.version === version);
  return { answered: answered.length, failed: answered.filter((outcome) => outcome.failedOn === 'answer').length };
}

function describeOutcome(outcome: ProbeOutcome): string {
  return `${outcome.why ?? 'failed'}${outcome.answer !== undefined ? `; it answered ${outcome.answer}` : ''}`;
}

function quoteLast(outcome: ProbeOutcome | undefined): string {
  return outcome ? `; last failure: ${describeOutcome(outcome)}` : '';
}

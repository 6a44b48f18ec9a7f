/**
 * The probes' operating characteristics, by simulation with the real judge (src/checks/probes/judge.ts):
 * probes at a fixed rate through an alias split by weight, each routed at random by the weight and
 * failing with its version's probability at that moment, read by a poll every second as the probe
 * check reads them. A new-version failure read at a poll sends a confirmation burst there, as the
 * probe check does: CONFIRMATION_CALLS calls to each version, each failing with its version's
 * probability at that moment. A rollout is a weighted step then all traffic on the new version (a
 * final bake), and ends rolled back the moment a rule breaks.
 */
import { createRng } from '../../emulator/shared/rng.js';
import { CONFIRMATION_CALLS, ProbeJudge, PROBE_FALSE_ROLLBACK_RATE } from '../../src/checks/probes/judge.js';
import type { ProbeOutcome } from '../../src/checks/probes/prober.js';

/** A version's probe failure probability at `t` seconds after the first shift. */
export type FailureRate = (t: number) => number;

export interface ProbeScenario {
  readonly name: string;
  readonly previous: FailureRate;
  readonly next: FailureRate;
  /** Whether the new version is worse (a rollback is then a detection; otherwise a false rollback). */
  readonly bad: boolean;
}

export interface ProbeRolloutSettings {
  /** Probes a second. */
  readonly rate: number;
  /** The weighted steps, in order: weight % and seconds. */
  readonly steps: ReadonlyArray<{ readonly weightPercent: number; readonly seconds: number }>;
  /** Seconds with all traffic on the new version (the final bake). */
  readonly finalSeconds: number;
  readonly pollSeconds: number;
}

/** The default rollout: Canary10Percent5Minutes at 5 probes a second, a 1 s poll, a 5-minute final bake. */
export const DEFAULT_ROLLOUT: ProbeRolloutSettings = {
  rate: 5,
  steps: [{ weightPercent: 10, seconds: 300 }],
  finalSeconds: 300,
  pollSeconds: 1
};

export interface ProbeRolloutOutcome {
  readonly rolledBack: boolean;
  /** Seconds from the new version's first failed probe to the rollback. */
  readonly afterFirstFailureSeconds?: number;
  /** Failed probes of the new version up to the rollback. */
  readonly newFailures: number;
  /** Probe calls sent up to the end (or the rollback). */
  readonly calls: number;
}

/** One simulated rollout. */
export function simulateProbeRollout(
  scenario: ProbeScenario,
  settings: ProbeRolloutSettings,
  random: () => number
): ProbeRolloutOutcome {
  const judge = new ProbeJudge(PROBE_FALSE_ROLLBACK_RATE, { target: '2', previous: '1' });
  const phases = [...settings.steps, { weightPercent: 100, seconds: settings.finalSeconds }];
  const interval = 1000 / settings.rate;
  let phaseStartMs = 0;
  let calls = 0;
  let newFailures = 0;
  let firstFailureMs: number | undefined;
  let nextProbeMs = 0;
  for (const phase of phases) {
    const endMs = phaseStartMs + phase.seconds * 1000;
    for (let pollMs = phaseStartMs + settings.pollSeconds * 1000; pollMs <= endMs; pollMs += settings.pollSeconds * 1000) {
      judge.observeStep(phaseStartMs, pollMs, phase.weightPercent);
      let trigger: ProbeOutcome | undefined;
      for (; nextProbeMs <= pollMs; nextProbeMs += interval) {
        // Probes sent before this phase's weight was set are the previous phase's (its last poll took them).
        if (nextProbeMs < phaseStartMs) continue;
        calls += 1;
        const onNew = random() < phase.weightPercent / 100;
        const t = nextProbeMs / 1000;
        const passed = random() >= (onNew ? scenario.next(t) : scenario.previous(t));
        if (onNew && !passed) {
          newFailures += 1;
          firstFailureMs ??= nextProbeMs;
        }
        const outcome: ProbeOutcome = {
          sentAt: nextProbeMs,
          answeredAt: nextProbeMs,
          eventIndex: 0,
          version: onNew ? '2' : '1',
          passed,
          ...(passed ? {} : { failedOn: 'answer' as const })
        };
        judge.add(outcome);
        if (judge.wantsConfirmation(outcome)) trigger = outcome;
      }
      if (trigger && judge.wantsConfirmation(trigger)) {
        const t = pollMs / 1000;
        const burst = (rate: number) => {
          let failed = 0;
          for (let i = 0; i < CONFIRMATION_CALLS; i++) if (random() < rate) failed += 1;
          return { failed, answered: CONFIRMATION_CALLS };
        };
        judge.addConfirmation({
          newVersion: burst(scenario.next(t)),
          previous: burst(scenario.previous(t)),
          sent: 2 * CONFIRMATION_CALLS
        });
        calls += 2 * CONFIRMATION_CALLS;
      }
      if (judge.failure) {
        return {
          rolledBack: true,
          ...(firstFailureMs !== undefined ? { afterFirstFailureSeconds: (pollMs - firstFailureMs) / 1000 } : {}),
          newFailures,
          calls
        };
      }
    }
    phaseStartMs = endMs;
  }
  return { rolledBack: false, newFailures, calls };
}

export interface ProbeCell {
  readonly scenario: string;
  readonly bad: boolean;
  readonly rollouts: number;
  readonly rolledBack: number;
  /** Of the rollbacks: the median seconds and failed probes from the first failure of the new version. */
  readonly medianSeconds?: number;
  /** Of the rollbacks: the longest seconds from the first failure of the new version. */
  readonly maxSeconds?: number;
  readonly medianFailures?: number;
  readonly medianCalls: number;
}

/** The scenarios of the table: healthy ones (each version alike, a shared outage) and bad ones. */
export const SCENARIOS: readonly ProbeScenario[] = [
  { name: 'identical, probes always pass', previous: () => 0, next: () => 0, bad: false },
  { name: 'identical, 2 % of probes fail on both', previous: () => 0.02, next: () => 0.02, bad: false },
  { name: 'identical, 20 % of probes fail on both', previous: () => 0.2, next: () => 0.2, bad: false },
  { name: 'identical, 50 % of probes fail on both', previous: () => 0.5, next: () => 0.5, bad: false },
  {
    name: 'identical, both fail every probe for 30 s mid-step (a dependency outage)',
    previous: (t) => (t >= 100 && t < 130 ? 1 : 0),
    next: (t) => (t >= 100 && t < 130 ? 1 : 0),
    bad: false
  },
  { name: 'bad: fails every probe from the start', previous: () => 0, next: () => 1, bad: true },
  { name: 'bad: fails every probe from 60 s into the step', previous: () => 0, next: (t) => (t >= 60 ? 1 : 0), bad: true },
  { name: 'bad: fails every probe from 60 s into the final bake', previous: () => 0, next: (t) => (t >= 360 ? 1 : 0), bad: true },
  { name: 'bad: 20 % of probes fail, previous 1 %', previous: () => 0.01, next: () => 0.2, bad: true }
];

/** Runs `rollouts` seeded rollouts of each scenario. */
export function probeCharacteristics(rollouts: number, settings: ProbeRolloutSettings = DEFAULT_ROLLOUT, seed = 23): ProbeCell[] {
  return SCENARIOS.map((scenario, index) => {
    const random = createRng(seed + index * 7919);
    const outcomes = Array.from({ length: rollouts }, () => simulateProbeRollout(scenario, settings, random));
    const rolled = outcomes.filter((outcome) => outcome.rolledBack);
    return {
      scenario: scenario.name,
      bad: scenario.bad,
      rollouts,
      rolledBack: rolled.length,
      ...(rolled.length > 0
        ? {
            medianSeconds: median(seconds(rolled)),
            maxSeconds: Math.max(...seconds(rolled)),
            medianFailures: median(rolled.map((o) => o.newFailures))
          }
        : {}),
      medianCalls: median(outcomes.map((o) => o.calls))
    };
  });
}

function seconds(outcomes: readonly ProbeRolloutOutcome[]): number[] {
  return outcomes.flatMap((o) => (o.afterFirstFailureSeconds !== undefined ? [o.afterFirstFailureSeconds] : []));
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The table of docs/probes.md. */
export function probeTable(cells: readonly ProbeCell[]): string {
  const share = (cell: ProbeCell): string => `${((cell.rolledBack / cell.rollouts) * 100).toFixed(1)} %`;
  return [
    '| Scenario | Rolled back | From the first failed probe of the new version to the rollback: median (longest) | Probe calls per rollout, confirmations included (median) |',
    '|---|---|---|---|',
    ...cells.map(
      (cell) =>
        `| ${cell.scenario} | ${share(cell)}${cell.bad ? '' : ' (false rollbacks)'} | ` +
        `${cell.medianSeconds !== undefined ? `${cell.medianSeconds.toFixed(0)} s (${cell.maxSeconds!.toFixed(0)} s), ${cell.medianFailures} failed probe${cell.medianFailures === 1 ? '' : 's'}` : '–'} | ` +
        `${cell.medianCalls} |`
    )
  ].join('\n');
}

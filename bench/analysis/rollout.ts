/**
 * One simulated rollout, judged by the real code: the real AnalysisCheck (src/checks/analysis/)
 * over a SimulatedAlias, and the real bake loop's rules (decideBake, nextPollAt's grid,
 * heldPastDeadline and bakeDeadline from src/engines/runner/) on a simulated clock. Only the waiting is
 * skipped: the loop jumps from one poll to the next, as the engine's clock would wait.
 */
import { AnalysisCheck } from '../../src/checks/analysis/analysis-check.js';
import type { AnalysisThresholds } from '../../src/core/analysis.js';
import type { Strategy } from '../../src/core/schedule.js';
import { decideBake, heldPastDeadline, type BakeState } from '../../src/engines/runner/bake.js';
import { bakeDeadline } from '../../src/engines/runner/bake-schedule.js';
import type { SimulatedAlias } from './world.js';

/** How a simulated rollout ended, and when (from the first shift). */
export type RolloutOutcome =
  /** The preflight refused it (the traffic forecast), before any traffic moved. */
  | { readonly kind: 'refused'; readonly problem: string }
  | { readonly kind: 'promoted'; readonly atMs: number }
  | { readonly kind: 'rolled-back'; readonly atMs: number; readonly rule: string }
  | { readonly kind: 'want-of-data'; readonly atMs: number };

/** The action's settings that matter here. */
export interface RolloutSettings {
  readonly strategy: Strategy;
  readonly thresholds: AnalysisThresholds;
  readonly pollIntervalMs: number;
  readonly maxBakeExtensionMs: number;
  readonly timeoutSeconds: number;
}

/** Runs one rollout from `startMs` (the first shift) to its promotion or rollback. */
export async function simulateRollout(
  alias: SimulatedAlias,
  settings: RolloutSettings,
  startMs: number
): Promise<RolloutOutcome> {
  const check = new AnalysisCheck({
    gateway: alias,
    alias: alias.ref,
    thresholds: settings.thresholds,
    fn: {
      live: async () => ({ version: alias.previousVersion, timeoutSeconds: settings.timeoutSeconds }),
      newTimeoutSeconds: async () => settings.timeoutSeconds
    },
    rollout: { kind: 'deployment', strategy: settings.strategy },
    clock: { now: () => alias.now },
    functions: 1,
    maxBakeExtensionMs: settings.maxBakeExtensionMs,
    pollIntervalMs: settings.pollIntervalMs
  });
  alias.now = startMs;
  const preflight = await check.preflight();
  if (preflight.problems.length > 0) return { kind: 'refused', problem: preflight.problems.join('; ') };
  const versions = [{ ...alias.ref, target: alias.targetVersion, previous: alias.previousVersion }];
  let now = startMs;
  let untilMs = 0;
  let heldMs = 0;
  const steps = settings.strategy.steps;
  for (const [index, step] of steps.entries()) {
    alias.setWeight(now, step.weightPercent / 100);
    untilMs += step.bakeMs;
    let state: BakeState = {
      stepStart: now,
      deadline: bakeDeadline(startMs, untilMs, heldMs),
      intervalMs: settings.pollIntervalMs,
      checkErrors: 0,
      maxCheckErrors: 3,
      maxExtensionMs: settings.maxBakeExtensionMs
    };
    let pollAt = Math.min(state.stepStart + state.intervalMs, state.deadline);
    for (;;) {
      now = pollAt;
      alias.now = now;
      const verdict = await check.evaluate({
        now,
        weightPercent: step.weightPercent,
        stepStartedAt: state.stepStart,
        stepEndsAt: state.deadline,
        step: { number: index + 1, of: steps.length },
        versions
      });
      const next = decideBake(state, { kind: 'verdict', verdict }, now);
      state = next.state;
      if (next.decision.kind === 'rollback') {
        if (verdict.kind === 'unhealthy') {
          const rule = /\(version \S+ against \S+, ([a-z0-9-]+)\)/.exec(verdict.reason)?.[1] ?? 'unknown';
          return { kind: 'rolled-back', atMs: now - startMs, rule };
        }
        return { kind: 'want-of-data', atMs: now - startMs };
      }
      if (next.decision.kind === 'advance') {
        heldMs += heldPastDeadline(state, now);
        break;
      }
      pollAt = next.decision.until;
    }
  }
  return { kind: 'promoted', atMs: now - startMs };
}

import { windowProblem } from '../config/deploy-window.js';
import type { WindowGate } from '../config/settings.js';
import { formatDuration } from '../core/duration.js';

/**
 * The deploy window's say on a run (a deployment, a promotion), from now to the planned end of its
 * automatic part: its bakes. A hold's wait is a person's, not the rollout's, so a deployment that
 * holds is planned to its hold; hooks and waits for data are not counted. Pure.
 */
export type WindowVerdict =
  | { readonly kind: 'open' }
  /** Outside the window, and overridden: the note goes in the summary. */
  | { readonly kind: 'overridden'; readonly note: string }
  /** Outside the window: the run is refused before anything changes. */
  | { readonly kind: 'closed'; readonly reason: string };

export function judgeWindow(
  gate: WindowGate | undefined,
  nowMs: number,
  plannedMs: number,
  actor: string,
  what: 'deployment' | 'promotion'
): WindowVerdict {
  if (!gate) return { kind: 'open' };
  const problem = windowProblem(gate.window, nowMs, nowMs + plannedMs);
  if (problem === undefined) return { kind: 'open' };
  const planned = plannedMs > 0 ? ` (its bakes take ${formatDuration(plannedMs)})` : '';
  if (gate.override !== undefined) {
    return {
      kind: 'overridden',
      note: `The ${what}${planned} runs outside its deploy window: ${problem}. Overridden by ${actor}: ${gate.override}`
    };
  }
  return {
    kind: 'closed',
    reason:
      `the ${what}${planned} was refused before anything changed: ${problem}. Run it inside the window, or set ` +
      'deploy-window-override to the reason it must run now'
  };
}

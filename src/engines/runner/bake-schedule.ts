/**
 * When each step's bake ends, pure. Deadlines count from the first shift, so that the time slow
 * writes take does not add up over the steps; a step held past its end for want of data (within
 * `max-bake-extension`, a bound per step) moves the later steps' deadlines by as long as it was
 * held, instead of eating into their bake and their own extension.
 */

/** The deadline of a step that ends `untilMs` after the first shift, given the holds earlier steps took. */
export function bakeDeadline(firstShiftAt: number, untilMs: number, heldBeforeMs: number): number {
  return firstShiftAt + untilMs + heldBeforeMs;
}

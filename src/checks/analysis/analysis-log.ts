import type { AnalysisPoint, AnalysisSink } from './types.js';

/** Points kept; past it only each step's last one is (a point per new minute of data fits 48 hours). */
const MAX_KEPT_POINTS = 5000;

/**
 * The analyses of a rollout, for the job summary's table and charts: each point whose numbers or
 * verdict differ from the one before of the same alias, oldest first. The analysis's own sink, so
 * that the generic checks and the engine's recorder know nothing of it.
 */
export class AnalysisLog implements AnalysisSink {
  readonly points: AnalysisPoint[] = [];

  record(point: AnalysisPoint): void {
    const last = this.points.findLast((p) => p.functionName === point.functionName && p.alias === point.alias);
    if (last && sameNumbers(last, point)) return;
    if (last && this.points.length >= MAX_KEPT_POINTS && last.stepStartedAt === point.stepStartedAt) {
      this.points[this.points.lastIndexOf(last)] = point;
      return;
    }
    this.points.push(point);
  }
}

/** Two analyses that saw the same numbers and said the same thing (their times aside). */
function sameNumbers(a: AnalysisPoint, b: AnalysisPoint): boolean {
  const { atMs: _a, ...left } = a;
  const { atMs: _b, ...right } = b;
  return JSON.stringify(left) === JSON.stringify(right);
}

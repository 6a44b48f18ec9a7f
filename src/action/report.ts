import { Outputs } from '../config/keys.js';
import { singleLine } from '../core/text.js';
import type { AnalysisPoint } from '../checks/analysis/types.js';
import { outputsFor, TEXT_OUTPUTS } from '../report/outputs.js';
import { closingLine, renderSummary } from '../report/summary.js';
import { holdActionOutputs, renderHoldActionSummary } from '../report/holds.js';
import type { HoldActionReport } from '../operations/outcome.js';
import { escapeForSummary } from '../report/text.js';
import { FAILURE_REASON_MAX_CHARS } from '../core/limits.js';
import type { DeploymentReport } from '../rollout/result.js';
import { out } from './output.js';

/**
 * Hands a deployment's report to the runner: the outputs, the job summary (with the per-version
 * analyses, when there were any), and the step's result (failed when the deployment rolled back or
 * failed, so that the job stops unless told otherwise). Every text passes the redaction (see output.ts).
 */
export async function publishReport(report: DeploymentReport, analysis: readonly AnalysisPoint[] = []): Promise<void> {
  const { result } = report;
  for (const [name, value] of Object.entries(outputsFor(result)))
    out.setOutput(name, value, TEXT_OUTPUTS.has(name) ? 'text' : 'identifier');
  await out.summary({ ...report, ...(analysis.length > 0 ? { analysis } : {}) }, renderSummary);
  if (result.status === 'failed' || result.status === 'rolled-back') {
    out.setFailed(singleLine(`${result.status}: ${result.failureReason ?? 'unknown reason'}`));
  } else {
    out.info(closingLine(result));
  }
}

/**
 * An abort's or a guard's report: the outputs, the summary, and the step's result (failed when an
 * alias could not be read or put back, or someone changed it during its hold). Each hold the guard
 * aborted is a warning too, so that the scheduled run shows it. Every text passes the redaction.
 */
export async function publishHoldActionReport(report: HoldActionReport, warnings: readonly string[]): Promise<void> {
  for (const [name, value] of Object.entries(holdActionOutputs(report)))
    out.setOutput(name, value, TEXT_OUTPUTS.has(name) ? 'text' : 'identifier');
  await out.summary({ report, warnings }, (data) => renderHoldActionSummary(data.report, data.warnings));
  if (report.operation === 'guard')
    for (const alias of report.aliases) if (alias.outcome === 'aborted') out.warning(singleLine(alias.message));
  if (report.status === 'failed') out.setFailed(singleLine(`failed: ${report.failureReason ?? 'unknown reason'}`));
  else out.info(singleLine(`${report.status}: ${report.aliases.map((alias) => alias.message).join('; ')}`));
}

/**
 * An operation refused after reading AWS, before anything changed (a promotion with nothing to
 * promote, outside its window): the outputs, a short summary, the step failed.
 */
export async function publishOperationRefusal(title: string, reason: string, deploymentId?: string): Promise<void> {
  out.setOutput(Outputs.Status, 'failed', 'identifier');
  out.setOutput(Outputs.FailureReason, reason, 'text');
  if (deploymentId !== undefined) out.setOutput(Outputs.DeploymentId, deploymentId, 'identifier');
  await out.summary(
    { title, reason },
    (data) => `## ❌ ${escapeForSummary(data.title, 300)}\n\n> ${escapeForSummary(data.reason, FAILURE_REASON_MAX_CHARS)}\n`
  );
  out.setFailed(singleLine(reason));
}

/** A run refused before anything was read: bad inputs. The message is already the whole story. */
export function publishRefusal(reason: string): void {
  out.setOutput(Outputs.Status, 'failed', 'identifier');
  out.setOutput(Outputs.FailureReason, reason, 'text');
  out.setFailed(reason);
}

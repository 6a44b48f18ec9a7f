import * as core from '@actions/core';
import { Outputs } from '../config/keys.js';
import { describeError } from '../core/errors.js';
import { singleLine } from '../core/text.js';
import { outputsFor } from '../report/outputs.js';
import type { AnalysisPoint } from '../checks/analysis/types.js';
import { closingLine, renderSummary } from '../report/summary.js';
import type { DeploymentReport } from '../rollout/result.js';

/**
 * Hands a deployment's report to the runner: the outputs, the job summary (with the per-version
 * analyses, when there were any), and the step's result (failed when the deployment rolled back or
 * failed, so that the job stops unless told otherwise).
 */
export async function publishReport(report: DeploymentReport, analysis: readonly AnalysisPoint[] = []): Promise<void> {
  const { result } = report;
  for (const [name, value] of Object.entries(outputsFor(result))) core.setOutput(name, value);
  await writeSummary(renderSummary({ ...report, ...(analysis.length > 0 ? { analysis } : {}) }));
  if (result.status === 'failed' || result.status === 'rolled-back') {
    core.setFailed(singleLine(`${result.status}: ${result.failureReason ?? 'unknown reason'}`));
  } else {
    core.info(closingLine(result));
  }
}

/** A run refused before anything was read: bad inputs. The message is already the whole story. */
export function publishRefusal(reason: string): void {
  core.setOutput(Outputs.Status, 'failed');
  core.setOutput(Outputs.FailureReason, reason);
  core.setFailed(reason);
}

/** Appends to the job summary; outside the runner there is none, and the log says everything anyway. */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error: unknown) {
    core.warning(`Could not write the job summary: ${describeError(error)}`);
  }
}

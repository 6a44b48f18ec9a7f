import { Outputs } from '../config/keys.js';
import { singleLine } from '../core/text.js';
import { outputsFor, TEXT_OUTPUTS } from '../report/outputs.js';
import { closingLine, renderSummary } from '../report/summary.js';
import type { DeploymentReport } from '../rollout/result.js';
import { out } from './output.js';

/**
 * Hands a deployment's report to the runner: the outputs, the job summary, and the step's result
 * (failed when the deployment rolled back or failed, so that the job stops unless told otherwise).
 * Every text passes the redaction (see output.ts).
 */
export async function publishReport(report: DeploymentReport): Promise<void> {
  const { result } = report;
  for (const [name, value] of Object.entries(outputsFor(result)))
    out.setOutput(name, value, TEXT_OUTPUTS.has(name) ? 'text' : 'identifier');
  await out.summary(report, renderSummary);
  if (result.status === 'failed' || result.status === 'rolled-back') {
    out.setFailed(singleLine(`${result.status}: ${result.failureReason ?? 'unknown reason'}`));
  } else {
    out.info(closingLine(result));
  }
}

/** A run refused before anything was read: bad inputs. The message is already the whole story. */
export function publishRefusal(reason: string): void {
  out.setOutput(Outputs.Status, 'failed', 'identifier');
  out.setOutput(Outputs.FailureReason, reason, 'text');
  out.setFailed(reason);
}

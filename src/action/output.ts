import * as core from '@actions/core';
import { describeError } from '../core/errors.js';
import { Redactor } from '../core/redaction.js';

/**
 * The one way out of the action: every text it hands the runner (log lines, annotations, the failed
 * step's message, outputs, the job summary) passes the run's redactor here. The redactor learns the
 * values of `env-vars` when the inputs are read and each function's current variables when Lambda
 * returns them; each value is registered with the runner's own mask as well (`core.setSecret`).
 */
export const redactor = new Redactor((form) => core.setSecret(form));

/** `@actions/core`'s writers, each text redacted first. */
export const out = {
  info(message: string): void {
    core.info(redactor.redact(message));
  },
  warning(message: string): void {
    core.warning(redactor.redact(message));
  },
  startGroup(title: string): void {
    core.startGroup(redactor.redact(title));
  },
  endGroup(): void {
    core.endGroup();
  },
  /** Marks the step failed with an error annotation. */
  setFailed(message: string): void {
    core.setFailed(redactor.redact(message));
  },
  /**
   * Sets an output. `text`: it may quote AWS or hook text (`failure-reason`), so it is redacted;
   * an identifier (a version, an ARN, an id) is set exactly, since later steps use it as it is.
   */
  setOutput(name: string, value: string, kind: 'text' | 'identifier'): void {
    core.setOutput(name, kind === 'text' ? redactor.redact(value) : value);
  },
  /** Appends to the job summary; outside the runner there is none, and the log says everything anyway. */
  async summary(markdown: string): Promise<void> {
    try {
      await core.summary.addRaw(redactor.redact(markdown)).write();
    } catch (error: unknown) {
      out.warning(`Could not write the job summary: ${describeError(error)}`);
    }
  }
};

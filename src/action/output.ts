import * as core from '@actions/core';
import { describeError } from '../core/errors.js';
import type { LambdaGatewayOptions } from '../aws/sdk-lambda-gateway.js';
import { Redactor } from '../core/redaction.js';

/**
 * The one way out of the action: every text it hands the runner (log lines, annotations, the failed
 * step's message, outputs, the job summary) passes the run's redactor here. The redactor learns the
 * values of `env-vars` when the inputs are read, each function's current variables when Lambda
 * returns them, and the identifiers it must leave alone (names, aliases, versions, ARNs, the region
 * and account). Only the values the user gave (`env-vars`, the token) are registered with the
 * runner's own mask (`core.setSecret`), which then stars them in every later step of the job too: a
 * function's current variables (`STAGE=prod`, `DEBUG=true`) would star out unrelated text there.
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
  /**
   * Appends `render(data)` to the job summary, `data` redacted first: once escaped for Markdown a
   * value would no longer be found (nor an identifier it lies in). Outside the runner there is no
   * summary, and the log says everything anyway.
   */
  async summary<T>(data: T, render: (redacted: T) => string): Promise<void> {
    try {
      await core.summary.addRaw(render(redactor.redactDeep(data))).write();
    } catch (error: unknown) {
      out.warning(`Could not write the job summary: ${describeError(error)}`);
    }
  }
};

/**
 * What the Lambda gateway tells the redaction: each function's current variables (secrets, kept
 * from the runner's mask: see above) and the identifiers its answers name.
 */
export const lambdaObserver: LambdaGatewayOptions = {
  onVariables: (values) => redactor.add(values),
  onIdentifiers: (identifiers) => redactor.allow(identifiers)
};

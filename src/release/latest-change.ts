import type { CodeUpload, ConfigurationChanges, FunctionReadiness, VersionConfiguration } from '../aws/lambda-gateway.js';
import { Inputs } from '../config/keys.js';
import type { VersionComparison, WantedVersion } from './changes.js';
import { variableDifferences } from './changes.js';

/** The code a deployment uploads, as the log, the plan and the summary describe it. */
export interface CodeToUpload {
  readonly upload: CodeUpload;
  /** `directory build/`, `s3://bucket/key`, `image …:v2`. */
  readonly source: string;
  /** Size in bytes and file count, for a zip built or read on the runner (or an S3 object read). */
  readonly size?: number;
  readonly files?: number;
}

/** What the preflight decided for one function that gets new code or configuration. */
export interface PlannedChange {
  readonly wanted: WantedVersion;
  readonly comparison: VersionComparison;
  /** The new code, when the deployment brings any. */
  readonly code?: CodeToUpload;
  /** $LATEST as the preflight read it. */
  readonly latest: VersionConfiguration;
  /** The live version as the preflight read it; undefined on a first deployment. */
  readonly live?: VersionConfiguration;
}

/** What $LATEST must hold, on the fields this deployment cares about. */
interface Expected {
  readonly codeSha256: string;
  readonly configuration: ConfigurationChanges;
  readonly architecture?: string;
}

/**
 * One function's change to $LATEST, from the preflight's plan to the guarded PublishVersion: what
 * $LATEST must hold at each point (so that a write by someone else in between is noticed), and the
 * last reading of it whose RevisionId may guard the next write.
 */
export class LatestChange {
  /** What this deployment sent to $LATEST (a write whose answer was lost counts): it stays there after a rollback. */
  readonly written = new Set<'code' | 'configuration'>();
  /** The code was uploaded (not only found in $LATEST already). */
  uploaded = false;
  /** The upload was sent, its answer never came, and $LATEST could not be read back: it may hold the code. */
  codeUnknown = false;
  private expected: Expected;
  /** $LATEST as last read and found as expected, when nothing was written since. */
  private fresh?: VersionConfiguration;
  /** Whether $LATEST must be waited for before it is next read: not Active, or an update in progress. */
  private busy: boolean;

  constructor(
    readonly plan: PlannedChange,
    readiness: FunctionReadiness
  ) {
    const { latest } = plan;
    this.expected = { codeSha256: latest.codeSha256, configuration: valuesOf(plan.wanted.configuration, latest) };
    this.busy = readiness.state !== 'Active' || readiness.lastUpdateStatus === 'InProgress';
    // A function that was ready when read can be written at once, guarded by that reading.
    if (!this.busy) this.fresh = latest;
  }

  /** The last reading of $LATEST, if nothing was written since; else undefined (read it again). */
  get reading(): VersionConfiguration | undefined {
    return this.fresh;
  }

  /** $LATEST must be waited for before it is read: it was busy, or this deployment just wrote to it. */
  get mustWait(): boolean {
    return this.busy;
  }

  /** A reading of $LATEST, after waiting: kept when it holds what is expected, else the problems. */
  accept(reading: VersionConfiguration): string[] {
    this.busy = false;
    const problems = this.differences(reading);
    if (problems.length === 0) this.fresh = reading;
    return problems;
  }

  /** $LATEST was waited for: it is Active and no update is in progress. */
  settled(): void {
    this.busy = false;
  }

  /** A write is about to be sent: the reading is stale from now on, and $LATEST busy until waited for. */
  writing(what: 'code' | 'configuration'): void {
    this.written.add(what);
    this.fresh = undefined;
    this.busy = true;
  }

  /** AWS refused the write: it changed nothing, and $LATEST does not keep it. */
  refused(what: 'code' | 'configuration'): void {
    this.written.delete(what);
  }

  /**
   * $LATEST as read back after an upload whose answer never came: it holds the new code (uploaded
   * after all), the code it held before (the upload was not applied), or code this run cannot tell
   * as its own. Returns which.
   */
  readBack(reading: VersionConfiguration): 'uploaded' | 'not-applied' | 'unknown' {
    const wanted = this.plan.wanted.code?.codeSha256;
    if (wanted !== undefined && reading.codeSha256 === wanted) {
      this.codeUploaded(wanted);
      return 'uploaded';
    }
    if (reading.codeSha256 === this.plan.latest.codeSha256) {
      this.written.delete('code');
      return 'not-applied';
    }
    this.codeUnknown = true;
    return 'unknown';
  }

  /** $LATEST could not be read back after an upload whose answer never came. */
  readBackFailed(): void {
    this.codeUnknown = true;
  }

  /** The configuration was applied: $LATEST must now hold every value given. */
  configured(): void {
    this.expected = { ...this.expected, configuration: this.plan.wanted.configuration };
  }

  /** The code was uploaded: $LATEST must now hold it (its hash as Lambda answered), with the architecture given. */
  codeUploaded(codeSha256: string): void {
    this.uploaded = true;
    const { architecture } = this.plan.wanted;
    this.expected = { ...this.expected, codeSha256, ...(architecture ? { architecture } : {}) };
  }

  /** `new code`, `new configuration` or `new code and configuration`: what this deployment wrote to $LATEST. */
  get writtenParts(): string {
    return `new ${[...this.written].sort().join(' and ')}`;
  }

  /** The CodeSha256 PublishVersion must find in $LATEST. */
  get codeSha256(): string {
    return this.expected.codeSha256;
  }

  /** What in `reading` is not as expected, in words that never quote an environment value. */
  private differences(reading: VersionConfiguration): string[] {
    const { expected } = this;
    const problems: string[] = [];
    if (reading.codeSha256 !== expected.codeSha256) {
      problems.push(`its code is ${reading.codeSha256}, not ${expected.codeSha256}`);
    }
    const given = expected.configuration;
    const verb = this.written.size > 0 ? 'set' : 'read';
    const mismatch = (name: string): void => {
      problems.push(`its ${name} is not what this run ${verb}`);
    };
    if (given.handler !== undefined && given.handler !== reading.handler) mismatch(Inputs.Handler);
    if (given.runtime !== undefined && given.runtime !== reading.runtime) mismatch(Inputs.Runtime);
    if (given.memorySize !== undefined && given.memorySize !== reading.memorySize) mismatch(Inputs.MemorySize);
    if (given.timeoutSeconds !== undefined && given.timeoutSeconds !== reading.timeoutSeconds) mismatch(Inputs.Timeout);
    if (given.description !== undefined && given.description !== reading.description) mismatch(Inputs.Description);
    if (given.layers && given.layers.join('\n') !== reading.layers.join('\n')) mismatch(Inputs.Layers);
    if (given.environment && reading.environment) {
      const names = variableDifferences(given.environment, reading.environment);
      if (names.length > 0) mismatch(`${Inputs.EnvVars} (${names.join(', ')})`);
    }
    if (expected.architecture && reading.architectures[0] !== expected.architecture) mismatch(Inputs.Architectures);
    return problems;
  }
}

/** The given keys with the values `content` holds for them (what must stay so until this run writes). */
function valuesOf(given: ConfigurationChanges, content: VersionConfiguration): ConfigurationChanges {
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(given) as Array<keyof ConfigurationChanges>) values[key] = content[key];
  return values as ConfigurationChanges;
}

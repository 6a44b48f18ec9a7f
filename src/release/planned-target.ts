import { qualifiedArn } from '../aws/arn.js';
import { countOf, formatBytes } from '../core/text.js';
import type { PlanTarget } from '../plan/steps.js';
import { LatestChange, type CodeToUpload } from './latest-change.js';
import type { FoundTarget } from './preflight.js';
import { Target } from './target.js';

/**
 * The rollout's target for what the preflight found, with its change to $LATEST. A function whose
 * live version already has the code and configuration drops out at once, nothing written: its
 * live version is what the result reports.
 */
export function targetOf(found: FoundTarget): Target {
  const target = new Target(found.fn, found.ref.alias, found.alias);
  if (found.provisioned) target.provisioned = found.provisioned;
  if (!found.change) return target;
  target.change = new LatestChange(found.change, found.fn.readiness);
  const { live, comparison } = found.change;
  if (comparison.upToDate && live) {
    target.unchanged = true;
    target.published = {
      version: live.version,
      arn: qualifiedArn(found.fn.arn, live.version),
      state: 'Active',
      codeSha256: live.codeSha256
    };
  }
  return target;
}

/** What the plan says of a target's change: that it is up to date, or which writes come before publishing. */
export function planUpdates(target: Target): Pick<PlanTarget, 'upToDate' | 'updates'> {
  const change = target.change;
  if (!change) return {};
  const { comparison, code } = change.plan;
  if (target.unchanged) return { upToDate: true };
  return {
    updates: {
      ...(comparison.configuration ? { configuration: comparison.configurationNames } : {}),
      ...(comparison.uploadCode && code ? { code: describeUpload(code) } : {})
    }
  };
}

/** `directory build/ (12 files, 1.2 MB)`, `s3://bucket/key (48.0 MB)`, `image …:v2`. */
export function describeUpload(code: CodeToUpload): string {
  const parts = [
    code.files !== undefined ? countOf(code.files, 'file') : undefined,
    code.size !== undefined ? formatBytes(code.size) : undefined
  ];
  const shown = parts.filter((part): part is string => part !== undefined);
  return shown.length > 0 ? `${code.source} (${shown.join(', ')})` : code.source;
}

/** The code a deployment brought: where it came from, its size and hash, and whether it was uploaded. */
export interface CodeReport {
  /** `directory build/`, `s3://bucket/key`, `image …:v2`. */
  readonly source: string;
  readonly size?: number;
  readonly files?: number;
  readonly codeSha256?: string;
  /**
   * `uploaded`; `in-latest`: $LATEST held it already; `not-uploaded`: the deployment ended first (or
   * was a dry run), or its upload was not applied (read back); `unknown`: the upload was sent, its
   * answer never came, and $LATEST could not be read back.
   */
  readonly upload: 'uploaded' | 'in-latest' | 'not-uploaded' | 'unknown';
}

/** What the result reports of one function's code and configuration. */
export interface ChangeReport {
  /** The CodeSha256 of the version (or, when nothing was published, of the code this deployment brought). */
  readonly codeSha256?: string;
  /** The code this deployment brought, when it brought any. */
  readonly code?: CodeReport;
  /** What the new version changes compared with the live one, as the inputs name it (variable names only, never values). */
  readonly changes?: readonly string[];
  /**
   * What this deployment wrote to $LATEST (`new code`, `new configuration`, `new code and
   * configuration`), which keeps it whatever becomes of the alias; undefined when it wrote nothing.
   */
  readonly latestChanged?: string;
}

/** What the result reports of a target's code and configuration. */
export function changeReport(target: Target): ChangeReport {
  const change = target.change;
  const codeSha256 =
    target.published?.codeSha256 ?? (change?.uploaded ? change.codeSha256 : change?.plan.wanted.code?.codeSha256);
  if (!change) return codeSha256 ? { codeSha256 } : {};
  const { code, comparison } = change.plan;
  const brought =
    code &&
    ({
      source: code.source,
      ...(code.size !== undefined ? { size: code.size } : {}),
      ...(code.files !== undefined ? { files: code.files } : {}),
      ...(change.uploaded
        ? { codeSha256: change.codeSha256 }
        : change.plan.wanted.code?.codeSha256
          ? { codeSha256: change.plan.wanted.code.codeSha256 }
          : {}),
      upload: change.uploaded
        ? 'uploaded'
        : change.codeUnknown
          ? 'unknown'
          : comparison.uploadCode || target.unchanged
            ? 'not-uploaded'
            : 'in-latest'
    } as const);
  return {
    ...(codeSha256 ? { codeSha256 } : {}),
    ...(brought ? { code: brought } : {}),
    ...(comparison.fromLive ? { changes: comparison.fromLive } : {}),
    ...(change.written.size > 0 ? { latestChanged: change.writtenParts } : {})
  };
}

/** What a deployment that wrote to $LATEST and did not promote leaves behind, for callers of the unqualified function. */
export function latestNote(target: Target): string {
  const serves = target.before
    ? `alias ${target.aliasName} serves version ${target.before.version}`
    : `alias ${target.aliasName} does not exist`;
  const parts = target.change?.writtenParts ?? 'new code and configuration';
  return (
    `$LATEST of ${target.fn.name} keeps this run's ${parts}: ${serves}, but callers that invoke the unqualified ` +
    `function or $LATEST get it until a deployment replaces it`
  );
}

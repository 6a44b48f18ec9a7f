/**
 * What a read-only look before the deployment found (a check, a hook): problems stop the
 * deployment before anything in AWS changes; warnings are shown, in the log and the summary.
 */
export interface PreflightFindings {
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/** Nothing found. */
export const NO_FINDINGS: PreflightFindings = { problems: [], warnings: [] };

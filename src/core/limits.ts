/**
 * Sizes set by AWS, GitHub or this action, in one place so that two files cannot disagree on one
 * limit. Untrusted text (AWS errors, hook answers) is capped once, where it enters, at these sizes.
 */

/** Lambda's limit on a version's description. */
export const LAMBDA_VERSION_DESCRIPTION_MAX_CHARS = 256;
/** GitHub's limit on a deployment status description. */
export const GITHUB_STATUS_DESCRIPTION_MAX_CHARS = 140;
/** A failure reason (the `failure-reason` output, the error annotation, the summary). */
export const FAILURE_REASON_MAX_CHARS = 1000;
/** AWS's own error text quoted in a failure. */
export const AWS_MESSAGE_MAX_CHARS = 500;
/** A hook's answer or a command's output tail, kept for the summary. */
export const HOOK_RESPONSE_MAX_CHARS = 2000;
/** A hook's answer or a command's last line quoted inside a failure reason. */
export const QUOTED_RESPONSE_MAX_CHARS = 300;
/** Lambda's limit on a zip uploaded directly with UpdateFunctionCode (bigger ones go through S3). */
export const LAMBDA_ZIP_UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
/** Lambda's limit on a function's code once unzipped. */
export const LAMBDA_UNZIPPED_MAX_BYTES = 250 * 1024 * 1024;

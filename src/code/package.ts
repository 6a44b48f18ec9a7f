/** A zip built or read on the runner, ready to upload with UpdateFunctionCode. */
export interface ZipPackage {
  readonly bytes: Uint8Array;
  /** Base64 SHA-256 of `bytes`, as Lambda will report it in `CodeSha256`. */
  readonly codeSha256: string;
  readonly size: number;
  /** How many files it holds (for the log and the summary). */
  readonly files: number;
}

/**
 * A code package that cannot be used: a missing file or directory, a file that is no zip, a
 * symbolic link that leads nowhere. `path` is where the problem is; `problem` says what it is.
 */
export class CodePackageError extends Error {
  override readonly name = 'CodePackageError';

  constructor(
    readonly path: string,
    readonly problem: string
  ) {
    super(`${path}: ${problem}`);
  }
}

/** True for the error Node gives for a path that does not exist. */
export function isMissingPath(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}

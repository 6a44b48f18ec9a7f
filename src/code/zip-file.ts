import { readFile, stat } from 'node:fs/promises';
import { LAMBDA_ZIP_UPLOAD_MAX_BYTES } from '../core/limits.js';
import { codeSha256 } from './hash.js';
import { CodePackageError, isMissingPath, type ZipPackage } from './package.js';
import { countZipEntries } from './zip-entries.js';

/**
 * Reads a zip built earlier in the job. Refuses, with the reason, a path that does not exist, a
 * directory, a file that is no zip archive, and a zip too large for a direct upload.
 */
export async function readZipFile(path: string): Promise<ZipPackage> {
  const found = await stat(path).catch((error: unknown) => {
    throw new CodePackageError(path, isMissingPath(error) ? 'there is no such file' : `it cannot be read (${String(error)})`);
  });
  if (!found.isFile())
    throw new CodePackageError(path, found.isDirectory() ? 'it is a directory, not a zip file' : 'it is not a file');
  if (found.size > LAMBDA_ZIP_UPLOAD_MAX_BYTES) throw tooLarge(path, found.size);
  const bytes = new Uint8Array(await readFile(path));
  const files = countZipEntries(bytes);
  if (files === undefined) throw new CodePackageError(path, 'it is not a zip archive (no zip end record found)');
  return { bytes, codeSha256: codeSha256(bytes), size: bytes.length, files };
}

/** Lambda takes at most 50 MB uploaded directly; more goes through S3. */
export function tooLarge(path: string, size: number): CodePackageError {
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return new CodePackageError(
    path,
    `the zip is ${mb(size)}, and Lambda takes at most ${mb(LAMBDA_ZIP_UPLOAD_MAX_BYTES)} uploaded directly: ` +
      `upload it to S3 and give s3-bucket and s3-key instead`
  );
}

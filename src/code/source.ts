import type { ZipPackage } from './package.js';
import type { SymlinkPolicy } from './symlink-policy.js';
import { zipDirectory } from './zip-directory.js';
import { readZipFile } from './zip-file.js';

/** Where a function's new code comes from, as the inputs give it (at most one source per function). */
export type CodeSource =
  /** A zip built earlier in the job. */
  | { readonly kind: 'zip-file'; readonly path: string }
  /** A directory, zipped by the action (see zipDirectory). */
  | { readonly kind: 'code-dir'; readonly path: string }
  /** An object Lambda reads from S3 (for zips above the 50 MB direct upload). */
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly objectVersion?: string }
  /** A container image in ECR, by tag or by digest. */
  | { readonly kind: 'image'; readonly imageUri: string };

/** The sources the runner packs itself. */
export type LocalCodeSource = Extract<CodeSource, { kind: 'zip-file' | 'code-dir' }>;

/** `zip file dist/orders.zip`, `directory build/`, `s3://bucket/key (version 3)`, `image …:v1`. */
export function describeCodeSource(source: CodeSource): string {
  switch (source.kind) {
    case 'zip-file':
      return `zip file ${source.path}`;
    case 'code-dir':
      return `directory ${source.path}`;
    case 's3':
      return `s3://${source.bucket}/${source.key}${source.objectVersion ? ` (version ${source.objectVersion})` : ''}`;
    case 'image':
      return `image ${source.imageUri}`;
  }
}

/** Reads the zip, or zips the directory (its links as `symlinks` allows); throws CodePackageError with what is wrong. */
export function packageLocalCode(source: LocalCodeSource, symlinks: SymlinkPolicy): Promise<ZipPackage> {
  return source.kind === 'zip-file' ? readZipFile(source.path) : zipDirectory(source.path, symlinks);
}

/** `sha256:<hex>` of a digest-pinned image URI (`…@sha256:<hex>`); undefined for a tag. */
export function imageDigest(imageUri: string): string | undefined {
  return /@(sha256:[0-9a-f]{64})$/.exec(imageUri)?.[1];
}

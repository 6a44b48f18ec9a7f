import { createHash } from 'node:crypto';
import { ApiError } from '../shared/errors.js';
import type { S3ObjectSnapshot } from './types.js';

/** One version of an object. */
export interface S3ObjectRecord extends S3ObjectSnapshot {
  bytes: Uint8Array;
}

/** S3's answers for what is not there (codes as S3 sends them, all 404). */
export const s3Errors = {
  noSuchBucket: (bucket: string) =>
    new ApiError('NoSuchBucket', 'The specified bucket does not exist', 404, {}, { BucketName: bucket }),
  noSuchKey: (key: string) => new ApiError('NoSuchKey', 'The specified key does not exist.', 404, {}, { Key: key }),
  noSuchVersion: (versionId: string) =>
    new ApiError('NoSuchVersion', 'The specified version does not exist.', 404, {}, { VersionId: versionId })
};

/**
 * Buckets of versioned objects, registered through the control API (`putS3Object`): a bucket exists
 * once it holds an object, and reading without a version gives the latest one.
 */
export class S3Objects {
  private readonly buckets = new Map<string, Map<string, S3ObjectRecord[]>>();
  private versions = 0;

  reset(): void {
    this.buckets.clear();
    this.versions = 0;
  }

  /** Stores a new version of `bucket/key` (its id given, or numbered) and returns what was stored. */
  put(bucket: string, key: string, bytes: Uint8Array, versionId?: string): S3ObjectSnapshot {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new RangeError(`invalid bucket name: ${bucket}`);
    if (key === '') throw new RangeError('the key must not be empty');
    const keys = this.buckets.get(bucket) ?? new Map<string, S3ObjectRecord[]>();
    this.buckets.set(bucket, keys);
    const record: S3ObjectRecord = {
      bucket,
      key,
      versionId: versionId ?? `v${++this.versions}`,
      size: bytes.length,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      bytes
    };
    keys.set(key, [...(keys.get(key) ?? []), record]);
    const { bytes: _bytes, ...snapshot } = record;
    return snapshot;
  }

  /** The object (its latest version, or the one named); throws S3's 404 errors. */
  get(bucket: string, key: string, versionId?: string): S3ObjectRecord {
    const keys = this.buckets.get(bucket);
    if (!keys) throw s3Errors.noSuchBucket(bucket);
    const versions = keys.get(key);
    if (!versions) throw s3Errors.noSuchKey(key);
    if (versionId === undefined) return versions[versions.length - 1]!;
    const found = versions.find((version) => version.versionId === versionId);
    if (!found) throw s3Errors.noSuchVersion(versionId);
    return found;
  }
}

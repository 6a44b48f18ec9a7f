/**
 * Public types of the S3 model: the objects Lambda reads code from (UpdateFunctionCode with S3Bucket
 * and S3Key) and the action hashes (GetObject). (Re-exported by emulator/types.ts.)
 */

/** One stored object version, as `putS3Object` answers. */
export interface S3ObjectSnapshot {
  bucket: string;
  key: string;
  versionId: string;
  size: number;
  /** Quoted MD5 of the bytes, as S3 sends it. */
  etag: string;
}

/**
 * The S3 operations the emulator runs, on SDK-shaped inputs and outputs: GetObject only (the action
 * reads a code object to hash it). The HTTP front is server/s3-rest.ts.
 */
import { ApiError } from '../shared/errors.js';
import type { Caller } from '../shared/identity.js';
import type { OperationResult, PreparedCall } from '../shared/operation.js';
import type { S3Objects } from './objects.js';

/** The S3 operations the emulator runs (others are answered NotImplemented). */
export const S3_OPERATIONS: readonly string[] = ['GetObject'];

/** Prepares one S3 call; `inputError` is what the protocol layer could not parse. */
export function prepareS3Call(
  objects: S3Objects,
  _caller: Caller,
  operation: string,
  input: Record<string, unknown>,
  inputError?: ApiError
): PreparedCall {
  const bucket = typeof input.Bucket === 'string' ? input.Bucket : '';
  const key = typeof input.Key === 'string' ? input.Key : '';
  const versionId = typeof input.VersionId === 'string' ? input.VersionId : undefined;
  const params = { Bucket: bucket, Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}) };
  if (!S3_OPERATIONS.includes(operation)) {
    return {
      service: 's3',
      operation,
      params,
      mutating: false,
      execute: () => {
        throw new ApiError('NotImplemented', `Operation ${operation} is not supported by the emulator`, 501);
      }
    };
  }
  return {
    service: 's3',
    operation,
    params,
    mutating: false,
    // Reading a given version is an action of its own in IAM.
    iamAction: versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject',
    resource: `arn:aws:s3:::${bucket}/${key}`,
    execute: () => {
      if (inputError) throw inputError;
      return getObject(objects, bucket, key, versionId);
    }
  };
}

function getObject(objects: S3Objects, bucket: string, key: string, versionId: string | undefined): OperationResult {
  const found = objects.get(bucket, key, versionId);
  return {
    status: 200,
    output: {
      Body: found.bytes,
      ContentLength: found.size,
      ContentType: 'application/zip',
      ETag: found.etag,
      VersionId: found.versionId
    }
  };
}

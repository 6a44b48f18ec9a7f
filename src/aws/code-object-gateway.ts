import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CodeSha256Hasher } from '../code/hash.js';
import { raceSignal } from '../core/deadline.js';
import type { AwsClients } from './clients.js';
import { NoAnswer } from './failures.js';
import { translateSdkError } from './translate.js';

/** A zip in S3 that Lambda is to read the new code from. */
export interface CodeObject {
  readonly bucket: string;
  readonly key: string;
  readonly objectVersion?: string;
}

/** The hash Lambda will report for an S3 code object, and its size. */
export interface CodeObjectDigest {
  readonly codeSha256: string;
  readonly size: number;
}

/** Reads code objects, to know their CodeSha256 before Lambda is asked to take them. */
export interface CodeObjectGateway {
  /** Downloads the object and hashes its bytes; `region` is the function's (Lambda reads buckets there). */
  digest(object: CodeObject, region: string | undefined, signal?: AbortSignal): Promise<CodeObjectDigest>;
}

/**
 * CodeObjectGateway over S3's GetObject. The object is hashed as it streams in, never held whole.
 * The request time limit ends at the answer's headers; a body that stops flowing for as long is
 * abandoned too, so that a stalled download cannot hang the preflight.
 */
export class S3CodeObjectGateway implements CodeObjectGateway {
  constructor(private readonly clients: AwsClients) {}

  async digest(object: CodeObject, region: string | undefined, signal?: AbortSignal): Promise<CodeObjectDigest> {
    const versioned = object.objectVersion !== undefined;
    const failed = (error: unknown): Error =>
      translateSdkError(error, {
        operation: 'GetObject',
        // Reading a given version is an IAM action of its own.
        action: versioned ? 's3:GetObjectVersion' : 's3:GetObject',
        endpoint: this.clients.endpoint('s3', region),
        signal
      });
    const idleMs = this.clients.settings.requestTimeoutMs;
    try {
      const sent = this.s3(region).send(
        new GetObjectCommand({ Bucket: object.bucket, Key: object.key, VersionId: object.objectVersion }),
        {
          abortSignal: signal
        }
      );
      const { Body } = await (signal ? raceSignal(sent, signal) : sent);
      if (!Body) throw new NoAnswer(`GetObject answered without a body for s3://${object.bucket}/${object.key}`, 'GetObject');
      return await hashStream(Body as AsyncIterable<Uint8Array> & { destroy?: (error: Error) => void }, idleMs, signal);
    } catch (error: unknown) {
      throw error instanceof NoAnswer ? error : failed(error);
    }
  }

  /**
   * An endpoint set in the environment (an emulator, LocalStack, MinIO) is addressed path-style
   * (`/<bucket>/<key>`): such endpoints seldom resolve bucket names as host names.
   */
  private s3(region: string | undefined): S3Client {
    const pathStyle = this.clients.hasCustomEndpoint('s3');
    return this.clients.client(
      's3',
      region,
      (config) => new S3Client({ ...config, ...(pathStyle ? { forcePathStyle: true } : {}) })
    );
  }
}

/** Hashes a body as it arrives; `idleMs` without a byte (or the signal) ends it. */
async function hashStream(
  body: AsyncIterable<Uint8Array> & { destroy?: (error: Error) => void },
  idleMs: number,
  signal?: AbortSignal
): Promise<CodeObjectDigest> {
  const hasher = new CodeSha256Hasher();
  let timer: NodeJS.Timeout | undefined;
  const stop = (error: Error): void => body.destroy?.(error);
  const rearm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(
      () => stop(Object.assign(new Error(`no data for ${idleMs / 1000} s while reading the object`), { name: 'TimeoutError' })),
      idleMs
    );
  };
  const onAbort = (): void => stop(Object.assign(new Error('aborted'), { name: 'AbortError' }));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    rearm();
    for await (const chunk of body) {
      hasher.update(chunk);
      rearm();
    }
    return hasher.digest();
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

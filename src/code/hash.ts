import { createHash, type Hash } from 'node:crypto';

/**
 * A code package's hash as Lambda reports it in `CodeSha256`: the SHA-256 of the zip's bytes,
 * base64-encoded. Equal hashes mean Lambda holds exactly these bytes.
 */
export function codeSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/** The same hash over bytes that arrive in pieces (an S3 object read as a stream), and their count. */
export class CodeSha256Hasher {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;

  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  /** The base64 SHA-256 and the size of everything given; call once, at the end. */
  digest(): { readonly codeSha256: string; readonly size: number } {
    return { codeSha256: this.hash.digest('base64'), size: this.bytes };
  }
}

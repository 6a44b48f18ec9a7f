import { createHash } from 'node:crypto';

/** The code an update puts in $LATEST: its hash and size, the image for container functions, the architecture. */
export interface NewCode {
  codeSha256: string;
  codeSize: number;
  imageUri?: string;
  /** `sha256:<hex>` of the image. */
  imageDigest?: string;
  /** Architectures change with the code (UpdateFunctionCode), not with the configuration. */
  architectures?: string[];
}

const PINNED = /@sha256:([0-9a-f]{64})$/;

/**
 * An image's code fields. A digest-pinned URI (`…@sha256:<hex>`) keeps its digest; a tag stands for
 * a digest derived from the URI (there is no registry to ask). CodeSha256 is the digest's hex.
 */
export function imageCode(imageUri: string): { codeSha256: string; imageUri: string; imageDigest: string } {
  const hex = PINNED.exec(imageUri)?.[1] ?? createHash('sha256').update(imageUri).digest('hex');
  return { codeSha256: hex, imageUri, imageDigest: `sha256:${hex}` };
}

/** The repository part of an image URI: without its `@sha256:` digest or `:tag`. */
export function repositoryOf(imageUri: string): string {
  const unpinned = imageUri.replace(/@sha256:[0-9a-f]+$/, '');
  const slash = unpinned.lastIndexOf('/');
  const colon = unpinned.lastIndexOf(':');
  return colon > slash ? unpinned.slice(0, colon) : unpinned;
}

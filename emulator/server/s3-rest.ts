/**
 * S3's REST-XML protocol for the one operation the emulator runs, GetObject, path-style
 * (`GET /<bucket>/<key>?versionId=…`), as the SDK sends it to an endpoint given by IP address.
 */
import { ApiError } from '../shared/errors.js';
import type { OperationResult } from '../shared/operation.js';
import type { HttpReply, IncomingRequest } from './http.js';
import { credentialScope } from './sigv4.js';

/** True for requests signed for S3. */
export function isS3Request(req: IncomingRequest): boolean {
  return credentialScope(req)?.service === 's3';
}

/** The operation and its SDK-shaped input. */
export function decodeS3Request(req: IncomingRequest): {
  operation: string;
  input: Record<string, unknown>;
  inputError?: ApiError;
} {
  const [bucket = '', ...key] = req.path.replace(/^\//, '').split('/');
  const input: Record<string, unknown> = { Bucket: safeDecode(bucket), Key: key.map(safeDecode).join('/') };
  const versionId = req.query.get('versionId');
  if (versionId !== null) input.VersionId = versionId;
  return { operation: req.method === 'GET' && key.length > 0 ? 'GetObject' : `${req.method} ${req.path}`, input };
}

/** GetObject's answer: the bytes, with S3's headers. */
export function encodeS3Result(result: OperationResult): HttpReply {
  const out = result.output as { Body: Uint8Array; ContentType: string; ETag: string; VersionId: string };
  return {
    status: result.status,
    headers: { 'content-type': out.ContentType, etag: out.ETag, 'x-amz-version-id': out.VersionId },
    body: Buffer.from(out.Body)
  };
}

/** S3's XML error document; a HEAD answer would carry no body, which GetObject never needs. */
export function encodeS3Error(error: ApiError): HttpReply {
  const fields = Object.entries(error.fields)
    .map(([name, value]) => `<${name}>${escapeXml(String(value))}</${name}>`)
    .join('');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(error.message)}</Message>${fields}</Error>`;
  return { status: error.status, headers: { 'content-type': 'application/xml', ...error.headers }, body };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

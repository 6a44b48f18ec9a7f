import type { CallerOptions } from '../shared/identity.js';
import type { IncomingRequest } from './http.js';

/** The credential scope of a SigV4 signature: `<AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request$/;

/**
 * Reads the credential scope from `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`
 * (or the `X-Amz-Credential` query parameter of a presigned URL). The signature itself is not checked.
 */
export function credentialScope(req: Pick<IncomingRequest, 'headers' | 'query'>): CredentialScope | undefined {
  const header = req.headers.authorization;
  const fromHeader = typeof header === 'string' ? /Credential=([^,\s]+)/.exec(header)?.[1] : undefined;
  const raw = fromHeader ?? req.query.get('X-Amz-Credential') ?? undefined;
  const m = raw === undefined ? null : SCOPE.exec(raw);
  return m ? { accessKeyId: m[1]!, date: m[2]!, region: m[3]!, service: m[4]! } : undefined;
}

/** Who signed the request: its access key (which picks the account) and region; unsigned requests name neither. */
export function callerOfRequest(req: Pick<IncomingRequest, 'headers' | 'query'>): CallerOptions {
  const scope = credentialScope(req);
  return scope ? { accessKeyId: scope.accessKeyId, region: scope.region } : {};
}

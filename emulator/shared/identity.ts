import { assertAccountId, type Namespace } from './arn.js';
import { cloudWatchErrors, lambdaErrors, type ApiError } from './errors.js';
import type { IncomingRequest } from '../server/http.js';

/** Who sends a request, and to which region: the account from the access key, the region from the signature. */
export interface Caller extends Namespace {
  /** Access key id of the SigV4 credential scope; undefined for unsigned requests. */
  accessKeyId?: string;
}

/** The credential scope of a SigV4 signature: `<AccessKeyId>/<yyyymmdd>/<region>/<service>/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request$/;
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*]+)$/;

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

/** The principal named in IAM refusals: every caller is an assumed role session of its account. */
export function principalArn(caller: Caller): string {
  return `arn:aws:sts::${caller.accountId}:assumed-role/emulator/session`;
}

/** IAM action of an SDK operation: `lambda:<Operation>` (Invoke is `lambda:InvokeFunction`), `cloudwatch:<Operation>`. */
export function iamAction(service: 'lambda' | 'cloudwatch', operation: string): string {
  if (service === 'lambda' && operation === 'Invoke') return 'lambda:InvokeFunction';
  return `${service}:${operation}`;
}

/** True when an IAM action pattern (`*` wildcards allowed, case-insensitive as in IAM) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(action);
}

/**
 * IAM's refusal, as the service answers it (Lambda: 403 AccessDeniedException; CloudWatch: 403 AccessDenied).
 * `resource` is omitted for actions without resource-level permissions (e.g. cloudwatch:GetMetricData).
 */
export function accessDenied(
  service: 'lambda' | 'cloudwatch',
  caller: Caller,
  action: string,
  resource: string | undefined,
  policy: 'identity-based' | 'resource-based',
): ApiError {
  const on = resource === undefined ? '' : ` on resource: ${resource}`;
  const message = `User: ${principalArn(caller)} is not authorized to perform: ${action}${on} because no ${policy} policy allows the ${action} action`;
  return service === 'lambda' ? lambdaErrors.accessDenied(message) : cloudWatchErrors.accessDenied(message);
}

/** Access keys → accounts, and the actions every caller is denied (the control API sets both). */
export class Identities {
  private readonly accounts = new Map<string, string>();
  private denied: string[] = [];

  constructor(private readonly defaults: Namespace) {}

  reset(): void {
    this.accounts.clear();
    this.denied = [];
  }

  /** Requests signed with `accessKeyId` come from `accountId`. Unknown keys belong to the default account. */
  setAccountOf(accessKeyId: string, accountId: string): void {
    if (!accessKeyId) throw new RangeError('accessKeyId is required');
    assertAccountId(accountId);
    this.accounts.set(accessKeyId, accountId);
  }

  /** Replaces the caller-wide denials (`[]` clears them). Patterns like `lambda:Update*` are accepted. */
  deny(actions: string[]): void {
    if (!Array.isArray(actions)) throw new RangeError('actions must be an array of IAM actions');
    for (const a of actions) {
      if (typeof a !== 'string' || !ACTION.test(a)) throw new RangeError(`invalid IAM action: ${String(a)} (expected e.g. lambda:UpdateAlias)`);
    }
    this.denied = [...actions];
  }

  isDenied(action: string): boolean {
    return this.denied.some((pattern) => actionMatches(pattern, action));
  }

  /** The caller of a request: account from its access key, region from its credential scope. */
  callerOf(req: Pick<IncomingRequest, 'headers' | 'query'>): Caller {
    const scope = credentialScope(req);
    if (!scope) return { ...this.defaults };
    return {
      accessKeyId: scope.accessKeyId,
      accountId: this.accounts.get(scope.accessKeyId) ?? this.defaults.accountId,
      region: scope.region,
    };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import { assertAccountId, type Namespace } from './arn.js';
import { ApiError, cloudWatchErrors, lambdaErrors } from './errors.js';
import type { ServiceName } from './types.js';

/** Who sends a request, and to which region: the account from the access key, the region from the signature. */
export interface Caller extends Namespace {
  /** Access key id of the SigV4 credential scope; undefined for unsigned requests. */
  accessKeyId?: string;
}

/**
 * Who calls, as far as the caller says: over HTTP the SigV4 credential scope's access key and region;
 * in-process whatever the test names. What is left out is the emulator's default account and region.
 */
export interface CallerOptions {
  /** The caller's account; default the account of `accessKeyId` (see setAccessKeyAccount), else the emulator's. */
  accountId?: string;
  /** Region the request is sent to; default the emulator's. */
  region?: string;
  /** Access key the request is signed with: picks the account when `accountId` is not given. */
  accessKeyId?: string;
}

const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*]+)$/;

/** The principal named in IAM refusals: every caller is an assumed role session of its account. */
export function principalArn(caller: Caller): string {
  return `arn:aws:sts::${caller.accountId}:assumed-role/emulator/session`;
}

/**
 * IAM action of an SDK operation: `lambda:<Operation>` (Invoke is `lambda:InvokeFunction`),
 * `cloudwatch:<Operation>`, `codedeploy:<Operation>`.
 */
export function iamAction(service: ServiceName, operation: string): string {
  if (service === 'lambda' && operation === 'Invoke') return 'lambda:InvokeFunction';
  return `${service}:${operation}`;
}

/** True when an IAM action pattern (`*` wildcards allowed, case-insensitive as in IAM) covers `action`. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`, 'i');
  return re.test(action);
}

/**
 * IAM's refusal, as the service answers it (Lambda: 403 AccessDeniedException; CloudWatch: 403 AccessDenied;
 * CodeDeploy, a coral JSON service: 400 AccessDeniedException, which its SDK does not model).
 * `resource` is omitted for actions without resource-level permissions (e.g. cloudwatch:GetMetricData).
 */
export function accessDenied(
  service: ServiceName,
  caller: Caller,
  action: string,
  resource: string | undefined,
  policy: 'identity-based' | 'resource-based',
  /** Why, as IAM words it after the resource (`with an explicit deny in a service control policy`); default: no policy allows it. */
  reason = `because no ${policy} policy allows the ${action} action`
): ApiError {
  const on = resource === undefined ? '' : ` on resource: ${resource}`;
  const message = `User: ${principalArn(caller)} is not authorized to perform: ${action}${on} ${reason}`;
  if (service === 'codedeploy') return new ApiError('AccessDeniedException', message, 400);
  if (service === 's3') return new ApiError('AccessDenied', message, 403);
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
      if (typeof a !== 'string' || !ACTION.test(a))
        throw new RangeError(`invalid IAM action: ${String(a)} (expected e.g. lambda:UpdateAlias)`);
    }
    this.denied = [...actions];
  }

  isDenied(action: string): boolean {
    return this.denied.some((pattern) => actionMatches(pattern, action));
  }

  /** The caller: the account named, else the account of its access key, else the default; the region named, else the default. */
  callerOf(who: CallerOptions = {}): Caller {
    if (who.accountId !== undefined) assertAccountId(who.accountId);
    const keyAccount = who.accessKeyId === undefined ? undefined : this.accounts.get(who.accessKeyId);
    return {
      ...(who.accessKeyId !== undefined ? { accessKeyId: who.accessKeyId } : {}),
      accountId: who.accountId ?? keyAccount ?? this.defaults.accountId,
      region: who.region ?? this.defaults.region
    };
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

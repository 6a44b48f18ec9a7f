/**
 * How AWS CodeDeploy shifts a Lambda alias: a deployment configuration's TrafficRoutingConfig,
 * flattened. Shared by the CodeDeploy engine's strategy mapping (which makes one) and the
 * CodeDeploy adapter (which sends and reads one).
 */
export type TrafficRouting =
  | { readonly type: 'AllAtOnce' }
  | { readonly type: 'TimeBasedCanary'; readonly percentage: number; readonly intervalMinutes: number }
  | { readonly type: 'TimeBasedLinear'; readonly percentage: number; readonly intervalMinutes: number };

/** True when two routings shift traffic the same way. */
export function sameRouting(a: TrafficRouting, b: TrafficRouting): boolean {
  if (a.type === 'AllAtOnce' || b.type === 'AllAtOnce') return a.type === b.type;
  return a.type === b.type && a.percentage === b.percentage && a.intervalMinutes === b.intervalMinutes;
}

/** CodeDeploy deployment ids: `d-` and nine upper-case letters or digits. */
export const CODEDEPLOY_DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

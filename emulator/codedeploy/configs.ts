/**
 * Deployment configurations for the Lambda compute platform: the nine predefined ones, the validation
 * of custom ones (CreateDeploymentConfig) and the traffic-shifting plan each one makes.
 */
import { codeDeployError } from '../shared/errors.js';
import type { TrafficRoutingSnapshot } from './types.js';

/** A deployment configuration (predefined or custom). */
export interface DeploymentConfigRecord {
  name: string;
  id: string;
  createMs: number;
  routing: TrafficRoutingSnapshot;
  predefined: boolean;
}

/** One step of a shift: `afterMinutes` from the start of AllowTraffic, the target version gets `percent` % of the traffic. */
export interface ShiftStep {
  afterMinutes: number;
  percent: number;
}

/** CodeDeploy's limit: at most 2880 minutes from the first shift to the last. */
const MAX_SHIFT_MINUTES = 2880;

/** Creation time shown for the predefined configurations (fixed: they predate any emulator). */
const PREDEFINED_CREATE_MS = Date.UTC(2017, 10, 28);

const canary = (minutes: number): TrafficRoutingSnapshot => ({
  type: 'TimeBasedCanary',
  percentage: 10,
  intervalMinutes: minutes
});
const linear = (minutes: number): TrafficRoutingSnapshot => ({
  type: 'TimeBasedLinear',
  percentage: 10,
  intervalMinutes: minutes
});

/** The nine `CodeDeployDefault.Lambda…` configurations every account and region has. */
const PREDEFINED: Record<string, TrafficRoutingSnapshot> = {
  'CodeDeployDefault.LambdaCanary10Percent5Minutes': canary(5),
  'CodeDeployDefault.LambdaCanary10Percent10Minutes': canary(10),
  'CodeDeployDefault.LambdaCanary10Percent15Minutes': canary(15),
  'CodeDeployDefault.LambdaCanary10Percent30Minutes': canary(30),
  'CodeDeployDefault.LambdaLinear10PercentEvery1Minute': linear(1),
  'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes': linear(2),
  'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes': linear(3),
  'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes': linear(10),
  'CodeDeployDefault.LambdaAllAtOnce': { type: 'AllAtOnce' }
};

/** The configuration a Lambda deployment group uses when CreateDeploymentGroup names none. */
export const DEFAULT_LAMBDA_CONFIG = 'CodeDeployDefault.LambdaAllAtOnce';

/** The predefined configuration `name`, if it is one. */
export function predefinedConfig(name: string): DeploymentConfigRecord | undefined {
  const routing = Object.hasOwn(PREDEFINED, name) ? PREDEFINED[name] : undefined;
  if (!routing) return undefined;
  return { name, id: predefinedId(name), createMs: PREDEFINED_CREATE_MS, routing, predefined: true };
}

/** Names of the predefined configurations. */
export const PREDEFINED_CONFIG_NAMES: readonly string[] = Object.keys(PREDEFINED);

/** True for names in CodeDeploy's reserved prefix (predefined configurations, and names no one may create). */
export function isReservedConfigName(name: string): boolean {
  return name.startsWith('CodeDeployDefault.');
}

/**
 * CreateDeploymentConfig's trafficRoutingConfig, checked as CodeDeploy checks it: whole minutes, 1–99 % per
 * increment, at most 2880 minutes from the first shift to the last. Absent means AllAtOnce.
 */
export function parseTrafficRouting(raw: unknown): TrafficRoutingSnapshot {
  if (raw === undefined || raw === null) return { type: 'AllAtOnce' };
  const config = asObject(raw);
  const type = config.type ?? 'AllAtOnce';
  if (type === 'AllAtOnce') return { type };
  if (type === 'TimeBasedCanary') {
    const c = asObject(config.timeBasedCanary);
    const routing = {
      type,
      percentage: wholeNumber(c.canaryPercentage, 'canaryPercentage'),
      intervalMinutes: wholeNumber(c.canaryInterval, 'canaryInterval')
    } as const;
    checkBounds(routing);
    return routing;
  }
  if (type === 'TimeBasedLinear') {
    const l = asObject(config.timeBasedLinear);
    const routing = {
      type,
      percentage: wholeNumber(l.linearPercentage, 'linearPercentage'),
      intervalMinutes: wholeNumber(l.linearInterval, 'linearInterval')
    } as const;
    checkBounds(routing);
    return routing;
  }
  throw invalidRouting(`unknown traffic routing type ${String(type)} (TimeBasedCanary, TimeBasedLinear or AllAtOnce)`);
}

/** TrafficRoutingConfig as the API returns it. */
export function trafficRoutingConfig(routing: TrafficRoutingSnapshot): Record<string, unknown> {
  if (routing.type === 'TimeBasedCanary') {
    return {
      type: routing.type,
      timeBasedCanary: { canaryPercentage: routing.percentage, canaryInterval: routing.intervalMinutes }
    };
  }
  if (routing.type === 'TimeBasedLinear') {
    return {
      type: routing.type,
      timeBasedLinear: { linearPercentage: routing.percentage, linearInterval: routing.intervalMinutes }
    };
  }
  return { type: 'AllAtOnce' };
}

/** The shifts of AllowTraffic: canary P % then 100 % after N minutes; linear +P % every N minutes up to 100 %; all at once. */
export function shiftPlan(routing: TrafficRoutingSnapshot): ShiftStep[] {
  if (routing.type === 'AllAtOnce') return [{ afterMinutes: 0, percent: 100 }];
  if (routing.type === 'TimeBasedCanary') {
    return [
      { afterMinutes: 0, percent: routing.percentage },
      { afterMinutes: routing.intervalMinutes, percent: 100 }
    ];
  }
  const steps: ShiftStep[] = [];
  for (let i = 0; ; i++) {
    const percent = Math.min(100, (i + 1) * routing.percentage);
    steps.push({ afterMinutes: i * routing.intervalMinutes, percent });
    if (percent === 100) return steps;
  }
}

function checkBounds(routing: Exclude<TrafficRoutingSnapshot, { type: 'AllAtOnce' }>): void {
  if (routing.percentage < 1 || routing.percentage > 99) {
    throw invalidRouting(
      `the percentage of traffic shifted in one increment must be between 1 and 99, got ${routing.percentage}`
    );
  }
  if (routing.intervalMinutes < 1) {
    throw invalidRouting(`the interval must be at least 1 minute, got ${routing.intervalMinutes}`);
  }
  const plan = shiftPlan(routing);
  const total = plan[plan.length - 1]!.afterMinutes;
  if (total > MAX_SHIFT_MINUTES) {
    throw invalidRouting(
      `traffic shifting must finish within ${MAX_SHIFT_MINUTES} minutes of the first shift; this one takes ${total} minutes`
    );
  }
}

function invalidRouting(detail: string) {
  return codeDeployError(
    'InvalidTrafficRoutingConfigurationException',
    `The configuration that specifies how traffic is routed during a deployment is invalid: ${detail}`
  );
}

function asObject(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidRouting('expected an object');
  return value as Record<string, unknown>;
}

function wholeNumber(value: unknown, member: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidRouting(`${member} must be a whole number`);
  return value;
}

/** A stable id for a predefined configuration (UUID-shaped, derived from the name). */
function predefinedId(name: string): string {
  let h = 0x811c9dc5;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${name}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

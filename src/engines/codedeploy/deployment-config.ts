import { formatDuration } from '../../core/duration.js';
import type { Strategy } from '../../core/schedule.js';
import { sameRouting, type TrafficRouting } from '../../aws/traffic-routing.js';
import { CODEDEPLOY_PREFIX, linearSteps, MAX_TOTAL_BAKE_MS, PREDEFINED_STRATEGIES } from '../../config/strategy.js';

/**
 * A strategy as AWS CodeDeploy runs it (`engine: codedeploy`): the name of a deployment
 * configuration and how it routes traffic. Pure: no AWS call is made here.
 */

/** The prefix of the custom configurations this action creates, e.g. `LambdaSafeDeploy.Canary25Percent2Minutes`. */
export const CUSTOM_CONFIG_PREFIX = 'LambdaSafeDeploy.';

/** CodeDeploy's limit: at most 2880 minutes from the first shift to the last. */
export const MAX_CODEDEPLOY_MINUTES = MAX_TOTAL_BAKE_MS / 60_000;

/** A deployment configuration for a strategy. */
export interface DeploymentConfigChoice {
  /** `CodeDeployDefault.LambdaCanary10Percent5Minutes`, or a custom name with {@link CUSTOM_CONFIG_PREFIX}. */
  readonly name: string;
  readonly routing: TrafficRouting;
  /** One of the nine configurations every account has: nothing to create. */
  readonly predefined: boolean;
}

/** Either the configuration, or why CodeDeploy cannot run this strategy and what to use instead. */
export type ConfigMapping =
  { readonly ok: true; readonly config: DeploymentConfigChoice } | { readonly ok: false; readonly problem: string };

const MINUTE_MS = 60_000;

/** The nine predefined configurations, by their routing. */
const PREDEFINED_ROUTINGS: ReadonlyArray<{ readonly name: string; readonly routing: TrafficRouting }> = PREDEFINED_STRATEGIES.map(
  (name) => ({ name: `${CODEDEPLOY_PREFIX}${name}`, routing: routingOfPredefined(name) })
);

/**
 * The deployment configuration that runs `strategy`: one of the nine predefined ones when the
 * strategy is one of them (whatever its spelling: `Canary10Percent300Seconds` is
 * `CodeDeployDefault.LambdaCanary10Percent5Minutes`), else a custom TimeBasedCanary or
 * TimeBasedLinear in whole minutes. Step lists and intervals that are not whole minutes have no
 * CodeDeploy equivalent: the answer says why, and what to use instead.
 */
export function deploymentConfigFor(strategy: Strategy): ConfigMapping {
  const routing = routingOf(strategy);
  if ('problem' in routing) return { ok: false, problem: routing.problem };
  const predefined = PREDEFINED_ROUTINGS.find((candidate) => sameRouting(candidate.routing, routing.routing));
  if (predefined) return { ok: true, config: { name: predefined.name, routing: predefined.routing, predefined: true } };
  return { ok: true, config: { name: customConfigName(routing.routing), routing: routing.routing, predefined: false } };
}

/** The name this action gives a custom configuration: `LambdaSafeDeploy.Linear20PercentEvery5Minutes`. */
export function customConfigName(routing: TrafficRouting): string {
  if (routing.type === 'AllAtOnce') return `${CODEDEPLOY_PREFIX}AllAtOnce`;
  const minutes = `${routing.intervalMinutes}Minute${routing.intervalMinutes === 1 ? '' : 's'}`;
  return routing.type === 'TimeBasedCanary'
    ? `${CUSTOM_CONFIG_PREFIX}Canary${routing.percentage}Percent${minutes}`
    : `${CUSTOM_CONFIG_PREFIX}Linear${routing.percentage}PercentEvery${minutes}`;
}

/**
 * A strategy from a deployment configuration CodeDeploy reports (a watching step learns the
 * schedule from the deployment it watches). The name is the configuration's own.
 */
export function strategyOfConfig(name: string, routing: TrafficRouting): Strategy {
  if (routing.type === 'AllAtOnce') return { name, kind: 'all-at-once', steps: [] };
  const bakeMs = routing.intervalMinutes * MINUTE_MS;
  if (routing.type === 'TimeBasedCanary') {
    return { name, kind: 'canary', steps: [{ weightPercent: routing.percentage, bakeMs }] };
  }
  return { name, kind: 'linear', steps: linearSteps(routing.percentage, bakeMs) };
}

/** How CodeDeploy would route `strategy`, or why it cannot. */
function routingOf(strategy: Strategy): { routing: TrafficRouting } | { problem: string } {
  const { steps } = strategy;
  if (strategy.kind === 'all-at-once') return { routing: { type: 'AllAtOnce' } };
  if (strategy.kind === 'steps') {
    return {
      problem:
        "a step list cannot be handed to CodeDeploy, whose deployment configurations are a canary (one step, then 100 %) or a linear (equal steps, equal times) in whole minutes; use Canary<P>Percent<N>Minutes or Linear<P>PercentEvery<N>Minutes, or 'engine: runner' to run this step list from the runner"
    };
  }
  const first = steps[0]!;
  const percentage = first.weightPercent;
  const total = steps.reduce((sum, step) => sum + step.bakeMs, 0);
  if (!Number.isInteger(percentage) || !steps.every((step) => step.bakeMs === first.bakeMs)) {
    return { problem: `CodeDeploy cannot run this ${strategy.kind}: its steps must be whole percentages of equal length` };
  }
  if (first.bakeMs % MINUTE_MS !== 0) {
    const minutes = Math.max(1, Math.round(first.bakeMs / MINUTE_MS));
    return {
      problem:
        `CodeDeploy counts a deployment configuration's interval in whole minutes, and ${formatDuration(first.bakeMs)} is not: ` +
        `use whole minutes (such as ${suggestion(strategy.kind, percentage, minutes)}), or 'engine: runner' for intervals in seconds`
    };
  }
  if (total > MAX_TOTAL_BAKE_MS) {
    return {
      problem:
        `CodeDeploy shifts traffic for at most ${MAX_CODEDEPLOY_MINUTES} minutes from the first step to the last, and this ` +
        `${strategy.kind} takes ${total / MINUTE_MS}: use a shorter interval or larger steps`
    };
  }
  const intervalMinutes = first.bakeMs / MINUTE_MS;
  return strategy.kind === 'canary'
    ? { routing: { type: 'TimeBasedCanary', percentage, intervalMinutes } }
    : { routing: { type: 'TimeBasedLinear', percentage, intervalMinutes } };
}

function suggestion(kind: Strategy['kind'], percentage: number, minutes: number): string {
  const unit = `${minutes}Minute${minutes === 1 ? '' : 's'}`;
  return kind === 'canary' ? `Canary${percentage}Percent${unit}` : `Linear${percentage}PercentEvery${unit}`;
}

/** The routing of one of the nine predefined names (without the prefix). */
function routingOfPredefined(name: (typeof PREDEFINED_STRATEGIES)[number]): TrafficRouting {
  if (name === 'AllAtOnce') return { type: 'AllAtOnce' };
  const minutes = Number(/(\d+)Minutes?$/.exec(name)![1]);
  return name.startsWith('Canary')
    ? { type: 'TimeBasedCanary', percentage: 10, intervalMinutes: minutes }
    : { type: 'TimeBasedLinear', percentage: 10, intervalMinutes: minutes };
}

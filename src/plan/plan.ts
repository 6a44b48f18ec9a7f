import { formatDuration } from '../core/duration.js';
import type { DeploymentPlan, DeploymentStep, PlanFacts, PlanHandOver } from './steps.js';

/**
 * The ordered steps of a deployment, from the preflight's facts alone: repair a split alias, update
 * the code and configuration of $LATEST, publish, the pre-traffic hooks, one look at the checks
 * right before any traffic moves, each weight and its bake, promotion, the post-traffic hooks, a
 * last look at the checks. When every function is up to date, only a repair is left to do, if any.
 */
export function planDeployment(facts: PlanFacts): DeploymentPlan {
  const steps: DeploymentStep[] = [];
  facts.targets.forEach((target, index) => {
    if (target.repairTo !== undefined) steps.push({ kind: 'repair-split', target: index, toVersion: target.repairTo });
  });
  if (facts.targets.every((target) => target.upToDate)) return { facts, steps };
  facts.targets.forEach((target, index) => {
    if (target.upToDate) return;
    // Configuration first: the new code may need the new runtime, handler or layers.
    const { configuration, code } = target.updates ?? {};
    if (configuration && configuration.length > 0)
      steps.push({ kind: 'update-configuration', target: index, changes: configuration });
    if (code !== undefined) steps.push({ kind: 'update-code', target: index, source: code });
  });
  steps.push({ kind: 'publish' });
  if (facts.codedeploy) return { facts, steps: [...steps, ...handOverSteps(facts.codedeploy)] };
  if (facts.hooks.BeforeAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'BeforeAllowTraffic', hooks: facts.hooks.BeforeAllowTraffic });
  }
  const watched = facts.checks.length > 0;
  if (watched) steps.push({ kind: 'check', moment: 'before-first-shift' });
  // Weights need a version to shift from: a rollout whose aliases are all new goes straight to 100 %.
  if (facts.targets.some((target) => target.liveVersion !== undefined)) {
    const schedule = facts.strategy.steps;
    let untilMs = 0;
    schedule.forEach((step, index) => {
      untilMs += step.bakeMs;
      steps.push({
        kind: 'shift',
        number: index + 1,
        of: schedule.length,
        weightPercent: step.weightPercent,
        bakeMs: step.bakeMs
      });
      steps.push({ kind: 'bake', untilMs, weightPercent: step.weightPercent });
    });
  }
  steps.push({ kind: 'promote' });
  if (facts.hooks.AfterAllowTraffic.length > 0) {
    steps.push({ kind: 'hooks', event: 'AfterAllowTraffic', hooks: facts.hooks.AfterAllowTraffic });
  }
  if (watched) steps.push({ kind: 'check', moment: 'after-promotion' });
  return { facts, steps };
}

/** `engine: codedeploy`: after the publish, CodeDeploy runs the hooks, the shift and the checks. */
function handOverSteps(handOver: PlanHandOver): DeploymentStep[] {
  return handOver.wait ? [{ kind: 'hand-over' }, { kind: 'watch' }] : [{ kind: 'hand-over' }];
}

/** The plan as numbered lines for a person: the dry run prints them, the job summary shows them. */
export function describePlan(plan: DeploymentPlan): string[] {
  const lines = plan.steps.map((step, index) => `${index + 1}. ${describeStep(step, plan.facts)}`);
  if (plan.steps.some((step) => step.kind === 'publish')) return lines;
  const live = plan.facts.targets.map((target) => `${target.name}:${target.alias} (version ${target.liveVersion ?? '?'})`);
  return [...lines, `${lines.length + 1}. Nothing else: ${live.join(', ')} already has this code and configuration`];
}

function describeStep(step: DeploymentStep, facts: PlanFacts): string {
  const aliases = aliasList(facts);
  switch (step.kind) {
    case 'repair-split': {
      const target = facts.targets[step.target]!;
      return `Put ${target.name}:${target.alias} back on version ${step.toVersion} alone (an interrupted deployment left it split)`;
    }
    case 'update-configuration':
      return `Update the configuration of ${facts.targets[step.target]!.name} ($LATEST): ${step.changes.join(', ')}; wait until Lambda has applied it`;
    case 'update-code':
      return `Upload the code of ${facts.targets[step.target]!.name} ($LATEST, not published yet) from ${step.source}; wait until Lambda has applied it`;
    case 'publish':
      return facts.targets.length === 1
        ? `Publish a new version of ${facts.targets[0]!.name} (unless its alias already serves this code and configuration)`
        : `Publish a new version of ${facts.targets.map((target) => target.name).join(', ')} (each, unless its alias already serves this code and configuration)`;
    case 'hooks':
      return `Run the ${step.event} hooks: ${step.hooks.join(', ')}`;
    case 'check':
      return step.moment === 'before-first-shift'
        ? `Read the checks (${facts.checks.join(', ')}) once more; stop if one fails, before any traffic moves`
        : `Read the checks once more with all traffic on the new version (unless the last read is under half a poll interval old)`;
    case 'shift':
      return `Step ${step.number}/${step.of}: ${step.weightPercent}% of ${aliases}'s traffic to the new version`;
    case 'bake':
      return (
        `Bake until ${formatDuration(step.untilMs)} after the first shift` +
        (facts.checks.length > 0
          ? `, reading the checks every ${formatDuration(facts.pollIntervalMs)}`
          : ', watched by nothing') +
        // Only the analysis holds a step for want of data; a hold moves the later steps' ends by as much.
        (facts.checks.includes('analysis') ? ' (later by as long as earlier steps were held for want of data)' : '')
      );
    case 'promote':
      return facts.targets.every((target) => target.liveVersion === undefined)
        ? `Create ${aliases} on the new version (first deployment: nothing to shift from)`
        : `Promote: ${aliases} sends 100% of its traffic to the new version`;
    case 'hand-over':
      return describeHandOver(facts);
    case 'watch':
      return (
        `Watch the CodeDeploy deployment to its end: each lifecycle event, and each weight as CodeDeploy moves it; ` +
        'cancelling the job stops it with automatic rollback'
      );
  }
}

function describeHandOver(facts: PlanFacts): string {
  const handOver = facts.codedeploy!;
  const creates = handOver.creates.length > 0 ? `create ${handOver.creates.join(', ')}, then ` : '';
  const hooks = [
    ...facts.hooks.BeforeAllowTraffic.map((hook) => `${hook} before`),
    ...facts.hooks.AfterAllowTraffic.map((hook) => `${hook} after`)
  ];
  return (
    `Hand over to AWS CodeDeploy: ${creates}a deployment in ${handOver.application}/${handOver.deploymentGroup} with ` +
    `${handOver.deploymentConfig}; CodeDeploy ${hooks.length > 0 ? `runs the hooks (${hooks.join(', ')}), ` : ''}shifts the ` +
    `alias and watches ${facts.checks.length > 0 ? 'the alarms' : "the group's alarms, if any"}` +
    (handOver.wait ? '' : '; the step ends there (wait: false)')
  );
}

function aliasList(facts: PlanFacts): string {
  return facts.targets.map((target) => `${target.name}:${target.alias}`).join(', ');
}

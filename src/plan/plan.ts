import type { ClosingStep, DeploymentPlan, HeadStep, PlanTarget } from './steps.js';

/**
 * The head of a deployment's plan, from the preflight's facts alone: repair a split alias, update
 * the code and configuration of $LATEST (configuration first: the new code may need the new
 * runtime, handler or layers), publish. When every function is up to date, only a repair is left
 * to do, if any, and nothing is published.
 */
export function planHead(targets: readonly PlanTarget[]): HeadStep[] {
  const steps: HeadStep[] = [];
  targets.forEach((target, index) => {
    if (target.repairTo !== undefined) {
      steps.push({ kind: 'repair-split', target: index, function: target.name, alias: target.alias, toVersion: target.repairTo });
    }
  });
  if (!publishes(targets)) return steps;
  // Existing versions: nothing is uploaded or published; each is made ready for the engine.
  if (targets.some((target) => target.existing)) {
    const versions = targets.flatMap((target, index) =>
      target.existing && !target.upToDate ? [{ target: index, function: target.name, ...target.existing }] : []
    );
    steps.push({ kind: 'use-existing', versions });
    return steps;
  }
  targets.forEach((target, index) => {
    if (target.upToDate) return;
    const { configuration, code } = target.updates ?? {};
    if (configuration && configuration.length > 0)
      steps.push({ kind: 'update-configuration', target: index, function: target.name, changes: configuration });
    if (code !== undefined) steps.push({ kind: 'update-code', target: index, function: target.name, source: code });
  });
  steps.push({ kind: 'publish', functions: targets.map((target) => target.name) });
  return steps;
}

/** Whether anything is to be published: some function is not up to date (else the engine has nothing to do). */
export function publishes(targets: readonly PlanTarget[]): boolean {
  return !targets.every((target) => target.upToDate);
}

/** The plan as numbered lines for a person: the dry run prints them, the job summary shows them. */
export function describePlan<Step>(plan: DeploymentPlan<Step>, describeTail: (step: Step) => string): string[] {
  const lines = [
    ...plan.head.map(describeHeadStep),
    ...plan.tail.map(describeTail),
    ...plan.closing.map(describeClosingStep)
  ].map((line, index) => `${index + 1}. ${line}`);
  if (plan.head.some((step) => step.kind === 'publish' || step.kind === 'use-existing')) return [...lines, ...plan.notes];
  const live = plan.targets.map((target) => `${target.name}:${target.alias} (version ${target.liveVersion ?? '?'})`);
  const what = plan.targets.some((target) => target.existing) ? 'that version' : 'this code and configuration';
  return [...lines, `${lines.length + 1}. Nothing else: ${live.join(', ')} already has ${what}`, ...plan.notes];
}

/** A closing step as the plan says it. */
export function describeClosingStep(step: ClosingStep): string {
  const keep = [
    step.keepVersions !== undefined ? `the ${step.keepVersions} newest` : undefined,
    step.keepDays !== undefined ? `those published in the last ${step.keepDays} days` : undefined
  ]
    .filter((part): part is string => part !== undefined)
    .join(' and ');
  const functions = step.functions.join(', ');
  const what = step.delete
    ? `delete the old versions of ${functions}`
    : `list the old versions of ${functions} that pruning would delete (prune is not true: nothing is deleted)`;
  return (
    `After the promotion: ${what}, keeping ${keep}, every version an alias points or routes to, the previous version, ` +
    "those an alias's record names (a hold, the good versions), and any with provisioned concurrency, an event source " +
    'mapping or a resource-policy grant'
  );
}

function describeHeadStep(step: HeadStep): string {
  switch (step.kind) {
    case 'repair-split':
      return `Put ${step.function}:${step.alias} back on version ${step.toVersion} alone (an interrupted deployment left it split)`;
    case 'update-configuration':
      return `Update the configuration of ${step.function} ($LATEST): ${step.changes.join(', ')}; wait until Lambda has applied it`;
    case 'update-code':
      return `Upload the code of ${step.function} ($LATEST, not published yet) from ${step.source}; wait until Lambda has applied it`;
    case 'use-existing':
      return step.versions
        .map(
          (entry) =>
            `Deploy the existing version ${entry.version} of ${entry.function} (${entry.from}; no upload, no publish)` +
            (entry.state === 'Inactive'
              ? ': it is Inactive, so invoke it once for Lambda to restore it, and wait until it is Active'
              : entry.state === 'Pending'
                ? ': wait until it is Active'
                : '')
        )
        .join('; ');
    case 'publish':
      return step.functions.length === 1
        ? `Publish a new version of ${step.functions[0]} (unless its alias already serves this code and configuration)`
        : `Publish a new version of ${step.functions.join(', ')} (each, unless its alias already serves this code and configuration)`;
  }
}

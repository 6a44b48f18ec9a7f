import { parseFunctionRef } from '../../aws/arn.js';

/**
 * What invokes a function, and whether moving its alias moves it: the trigger audit's data and its
 * pure rules. A trigger bound to the alias follows the canary and the rollback; one bound to the
 * unqualified function or `$LATEST` runs whatever $LATEST holds (it gets uploaded code at once, with
 * no canary and no rollback); one bound to a version number never moves; one bound to another alias
 * moves with that alias. Pure: data in, data out.
 */

/** Where a trigger's calls go, relative to the alias being deployed. */
export type TriggerBinding =
  /** The alias being deployed: its calls follow the weights, the promotion and the rollback. */
  | { readonly kind: 'alias' }
  /** The unqualified function or `$LATEST`. */
  | { readonly kind: 'latest' }
  /** A version number: it stays there. */
  | { readonly kind: 'version'; readonly version: string }
  /** Another alias of the function (staging): not this deployment's traffic. */
  | { readonly kind: 'other-alias'; readonly alias: string };

/** Something that invokes the function. */
export interface Trigger {
  readonly kind: 'event-source-mapping' | 'function-url' | 'permission';
  /** What calls, for a person: the queue or stream, the URL, the principal and its source of a grant. */
  readonly source: string;
  readonly binding: TriggerBinding;
}

/** What this deployment does to $LATEST, which decides what a trigger on it gets. */
export type LatestEffect =
  /** It writes code or configuration to $LATEST before publishing. */
  | 'uploads'
  /** It publishes what $LATEST already holds (uploaded by an earlier step). */
  | 'publishes-latest'
  /** It deploys an existing version and leaves $LATEST alone. */
  | 'untouched';

/** The binding of a function ARN (or reference) a trigger names, relative to `alias`. */
export function bindingOf(functionArn: string, alias: string): TriggerBinding {
  const qualifier = parseFunctionRef(functionArn)?.qualifier;
  if (qualifier === undefined || qualifier === '$LATEST') return { kind: 'latest' };
  if (/^\d+$/.test(qualifier)) return { kind: 'version', version: qualifier };
  return qualifier === alias ? { kind: 'alias' } : { kind: 'other-alias', alias: qualifier };
}

/** A trigger that does not follow the alias: it runs $LATEST or a version number, whatever the rollout does. */
export function isUnrouted(trigger: Trigger): boolean {
  return trigger.binding.kind === 'latest' || trigger.binding.kind === 'version';
}

/** Each trigger once: the same one may be listed under two qualifiers that Lambda reports alike. */
export function distinctTriggers(triggers: readonly Trigger[]): Trigger[] {
  const seen = new Set<string>();
  return triggers.filter((trigger) => {
    const key = `${trigger.kind}|${trigger.source}|${JSON.stringify(trigger.binding)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const KIND_NAMES: Readonly<Record<Trigger['kind'], string>> = {
  'event-source-mapping': 'event source mapping',
  'function-url': 'function URL',
  permission: 'resource-policy grant'
};

/** `event source mapping arn:aws:sqs:…:orders on the unqualified function ($LATEST)`: what it is and where it is bound. */
export function describeTrigger(trigger: Trigger, alias: string): string {
  return `${KIND_NAMES[trigger.kind]} ${trigger.source} on ${bindingName(trigger.binding, alias)}`;
}

/** What the deployment means for the trigger, in a clause after its description. */
export function consequenceOf(binding: TriggerBinding, alias: string, latest: LatestEffect): string {
  switch (binding.kind) {
    case 'alias':
      return `follows ${alias}: it gets the new version step by step, and the rollback`;
    case 'other-alias':
      return `follows ${binding.alias}, not ${alias}: this deployment does not move it`;
    case 'version':
      return `stays on version ${binding.version}: it never gets the version deployed, nor a rollback`;
    case 'latest':
      switch (latest) {
        case 'uploads':
          return "gets this deployment's code and configuration the moment they are written to $LATEST: no canary, no rollback";
        case 'publishes-latest':
          return 'runs $LATEST, which already holds what this deployment publishes: it got it at upload, with no canary, and keeps it whatever becomes of the alias';
        case 'untouched':
          return 'runs $LATEST, which this deployment does not change: it does not get the version deployed';
      }
  }
}

function bindingName(binding: TriggerBinding, alias: string): string {
  switch (binding.kind) {
    case 'alias':
      return `alias ${alias}`;
    case 'latest':
      return 'the unqualified function ($LATEST)';
    case 'version':
      return `version ${binding.version}`;
    case 'other-alias':
      return `alias ${binding.alias}`;
  }
}

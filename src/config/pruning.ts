import { InputError } from '../core/input-error.js';
import { Inputs, type InputName } from './keys.js';
import { parseBoolean } from './primitives.js';
import type { PruneSettings } from './settings.js';

/**
 * `keep-versions`, `keep-days` and `prune`: old versions deleted after a successful promotion.
 * Either keep input turns it on; without `prune: true` it only lists what it would delete (a dry
 * run, every time: nothing is deleted until a person has read that list and said so).
 */

const MAX_KEEP_VERSIONS = 10_000;
const MAX_KEEP_DAYS = 3_650;

/**
 * @param read an input's trimmed value, or its default when empty
 * @param holds the run's strategy stops at a hold for approval (a deployment): it promotes nothing,
 *   so pruning, which follows a promotion, belongs to the `operation: promote` step
 */
export function parsePruning(read: (name: InputName) => string, holds = false): PruneSettings {
  const keepVersions = wholeNumber(Inputs.KeepVersions, read(Inputs.KeepVersions), MAX_KEEP_VERSIONS, 'versions');
  const keepDays = wholeNumber(Inputs.KeepDays, read(Inputs.KeepDays), MAX_KEEP_DAYS, 'days');
  const prune = parseBoolean(Inputs.Prune, read(Inputs.Prune));
  if (keepVersions === undefined && keepDays === undefined) {
    if (prune)
      throw new InputError(
        Inputs.Prune,
        'true',
        'nothing says which versions to keep',
        'prune: true together with keep-versions (the newest versions kept) or keep-days (versions younger than that kept), or both'
      );
    return { kind: 'off' };
  }
  if (holds) {
    const name = keepVersions !== undefined ? Inputs.KeepVersions : Inputs.KeepDays;
    throw new InputError(
      name,
      read(name),
      'the strategy holds for approval, so this run promotes nothing, and pruning follows a promotion',
      `no ${name} here: give keep-versions, keep-days and prune to the step with operation: promote, which prunes once the promotion succeeds`
    );
  }
  return {
    kind: 'prune',
    delete: prune,
    ...(keepVersions !== undefined ? { keepVersions } : {}),
    ...(keepDays !== undefined ? { keepDays } : {})
  };
}

function wholeNumber(name: InputName, value: string, max: number, unit: string): number | undefined {
  if (value === '') return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1 || number > max)
    throw new InputError(name, value, 'it is not a whole number in range', `a whole number of ${unit} from 1 to ${max}`);
  return number;
}

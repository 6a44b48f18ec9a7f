import { parse as parseYaml } from 'yaml';
import type { CodeSource } from '../code/source.js';
import { errorMessage } from '../core/errors.js';
import { InputError } from '../core/input-error.js';
import { parseCodeSource } from './code-inputs.js';
import { Inputs, type InputName } from './keys.js';
import type { TargetSettings } from './settings.js';

/**
 * The `functions` input: several functions deployed in one rollout, as a YAML list. Each item names
 * its function and may give its own alias, code source and Lambda hooks; everything else is shared.
 * Every value is checked by the same rules as the single-function inputs.
 */

/** The most functions one rollout shifts together. */
export const MAX_FUNCTIONS = 20;

/** The keys an item may have: the single-function input of the same name. */
export const ITEM_INPUTS = [
  Inputs.Alias,
  Inputs.ZipFile,
  Inputs.CodeDir,
  Inputs.S3Bucket,
  Inputs.S3Key,
  Inputs.S3ObjectVersion,
  Inputs.ImageUri,
  Inputs.PreTrafficHook,
  Inputs.PostTrafficHook,
  // Read by src/config/release-source.ts: an existing version of this function, instead of a new one.
  Inputs.Version
] as const;

const EXPECTED =
  `a YAML list of up to ${MAX_FUNCTIONS} functions, each a name or a map with name and optionally ` +
  `${ITEM_INPUTS.join(', ')} (such as "- name: orders-api" with "  code-dir: build/api" on the next line)`;

/** How one item's values are checked: the single-function inputs' own parsers. */
export interface ItemParsers {
  readonly functionRef: (value: string) => { readonly base: string; readonly region?: string };
  readonly alias: (value: string) => string;
  readonly hook: (name: InputName, value: string) => string | undefined;
}

/** Parses `functions`; `alias` is the `alias` input, each item's default. */
export function parseFunctions(raw: string, alias: string, parsers: ItemParsers): TargetSettings[] {
  const fail = (problem: string, value = raw): never => {
    throw new InputError(Inputs.Functions, value, problem, EXPECTED);
  };
  let list: unknown;
  try {
    list = parseYaml(raw);
  } catch (error: unknown) {
    return fail(`it is not YAML (${errorMessage(error).split('\n')[0]})`);
  }
  if (!Array.isArray(list) || list.length === 0) return fail('it is not a list of functions');
  if (list.length > MAX_FUNCTIONS) return fail(`it names ${list.length} functions`);
  const targets = list.map((item: unknown, index) => parseItem(item, index + 1, alias, parsers, fail));
  const seen = new Map<string, number>();
  targets.forEach((target, index) => {
    const earlier = seen.get(target.functionName);
    if (earlier !== undefined)
      fail(`items ${earlier} and ${index + 1} both name ${target.functionName}; each function may appear once`);
    seen.set(target.functionName, index + 1);
  });
  return targets;
}

function parseItem(
  item: unknown,
  number: number,
  defaultAlias: string,
  parsers: ItemParsers,
  fail: (problem: string, value?: string) => never
): TargetSettings {
  const fields = typeof item === 'string' ? { name: item } : item;
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    return fail(`item ${number} is neither a function name nor a map`, JSON.stringify(item) ?? String(item));
  }
  const values = fields as Record<string, unknown>;
  const shown = JSON.stringify(values);
  for (const [key, value] of Object.entries(values)) {
    if (key !== 'name' && !(ITEM_INPUTS as readonly string[]).includes(key)) {
      fail(
        `item ${number} has an unknown key ${key} (shared inputs such as strategy or alarms are given once, beside functions)`,
        shown
      );
    }
    if (typeof value !== 'string' && typeof value !== 'number') fail(`item ${number}: ${key} must be a string`, shown);
  }
  const read = (name: InputName | 'name'): string => String(values[name] ?? '').trim();
  if (read('name') === '') fail(`item ${number} has no name`, shown);
  // The item's values go through the inputs' own parsers; their errors are re-worded to point at the item.
  const within = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error: unknown) {
      if (!(error instanceof InputError)) throw error;
      return fail(`item ${number} (${read('name')}): ${error.input} ${error.problem}`, shown);
    }
  };
  const ref = within(() => parsers.functionRef(read('name')));
  const code: CodeSource | undefined = within(() => parseCodeSource(read));
  const preTrafficHook = within(() => parsers.hook(Inputs.PreTrafficHook, read(Inputs.PreTrafficHook)));
  const postTrafficHook = within(() => parsers.hook(Inputs.PostTrafficHook, read(Inputs.PostTrafficHook)));
  return {
    functionName: ref.base,
    ...(ref.region ? { functionRegion: ref.region } : {}),
    alias: within(() => parsers.alias(read(Inputs.Alias) || defaultAlias)),
    ...(code ? { code } : {}),
    ...(preTrafficHook ? { preTrafficHook } : {}),
    ...(postTrafficHook ? { postTrafficHook } : {})
  };
}

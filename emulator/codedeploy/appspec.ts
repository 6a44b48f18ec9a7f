/**
 * The AppSpec of a Lambda deployment, from YAML or JSON content:
 *
 *   version: 0.0
 *   Resources:
 *     - orders:
 *         Type: AWS::Lambda::Function
 *         Properties: { Name: orders, Alias: live, CurrentVersion: "1", TargetVersion: "2" }
 *   Hooks:
 *     - BeforeAllowTraffic: CodeDeployHook_pre
 *     - AfterAllowTraffic: CodeDeployHook_post
 */
import { parse as parseYaml } from 'yaml';
import { codeDeployError } from '../shared/errors.js';

/** The lifecycle events of a Lambda deployment that run hooks. */
export const HOOK_EVENTS = ['BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** What a Lambda AppSpec says. */
export interface LambdaAppSpec {
  functionName: string;
  alias: string;
  currentVersion: string;
  targetVersion: string;
  /** Hook functions per event, in AppSpec order. */
  hooks: Record<HookEvent, string[]>;
}

/** Parses and checks AppSpec content (JSON or YAML); an unusable one is InvalidRevisionException. */
export function parseAppSpec(content: string): LambdaAppSpec {
  const doc = asRecord(parseDocument(content), 'the AppSpec');
  const version = doc.version;
  if (!(version === 0 || version === '0.0')) invalid(`version must be 0.0, got ${JSON.stringify(version)}`);
  const resources = doc.Resources;
  if (!Array.isArray(resources) || resources.length !== 1) {
    invalid('Resources must list exactly one AWS::Lambda::Function resource');
  }
  const entry = asRecord(resources[0], 'the resource');
  const names = Object.keys(entry);
  if (names.length !== 1) invalid('each resource is a map with a single logical name');
  const resource = asRecord(entry[names[0]!], `resource ${names[0]}`);
  if (resource.Type !== 'AWS::Lambda::Function') {
    invalid(`resource ${names[0]} must be of Type AWS::Lambda::Function, got ${JSON.stringify(resource.Type)}`);
  }
  const props = asRecord(resource.Properties, `the Properties of ${names[0]}`);
  return {
    functionName: text(props.Name, 'Name'),
    alias: text(props.Alias, 'Alias'),
    currentVersion: version_(props.CurrentVersion, 'CurrentVersion'),
    targetVersion: version_(props.TargetVersion, 'TargetVersion'),
    hooks: parseHooks(doc.Hooks)
  };
}

function parseDocument(content: string): unknown {
  try {
    return JSON.parse(content);
  } catch {
    // not JSON: YAML, of which JSON is a subset
  }
  try {
    return parseYaml(content);
  } catch (error) {
    return invalid(`the content is neither JSON nor YAML: ${error instanceof Error ? error.message.split('\n')[0] : ''}`);
  }
}

function parseHooks(raw: unknown): Record<HookEvent, string[]> {
  const hooks: Record<HookEvent, string[]> = { BeforeAllowTraffic: [], AfterAllowTraffic: [] };
  if (raw === undefined || raw === null) return hooks;
  if (!Array.isArray(raw)) invalid('Hooks must be a list of { <lifecycle event>: <Lambda function> }');
  for (const item of raw as unknown[]) {
    for (const [event, fn] of Object.entries(asRecord(item, 'a hook'))) {
      if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
        invalid(`unknown lifecycle event ${event} in Hooks (BeforeAllowTraffic or AfterAllowTraffic)`);
      }
      hooks[event as HookEvent].push(text(fn, `the ${event} hook`));
    }
  }
  return hooks;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(`${what} must be a map`);
  return value as Record<string, unknown>;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') return invalid(`${what} must be a non-empty string`);
  return value;
}

/** A version: a published version number, given as a string or (unquoted YAML) a number. */
function version_(value: unknown, what: string): string {
  const s = typeof value === 'number' && Number.isInteger(value) ? String(value) : value;
  if (typeof s !== 'string' || !/^[0-9]+$/.test(s)) {
    return invalid(`${what} must be a published version number, got ${JSON.stringify(value)}`);
  }
  return s;
}

function invalid(detail: string): never {
  throw codeDeployError('InvalidRevisionException', `The AppSpec content is invalid: ${detail}`);
}

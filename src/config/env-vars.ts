import { InputError } from '../core/input-error.js';
import { Inputs } from './keys.js';

/**
 * `env-vars`: the new version's environment variables, as `KEY=VALUE` lines or a JSON object. Values
 * are secrets: no message here ever quotes one (errors name the line or the variable instead).
 */

/** Lambda's rule for variable names: a letter, then at least one letter, digit or underscore. */
const NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;
/**
 * Lambda's limit on all variables together, counted as Lambda counts it: the UTF-8 bytes of the
 * variables map serialised as compact JSON (`{"NAME":"value",...}`: names, values, quotes, colons,
 * commas and braces), refused above 4096. Its refusal quotes that very JSON ("exceeded the 4KB limit.
 * String measured: {...}"), so summing names and values alone let through sets Lambda refuses.
 * Unconfirmed: whether Lambda escapes non-ASCII characters (`\u00e9`, six bytes) before it measures;
 * such a set near the limit may still be refused by Lambda, whose message is then redacted.
 */
export const MAX_ENVIRONMENT_BYTES = 4096;

/** The size Lambda measures for a set of variables (see MAX_ENVIRONMENT_BYTES). */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Buffer.byteLength(JSON.stringify(variables), 'utf8');
}
/** Variables Lambda sets itself and refuses in a function's configuration. */
const RESERVED = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR'
]);

const EXPECTED =
  'KEY=VALUE lines (blank lines and lines starting with # are skipped; the value is everything after the first =) ' +
  'or a JSON object of strings, such as {"LOG_LEVEL": "info"}';

/** The variables given, or undefined when the input is empty. Throws InputError without quoting a value. */
export function parseEnvVars(raw: string): Record<string, string> | undefined {
  if (raw.trim() === '') return undefined;
  const pairs = /^[{[]/.test(raw.trim()) ? fromJson(raw) : fromLines(raw);
  const variables: Record<string, string> = {};
  for (const [name, value] of pairs) {
    if (!NAME.test(name)) {
      refuse(name, 'a variable name starts with a letter and has at least two letters, digits or underscores');
    }
    if (RESERVED.has(name)) refuse(name, `${name} is set by Lambda itself and cannot be configured`);
    if (Object.hasOwn(variables, name)) refuse(name, `${name} is given twice`);
    variables[name] = value;
  }
  const bytes = environmentBytes(variables);
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    refuse(
      Object.keys(variables).join(', '),
      `the variables take ${bytes} bytes as Lambda measures them (the JSON of the whole set, names, values, quotes and ` +
        `commas included), and Lambda allows ${MAX_ENVIRONMENT_BYTES}`
    );
  }
  return variables;
}

function fromJson(raw: string): Array<[string, string]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    // The parser's message quotes the text, and the text holds the values: say only where it broke.
    refuse('a JSON object (not shown: it may hold secrets)', 'it is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    refuse('a JSON value (not shown: it may hold secrets)', 'it is not a JSON object');
  }
  return Object.entries(parsed as Record<string, unknown>).map(([name, value]) => {
    if (typeof value === 'string') return [name, value];
    if (typeof value === 'number' || typeof value === 'boolean') return [name, String(value)];
    return refuse(name, `the value of ${name} is not a string, a number or a boolean`);
  });
}

function fromLines(raw: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  raw.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals < 0) refuse(`line ${index + 1} (not shown: it may hold a secret)`, `line ${index + 1} has no '='`);
    pairs.push([line.slice(0, equals).trim(), line.slice(equals + 1)]);
  });
  return pairs;
}

function refuse(shown: string, problem: string): never {
  throw new InputError(Inputs.EnvVars, shown, problem, EXPECTED);
}

/** UpdateFunctionConfiguration's input, read and checked as Lambda does for the members the emulator models. */
import { lambdaErrors } from '../shared/errors.js';

/** What an UpdateFunctionConfiguration changes; absent members are left as they are. */
export interface ConfigurationChanges {
  handler?: string;
  runtime?: string;
  memorySize?: number;
  timeout?: number;
  description?: string;
  /** The new Environment.Variables, replacing the old ones (`{}` removes them all). */
  environment?: Record<string, string>;
  /** Layer version ARNs, replacing the old list. */
  layers?: string[];
}

/** Lambda's limit on a function's environment variables, as it measures them (see `variables`). */
const MAX_ENVIRONMENT_BYTES = 4096;

const LAYER_ARN = /^arn:[a-zA-Z0-9-]+:lambda:[a-z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+:\d+$/;

/** The changes an SDK input asks for (Handler, Runtime, MemorySize, Timeout, Description, Environment, Layers). */
export function configurationChanges(input: Record<string, unknown>): ConfigurationChanges {
  const changes: ConfigurationChanges = {};
  if (input.Handler !== undefined) changes.handler = text(input.Handler, 'handler');
  if (input.Runtime !== undefined) changes.runtime = text(input.Runtime, 'runtime');
  if (input.Description !== undefined) changes.description = text(input.Description, 'description');
  if (input.MemorySize !== undefined) changes.memorySize = within(input.MemorySize, 'memorySize', 128, 10_240);
  if (input.Timeout !== undefined) changes.timeout = within(input.Timeout, 'timeout', 1, 900);
  if (input.Environment !== undefined) changes.environment = variables(input.Environment);
  if (input.Layers !== undefined) changes.layers = layers(input.Layers);
  return changes;
}

/** Lambda refuses a handler, a runtime or layers for a container-image function. */
export function checkConfiguration(packageType: 'Zip' | 'Image', changes: ConfigurationChanges): void {
  if (packageType !== 'Image') return;
  const misplaced = (['handler', 'runtime', 'layers'] as const).filter((key) => changes[key] !== undefined);
  if (misplaced.length > 0) {
    throw lambdaErrors.invalidParameter(`${misplaced.join(', ')} cannot be set for a function with packageType Image.`);
  }
}

function validation(value: unknown, member: string, constraint: string) {
  return lambdaErrors.invalidParameter(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`
  );
}

function text(value: unknown, member: string): string {
  if (typeof value !== 'string') throw validation(value, member, 'Member must be a string');
  return value;
}

function within(value: unknown, member: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw validation(value, member, `Member must have value between ${min} and ${max}`);
  }
  return value;
}

function variables(environment: unknown): Record<string, string> {
  const given = (environment as { Variables?: unknown } | null)?.Variables ?? {};
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw validation(given, 'environment.variables', 'Member must be a map');
  for (const [key, value] of Object.entries(given)) {
    if (!/^[a-zA-Z]([a-zA-Z0-9_])+$/.test(key)) {
      throw validation(key, 'environment.variables', 'Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+');
    }
    if (typeof value !== 'string') throw validation(key, 'environment.variables', 'Member values must be strings');
  }
  // Lambda measures the set as compact JSON, in UTF-8 bytes, and quotes it whole in its refusal.
  const measured = JSON.stringify(given);
  if (Buffer.byteLength(measured, 'utf8') > MAX_ENVIRONMENT_BYTES) {
    throw lambdaErrors.invalidParameter(
      'Lambda was unable to configure your environment variables because the environment variables you have provided ' +
        `exceeded the 4KB limit. String measured: ${measured}`
    );
  }
  return { ...(given as Record<string, string>) };
}

function layers(value: unknown): string[] {
  if (!Array.isArray(value)) throw validation(value, 'layers', 'Member must be a list');
  if (value.length > 5) throw validation(value, 'layers', 'Member must have length less than or equal to 5');
  for (const arn of value) {
    if (typeof arn !== 'string' || !LAYER_ARN.test(arn))
      throw validation(arn, 'layers', `Member must satisfy regular expression pattern: ${LAYER_ARN.source}`);
  }
  return [...(value as string[])];
}

/**
 * Parameters of control methods: a name (the member of the HTTP body) and a check that turns a JSON
 * value into the typed argument. Checks are about shape only (a string, an object); the models check
 * meaning (a valid account id, a known alarm) and say so in their own words.
 */

/** Checks one argument; throws RangeError naming it (`what`) when it has the wrong shape. */
export type Check<T> = (value: unknown, what: string) => T;

/** One positional parameter of a control method. */
export interface Param<T> {
  /** Member of the JSON body that carries it. */
  readonly name: string;
  readonly check: Check<T>;
  /** The argument's own members are the body's members (e.g. createFunction's spec is the whole body). */
  readonly spread: boolean;
}

/** A parameter carried as the body member `name`. */
export function param<T>(name: string, check: Check<T>): Param<T> {
  return { name, check, spread: false };
}

/** An object parameter whose members are the body's own (the other parameters' members excepted). */
export function spread<T>(name: string, check: Check<T>): Param<T> {
  return { name, check, spread: true };
}

export const string: Check<string> = (value, what) => {
  if (typeof value !== 'string') throw new RangeError(`${what} must be a string, got ${describe(value)}`);
  return value;
};

export const number: Check<number> = (value, what) => {
  if (typeof value !== 'number') throw new RangeError(`${what} must be a number, got ${describe(value)}`);
  return value;
};

/** A string among `values`. */
export function oneOf<T extends string>(...values: T[]): Check<T> {
  return (value, what) => {
    if (!(values as unknown[]).includes(value))
      throw new RangeError(`${what} must be one of ${values.join(', ')}, got ${describe(value)}`);
    return value as T;
  };
}

/** A JSON object (not an array); its members are checked by the model that takes it. */
export function object<T extends object>(): Check<T> {
  return (value, what) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new RangeError(`${what} must be an object, got ${describe(value)}`);
    return value as T;
  };
}

/** A JSON array; its items are checked by the model that takes it. */
export function list<T>(): Check<T[]> {
  return (value, what) => {
    if (!Array.isArray(value)) throw new RangeError(`${what} must be an array, got ${describe(value)}`);
    return value as T[];
  };
}

/** `check`, or undefined when the value is absent (undefined or JSON null). */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, what) => (value === undefined || value === null ? undefined : check(value, what));
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

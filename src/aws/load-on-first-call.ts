/**
 * A gateway whose module loads on its first call. Each AWS SDK client package costs tens of
 * milliseconds of start-up, and most runs never call S3 or CodeDeploy, or CloudWatch without
 * alarms; a gateway's methods are async, so the load hides in the first call's wait.
 * Hand-written: a lazy import behind an interface is a few lines no library ships.
 */

/** The members of T that are methods returning a promise: those can wait for the load. */
type AsyncKeys<T> = { [K in keyof T]: T[K] extends (...args: never[]) => Promise<unknown> ? K : never }[keyof T];

/**
 * @param load makes the gateway, importing its module
 * @param known every member that is not an async method (a region, say), given now; the type
 *   requires each one, so that none of them turns into a function by mistake
 */
export function loadOnFirstCall<T extends object>(load: () => Promise<T>, known: Omit<T, AsyncKeys<T>>): T {
  let loaded: Promise<T> | undefined;
  return new Proxy(known as T, {
    get(target, name) {
      if (name in target) return (target as Record<PropertyKey, unknown>)[name];
      // Not a promise: `await gateway` must not take it for one.
      if (name === 'then') return undefined;
      return async (...args: unknown[]): Promise<unknown> => {
        const gateway = (await (loaded ??= load())) as Record<PropertyKey, unknown>;
        const method = gateway[name];
        if (typeof method !== 'function') throw new TypeError(`the gateway has no method ${String(name)}`);
        return method.apply(gateway, args);
      };
    }
  });
}

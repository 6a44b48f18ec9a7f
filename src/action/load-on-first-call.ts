/**
 * A gateway whose module loads on its first call. Each AWS SDK client package costs tens of
 * milliseconds of start-up, and most runs never call S3 or CodeDeploy, or CloudWatch without
 * alarms; every gateway method is async, so the load hides in the first call's wait.
 * Hand-written: a lazy import behind an interface is a few lines no library ships.
 */
export function loadOnFirstCall<T extends object>(load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, name) {
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

export type ObserveOperation = (op: string, seconds: number, failed: boolean) => void;

/**
 * The store as the services see it, with every asynchronous call timed under its method's name, prefixed with its
 * sub-port's (`chat.append`, `moderation.getSettings`). A Proxy rather than a hand-written decorator, so that a method
 * added to the port, or a new sub-port, is measured without anyone remembering to. Methods run on the real store
 * object (its private fields work as before), and calls the store makes to itself are not counted twice.
 * Synchronous members (`kind`) pass through untouched.
 */
export function timedStore<T extends object>(store: T, observe: ObserveOperation): T {
  return timed(store, '', observe);
}

function timed<T extends object>(target: T, prefix: string, observe: ObserveOperation): T {
  // One wrapper per member, made on first use: the services read `store.chat.append` on every message.
  const wrappers = new Map<string, { source: unknown; wrapper: unknown }>();
  return new Proxy(target, {
    get(raw, key) {
      const value: unknown = Reflect.get(raw, key, raw);
      if (typeof key !== 'string' || value === null) return value;
      if (typeof value !== 'function' && typeof value !== 'object') return value;
      const known = wrappers.get(key);
      if (known?.source === value) return known.wrapper;
      const wrapper =
        typeof value === 'function'
          ? timedMethod(raw, value as (...args: unknown[]) => unknown, prefix + key, observe)
          : timed(value, `${prefix}${key}.`, observe);
      wrappers.set(key, { source: value, wrapper });
      return wrapper;
    },
  });
}

function timedMethod(
  self: object,
  method: (...args: unknown[]) => unknown,
  op: string,
  observe: ObserveOperation,
): (...args: unknown[]) => unknown {
  return (...args) => {
    const start = performance.now();
    const done = (failed: boolean) => observe(op, (performance.now() - start) / 1000, failed);
    let result: unknown;
    try {
      result = method.apply(self, args);
    } catch (err) {
      done(true);
      throw err;
    }
    if (!(result instanceof Promise)) return result;
    return result.then(
      (value: unknown) => {
        done(false);
        return value;
      },
      (err: unknown) => {
        done(true);
        throw err;
      },
    );
  };
}

/**
 * A carrier for "the run this code belongs to", so that `gr.Info(...)` called anywhere inside a
 * handler, also after an `await`, reaches the right session (S36).
 *
 * On Node it is an `AsyncLocalStorage`, obtained through `process.getBuiltinModule` so that no
 * `import` of a Node module appears in the core (it must bundle for browsers). Elsewhere it
 * falls back to a synchronous stack: correct until the handler's first `await`, after which
 * handlers use `ctx.info(...)` (which always works).
 *
 * @internal
 */

export interface Carrier<T> {
  /** Calls `fn.apply(thisArg, args)` with `value` as the current value (no closure needed). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
  run<R>(value: T, fn: (...args: any[]) => R, args: readonly unknown[], thisArg?: unknown): R;
  get(): T | undefined;
}

interface AsyncLocalStorageLike<T> {
  run<R, A extends unknown[]>(store: T, fn: (...args: A) => R, ...args: A): R;
  getStore(): T | undefined;
}

type AlsConstructor = new <T>() => AsyncLocalStorageLike<T>;

function findAsyncLocalStorage(): AlsConstructor | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const mod = proc?.getBuiltinModule?.("node:async_hooks") as { AsyncLocalStorage?: AlsConstructor } | undefined;
    return mod?.AsyncLocalStorage;
  } catch {
    return undefined;
  }
}

/** Creates a carrier; each call gives an independent one (no state shared between apps). */
export function createCarrier<T>(): Carrier<T> {
  const Als = findAsyncLocalStorage();
  if (Als) {
    const als = new Als<T>();
    return {
      run: (value, fn, args, thisArg) => als.run(value, Reflect.apply, fn, thisArg, args) as ReturnType<typeof fn>,
      get: () => als.getStore(),
    };
  }
  // Synchronous fallback: a stack restored in `finally`, so nesting and throwing are safe.
  let current: T | undefined;
  return {
    run(value, fn, args, thisArg) {
      const previous = current;
      current = value;
      try {
        return Reflect.apply(fn, thisArg, args);
      } finally {
        current = previous;
      }
    },
    get: () => current,
  };
}

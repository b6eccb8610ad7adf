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
  /**
   * Calls `fn` with its first `count` arguments of `a`, `b`, `c`, `d` (at most 4; no `this`),
   * with `value` as the current value: {@link Carrier.run} without an array of arguments.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
  call<R>(value: T, fn: (...args: any[]) => R, count: number, a?: unknown, b?: unknown, c?: unknown, d?: unknown): R;
  get(): T | undefined;
}

type Fn = (...args: unknown[]) => unknown;

/**
 * Calls `fn` with exactly `count` of the arguments (so `arguments.length` and rest parameters
 * see what an array of `count` values would give), with `this` undefined.
 */
function callWith(fn: Fn, count: number, a: unknown, b: unknown, c: unknown, d: unknown): unknown {
  switch (count) {
    case 0:
      return fn();
    case 1:
      return fn(a);
    case 2:
      return fn(a, b);
    case 3:
      return fn(a, b, c);
    default:
      return fn(a, b, c, d);
  }
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
      call: (value, fn, count, a, b, c, d) => als.run(value, callWith, fn as Fn, count, a, b, c, d) as ReturnType<typeof fn>,
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
    call(value, fn, count, a, b, c, d) {
      const previous = current;
      current = value;
      try {
        return callWith(fn as Fn, count, a, b, c, d) as ReturnType<typeof fn>;
      } finally {
        current = previous;
      }
    },
    get: () => current,
  };
}

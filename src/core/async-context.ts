/**
 * A carrier for "the run this code belongs to", so that `gr.Info(...)` called anywhere inside a
 * handler, also after an `await`, reaches the right session (S36); and the caller's whole async
 * context kept for later ({@link captureAsyncContext}), so that a run that waited in a queue
 * runs in its own trigger's context.
 *
 * On Node it is an `AsyncLocalStorage`, obtained through `process.getBuiltinModule` so that no
 * `import` of a Node module appears in the core (it must bundle for browsers). Elsewhere it
 * falls back to a synchronous stack: correct until the handler's first `await`, after which
 * handlers use `ctx.info(...)` (which always works).
 *
 * @internal
 */

/** Calls a function for a value: a {@link Carrier} with that value current, or {@link DIRECT}. */
export interface Invoker<T> {
  /** Calls `fn.apply(thisArg, args)` with `value` as the current value (no closure needed). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
  run<R>(value: T, fn: (...args: any[]) => R, args: readonly unknown[], thisArg?: unknown): R;
  /**
   * Calls `fn` with its first `count` arguments of `a`, `b`, `c`, `d` (at most 4; no `this`),
   * with `value` as the current value: {@link Carrier.run} without an array of arguments.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler signature
  call<R>(value: T, fn: (...args: any[]) => R, count: number, a?: unknown, b?: unknown, c?: unknown, d?: unknown): R;
}

export interface Carrier<T> extends Invoker<T> {
  get(): T | undefined;
  /**
   * Makes `value` current with nothing to restore it: only inside an {@link AsyncScope}'s
   * `runInAsyncScope`, and only where {@link Carrier.scopedEnter}. Cheaper than
   * {@link Invoker.run} there: on Node 24 a `run` makes two context frames (one to enter, one
   * to restore the previous), this one.
   */
  enter(value: T): void;
  /**
   * Whether a scope undoes an {@link Carrier.enter} made in it when its `runInAsyncScope`
   * returns: true where the storage keeps context frames (Node 24). With promise hooks (Node
   * 20 and 22) the value is stored on the scope's resource and stays there, for every later
   * use of that scope.
   */
  readonly scopedEnter: boolean;
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
  enterWith(store: T): void;
}

type AlsConstructor = new <T>() => AsyncLocalStorageLike<T>;

/**
 * A caller's async context, kept to call a function in later: what every `AsyncLocalStorage`
 * held where it was captured (see {@link captureAsyncContext}).
 */
export interface AsyncScope {
  /** Calls `fn.call(thisArg, ...args)` in the captured context, and restores the current one after. */
  runInAsyncScope<A extends unknown[], R>(fn: (...args: A) => R, thisArg: unknown, ...args: A): R;
}

type AsyncResourceConstructor = new (type: string) => AsyncScope;

interface AsyncHooksLike {
  AsyncLocalStorage?: AlsConstructor;
  AsyncResource?: AsyncResourceConstructor;
}

function asyncHooks(): AsyncHooksLike | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return proc?.getBuiltinModule?.("node:async_hooks") as AsyncHooksLike | undefined;
  } catch {
    return undefined;
  }
}

function findAsyncLocalStorage(): AlsConstructor | undefined {
  return asyncHooks()?.AsyncLocalStorage;
}

const AsyncResourceClass: AsyncResourceConstructor | undefined = asyncHooks()?.AsyncResource;

/**
 * The last scope made, kept as a shape anchor (as runtime/queue.ts keeps its last `Immediate`):
 * before Node 24, the `AsyncLocalStorage` hooks store their values as properties on each async
 * resource, which gives these scopes a hidden class that V8 keeps only while one is alive. A full
 * GC with none alive (between two bursts of queued events) dropped it, and with it the optimised
 * code of Node's promise hook and of every storage's `run` and `getStore` (checked by
 * spec/runtime/deopt.test.ts).
 */
const lastScope: { scope: AsyncScope | undefined } = { scope: undefined };

/**
 * The caller's async context (an `AsyncResource` of type `type` on Node, as `async_hooks`
 * listeners see it), for work that runs later from
 * somewhere else: a run that waits in a queue is admitted when another run ends, in that run's
 * context, and must run its handler in its own trigger's instead (an app's own
 * `AsyncLocalStorage`, such as a request's tracing context or signed-in user, must not reach
 * another session's handler). `undefined` where there are no async contexts to keep (browsers).
 */
export function captureAsyncContext(type: string): AsyncScope | undefined {
  return AsyncResourceClass ? (lastScope.scope = new AsyncResourceClass(type)) : undefined;
}

/**
 * Whether this `AsyncLocalStorage` keeps its values in context frames (Node 24), not on async
 * resources through promise hooks (Node 20 and 22, whose class has a `_propagate` method for
 * that). Only speed depends on the answer: both ways give the same values.
 */
function keepsFrames(Als: AlsConstructor): boolean {
  return typeof (Als.prototype as { _propagate?: unknown })._propagate !== "function";
}

/** In a scope: makes `value` current, then calls `fn.apply(thisArg, args)`. */
function enterApply<T>(enter: (value: T) => void, value: T, fn: Fn, args: readonly unknown[], thisArg: unknown): unknown {
  enter(value);
  return Reflect.apply(fn, thisArg, args);
}

/** In a scope: makes `value` current, then calls `fn` with `count` of the arguments. */
function enterCall<T>(enter: (value: T) => void, value: T, fn: Fn, count: number, a: unknown, b: unknown, c: unknown, d: unknown): unknown {
  enter(value);
  return callWith(fn, count, a, b, c, d);
}

/** Creates a carrier; each call gives an independent one (no state shared between apps). */
export function createCarrier<T>(): Carrier<T> {
  const Als = findAsyncLocalStorage();
  if (Als) {
    const als = new Als<T>();
    const get = (): T | undefined => als.getStore();
    const enter = (value: T): void => als.enterWith(value);
    const Scope = AsyncResourceClass;
    if (Scope && keepsFrames(Als)) {
      // Node 24's storage keeps its values in context frames, and a `run` makes two: one to
      // enter, one to restore the one before. A scope (an AsyncResource, which holds the
      // current frame) restores by swapping frames back, so a call in one makes one frame
      // (measured: 139 against 257 ns a call). With promise hooks (Node 20 and 22) the scope
      // costs more than `run` (97 against 45 ns), so there it is `run`.
      return {
        run: (value, fn, args, thisArg) => new Scope("blockstate.run").runInAsyncScope(enterApply, undefined, enter, value, fn, args, thisArg) as ReturnType<typeof fn>,
        call: (value, fn, count, a, b, c, d) => new Scope("blockstate.run").runInAsyncScope(enterCall, undefined, enter, value, fn as Fn, count, a, b, c, d) as ReturnType<typeof fn>,
        get,
        enter,
        scopedEnter: true,
      };
    }
    return {
      run: (value, fn, args, thisArg) => als.run(value, Reflect.apply, fn, thisArg, args) as ReturnType<typeof fn>,
      call: (value, fn, count, a, b, c, d) => als.run(value, callWith, fn as Fn, count, a, b, c, d) as ReturnType<typeof fn>,
      get,
      enter,
      scopedEnter: false,
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
    enter(value) {
      current = value; // only inside a scope, which this fallback never has (captureAsyncContext)
    },
    scopedEnter: false,
  };
}

/** An {@link Invoker} that calls with nothing made current (the value entered already). */
export const DIRECT: Invoker<unknown> = {
  run: (_value, fn, args, thisArg) => Reflect.apply(fn, thisArg, args) as ReturnType<typeof fn>,
  call: (_value, fn, count, a, b, c, d) => callWith(fn as Fn, count, a, b, c, d) as ReturnType<typeof fn>,
};

/**
 * The app's clock (S23): every timing (TTL, retention sweep, Timer ticks, time limits) reads
 * it, so tests can advance time instead of sleeping (`ManualClock` in `blockstate/testing`).
 *
 * @packageDocumentation
 */

/** A clock in milliseconds. `setTimeout` returns a handle that `clearTimeout` accepts. */
export interface Clock {
  /** Current time in milliseconds. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a pending `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/**
 * Real time. Its timers are `unref`'d where the platform allows, so an engine timer never
 * keeps a Node process alive; `app.close()` clears them anyway.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = globalThis.setTimeout(fn, ms) as unknown as { unref?: () => void };
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

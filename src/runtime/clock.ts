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
  /**
   * Calls `fn` once after `ms` milliseconds. The engine's delays are finite, up to 10^15 ms
   * (`MAX_SECONDS`); a clock must honour every one, including those past 2^31 - 1 ms, which
   * the platform's own `setTimeout` fires after 1 ms.
   */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a pending `setTimeout`. */
  clearTimeout(handle: unknown): void;
}

/**
 * @internal Milliseconds in `seconds` seconds (the unit of every duration an app gives: a
 * Timer's interval, a time-to-live, a time limit), without the float error of
 * `seconds * 1000`, which made `4.03` seconds 4030.0000000000005 ms (a tick due at exactly
 * 4,030 ms on a `ManualClock` did not come). Exact for whole microseconds.
 */
export function secondsToMs(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e3;
}

/** The longest delay the platform's `setTimeout` honours (about 24.8 days); longer ones fire after 1 ms. */
const PLATFORM_MAX_MS = 2 ** 31 - 1;

type PlatformHandle = ReturnType<typeof globalThis.setTimeout>;

/** A timeout longer than the platform allows: a chain of platform timeouts, the current one here. */
class LongTimeout {
  current: PlatformHandle | undefined;
}

function platformTimeout(fn: () => void, ms: number): PlatformHandle {
  const handle = globalThis.setTimeout(fn, ms);
  (handle as { unref?: () => void }).unref?.();
  return handle;
}

/** Waits `remaining` ms in steps the platform honours, then calls `fn`. */
function chain(long: LongTimeout, fn: () => void, remaining: number): void {
  if (remaining <= PLATFORM_MAX_MS) {
    long.current = platformTimeout(fn, remaining);
    return;
  }
  long.current = platformTimeout(() => chain(long, fn, remaining - PLATFORM_MAX_MS), PLATFORM_MAX_MS);
}

/**
 * Real time. Its timers are `unref`'d where the platform allows, so an engine timer never
 * keeps a Node process alive; `app.close()` clears them anyway.
 *
 * Unlike the platform's `setTimeout`, it honours any finite delay: one past 2^31 - 1 ms (about
 * 24.8 days) is waited for in steps, and `clearTimeout` cancels whichever step is pending. An
 * infinite delay never fires; a negative or NaN one fires at once, as the platform's does.
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    if (!(ms > PLATFORM_MAX_MS)) return platformTimeout(fn, ms);
    const long = new LongTimeout();
    if (ms !== Infinity) chain(long, fn, ms);
    return long;
  },
  clearTimeout(handle) {
    globalThis.clearTimeout((handle instanceof LongTimeout ? handle.current : handle) as PlatformHandle);
  },
};

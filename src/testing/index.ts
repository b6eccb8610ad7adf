/**
 * Test helpers (`blockstate/testing`): a manual clock and shortcuts for app-logic tests.
 *
 * @packageDocumentation
 */
import type { Clock } from "../runtime/clock";

interface PendingTimer {
  id: number;
  at: number;
  fn: () => unknown;
}

/** Lets pending promise callbacks run (a macrotask turn), so async handlers make progress. */
export function flush(): Promise<void> {
  return new Promise((resolve) => {
    const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
    if (immediate) immediate(resolve);
    else globalThis.setTimeout(resolve, 0);
  });
}

/**
 * A clock that only moves when told to (S23): pass it to `demo.launch({ clock })` and drive
 * TTLs, retention sweeps, Timer ticks and time limits with {@link ManualClock.advance}.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const app = demo.launch({ clock });
 * const s = await app.connect();
 * await clock.advance(3_000); // three seconds: due timers fire in time order
 * ```
 */
export class ManualClock implements Clock {
  private current: number;
  private timers: PendingTimer[] = [];
  private nextId = 1;

  /** @param startMs The initial time in milliseconds (default 0). */
  constructor(startMs = 0) {
    this.current = startMs;
  }

  /** Current time in milliseconds. */
  now(): number {
    return this.current;
  }

  /** Schedules `fn` at `now() + ms`. If `fn` returns a promise, `advance` awaits it. */
  setTimeout(fn: () => unknown, ms: number): number {
    const timer = { id: this.nextId++, at: this.current + Math.max(0, ms), fn };
    // Keep the list sorted by time, then by creation, so equal times fire in scheduling order.
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const i = this.timers.findIndex((t) => t.id === handle);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** A promise resolved after `ms` milliseconds of this clock (for handlers under test). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms` milliseconds, firing due timers in time order. After each timer
   * it awaits the promise the timer returned (engine timers return the cascade they started)
   * unless that work itself waits on this clock, and lets pending promise callbacks run, so
   * timers scheduled by what it started fire in this same call if they fall due.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await flush();
    while (this.timers.length && this.timers[0].at <= target) {
      const timer = this.timers.shift()!;
      this.current = timer.at;
      const started = timer.fn();
      // Await what the timer started, unless it waits on this clock itself (a handler
      // sleeping with `clock.sleep`): then go on, and later timers let it finish.
      if (started && typeof (started as PromiseLike<unknown>).then === "function") {
        await Promise.race([started, flush().then(flush)]);
      }
      await flush();
    }
    this.current = target;
  }
}
export * from "./transcript";

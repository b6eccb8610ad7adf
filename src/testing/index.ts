/**
 * Test helpers (`blockstate/testing`): a manual clock and shortcuts for app-logic tests.
 *
 * @packageDocumentation
 */
import { describeValue } from "../core/errors";
import type { Clock } from "../runtime/clock";

interface PendingTimer {
  id: number;
  at: number;
  fn: () => unknown;
}

/** Orders timers by due time, then by creation, so equal times fire in scheduling order. */
function earlier(a: PendingTimer, b: PendingTimer): boolean {
  return a.at < b.at || (a.at === b.at && a.id < b.id);
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
  // A binary min-heap: tens of thousands of pending timers (one Timer per session) stay cheap.
  private heap: PendingTimer[] = [];
  // Cleared timers stay in the heap until they surface; this says which ones to skip.
  private live = new Set<number>();
  private nextId = 1;

  /**
   * @param startMs The initial time in milliseconds (default 0): a finite number, possibly
   *   negative (an epoch before 1970 is a time like any other).
   * @throws TypeError for anything else (a string, `NaN`, `Infinity`): every timer would be due
   *   at a time that never comes, or at once.
   */
  constructor(startMs = 0) {
    if (typeof startMs !== "number" || !Number.isFinite(startMs)) {
      throw new TypeError(`new ManualClock(startMs): startMs must be a finite number of milliseconds; got ${describeValue(startMs)}.`);
    }
    this.current = startMs;
  }

  /** Current time in milliseconds. */
  now(): number {
    return this.current;
  }

  /**
   * Schedules `fn` at `now() + ms` (a negative or non-numeric `ms` counts as 0, as with the
   * platform's `setTimeout`). Any finite `ms` is honoured, past 2^31 - 1 too (the platform's
   * limit); `Infinity` never comes due. If `fn` returns a promise, `advance` awaits it.
   *
   * @returns a handle for {@link ManualClock.clearTimeout}.
   */
  setTimeout(fn: () => unknown, ms: number): number {
    const delay = typeof ms === "number" && ms > 0 ? ms : 0; // NaN too: it would never come due
    const timer = { id: this.nextId++, at: this.current + delay, fn };
    this.live.add(timer.id);
    const heap = this.heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
    return timer.id;
  }

  /** Cancels a timer scheduled by {@link ManualClock.setTimeout}; unknown handles are ignored. */
  clearTimeout(handle: unknown): void {
    if (!this.live.delete(handle as number)) return;
    // Cleared timers wait in the heap until they surface, each holding its callback (and what
    // that holds: a session). Once they are most of it, they go: a long test that clears long
    // timers (a State's time-to-live, a session's) keeps no removed session alive.
    const heap = this.heap;
    if (heap.length > 64 && heap.length > 2 * this.live.size) {
      const kept = heap.filter((t) => this.live.has(t.id)).sort((a, b) => (earlier(a, b) ? -1 : 1)); // sorted: a valid heap
      heap.length = 0;
      for (const t of kept) heap.push(t);
    }
  }

  /** A promise resolved after `ms` milliseconds of this clock (for handlers under test). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimeout(resolve, ms));
  }

  /** Number of pending timers. */
  get pending(): number {
    return this.live.size;
  }

  /**
   * Moves time forward by `ms` milliseconds, firing due timers in time order (timers due at
   * the same instant fire together, in scheduling order). Then it awaits the promises they
   * returned (engine timers return the cascade they started), but no longer than a few turns of
   * the event loop (that work may itself wait on this clock: a handler sleeping with
   * `clock.sleep`), and lets pending promise callbacks run, so timers scheduled by what they
   * started fire in this same call if they fall due. Work that takes longer on other things
   * (real I/O) is not awaited: await it yourself, or `session.idle()`. Overlapping calls never
   * move time backwards.
   *
   * @param ms - milliseconds, a finite number ≥ 0 (0 fires what is already due).
   * @throws RangeError for a negative or non-finite `ms`: time never moves backwards; and for
   *   one that takes the clock past `Number.MAX_SAFE_INTEGER` ms, where adding 1 ms no longer
   *   moves it (a timer re-arming 1 ms later would fire at the same instant forever).
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`ManualClock.advance: ms must be a finite number of milliseconds ≥ 0; got ${String(ms)}.`);
    }
    const target = this.current + ms;
    if (target > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`ManualClock.advance: the clock would pass Number.MAX_SAFE_INTEGER ms; got ${String(ms)} at ${this.current}.`);
    }
    await flush();
    for (let next = this.peek(); next && next.at <= target; next = this.peek()) {
      this.current = next.at;
      const started: PromiseLike<unknown>[] = [];
      while (this.peek()?.at === this.current) {
        const timer = this.pop()!;
        this.live.delete(timer.id);
        const result = timer.fn();
        if (result && typeof (result as PromiseLike<unknown>).then === "function") started.push(result as PromiseLike<unknown>);
      }
      // Await what the timers started, unless it waits on this clock itself (a handler
      // sleeping with `clock.sleep`): then go on, and later timers let it finish.
      if (started.length) await Promise.race([Promise.all(started), flush().then(flush)]);
      await flush();
    }
    // Another advance may have gone further while this one awaited: time never moves back.
    this.current = Math.max(this.current, target);
  }

  /** The earliest live timer, dropping cleared ones on the way. */
  private peek(): PendingTimer | undefined {
    while (this.heap.length && !this.live.has(this.heap[0].id)) this.pop();
    return this.heap[0];
  }

  private pop(): PendingTimer | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length && last) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && earlier(heap[l], heap[m])) m = l;
        if (r < heap.length && earlier(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  }
}
export * from "./transcript";

/**
 * Concurrency groups (S60-S62), the per-Global lock (S8), and the slicing of long bursts of
 * queued work into macrotasks.
 *
 * @packageDocumentation
 */

import { captureAsyncContext } from "../core/async-context";

/**
 * How long, in milliseconds, queued work (admitting waiting runs, starting a Global's fan-out)
 * may run without giving the event loop a turn. Past it, the rest continues in a macrotask, so
 * timers, I/O and other apps' events are not starved by a burst of events that each settle in a
 * microtask.
 */
export const SLICE_MS = 5;

/** How many {@link Slicer.overBudget} checks share one reading of the clock. */
export const CLOCK_EVERY = 8;

/**
 * While queues keep every slice busy, a Global's fan-out (background work) gets one slice in
 * this many: the burst's own events go first, and the changes they make meanwhile join the
 * fan-out round that has not started yet (S56) instead of each adding one.
 */
export const BACKGROUND_EVERY = 4;

/**
 * @internal Work continued in a macrotask: `step` returns true when done, false when it stopped
 * because the slice was {@link Slicer.overBudget} (it is then called again in a later slice).
 *
 * An object with a method, not a closure: a closure made per job (per fan-out round, per app's
 * group) has its own function object, and V8 keeps a function's optimised code only while a
 * live function object holds it, so a full GC between two jobs dropped it and each new job's
 * loop ran unoptimised (measured: a 1,000-session fan-out 2-3x slower after a GC). A prototype
 * method is one function object for the class's life.
 */
export interface Job {
  step(): boolean;
}

/**
 * The last `setImmediate` handle of any slicer, kept as a shape anchor (see `Run._shapeAnchors`).
 * Before Node 24, an `AsyncLocalStorage` in use (the engine's, for `gr.Info` after an `await`)
 * stores its value as a property on each async resource made from then on, an `Immediate` too,
 * which gives those a hidden class of their own that V8 keeps only while one is alive. A full GC
 * with none alive (between two bursts) dropped it, and with it the optimised code that had seen
 * it: Node's promise hooks and the engine's handler calls (measured: a burst of queued events
 * ran 2x slower after each such GC, and with one handle kept, not). Holding a handle that
 * already fired costs nothing else.
 */
const anchors: { immediate: unknown } = { immediate: undefined };

/**
 * @internal Splits the app's queued work into slices of at most {@link Slicer.budgetMs} of
 * continuous work, each ending with a macrotask (`setImmediate`, else a `MessageChannel` as in
 * browsers, else `setTimeout(0)`). A slice starts at the first {@link Slicer.overBudget} check
 * and ends at the next macrotask, so a single event, which never checks, pays nothing, and a
 * burst pays a counter per check, a clock read per {@link CLOCK_EVERY} checks and one macrotask
 * per slice.
 */
export class Slicer {
  /** Milliseconds of continuous work per slice; `Infinity` never yields (the bench's baseline). */
  budgetMs = SLICE_MS;
  private sliceStart = -1;
  private countdown = 0;
  private spent = false;
  /** Queues waiting to admit their next runs. */
  private readonly foreground: Job[] = [];
  /** Fan-out rounds (S56). */
  private readonly background: Job[] = [];
  /** Slices in a row in which background work waited for busy queues. */
  private skipped = 0;
  private ticking = false;
  private channel: MessageChannel | undefined;
  /**
   * The async context the app was launched in, where every slice runs. A slice is woken from
   * whatever context queued work first (a run's end, a Global's write): without this, a
   * Global's fan-out would run other sessions' `.change` listeners in the writing caller's
   * context (an app's own `AsyncLocalStorage`: its request, its signed-in user). A queued run
   * admitted here enters its own trigger's context (`Run.inTriggerContext`).
   */
  private readonly scope = captureAsyncContext("blockstate.slices");
  private readonly tick = (): void => {
    if (this.scope) this.scope.runInAsyncScope(this.slice, this);
    else this.slice();
  };

  /** @internal One slice: background work if it is due, then the queues, while the budget lasts. */
  slice(): void {
    this.ticking = false;
    this.sliceStart = -1;
    const background = this.background.length > 0 && (this.foreground.length === 0 || ++this.skipped >= BACKGROUND_EVERY);
    if (background) {
      this.skipped = 0;
      this.run(this.background);
    }
    this.run(this.foreground);
    if (this.foreground.length > 0 || this.background.length > 0) this.wake();
  }

  /**
   * Whether this slice has used its budget; the first check of a slice starts it. Reads the
   * clock on every {@link CLOCK_EVERY}th check only: a check sits on the path of every queued
   * run, and the runs between two reads take microseconds.
   */
  overBudget(): boolean {
    // Most checks: a slice started, not spent, and no clock reading due (small, so that V8
    // inlines it into the loops that check; see handler.ts's invoke).
    if (this.sliceStart >= 0 && !this.spent && --this.countdown > 0) return false;
    return this.checkClock();
  }

  /** {@link Slicer.overBudget} when a slice starts, is spent, or its clock is due. */
  private checkClock(): boolean {
    if (this.sliceStart < 0) {
      this.sliceStart = performance.now();
      this.countdown = CLOCK_EVERY;
      this.spent = false;
      this.wake();
      return false;
    }
    if (this.spent) return true; // until the slice ends, however many checks follow
    this.countdown = CLOCK_EVERY;
    return (this.spent = performance.now() - this.sliceStart >= this.budgetMs);
  }

  /** Runs `job` in a later macrotask, after the jobs deferred before it. */
  defer(job: Job): void {
    this.foreground.push(job);
    this.wake();
  }

  /**
   * Resolves in a later macrotask, after the jobs deferred before it: long synchronous work (a
   * synchronous generator's yields) gives the event loop a turn there, so that timers, I/O and
   * cancellations can act (S39).
   */
  nextSlice(): Promise<void> {
    return new Promise((resolve) => this.defer({ step: () => (resolve(), true) }));
  }

  /** Runs `job` in a later macrotask, in the slices that busy queues leave it. */
  deferBackground(job: Job): void {
    this.background.push(job);
    this.wake();
  }

  /** Runs jobs in order while the slice lasts; one that yielded goes to the back. */
  private run(jobs: Job[]): void {
    // A handful of jobs at most (one per paused group or fan-out round): shift() is fine.
    while (jobs.length > 0 && !this.overBudget()) {
      const job = jobs.shift()!;
      if (!job.step()) jobs.push(job);
    }
  }

  private wake(): void {
    if (this.ticking) return;
    this.ticking = true;
    if (typeof setImmediate === "function") anchors.immediate = setImmediate(this.tick);
    else if (typeof MessageChannel === "function") {
      if (!this.channel) {
        this.channel = new MessageChannel();
        this.channel.port1.onmessage = this.tick;
        // Where ports keep a process alive (Node), this one must not.
        (this.channel.port1 as { unref?: () => void }).unref?.();
      }
      this.channel.port2.postMessage(null);
    } else setTimeout(this.tick, 0);
  }
}

/** Admitted slots at the front of a group's waiting array before it is compacted. */
const COMPACT_AFTER = 1024;

/** @internal A run waiting for a slot. `admit(true)` starts it; `admit(false)` means it was removed. */
export interface Waiter {
  admit(entered: boolean): void;
  /** The run's id in its session (what its status messages carry). */
  readonly id: number;
  readonly session: { readonly sessionHash: string };
}

/**
 * @internal One concurrency group: at most `limit` runs at once across all sessions, waiting
 * runs admitted first-in first-out (S60). Admission checks the app's {@link Slicer}: a burst of
 * runs that each end in a microtask would otherwise admit the whole queue without the event
 * loop ever getting a turn. While admission is paused for a macrotask, no run jumps the queue.
 */
export class ConcurrencyGroup implements Job {
  running = 0;
  // A FIFO as array + head index: O(1) enqueue/dequeue without shifting.
  private waiting: (Waiter | undefined)[] = [];
  private head = 0;
  /** Waiters still waiting (the array also holds holes: removed ones). */
  private count = 0;
  private draining = false;
  /** Admission continues in a macrotask (see {@link Slicer}). */
  private paused = false;

  constructor(
    /** Runs at once; `Infinity` for unlimited. Lowered when a rendered member with a lower limit joins (S60). */
    public limit: number,
    private readonly slicer: Slicer,
  ) {}

  /** Takes a slot if one is free. */
  tryEnter(): boolean {
    if (this.running < this.limit && !this.paused) {
      this.running++;
      return true;
    }
    return false;
  }

  /** Appends a waiter; returns its 0-based position. */
  enqueue(waiter: Waiter): number {
    this.waiting.push(waiter);
    this.count++;
    return this.waiting.length - this.head - 1;
  }

  /** A waiter's 0-based place among those still waiting, or `undefined` when it is not waiting. */
  positionOf(waiter: Waiter): number | undefined {
    let place = 0;
    for (let i = this.head; i < this.waiting.length; i++) {
      const w = this.waiting[i];
      if (w === waiter) return place;
      if (w) place++;
    }
    return undefined;
  }

  /** Runs waiting for a slot. */
  get size(): number {
    return this.count;
  }

  /** The runs waiting for a slot, first to be admitted first (S60). */
  *waiters(): IterableIterator<Waiter> {
    for (let i = this.head; i < this.waiting.length; i++) {
      const w = this.waiting[i];
      if (w) yield w;
    }
  }

  /**
   * Takes up to `max` waiters that `joins` accepts out of the queue, first come first, without
   * admitting them (Gradio's batch: they run with the waiter just admitted, in its slot).
   */
  takeBatch(joins: (waiter: Waiter) => boolean, max: number): Waiter[] {
    const taken: Waiter[] = [];
    for (let i = this.head; i < this.waiting.length && taken.length < max; i++) {
      const w = this.waiting[i];
      if (w && joins(w)) {
        this.waiting[i] = undefined;
        this.count--;
        taken.push(w);
      }
    }
    return taken;
  }

  /** Removes a waiter (cancellation); true if it was waiting. */
  remove(waiter: Waiter): boolean {
    const i = this.waiting.indexOf(waiter, this.head);
    if (i < 0) return false;
    this.waiting[i] = undefined;
    this.count--;
    waiter.admit(false);
    return true;
  }

  /** The {@link Slicer} job of a paused group: admission resumes in a later slice. */
  step(): boolean {
    this.paused = false;
    this.drain();
    return true;
  }

  /** Frees a slot and admits the next waiter. */
  leave(): void {
    this.running--;
    // Nothing queued, ever or since the last compaction (an uncontended group): nothing to do.
    if (!this.paused && (this.head > 0 || this.waiting.length > 0)) this.drain();
  }

  private drain(): void {
    // A waiter admitted below may finish synchronously and leave again: that inner call only
    // frees its slot, and this loop admits the next one (no recursion per waiting run).
    if (this.draining) return;
    this.draining = true;
    try {
      this.admitWaiting();
    } finally {
      this.draining = false;
    }
  }

  private admitWaiting(): void {
    while (this.head < this.waiting.length && this.running < this.limit) {
      const next = this.waiting[this.head];
      if (!next) {
        this.head++;
        continue;
      }
      if (this.slicer.overBudget()) {
        this.paused = true;
        this.slicer.defer(this);
        return;
      }
      this.waiting[this.head++] = undefined;
      this.count--;
      this.running++;
      next.admit(true);
    }
    // Only when something was queued: setting `length` on an empty array is still a runtime
    // call, and an uncontended group drains on every slot release.
    if (this.head === this.waiting.length && this.head > 0) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.waiting.length) {
      // A group that always has a backlog never empties: drop the admitted slots now and then
      // (amortised O(1) a run), or the array grows by one per run for as long as the backlog lasts.
      this.waiting.copyWithin(0, this.head);
      this.waiting.length -= this.head;
      this.head = 0;
    }
  }
}

/** @internal A FIFO mutex: S8's per-Global lock from reading inputs to committing outputs. */
export class Mutex {
  private locked = false;
  private waiters: (() => void)[] = [];

  /** Takes the lock if free (no allocation on the uncontended path). */
  tryLock(): boolean {
    if (this.locked) return false;
    this.locked = true;
    return true;
  }

  lock(): Promise<void> {
    if (this.tryLock()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  unlock(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.locked = false;
  }
}

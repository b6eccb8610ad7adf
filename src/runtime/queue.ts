/**
 * Concurrency groups (S60-S62) and the per-Global lock (S8).
 *
 * @packageDocumentation
 */

/** @internal A run waiting for a slot. `admit(true)` starts it; `admit(false)` means it was removed. */
export interface Waiter {
  admit(entered: boolean): void;
}

/**
 * @internal One concurrency group: at most `limit` runs at once across all sessions, waiting
 * runs admitted first-in first-out (S60).
 */
export class ConcurrencyGroup {
  running = 0;
  // A FIFO as array + head index: O(1) enqueue/dequeue without shifting.
  private waiting: (Waiter | undefined)[] = [];
  private head = 0;
  private draining = false;

  constructor(
    /** Runs at once; `Infinity` for unlimited. */
    readonly limit: number,
  ) {}

  /** Takes a slot if one is free. */
  tryEnter(): boolean {
    if (this.running < this.limit) {
      this.running++;
      return true;
    }
    return false;
  }

  /** Appends a waiter; returns its 0-based position. */
  enqueue(waiter: Waiter): number {
    this.waiting.push(waiter);
    return this.waiting.length - this.head - 1;
  }

  /** Removes a waiter (cancellation); true if it was waiting. */
  remove(waiter: Waiter): boolean {
    const i = this.waiting.indexOf(waiter, this.head);
    if (i < 0) return false;
    this.waiting[i] = undefined;
    waiter.admit(false);
    return true;
  }

  /** Frees a slot and admits the next waiter. */
  leave(): void {
    this.running--;
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
      this.waiting[this.head++] = undefined;
      if (next) {
        this.running++;
        next.admit(true);
      }
    }
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
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

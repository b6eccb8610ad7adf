/**
 * What a user event caused in its session: every run it started there, directly or through
 * `.change` and chaining. A Global's fan-out (S56) gives each other session a cascade of its
 * own, which the event's waits for but does not take its outcome from. The promise a
 * user-event method returns resolves when the cascade settles.
 *
 * @packageDocumentation
 */

/**
 * The outcome of a user event (docs/03). `status`: `error` when any run of the cascade failed
 * (then `error` is the first failure), else `cancelled` when a run was cancelled (S39) or hit its
 * time limit, else `dropped` when every triggered run was dropped by `triggerMode: "once"`
 * (S38), else `complete`. Results without an `error` are shared frozen objects.
 */
export interface EventResult {
  status: "complete" | "error" | "cancelled" | "dropped";
  error?: Error;
}

// Results without an error are shared (frozen): most events end "complete".
const COMPLETE: EventResult = Object.freeze({ status: "complete" });
const CANCELLED: EventResult = Object.freeze({ status: "cancelled" });
const DROPPED: EventResult = Object.freeze({ status: "dropped" });

/** How one run ended. */
export type RunOutcome = "complete" | "error" | "cancelled";

/** @internal Counts the runs of one user event and resolves when the last one has ended. */
export class Cascade {
  private _promise: Promise<EventResult> | undefined;
  private resolve: ((result: EventResult) => void) | undefined;
  /** The result once settled: a cascade nobody awaits (a fan-out round's) makes no promise. */
  private settled: EventResult | undefined;
  // Starts at 1: the event itself holds the cascade open until every first run is scheduled,
  // so runs that finish synchronously cannot settle it early.
  private pending = 1;
  private ran = false;
  private dropped = false;
  private cancelled = false;
  private error: Error | undefined;
  private cancelError: Error | undefined;
  /** Cascades held open until this one settles (see {@link Cascade.holdOpen}). */
  private held: Cascade[] | undefined;

  /** Resolves with the result when the last run has ended. */
  get promise(): Promise<EventResult> {
    if (this.settled) return Promise.resolve(this.settled);
    return (this._promise ??= new Promise((resolve) => (this.resolve = resolve)));
  }

  /** A run joined the cascade. */
  add(): void {
    this.pending++;
  }

  /** A run (or the event itself) ended. */
  end(outcome: RunOutcome | null, error?: Error): void {
    if (outcome) {
      this.ran = true;
      if (outcome === "cancelled") {
        this.cancelled = true;
        this.cancelError ??= error;
      }
      if (outcome === "error" && !this.error) this.error = error;
    }
    if (--this.pending === 0) {
      this.settled = this.result();
      this.resolve?.(this.settled);
      const held = this.held;
      this.held = undefined;
      if (held) for (const c of held) c.end(null);
    }
  }

  /**
   * Keeps `other` open until this cascade settles, without giving it this cascade's outcome:
   * an event waits for the runs its Global change started in other sessions (S56), whose
   * errors and cancellations are those sessions' own (S1).
   */
  holdOpen(other: Cascade): void {
    other.add();
    (this.held ??= []).push(other);
  }

  /** A trigger was dropped by `triggerMode: "once"` (S38). */
  drop(): void {
    this.dropped = true;
  }

  /** Records an error that is not a run's (e.g. a rejected input, a cycle) without a run. */
  fail(error: Error): void {
    this.ran = true;
    this.error ??= error;
  }

  private result(): EventResult {
    if (this.error) return { status: "error", error: this.error };
    if (this.cancelled) return this.cancelError ? { status: "cancelled", error: this.cancelError } : CANCELLED;
    if (this.dropped && !this.ran) return DROPPED;
    return COMPLETE;
  }
}

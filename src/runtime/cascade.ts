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

/** {@link Cascade} flags: a run ended (or the event failed), a trigger was dropped (S38), a run was cancelled (S39). */
const RAN = 1;
const DROPPED_RUN = 2;
const CANCELLED_RUN = 4;
/** {@link Cascade} flag: `reason` is the first failure, not a cancellation's reason. */
const FAILED = 8;

/** How one run ended. */
export type RunOutcome = "complete" | "error" | "cancelled";

/** The resolve function of the promise {@link captureResolve} last ran for. */
let captured: ((result: EventResult) => void) | undefined;

/**
 * The executor of every cascade's promise: one shared function instead of a closure and its
 * context per event (measured: 92 fewer bytes allocated per queued event, 1,487 to 1,395).
 * The promise constructor calls it synchronously, so `captured` is read right after.
 */
function captureResolve(resolve: (result: EventResult) => void): void {
  captured = resolve;
}

/** @internal Counts the runs of one user event and resolves when the last one has ended. */
export class Cascade {
  private _promise: Promise<EventResult> | undefined;
  private resolve: ((result: EventResult) => void) | undefined;
  /** The result once settled: a cascade nobody awaits (a fan-out round's) makes no promise. */
  private settled: EventResult | undefined;
  // Starts at 1: the event itself holds the cascade open until every first run is scheduled,
  // so runs that finish synchronously cannot settle it early.
  private pending = 1;
  /**
   * RAN | DROPPED_RUN | CANCELLED_RUN | FAILED: one small integer instead of a field each (8
   * bytes each), as a burst keeps tens of thousands of cascades alive (issue 11).
   */
  private flags = 0;
  /**
   * The first failure when FAILED is set (it wins, S36), else the first cancellation's reason:
   * one field, as a cancellation's reason matters only while nothing failed.
   */
  private reason: Error | undefined;
  /** Cascades held open until this one settles (see {@link Cascade.holdOpen}). */
  private held: Cascade[] | undefined;

  /** Resolves with the result when the last run has ended. */
  get promise(): Promise<EventResult> {
    if (this.settled) return Promise.resolve(this.settled);
    if (!this._promise) {
      this._promise = new Promise(captureResolve);
      this.resolve = captured;
      captured = undefined;
    }
    return this._promise;
  }

  /** A run joined the cascade. */
  add(): void {
    this.pending++;
  }

  /** A run (or the event itself) ended. */
  end(outcome: RunOutcome | null, error?: Error): void {
    if (outcome) {
      this.flags |= RAN;
      if (outcome !== "complete") this.note(outcome, error);
    }
    if (--this.pending === 0) this.settle();
  }

  /** A run ended cancelled or failed. */
  private note(outcome: "cancelled" | "error", error: Error | undefined): void {
    if (outcome === "cancelled") {
      this.flags |= CANCELLED_RUN;
      this.reason ??= error;
    } else this.failWith(error);
  }

  /** The last run ended: the result is known, the promise resolves, and held cascades may end. */
  private settle(): void {
    this.settled = this.result();
    this.resolve?.(this.settled);
    const held = this.held;
    this.held = undefined;
    if (held) for (const c of held) c.end(null);
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
    this.flags |= DROPPED_RUN;
  }

  /** Records an error that is not a run's (e.g. a rejected input, a cycle) without a run. */
  fail(error: Error): void {
    this.flags |= RAN;
    this.failWith(error);
  }

  /** Keeps the first failure (over any cancellation's reason). */
  private failWith(error: Error | undefined): void {
    if (error && !(this.flags & FAILED)) {
      this.reason = error;
      this.flags |= FAILED;
    }
  }

  private result(): EventResult {
    if (this.flags & FAILED) return { status: "error", error: this.reason };
    if (this.flags & CANCELLED_RUN) return this.reason ? { status: "cancelled", error: this.reason } : CANCELLED;
    if ((this.flags & (DROPPED_RUN | RAN)) === DROPPED_RUN) return DROPPED;
    return COMPLETE;
  }
}

/**
 * @internal The cascades a run counts in: usually its event's one, as is (no array per event);
 * an array when it counts in several (an S38 re-run that collapsed triggers of several events).
 * Shared between runs, so never changed in place.
 */
export type Cascades = Cascade | readonly Cascade[];

/** @internal A run joined each of `cascades`. */
export function addTo(cascades: Cascades): void {
  if (cascades instanceof Cascade) return cascades.add();
  for (let i = 0; i < cascades.length; i++) cascades[i].add();
}

/** @internal A run of each of `cascades` ended. */
export function endIn(cascades: Cascades, outcome: RunOutcome | null, error?: Error): void {
  if (cascades instanceof Cascade) return cascades.end(outcome, error);
  for (let i = 0; i < cascades.length; i++) cascades[i].end(outcome, error);
}

/** @internal A trigger of each of `cascades` was dropped (S38). */
export function dropIn(cascades: Cascades): void {
  if (cascades instanceof Cascade) return cascades.drop();
  for (let i = 0; i < cascades.length; i++) cascades[i].drop();
}

/** @internal Each of `cascades` failed with `error` (no run of theirs did). */
export function failIn(cascades: Cascades, error: Error): void {
  if (cascades instanceof Cascade) return cascades.fail(error);
  for (let i = 0; i < cascades.length; i++) cascades[i].fail(error);
}

/** @internal `holder` keeps each of `cascades` open until it settles (see {@link Cascade.holdOpen}). */
export function holdOpenAll(holder: Cascade, cascades: Cascades): void {
  if (cascades instanceof Cascade) return holder.holdOpen(cascades);
  for (let i = 0; i < cascades.length; i++) holder.holdOpen(cascades[i]);
}

/** @internal Whether `cascade` is one of `cascades`. */
export function countsIn(cascades: Cascades, cascade: Cascade): boolean {
  return cascades instanceof Cascade ? cascades === cascade : cascades.includes(cascade);
}

/** @internal `cascades` and `cascade`, as a new value (the old one may be shared). */
export function withCascade(cascades: Cascades, cascade: Cascade): Cascades {
  return cascades instanceof Cascade ? [cascades, cascade] : [...cascades, cascade];
}

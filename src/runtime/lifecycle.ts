/**
 * Time in an app (S13, S14, S20-S23, S80): State time-to-live, closed-session retention,
 * eviction's delete callbacks, and Timer ticks. Every timing reads the app's clock.
 *
 * @packageDocumentation
 */
import { UNSET, peekCell } from "../core/dataflow";
import type { AnyCell } from "../blocks/block";
import type { State } from "../blocks/state";
import { Timer } from "../components/timer";
import { isPromiseLike, messageOf, toError, whenSettled } from "../core/errors";
import { secondsToMs } from "./clock";
import type { AppSite } from "./sites";
import type { Session } from "./session";

/** What a delete callback's promise fulfils with is not used. */
const ignore = (): void => undefined;

/** A State slot with a time-to-live: when it was last written, and its pending check. */
interface TtlSlot {
  writtenAt: number;
  handle: unknown;
}

/** Per-session timing bookkeeping, created only for sessions that need it. */
interface SessionTimers {
  ttl?: Map<AnyCell, TtlSlot>;
  ticks?: Map<AnyCell, unknown>;
}

/** @internal The app's timing: one instance per App. */
export class Lifecycle {
  private readonly timers = new Map<Session, SessionTimers>();
  private readonly timerCells: AnyCell[];
  /** The app's States, found once (expiry and removal look at each session's slots of them). */
  private readonly stateCells: AnyCell[];
  /**
   * Sessions closed and still held, for the retention sweep (S20), with when each was closed
   * (app clock, ms), in the order they closed here (a session adopted from another process,
   * docs/08, comes in when adopted, with its older closing time). Kept here, not on the
   * session: a time is not a small integer, and a session field that first held 0 and then a
   * time changed the hidden class of every session (V8), which deoptimised `connect` and left
   * the shape anchors on an old class.
   */
  private readonly closed = new Map<Session, number>();
  private readonly ttlCells: boolean;
  private sweepHandle: unknown;
  private idleHandle: unknown;
  private disposed = false;

  constructor(private readonly app: AppSite<Session>) {
    // By class, not by the `type` string a subclass may change: what ticks is a Timer (S80).
    this.timerCells = app.blocks._cells.filter((c) => c instanceof Timer);
    this.stateCells = app.blocks._cells.filter((c) => c.kind === "state");
    this.ttlCells = app.blocks._cells.some((c) => c.kind === "state" && (c as State).timeToLive !== null);
  }

  // #region State time-to-live (S21, S22)

  /**
   * A State slot was initialised or written: its TTL clock (re)starts (S21), from `at` (app
   * clock, ms) when a resumed session brings the time of its last write.
   */
  slotWritten(session: Session, cell: AnyCell, at?: number): void {
    // A session the app dropped is not tracked again (a late run's write, a read of its State).
    if (!this.ttlCells || (cell as State).timeToLive == null || session._removed) return;
    const t = this.timersOf(session);
    const slots = (t.ttl ??= new Map());
    const now = at ?? this.app.clock.now();
    const slot = slots.get(cell);
    // One pending check per slot; a write only moves `writtenAt` and the check re-arms itself,
    // so frequent writes cost no timer churn.
    if (slot) slot.writtenAt = now;
    else {
      const created: TtlSlot = { writtenAt: now, handle: undefined };
      slots.set(cell, created);
      this.armTtl(session, cell, created);
    }
  }

  /** When each State with a TTL of `session` was last written (app clock, ms), by cell id. */
  writtenAt(session: Session): [number, number][] {
    const slots = this.timers.get(session)?.ttl;
    const out: [number, number][] = [];
    if (slots) for (const [cell, slot] of slots) out.push([cell._id, slot.writtenAt]);
    return out;
  }

  /** S22: in a closed session the TTL is the smaller of its own and the retention age. */
  private ttlMs(session: Session, cell: AnyCell): number {
    const own = secondsToMs((cell as State).timeToLive!);
    return session._closed ? Math.min(own, secondsToMs(this.app.blocks.deleteCache[1])) : own;
  }

  private armTtl(session: Session, cell: AnyCell, slot: TtlSlot): void {
    const remaining = slot.writtenAt + this.ttlMs(session, cell) - this.app.clock.now();
    // "Not written for more than timeToLive" is strict: check 1 ms after the boundary.
    slot.handle = this.app.clock.setTimeout(() => this.checkTtl(session, cell, slot), Math.max(0, remaining) + 1);
  }

  private checkTtl(session: Session, cell: AnyCell, slot: TtlSlot): void {
    if (this.disposed) return;
    const elapsed = this.app.clock.now() - slot.writtenAt;
    if (elapsed <= this.ttlMs(session, cell)) {
      this.armTtl(session, cell, slot);
      return;
    }
    const t = this.timers.get(session);
    t?.ttl?.delete(cell);
    if (t && !t.ttl?.size && !t.ticks?.size) this.timers.delete(session); // nothing left to time
    this.deleteValue(session, cell);
    // Nothing left of a closed session: gone for good (a shared store forgets it too).
    if (session._closed && !this.stateCells.some((cell) => peekCell(session, cell._id) !== UNSET)) this.app._removeSession(session, false, true);
    else this.app._sessionChanged(session);
  }

  /**
   * Runs the delete callback and clears the slot; the next read re-creates the default (S21).
   * A throw or a rejection (of an async callback: nobody awaits it) is reported, never left to
   * crash the process, and the sweep goes on: a failing callback must not keep other values alive.
   */
  private deleteValue(session: Session, cell: AnyCell): void {
    const value = peekCell(session, cell._id);
    session._clearSlot(cell);
    const callback = (cell as State).deleteCallback;
    if (!callback) return;
    const fail = (e: unknown, verb: string): void => {
      const name = cell.describe();
      const event = { source: "deleteCallback", error: toError(e), sessionHash: session.sessionHash, cell: name } as const;
      this.app._reportFailure(session, event, `deleteCallback of ${name} ${verb}: ${messageOf(e)}`);
    };
    let result: unknown;
    try {
      result = callback(value);
    } catch (e) {
      return fail(e, "threw");
    }
    try {
      if (isPromiseLike(result)) whenSettled(result, ignore, (e: unknown) => fail(e, "rejected"));
    } catch (e) {
      fail(e, "returned a value that could not be read"); // a getter or trap that throws
    }
  }

  private rearmAll(session: Session): void {
    const slots = this.timers.get(session)?.ttl;
    if (!slots) return;
    for (const [cell, slot] of slots) {
      this.app.clock.clearTimeout(slot.handle);
      this.armTtl(session, cell, slot);
    }
  }

  // #endregion
  // #region Sessions (S13, S14, S20)

  /** A session connected or reopened: Timers start ticking (S80); TTLs return to their own. */
  sessionOpened(session: Session): void {
    this.closed.delete(session); // a reconnect before expiry (S13)
    this.armIdle();
    for (const timer of this.timerCells) this.armTick(session, timer);
    this.rearmAll(session);
  }

  /** A session closed: Timers stop; TTLs shorten to the retention age (S22); sweeps start (S20). */
  sessionClosed(session: Session, at = this.app.clock.now()): void {
    this.closed.set(session, at);
    this.stopTicks(session);
    this.rearmAll(session);
    this.armSweep();
  }

  /** A session left the app: its timers stop; on eviction or expiry its States are deleted (S14, S20). */
  sessionRemoved(session: Session, runDeleteCallbacks: boolean): void {
    this.closed.delete(session);
    const t = this.timers.get(session);
    if (t) {
      this.stopTicks(session);
      for (const slot of t.ttl?.values() ?? []) this.app.clock.clearTimeout(slot.handle);
      this.timers.delete(session);
    }
    if (!runDeleteCallbacks) return;
    for (const cell of this.stateCells) if (peekCell(session, cell._id) !== UNSET) this.deleteValue(session, cell);
  }

  /** When a closed session closed (app clock, ms); `undefined` for one that is not closed. */
  closedAt(session: Session): number | undefined {
    return this.closed.get(session);
  }

  /** The session closed longest ago that the app still holds (eviction takes it first, S14). */
  oldestClosed(): Session | undefined {
    return this.closed.keys().next().value;
  }

  private armSweep(): void {
    if (this.sweepHandle !== undefined || this.disposed) return;
    const [frequency] = this.app.blocks.deleteCache;
    this.sweepHandle = this.app.clock.setTimeout(() => {
      this.sweepHandle = undefined;
      this.sweep();
    }, secondsToMs(frequency));
  }

  /** Arms the idle check while the app has an idle timeout and open sessions. */
  private armIdle(): void {
    const timeout = this.app.sessionIdleTimeout;
    if (timeout === null || this.idleHandle !== undefined || this.disposed) return;
    this.idleHandle = this.app.clock.setTimeout(() => {
      this.idleHandle = undefined;
      if (this.disposed) return;
      // Closing runs the unload listeners (S13); its failures go to the session's messages.
      for (const session of this.app._idleSessions()) void session.close().catch(() => undefined);
      if (this.app._hasOpenSession()) this.armIdle();
    }, secondsToMs(Math.min(timeout, 60)));
  }

  /** S20: removes sessions closed for longer than the retention age; re-arms while any remain. */
  private sweep(): void {
    if (this.disposed) return;
    const ageMs = secondsToMs(this.app.blocks.deleteCache[1]);
    const now = this.app.clock.now();
    // Only the closed sessions, not all the app holds; removal edits the set, so iterate a copy.
    for (const [session, closedAt] of [...this.closed]) {
      if (now - closedAt > ageMs) this.app._removeSession(session, true);
    }
    if (this.closed.size) this.armSweep();
  }

  // #endregion
  // #region Timers (S80)

  private armTick(session: Session, timer: AnyCell): void {
    if (session._removed) return;
    const t = this.timersOf(session);
    const ticks = (t.ticks ??= new Map());
    if (ticks.has(timer)) return;
    const props = session._propsOf(timer);
    if (props.active === false) return;
    const seconds = session._read(timer._node) as number;
    const handle = this.app.clock.setTimeout(() => {
      ticks.delete(timer);
      if (this.disposed || session._ending) return undefined; // closing: no new ticks (S13)
      const done = session._fire(session._listenersOf(timer, "tick"), undefined, undefined, timer);
      this.armTick(session, timer);
      return done;
    }, secondsToMs(seconds));
    ticks.set(timer, handle);
  }

  /** A Timer's props or interval changed in a session (`update({ active })`, S80). */
  timerChanged(session: Session, timer: AnyCell): void {
    const ticks = this.timers.get(session)?.ticks;
    const handle = ticks?.get(timer);
    if (handle !== undefined) {
      this.app.clock.clearTimeout(handle);
      ticks!.delete(timer);
    }
    if (!session._closed) this.armTick(session, timer);
  }

  private stopTicks(session: Session): void {
    const ticks = this.timers.get(session)?.ticks;
    if (!ticks) return;
    for (const handle of ticks.values()) this.app.clock.clearTimeout(handle);
    ticks.clear();
  }

  // #endregion

  /** Stops every timer (app closed). */
  dispose(): void {
    this.disposed = true;
    if (this.sweepHandle !== undefined) this.app.clock.clearTimeout(this.sweepHandle);
    if (this.idleHandle !== undefined) this.app.clock.clearTimeout(this.idleHandle);
    for (const session of [...this.timers.keys()]) this.sessionRemoved(session, false);
  }

  private timersOf(session: Session): SessionTimers {
    let t = this.timers.get(session);
    if (!t) this.timers.set(session, (t = {}));
    return t;
  }
}

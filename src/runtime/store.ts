/**
 * Where an app keeps what several processes may share: Globals (S7, S8, S56) and sessions'
 * values (docs/08). The default keeps everything in the process (today's behaviour);
 * `redisStore()` from `blockstate/redis` shares it through Redis.
 *
 * The runtime consults a store at a few named points only: when `connect` starts (Globals
 * loaded, a session resumed), when a Global is checked, written, locked and unlocked, when an
 * event settles (its writes acknowledged, the session saved) and when a session leaves.
 *
 * @packageDocumentation
 */
import type { AnyCell } from "../blocks/block";
import type { Props } from "../components/component";
import type { AppSite, SessionSite } from "./sites";

/**
 * The key every {@link Store} has, so that `Store` is a type of its own: without a public
 * member, its declaration would be an empty interface, which any value but `null` and
 * `undefined` satisfies (`launch({ store: "redis" })` would type-check).
 */
export const STORE: unique symbol = Symbol.for("blockstate.store");

/**
 * A store for `launch({ store })`: `new MemoryStore()` (the default) or `redisStore(...)` from
 * `blockstate/redis`. Attaching is synchronous: a store that talks to a server connects lazily,
 * on the first `connect()`.
 */
export interface Store {
  /** Marks a store made by this package. */
  readonly [STORE]: true;
  /**
   * @internal Called once by `launch()`. Returns the hooks the app calls, or `undefined` for a
   * store that keeps everything in this process (nothing to call).
   *
   * @throws TypeError for an app the store cannot hold (a State it cannot save, named).
   */
  _attach(app: AppSite<SessionSite>): StoreLink | undefined;
}

/**
 * A session's saved values, as a shared store keeps them: by cell id, values and per-session
 * props. Left in the emitted declarations: `blockstate/redis`'s refer to it, and a stripped
 * name would leave them dangling for a consumer that checks library types (`skipLibCheck: false`).
 */
export interface SessionImage {
  readonly values: readonly (readonly [number, unknown])[];
  readonly props: readonly (readonly [number, Props])[];
  /**
   * When each State with a time-to-live was last written (app clock, ms), so a resumed session
   * keeps counting from that write (S21 across processes), not from the resume.
   */
  readonly writtenAt?: readonly (readonly [number, number])[];
  /**
   * When the session was closed (app clock, ms), while it is: a process that adopts it after
   * its own died keeps its retention (S20) counting from there.
   */
  readonly closedAt?: number;
}

/** @internal Told whether a Global's write reached the store ({@link StoreLink.writeGlobal}). */
export type GlobalWriteDone = (error: Error | undefined) => void;

/** @internal What the runtime calls on a shared store (see {@link Store}). */
export interface StoreLink {
  /** Settles once every Global's shared value is loaded; `undefined` when it is. */
  ready(): Promise<void> | undefined;
  /**
   * Checks a Global's next value before anything of its run is committed (S32-S34): the
   * event then fails with the app as it was.
   *
   * @throws EventError naming the Global (too large, not serialisable).
   */
  checkGlobal(cell: AnyCell, value: unknown): void;
  /**
   * A Global was committed in this process by a run of `session` (shared before the event
   * settles). The store calls `done` once, never during this call: with `undefined` when the
   * write is acknowledged, or with the error that fails the event (before {@link settled}
   * reports it), and the app then puts the Global back (docs/08, Failures).
   */
  writeGlobal(session: SessionSite | undefined, cell: AnyCell, value: unknown, done: GlobalWriteDone): void;
  /**
   * S8 across processes: takes the shared locks of `cells` (already locked in this process, in
   * the app's order) and refreshes their values; `undefined` when nothing is to be awaited.
   */
  lockGlobals(session: SessionSite, cells: readonly AnyCell[]): Promise<void> | undefined;
  /** Frees the shared locks (with the values written under them). */
  unlockGlobals(session: SessionSite, cells: readonly AnyCell[]): void;
  /**
   * An event of `session` settled: resolves once its writes are acknowledged and the session
   * is saved; `undefined` when nothing is to be awaited.
   *
   * @throws (rejects) an Error saying what could not be saved; the event resolves `error`.
   */
  settled(session: SessionSite): Promise<void> | undefined;
  /**
   * A `connect` with a hash this process does not hold: takes the session's lease and loads
   * what was saved (`undefined`: nothing saved; a string: saved values it cannot read, and
   * why, for the message: the session starts anew and its next save replaces them).
   *
   * @throws (rejects) Error when another live process holds the session.
   */
  resume(sessionHash: string): Promise<SessionImage | string | undefined>;
  /**
   * A session's saved values changed outside an event (it closed or reopened, a State's
   * time-to-live deleted a value): saved. Resolves once saved or failed (a failed save leaves
   * the previous one; nobody waits for it but a closing session); `undefined`: nothing to save.
   */
  sessionChanged(session: SessionSite): Promise<void> | undefined;
  /**
   * A session left this process: `forget` when it is gone for good (retention, eviction, every
   * State expired).
   */
  sessionRemoved(session: SessionSite, forget: boolean): void;
  /** The app closed: frees leases and connections. */
  close(): Promise<void>;
  /**
   * Messages between processes for the server's two-step protocols (docs/07): absent when
   * everything stays in this process.
   */
  readonly relay?: Relay;
}

/**
 * @internal What a {@link Relay} keeps, last, for a topic whose kept messages passed their
 * `maxBytes`: none was kept after the first that did not fit, and the reader must fail its
 * stream (later messages alone would be a corrupt sequence). Messages never start with NUL.
 */
export const RELAY_OVERFLOW = "\u0000overflow";

/**
 * @internal A mailbox per topic (a session hash, an event id) shared by every process on the
 * store. Each topic has at most one reader; what is published while none reads is kept, and the
 * next reader gets it first. A reader gets each message once, in the order each process
 * published them.
 */
export interface Relay {
  /**
   * Sends `message` to the topic's reader, or keeps it unread (after the store's keep time it is
   * dropped). Once what is kept would pass `maxBytes`, {@link RELAY_OVERFLOW} is kept instead
   * and nothing more. Resolves once the store has it.
   *
   * @throws (rejects) Error when the store cannot be reached.
   */
  publish(topic: string, message: string, maxBytes: number): Promise<void>;
  /**
   * Becomes the topic's reader (a previous reader gets nothing more): the result holds what was
   * kept (and what came meanwhile), in order; `deliver` gets what comes after.
   *
   * @throws (rejects) Error when the store cannot be reached.
   */
  read(topic: string, deliver: (message: string) => void): Promise<RelayReader>;
}

/** @internal A reader of {@link Relay.read}: `close()` stops it (messages are kept again). */
export interface RelayReader {
  readonly kept: readonly string[];
  close(): void;
}

/** The default store: everything stays in this process (sessions and Globals die with it). */
export class MemoryStore implements Store {
  readonly [STORE] = true as const;
  /** @internal */
  _attach(): undefined {
    return undefined;
  }
}

/** @internal Checks `launch({ store })`. */
export function isStore(value: unknown): value is Store {
  return typeof value === "object" && value !== null && typeof (value as Store)._attach === "function";
}

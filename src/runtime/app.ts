/**
 * The app: a launched Blocks (docs/03). It owns the sessions, the Globals, the queue and
 * the clock; everything mutable lives in an App instance, so two apps never share anything.
 *
 * @packageDocumentation
 */
import type { Observable } from "rxjs";
import { EventError, checkOptions, checkSeconds, describeValue, isRecord, messageOf } from "../core/errors";
import { unwatchCell, watchCell, type Comparison } from "../core/dataflow";
import { Cell, type AnyCell, type CellNode, type Dependency } from "../blocks/block";
import { Blocks } from "../blocks/blocks";
import type { RequestInfo } from "../blocks/context";
import type { Global } from "../blocks/state";
import { assertStorageLike, type StorageLike } from "../storage/web-storage";
import { realClock, secondsToMs, type Clock } from "./clock";
import { Lifecycle } from "./lifecycle";
import { BrowserStates } from "./browser-states";
import { ConcurrencyGroup, Mutex, Slicer } from "./queue";
import { PendingRounds, type FanOutRound } from "./fanout";
import { Globals } from "./globals";
import type { RunSession } from "./run";
import { takesContext } from "./handler";
import { onlyOutputNode } from "./outputs";
import { Session } from "./session";
import { SessionHashSource } from "./session-hash";
import { loadSessionImage } from "./session-image";
import { isStore, type SessionImage, type Store, type StoreLink } from "./store";
import { Delivery, ERRORS, Streams, stream, valueKey } from "./streams";
import type { AppErrorEvent, DependencyRuntime } from "./sites";

export type { AppErrorEvent, AppErrorSource } from "./sites";

const NO_CELLS: readonly CellNode[] = Object.freeze([]);

/** S8: the Globals a listener both reads and writes, in one app-wide order (by id). */
function lockedGlobals(dep: Dependency): AnyCell[] {
  return dep.inputs.filter((c) => c.kind === "global" && dep.outputs.includes(c)).sort((a, b) => a._id - b._id);
}

/** Options of `demo.launch()` (docs/03). */
export interface LaunchOptions {
  /** The clock every timing reads (S23), in milliseconds. Default: real time. */
  clock?: Clock;
  /**
   * Most sessions held, open and closed-but-retained (S14): an integer from 1 to
   * {@link MAX_SESSION_CAPACITY}. Default 10,000. Costs nothing until sessions fill it. Past it,
   * the session closed longest ago is evicted; an open session only when every session held
   * is open (the least recently used one, reported on {@link App.errors$}).
   */
  sessionCapacity?: number;
  /** Concurrency limit of listeners that say `"default"` (S60); `null`: unlimited. Default 1. */
  defaultConcurrencyLimit?: number | null;
  /** Most runs waiting in queues, app-wide (S62); `null`: unbounded. Default `null`. */
  maxQueueSize?: number | null;
  /** Show the message of non-`gr.Error` exceptions to the session (S36). Default `false`. */
  showError?: boolean;
  /**
   * Seconds an open session may go unused (no event, call or read through the Session API, and
   * nothing running) before the app closes it as if its tab closed (S13: unload listeners run,
   * then the `deleteCache` retention, S20), on the app's clock. For API clients, which never
   * close their sessions. Checked every `min(timeout, 60)` seconds, so a session closes between
   * `timeout` and `timeout + 60` seconds after its last use. `null` (the default): never.
   * `blockstate/server` sets 3600 unless told otherwise.
   */
  sessionIdleTimeout?: number | null;
  /**
   * Where Globals and sessions live (docs/08). Default: in this process ({@link MemoryStore}).
   * `redisStore({ url, prefix })` from `blockstate/redis` shares them with every app launched
   * on the same Redis and prefix: Globals keep S8 across processes, and sessions survive
   * their process. `launch` stays synchronous: the store connects on the first `connect()`.
   */
  store?: Store;
}

/** Options of `app.connect()`. */
export interface ConnectOptions {
  /** Reuse a session hash (an API client's); omitted: a new unguessable one (S10). */
  sessionHash?: string;
  /** The browser's storage (S90); sessions sharing one object are one browser. */
  storage?: StorageLike;
  /** Request data (headers, query, ...) handlers see as `ctx.request`. */
  request?: RequestInfo;
}

/**
 * The largest `sessionCapacity`: 2^24 (16,777,216), the most entries a JavaScript `Map` holds
 * on V8; a larger capacity could never be filled (an idle session takes about 1 KB of heap).
 */
export const MAX_SESSION_CAPACITY = 2 ** 24;

/** @internal The names `launch()` accepts (also checked by servers that launch an app). */
export const LAUNCH_OPTIONS: readonly (keyof LaunchOptions)[] = ["clock", "sessionCapacity", "defaultConcurrencyLimit", "maxQueueSize", "showError", "sessionIdleTimeout", "store"];
const CONNECT_OPTIONS: readonly (keyof ConnectOptions)[] = ["sessionHash", "storage", "request"];
/** `connect()` without options: nothing to check (a page load, the common case). */
const NO_OPTIONS: ConnectOptions = Object.freeze({});

/**
 * `connect({ request })` as a plain object of its own: read once here, so that a Proxy or a
 * getter cannot fail a run later, when `ctx.request` is built.
 */
function requestInfo(request: unknown): RequestInfo | undefined {
  if (request === undefined) return undefined; // the session makes its own `{}` if it is read
  let copy: RequestInfo | undefined;
  let why = "";
  try {
    const proto = isRecord(request) ? Object.getPrototypeOf(request) : undefined;
    if (proto === Object.prototype || proto === null) copy = { ...request };
  } catch (e) {
    why = ` (${messageOf(e)})`;
  }
  if (!copy) throw new TypeError(`connect(): request must be a plain object (headers, query, ...)${why}; got ${describeValue(request)}.`);
  return copy;
}

function checkLimit(what: string, value: unknown, allowNull: boolean, max = Infinity): void {
  if (value === null && allowNull) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    const range = max === Infinity ? "a positive integer" : `an integer from 1 to ${max}`;
    throw new TypeError(`launch(): ${what} must be ${range}${allowNull ? " or null" : ""}; got ${describeValue(value)}.`);
  }
}

/**
 * A running app. Create with `demo.launch(options)`.
 *
 * ```ts
 * const app = demo.launch();
 * const alice = await app.connect();
 * await alice.click(addButton);
 * app.sessionCount; // 1
 * await app.close();
 * ```
 */
export class App {
  /**
   * @internal Shape anchors (as `Run._shapeAnchors`): an inert app of an empty Blocks and one
   * inert session of it, held as long as this class is. V8 keeps the hidden classes that field
   * initialisers build only while some instance is alive, and drops the optimised code built on
   * them when a full GC collects them: after a full GC with no session alive (every session
   * removed, or between two launches), each page load ran unoptimised code until `connect`,
   * the session's constructors and their helpers were optimised again (about a dozen functions;
   * measured: ~8x the steady cost of a connect over the first 5,000 page loads).
   */
  static readonly _shapeAnchors: readonly object[] = (() => {
    const app = new App(new Blocks());
    return [app, new Session(app, "", undefined, undefined)];
  })();
  /** The clock (S23). */
  readonly clock: Clock;
  /** S14. */
  readonly sessionCapacity: number;
  /** S60. */
  readonly defaultConcurrencyLimit: number | null;
  /** S62. */
  readonly maxQueueSize: number | null;
  /** S36. */
  /** Seconds an open session may go unused before it is closed; `null`: never. */
  readonly sessionIdleTimeout: number | null;
  readonly showError: boolean;
  /**
   * @internal Sessions by hash. A plain Map, so capacity costs nothing until used. Their order
   * of use (S14) is not this Map's order but each session's use stamp (`Session._used`): moving
   * a Map entry to the end on every use left a deleted entry each time, and the rehashes that
   * followed made it the largest engine cost of a queued event.
   */
  readonly _sessions = new Map<string, Session>();
  /** @internal Uses so far (S14): each use stamps its session with the next count. */
  private _uses = 0;
  /**
   * @internal The sessions by use when an open one last had to be evicted, least recently used
   * first, from `_evictionAt` on (see {@link App._leastRecentlyUsed}); empty until then. A
   * session removed since is taken out of it at once (`Session._evictionSlot`), so that the
   * order keeps none alive and a removal does not make the next eviction sort again.
   */
  private _evictionOrder: (Session | undefined)[] = [];
  /** @internal The use count when `_evictionOrder` was sorted: a session stamped later was used since. */
  private _evictionSortedAt = 0;
  /** @internal The next candidate in `_evictionOrder`. */
  private _evictionAt = 0;
  /** @internal Runs waiting in any queue (S62). */
  _waiting = 0;
  /** @internal The last run id given (`RunHandle.id`). */
  _runCount = 0;
  /** @internal Slices bursts of queued work into macrotasks (queue admission, Global fan-out). */
  readonly _slicer = new Slicer();
  /** @internal Global fan-out rounds not started yet, by their listeners' ids (S56). */
  readonly _fanOuts = new Map<string, FanOutRound<RunSession>>();
  /** @internal Global fan-out rounds that have not reached every session yet (S56): pending work of every session. */
  readonly _pendingRounds = new PendingRounds();
  /** @internal */
  readonly _lifecycle: Lifecycle;
  /** @internal */
  readonly _browserStates: BrowserStates;
  /** @internal The Globals' values (S7), in the dataflow core's store, and a shared store's unanswered writes. */
  readonly _globals: Globals;
  /** @internal The shared store's hooks; `undefined` when everything stays in this process. */
  readonly _store: StoreLink | undefined;
  /** @internal The one delivery queue of every stream of the app (causal order). */
  readonly _delivery = new Delivery();
  /** @internal The app's watched streams (Globals' `value$`, `errors$`), made on the first subscribe. */
  _streams: Streams | undefined;
  /** @internal */
  private readonly _runtimes: DependencyRuntime[];
  /**
   * @internal The runtimes of listeners `gr.render` runs created (S110), whose ids lie above the Blocks'
   * own; weak, so a replaced render's listeners leave with it.
   */
  private readonly _renderedRuntimes = new WeakMap<Dependency, DependencyRuntime>();
  /** @internal Concurrency groups by `concurrencyId` (or, for the Blocks' listeners, by function) (S60). */
  private readonly _groups = new Map<unknown, ConcurrencyGroup>();
  /** @internal Groups of rendered listeners without a concurrencyId, by function (weak: a render's closures leave with it). */
  private readonly _fnGroups = new WeakMap<object, ConcurrencyGroup>();
  /** @internal Groups of rendered listeners' `concurrencyId`s that no listener of the Blocks has (see `_addRenderedGroup`). */
  readonly _renderedGroups = new Map<unknown, WeakRef<ConcurrencyGroup>>();
  /** @internal The size of `_renderedGroups` at which its next sweep comes. */
  private _renderedGroupsSweepAt = 64;
  /** @internal One lock per Global that some listener both reads and writes (S8). */
  private readonly _mutexes = new Map<number, Mutex>();
  /** @internal */
  private readonly _hashes = new SessionHashSource();
  /** @internal `close()` was called (a Global changed by another process then fans out no more). */
  _closed = false;
  /** @internal {@link App.close}'s one run, once it was called. */
  private _closing: Promise<void> | undefined;

  /** @internal Use `blocks.launch()`. */
  constructor(
    /** The template this app runs. */
    readonly blocks: Blocks,
    options: LaunchOptions = {},
  ) {
    options = checkOptions("launch()", options, LAUNCH_OPTIONS);
    const { sessionCapacity = 10_000, defaultConcurrencyLimit = 1, maxQueueSize = null } = options;
    checkLimit("sessionCapacity", sessionCapacity, false, MAX_SESSION_CAPACITY);
    checkLimit("defaultConcurrencyLimit", defaultConcurrencyLimit, true);
    if (maxQueueSize !== null && (typeof maxQueueSize !== "number" || !Number.isInteger(maxQueueSize) || maxQueueSize < 0)) {
      throw new TypeError(`launch(): maxQueueSize must be a non-negative integer or null; got ${String(maxQueueSize)}.`);
    }
    const { clock = realClock, showError = false } = options;
    if (typeof clock !== "object" || clock === null || (["now", "setTimeout", "clearTimeout"] as const).some((m) => typeof clock[m] !== "function")) {
      throw new TypeError(`launch(): clock must have now(), setTimeout() and clearTimeout() (see ManualClock); got ${describeValue(clock)}.`);
    }
    if (typeof showError !== "boolean") throw new TypeError(`launch(): showError must be true or false; got ${describeValue(showError)}.`);
    const { sessionIdleTimeout = null } = options;
    if (sessionIdleTimeout !== null) checkSeconds("launch(): sessionIdleTimeout (or null)", sessionIdleTimeout);
    this.sessionIdleTimeout = sessionIdleTimeout;
    this.clock = clock;
    this.sessionCapacity = sessionCapacity;
    this.defaultConcurrencyLimit = defaultConcurrencyLimit;
    this.maxQueueSize = maxQueueSize;
    this.showError = showError;
    const { store } = options;
    if (store !== undefined && !isStore(store)) throw new TypeError(`launch(): store must be a store (redisStore(...) from blockstate/redis); got ${describeValue(store)}.`);
    this._globals = new Globals(blocks._blocksById.length, this);
    this._runtimes = this._compile();
    this._lifecycle = new Lifecycle(this);
    this._browserStates = new BrowserStates(this);
    this._store = store?._attach(this);
  }

  /** Number of sessions the app holds (open and closed-but-retained). */
  get sessionCount(): number {
    return this._sessions.size;
  }

  /**
   * Connects a session (a page load): creates it (or reopens a retained one with the same hash,
   * S13), loads its BrowserStates (S91), and runs the `load` listeners (S11) before resolving.
   *
   * @throws (rejects) TypeError for a storage object missing Web Storage methods, an empty hash,
   *   a `request` that is not a plain object, or an unknown option name (with the nearest known one suggested); Error after
   *   `app.close()`.
   */
  connect(options: ConnectOptions = NO_OPTIONS): Promise<Session> {
    // A page load with nothing to wait for (no options, no shared store, no BrowserState, no
    // load listener) needs no async function: its frame (every local of `_connect`) was a
    // third of the bytes a connect allocated.
    if (options !== NO_OPTIONS || this._closed || this._store || this._browserStates.active || this.blocks._listenersFor("load").length) {
      return this._connect(options);
    }
    try {
      const session = this._create(undefined, undefined, undefined);
      this._lifecycle.sessionOpened(session);
      return Promise.resolve(session);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** @internal {@link App.connect}, when it may wait (a store, a hash to resume, start-up work). */
  private async _connect(options: ConnectOptions): Promise<Session> {
    if (this._closed) throw new Error("connect(): this app was closed.");
    if (options !== NO_OPTIONS) options = checkOptions("connect()", options, CONNECT_OPTIONS);
    const { sessionHash, storage } = options;
    const request = requestInfo(options.request);
    if (sessionHash !== undefined && (typeof sessionHash !== "string" || sessionHash === "")) {
      throw new TypeError("connect(): sessionHash must be a non-empty string.");
    }
    if (storage !== undefined) assertStorageLike(storage, "connect({ storage })");
    const store = this._store;
    if (store) await store.ready(); // every Global's shared value, for session.get right after
    const existing = sessionHash === undefined ? undefined : this._sessions.get(sessionHash);
    if (existing) {
      this._touch(existing); // a use (S14)
      // A connect of the same hash still starting: answer when its start-up has settled (S11).
      await existing._started;
      // A close still running its unload listeners: reopen the session once it has closed (S13).
      if (existing._closing) await existing._closing.catch(() => undefined);
      // Unless a connect made while this one waited evicted it (a closed session goes first):
      // then, as for any evicted session, a new one with this hash.
      if (!existing._removed) {
        if (existing._closed) {
          existing._closed = false;
          this._lifecycle.sessionOpened(existing);
          void store?.sessionChanged(existing); // no longer closed, in another process too
        }
        return existing;
      }
    }
    // A hash another process may have run: take its lease, load what it saved (docs/08).
    const image = store && sessionHash !== undefined ? await store.resume(sessionHash) : undefined;
    const raced = sessionHash === undefined ? undefined : this._sessions.get(sessionHash);
    if (raced && !raced._removed) return this._connect(options); // a connect of the same hash won the await
    const session = this._create(sessionHash, storage, request);
    if (typeof image === "string") {
      // Saved values this app cannot read: a new session (S11), its next save replaces them.
      this._storeDamage(session, `Session ${session.sessionHash}'s saved values in the store could not be read (${image}), so it starts as a new session.`);
      void store!.sessionChanged(session); // now, not at its first event: adoption would delete them
    } else if (image) {
      // Resumed, as a reopen (S13): the load listeners ran when it was created.
      this._loadImage(session, image);
      if (image.closedAt !== undefined) void store!.sessionChanged(session); // open again, for a process that would adopt it
      if (this._browserStates.active) await (session._started = this._browserStates.load(session).then(() => undefined));
      if (!session._ending && !session._removed) this._lifecycle.sessionOpened(session); // unless closed meanwhile, as in _start
      return session;
    }
    const loads = this.blocks._listenersFor("load");
    if (!this._browserStates.active && loads.length === 0) {
      this._lifecycle.sessionOpened(session); // nothing to wait for
      return session;
    }
    session._started = this._start(session, loads);
    await session._started;
    return session;
  }

  /** @internal A new session, held by the app and most recently used (S14); `sessionHash` undefined: a new one (S10). */
  private _create(sessionHash: string | undefined, storage: StorageLike | undefined, request: RequestInfo | undefined): Session {
    const session = new Session(this, sessionHash ?? this._hashes.next(), storage, request);
    if (this._sessions.size >= this.sessionCapacity) this._evict();
    this._sessions.set(session.sessionHash, session);
    this._touch(session); // most recently used, and stamped for the idle timeout
    return session;
  }

  /** @internal A new session's start-up: BrowserState restore (S91), then load listeners (S11, S95). */
  private async _start(session: Session, loads: readonly Dependency[]): Promise<void> {
    const restored = this._browserStates.active ? await this._browserStates.load(session) : NO_CELLS;
    // Closed while its BrowserStates were read (S13): it stays closed, swept with the closed
    // ones (S20), and its load listeners never run (they would after its unload listeners).
    if (session._ending || session._removed) return;
    this._lifecycle.sessionOpened(session);
    // S95: a stored value that differs from the default is a change, seen by `.change`
    // listeners in the same cascade as the load listeners (S11).
    if (loads.length || restored.length) await session._fire(loads, undefined, restored);
  }

  /**
   * The session with this hash, if the app holds it.
   *
   * @throws TypeError for a `sessionHash` that is not a string.
   */
  session(sessionHash: string): Session | undefined {
    if (typeof sessionHash !== "string") throw new TypeError(`app.session(sessionHash): expected a session hash (a string); got ${describeValue(sessionHash)}.`);
    return this._sessions.get(sessionHash);
  }

  /**
   * Failures outside any event run, which have no session to be reported to (see
   * {@link AppErrorSource}): a delete callback of a removed session that threw or rejected, a
   * storage write that failed after its session was removed, an open session evicted. Hot: only
   * failures while subscribed are delivered, and nothing is kept for later subscribers. Completes
   * when the app is closed. A failure with a session the app still holds goes to that session's
   * `messages$` instead.
   *
   * ```ts
   * app.errors$.subscribe(({ source, error, sessionHash }) => log.warn(source, sessionHash, error));
   * ```
   */
  get errors$(): Observable<AppErrorEvent> {
    return stream<AppErrorEvent>(() => this._streamsNow(), ERRORS, {});
  }

  /**
   * A Global's value in this app (S7).
   *
   * @throws TypeError for a cell that is not a Global of this app's Blocks.
   */
  get<T>(global: Global<T>): T {
    this._ownGlobal(global, "app.get(global)");
    return this._readGlobal(global._node) as T;
  }

  /**
   * An observable of a Global's value: current value on subscribe, then each change (S50).
   *
   * @throws TypeError for a cell that is not a Global of this app's Blocks.
   */
  value$<T>(global: Global<T>): Observable<T> {
    this._ownGlobal(global, "app.value$(global)");
    const id = global._id;
    return stream<T>(() => this._streamsNow(), valueKey(id), {
      // Start comparing writes with what the subscriber is about to see (S50).
      start: () => watchCell(this._globals, global._node),
      first: () => [this._readGlobal(global._node) as T],
      stop: () => unwatchCell(this._globals, global._node),
    });
  }

  /** @internal The app's streams, made on the first subscribe; none once it is closed (a subscriber is completed at once). */
  private _streamsNow(): Streams | undefined {
    return this._closed ? undefined : (this._streams ??= new Streams(this._delivery));
  }

  /**
   * Closes every session (running unload listeners), stops all timers and removes the
   * sessions; afterwards the process can exit. The app is shutting down, so State delete
   * callbacks do not run (they run on TTL expiry, retention and eviction: S14, S20, S21), and
   * runs still in progress are not awaited: their late results are dropped with the sessions.
   * The sessions close side by side: their unload listeners run as their queue groups allow
   * (S60), not one session after another, so a slow listener delays the close once, not once
   * per session.
   *
   * A second call, while the first is closing or after, answers as the first: when the app is
   * closed (as `session.close()` does).
   *
   * @throws what the first session's close threw (a shared store that failed to save it), once
   *   every session is closed and removed all the same.
   */
  close(): Promise<void> {
    this._closed = true;
    return (this._closing ??= this._closeNow());
  }

  /** @internal {@link App.close}'s one run. */
  private async _closeNow(): Promise<void> {
    const closed = await Promise.allSettled(App._byUse(this._sessions.values()).map((session) => session.close()));
    this._lifecycle.dispose();
    for (const session of App._byUse(this._sessions.values())) this._removeSession(session, false);
    await this._store?.close();
    this._streams?.endAll(); // errors$ and every Global's value$
    const failed = closed.find((c): c is PromiseRejectedResult => c.status === "rejected");
    if (failed) throw failed.reason;
  }

  // #region Engine internals

  /** @internal */
  _runtimeOf(dependency: Dependency): DependencyRuntime {
    // A rendered listener's id is above the Blocks' own (S110): it carries its runtime.
    return this._runtimes[dependency.id] ?? this._renderedRuntimes.get(dependency)!;
  }

  /**
   * @internal Gives a listener a `gr.render` run created (S110) its queue group and locks: its
   * `concurrencyId`'s group when it names one, else its function's (S60, as Gradio groups by
   * `id(fn)`): the Blocks' group of that function, or one an earlier render made for it (a
   * closure made per render gets a group per render). Joining a group with a lower limit
   * lowers the group's (S60: the minimum of its members').
   */
  _addRendered(dep: Dependency): void {
    let group: ConcurrencyGroup | undefined;
    if (dep.options.queue) {
      const id = dep.options.concurrencyId;
      group = id !== undefined ? (this._groups.get(id) ?? this._renderedGroups.get(id)?.deref()) : (this._groups.get(dep.fn) ?? this._fnGroups.get(dep.fn));
      const limit = this._limitOf(dep);
      if (!group) {
        group = new ConcurrencyGroup(limit, this._slicer);
        if (id !== undefined) this._addRenderedGroup(id, group);
        else this._fnGroups.set(dep.fn, group);
      } else if (limit < group.limit) group.limit = limit; // the minimum of its members' limits
    }
    this._renderedRuntimes.set(dep, this._runtime(dep, group, dep.options.timeLimit !== null));
    // A rendered listener may only cancel listeners of its own run (already added): S39.
    for (const target of dep.options.cancels) (this._renderedRuntimes.get(target) as { cancellable: boolean }).cancellable = true;
  }

  /**
   * @internal A replaced rendered listener's runtime reads its cells' nodes again: a keyed block
   * of a later render took the place of one of them (S111, see `Cell._forwardTo`).
   */
  _refreshRendered(dep: Dependency): void {
    const runtime = this._renderedRuntimes.get(dep) as { onlyOutput: CellNode | undefined; inputs: readonly CellNode[] } | undefined;
    if (!runtime) return;
    runtime.onlyOutput = onlyOutputNode(dep);
    runtime.inputs = dep.inputs.map((cell) => cell._node);
  }

  /** @internal Runs waiting in the queue of `dependency`'s concurrency group (S60); 0 without one. */
  _queueSizeOf(dependency: Dependency): number {
    return this._runtimeOf(dependency).group?.size ?? 0;
  }

  /**
   * @internal A group made for rendered listeners' `concurrencyId`, held weakly: their runtimes hold it,
   * so it lives as long as a listener (or a run) of it does. Ids a render makes per run (one
   * per re-render) would otherwise add a group each, for the app's life. Entries whose group
   * is gone are dropped each time the map has doubled since the last sweep.
   */
  private _addRenderedGroup(id: unknown, group: ConcurrencyGroup): void {
    const groups = this._renderedGroups;
    if (groups.size >= this._renderedGroupsSweepAt) {
      for (const [key, ref] of groups) if (ref.deref() === undefined) groups.delete(key);
      this._renderedGroupsSweepAt = Math.max(64, 2 * groups.size);
    }
    groups.set(id, new WeakRef(group));
  }

  /** @internal A listener's concurrency group (S60), `undefined` for `queue: false`. */
  _groupOf(dependency: Dependency): ConcurrencyGroup | undefined {
    return this._runtimeOf(dependency).group;
  }

  /** @internal S62. */
  _queueIsFull(): boolean {
    return this.maxQueueSize !== null && this._waiting >= this.maxQueueSize;
  }

  /**
   * @internal Open sessions, in the order the app made them, as an array (a Global's fan-out
   * round, S56: a generator cost a tenth of a 1,000-session round).
   */
  _openSessionList(): Session[] {
    // Sized once for every session held: growing it by push allocated about three times its
    // final size, twice per round.
    const open = new Array<Session>(this._sessions.size);
    let n = 0;
    for (const s of this._sessions.values()) if (!s._closed) open[n++] = s;
    open.length = n;
    return open;
  }

  /** @internal Whether the app holds an open session. */
  _hasOpenSession(): boolean {
    for (const s of this._sessions.values()) if (!s._closed) return true;
    return false;
  }

  /** @internal `sessions`, least recently used first (S14). */
  private static _byUse<S extends Session>(sessions: Iterable<S>): S[] {
    return [...sessions].sort((a, b) => a._used - b._used);
  }

  /**
   * @internal Marks a session most recently used (S14): it gets the next use stamp. A stamp, not a
   * place in a list linked through the sessions: moving a session to a list's end touched the
   * sessions used before it and after it and the last one, three objects per event that a
   * round-robin of users leaves cold (measured: 4-5% of a click among 1,000 sessions).
   */
  _touch(session: Session): void {
    // Every use counts for the idle timeout (only the stamp: no clock read without it).
    if (this.sessionIdleTimeout !== null) session._lastActive = this.clock.now();
    session._used = ++this._uses;
  }

  /**
   * @internal The least recently used session (S14), for eviction when all are open: the first
   * one of the order sorted at the last such eviction not used since (its stamp is older). A
   * session used since then, or made since then, is more recent than any such one, so the
   * order is sorted again only when none is left: each sort serves many evictions.
   */
  private _leastRecentlyUsed(): Session {
    for (let sorted = false; ; sorted = true) {
      const order = this._evictionOrder;
      while (this._evictionAt < order.length) {
        const at = this._evictionAt++;
        const session = order[at];
        if (session === undefined) continue; // removed since it was sorted
        order[at] = undefined; // let it go: an evicted session is not kept for this list
        session._evictionSlot = -1;
        if (session._used <= this._evictionSortedAt) return session;
      }
      if (sorted) throw new Error("blockstate: no session to evict (internal error)");
      const sessions = App._byUse(this._sessions.values());
      for (let i = 0; i < sessions.length; i++) sessions[i]._evictionSlot = i;
      this._evictionOrder = sessions;
      this._evictionSortedAt = this._uses;
      this._evictionAt = 0;
    }
  }

  /** @internal Open sessions unused for longer than the idle timeout, and with nothing running. */
  _idleSessions(): Session[] {
    const limitMs = secondsToMs(this.sessionIdleTimeout ?? Infinity);
    const now = this.clock.now();
    const idle: Session[] = [];
    // Runs do not count as uses (a Timer's ticks, a Global's fan-out, S56), they only keep a
    // session open while they last. Every open session has a time here: stamped when created
    // (an adopted one is closed).
    for (const session of this._sessions.values()) {
      if (!session._closed && !session._busyNow && now - session._lastActive! > limitMs) idle.push(session);
    }
    return App._byUse(idle); // closed in the order of their last uses
  }

  /** Whether the app's queues are full (S62): a run that must wait now fails with "The queue is full". Always `false` without `maxQueueSize`. */
  get queueFull(): boolean {
    return this._queueIsFull();
  }

  /** Runs waiting in the app's queues now (S60, S62). */
  get queueSize(): number {
    return this._waiting;
  }

  /**
   * @internal Makes room for one session (S14). Closed sessions go first, the one closed longest ago
   * first: they are only kept in case their user comes back, while an open one has a user now
   * (counting them alike let a stream of page loads that close at once evict every live user).
   * An open session, the least recently used, goes only when all are open; that is reported
   * to it (a warning) and on {@link App.errors$}. Delete callbacks run either way.
   */
  private _evict(): void {
    const victim = this._lifecycle.oldestClosed() ?? this._leastRecentlyUsed();
    this._sessions.delete(victim.sessionHash);
    if (!victim._closed) {
      const message =
        `Session ${victim.sessionHash} was evicted while open: the app holds sessionCapacity (${this.sessionCapacity}) ` +
        "sessions, all open, and the least recently used made room for a new one.";
      victim._message({ type: "warning", title: "Session", message });
      this._emitError({ source: "eviction", error: new Error(message), sessionHash: victim.sessionHash });
    }
    this._detach(victim, true);
  }

  /**
   * @internal Reports a failure outside any run: to the session as an `error` message while the
   * app holds it, otherwise on {@link App.errors$}.
   */
  _reportFailure(session: Session | undefined, event: AppErrorEvent, message: string, title = "Error"): void {
    if (session && !session._removed) session._message({ type: "error", title, message });
    else this._emitError(event);
  }

  /** @internal */
  private _emitError(event: AppErrorEvent): void {
    this._streams?.send(ERRORS, event);
  }

  /**
   * @internal Called by `Session.close()` after the unload listeners ran; resolves once a shared
   * store has saved its closing time (for a process that adopts it, docs/08).
   */
  _closeSession(session: Session): Promise<void> | undefined {
    // Evicted while its unload listeners ran: it is gone already, nothing is left to retain.
    if (session._removed) return undefined;
    session._closed = true;
    this._lifecycle.sessionClosed(session);
    return this._store?.sessionChanged(session);
  }

  /**
   * @internal A session a dead (or closed) process left in a shared store (docs/08), held here
   * as closed since `closedAt` (app clock, ms), with its saved values: no load or unload
   * listeners run; retention (S20), State time-to-live (S21, S22) and eviction (S14) run
   * here, and a reconnect reopens it (S13). `undefined` when the app is closed or holds the
   * hash already. The caller checks there is room (an adoption never evicts).
   */
  _adopt(sessionHash: string, image: SessionImage, closedAt: number): Session | undefined {
    if (this._closed || this._sessions.has(sessionHash)) return undefined;
    const session = new Session(this, sessionHash, undefined, {});
    this._sessions.set(sessionHash, session);
    session._used = ++this._uses; // the most recent, as if just used
    session._closed = true; // before its values, so their time-to-live is the closed one (S22)
    this._loadImage(session, image);
    this._lifecycle.sessionClosed(session, closedAt);
    return session;
  }

  /** @internal Loads saved values into a session, reporting those its cells refused (docs/08, Failures). */
  private _loadImage(session: Session, image: SessionImage): void {
    const left = loadSessionImage(session, image);
    if (left.length === 0) return;
    const shown = left.length > 3 ? [...left.slice(0, 3), `and ${left.length - 3} more`] : left;
    this._storeDamage(session, `Session ${session.sessionHash} was resumed without ${shown.join("; ")}: ${left.length === 1 ? "that cell starts" : "those start"} from ${left.length === 1 ? "its default" : "their defaults"}.`);
  }

  /** @internal Saved values of `session` this app could not read, reported to it (or on {@link App.errors$}). */
  private _storeDamage(session: Session, message: string): void {
    this._reportFailure(session, { source: "store", error: new Error(message), sessionHash: session.sessionHash }, message, "Session");
  }

  /** @internal Removes a session entirely (retention over, eviction, app closed); `forget`: from a shared store too. */
  _removeSession(session: Session, runDeleteCallbacks: boolean, forget = runDeleteCallbacks): void {
    if (this._sessions.get(session.sessionHash) !== session) return;
    this._sessions.delete(session.sessionHash);
    this._detach(session, runDeleteCallbacks, forget);
  }

  /** @internal {@link AppSite._sessionChanged}. */
  _sessionChanged(session: Session): void {
    if (!session._removed) void this._store?.sessionChanged(session);
  }

  /** @internal A session left the app (removed or evicted): stop its timers, free its State, end its streams. */
  private _detach(session: Session, runDeleteCallbacks: boolean, forget = runDeleteCallbacks): void {
    const slot = session._evictionSlot;
    if (slot >= 0) {
      // Out of the eviction order (see App._evictionOrder), which would keep it alive.
      this._evictionOrder[slot] = undefined;
      session._evictionSlot = -1;
    }
    session._closed = true;
    session._removed = true;
    // An evicted open session's runs end now: their outputs would go to a session nobody holds (S14).
    if (session._busyNow) session._cancelRuns(new EventError(`Session ${session.sessionHash} was removed from the app (evicted); its runs were cancelled.`, "session_removed"));
    this._lifecycle.sessionRemoved(session, runDeleteCallbacks);
    this._store?.sessionRemoved(session, forget);
    session._dispose();
  }

  /** @internal */
  _readGlobal(node: CellNode): unknown {
    return this._globals.read(node);
  }

  /** @internal {@link Session._compare} for a Global: compares with its last reported content. */
  _compareGlobal(node: CellNode, value: unknown): Comparison {
    return this._globals.compareWrite(node, value);
  }

  /** @internal Writes a Global (see {@link Globals.write}); returns whether it changed (S50). */
  _writeGlobal(node: CellNode, value: unknown, comparison: Comparison, session?: Session): boolean {
    return this._globals.write(node, value, comparison, session);
  }

  /** @internal A Global's value as another process wrote it (see {@link Globals.apply}). */
  _applyGlobal(cell: AnyCell, value: unknown): void {
    this._globals.apply(cell, value);
  }

  /** @internal Checks a public method's Global argument; a hostile value (a Proxy) throws only this TypeError. */
  private _ownGlobal(value: unknown, call: string): void {
    let got: string | undefined;
    try {
      if (value instanceof Cell) {
        if (value.kind === "global" && value._blocks === this.blocks) return;
        got = value._blocks === this.blocks ? value.describe() : `${value.describe()}, which belongs to another Blocks`;
      }
    } catch {
      // A Proxy whose traps throw: described below like any other value.
    }
    throw new TypeError(`${call}: expected a Global of this app's Blocks; got ${got ?? describeValue(value)}.`);
  }

  /** @internal Groups listeners (S60) and finds the Globals each must lock (S8). */
  private _compile(): DependencyRuntime[] {
    const members = new Map<unknown, Dependency[]>();
    for (const dep of this.blocks._dependencies) {
      if (!dep.options.queue) continue;
      const key = dep.options.concurrencyId ?? dep.fn;
      members.set(key, [...(members.get(key) ?? []), dep]);
    }
    const groups = this._groups;
    for (const [key, deps] of members) groups.set(key, new ConcurrencyGroup(Math.min(...deps.map((d) => this._limitOf(d))), this._slicer));
    const cancelled = new Set(this.blocks._dependencies.flatMap((dep) => dep.options.cancels));
    return this.blocks._dependencies.map((dep) => {
      const group = dep.options.queue ? groups.get(dep.options.concurrencyId ?? dep.fn) : undefined;
      return this._runtime(dep, group, cancelled.has(dep) || dep.options.timeLimit !== null);
    });
  }

  /** @internal A listener's runtime in this app: what its runs look up once (see {@link DependencyRuntime}). */
  private _runtime(dep: Dependency, group: ConcurrencyGroup | undefined, cancellable: boolean): DependencyRuntime {
    return {
      dependency: dep,
      group,
      locks: this._locksOf(dep),
      globals: lockedGlobals(dep),
      cancellable,
      context: takesContext(dep.fn, dep.inputsAsMap ? 1 : dep.inputs.length),
      validatorContext: dep.options.validator !== undefined && takesContext(dep.options.validator, dep.inputsAsMap ? 1 : dep.inputs.length),
      onlyOutput: onlyOutputNode(dep),
      inputs: dep.inputs.map((cell) => cell._node),
      asMap: dep.inputsAsMap,
      maxBatch: dep.options.batch ? dep.options.maxBatchSize : 0,
    };
  }

  /** @internal */
  private _limitOf(dep: Dependency): number {
    const l = dep.options.concurrencyLimit === "default" ? this.defaultConcurrencyLimit : dep.options.concurrencyLimit;
    return l === null ? Infinity : l;
  }

  /** @internal S8: the Globals a listener reads and writes, locked in one app-wide order so two listeners never deadlock. */
  private _locksOf(dep: Dependency): Mutex[] {
    const mutexes = this._mutexes;
    return lockedGlobals(dep).map((c) => mutexes.get(c._id) ?? mutexes.set(c._id, new Mutex()).get(c._id)!);
  }

  // #endregion
}

// `launch` belongs to the template's API (`demo.launch()`), but the template layer must not
// import the runtime (layers: README, .dependency-cruiser.cjs). So the runtime adds it to
// Blocks when it loads; every entry point loads this module, and package.json lists it in
// `sideEffects` so that a bundler keeps it when an app imports `Blocks` and not `App`.
declare module "../blocks/blocks" {
  interface Blocks {
    /**
     * Starts a headless app from this template (docs/03): the "server" that owns sessions,
     * Globals, the queue and the clock. Each launch is independent (S7).
     *
     * @throws TypeError naming the option for an invalid `sessionCapacity`,
     *   `defaultConcurrencyLimit`, `maxQueueSize`, `clock` or `showError`, or for an unknown
     *   option name (with the nearest known one suggested); TypeError when two
     *   BrowserStates resolve to the same storage key (S93).
     * @returns the running {@link App}; each call gives an independent one.
     */
    launch(options?: LaunchOptions): App;
  }
}
Object.defineProperty(Blocks.prototype, "launch", {
  // Like a class method: not enumerable, replaceable.
  value: function launch(this: Blocks, options: LaunchOptions = {}): App {
    this._assertApp("launch()");
    return new App(this, options);
  },
  writable: true,
  configurable: true,
});

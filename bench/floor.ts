/**
 * The same-semantics floor (issue 12, "Speed"): the engine against a hand-written plain-JavaScript
 * implementation of the same work, measured side by side in the same run. Unlike the other
 * baselines (plain calls that do far less), the floor does what Gradio's state model requires,
 * in the fewest steps:
 *
 * - a session is a record in a `Map` keyed by a random 128-bit hash, whose values are unset
 *   until first read; a State's default is then copied with `structuredClone` (S2, lazily);
 * - a watched cell (one with a `.change` listener) keeps a snapshot (a `structuredClone` of its
 *   last committed value); after a write, a deep-equal check against it decides whether the
 *   `.change` listeners run (S50, S51: in-place changes count), and a change takes a new one;
 * - each listener has a limit-1 FIFO shared by all sessions (Gradio's default
 *   `concurrency_limit=1`, S60);
 * - each handler runs inside one `AsyncLocalStorage.run` (as the engine does, so that
 *   `gr.Info` works after an `await`, S36), of the process's one `AsyncLocalStorage`: the
 *   engine's (see {@link floorContext});
 * - each user event is one promise, resolved when every run it caused (`.change` listeners,
 *   a Global's fan-out to the other sessions, S56) has ended.
 *
 * It does not normalise outputs, report statuses or support cancellation, trigger modes,
 * chaining, locks or streaming: what it skips only makes it cheaper, so ratios against it are
 * upper bounds of what the engine adds.
 *
 * Figures (value: engine, baseline: floor, ratio = engine / floor):
 * - `floor.event_ratio`: the counter app (click → State → `.change` → Number), each click
 *   awaited; the worse of one session and 1,000 sessions clicked round-robin (both also shown
 *   as `floor.event_one_session_ratio` and `floor.event_round_robin_ratio`). Target ≤ 1.2.
 * - `floor.connect_ratio`: a cart session (seed 002) created and awaited, 5,000 per round, each
 *   round a fresh app after a forced full GC. Both sides keep shape anchors (an inert app and
 *   session) for their class's life, so the figure measures connects, not the re-optimisation
 *   that follows a GC which dropped every hidden class of the connect path. Target ≤ 1.2.
 * - `floor.session_heap_ratio`: heap per idle connected cart session versus the floor's
 *   session record holding the same (unset) values. Target ≤ 2.
 * - `floor.global_fanout_ratio`: a click changing a Global whose `.change` listener runs in
 *   each of 1,000 sessions, per click. Target ≤ 1.0.
 * - `floor.chat1k_ratio`: `change.chat1k_ms`'s event (a 1,000-message history appended in
 *   place, watched by a `.change` listener). Target ≤ 0.3.
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";
import { currentRun } from "../src/core/errors";
import { cartApp, counterApp, globalCounterApp } from "./apps";
import { history, message, type Message } from "./change";
import { entry, gc, heapAfterGc, median, msSince, now, settle, timePair, type BenchEntry } from "./util";

// --- The floor -------------------------------------------------------------------------------

const UNSET = Symbol("unset");

/** Deep equality of plain data (what the snapshots hold): primitives, arrays, plain objects. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * The floor's async context: the engine's own carrier (`currentRun`, an `AsyncLocalStorage.run`
 * around the handler), so that the process has one `AsyncLocalStorage`, as a deployment of
 * either side would; a second instance is a cost of measuring the two side by side, not of
 * either. Measured on Node 20, in two processes run one after the other (the fan-out figure's
 * two rounds, six times each, forced GC before each round as here): 264-291 µs per click
 * (floor) and 328-419 (engine) with an instance of the floor's own, 125-203 and 149-234 with
 * this one. Why a second instance costs that much was not established.
 */
const floorContext = currentRun as unknown as { run(value: FloorRun, fn: (...a: unknown[]) => unknown, args: readonly unknown[]): unknown };

function snapshot(value: unknown): unknown {
  return typeof value === "object" && value !== null ? structuredClone(value) : value;
}

/** A cell: a State (per session), a Global (per app) or a component value (per session). */
export interface FloorCell {
  /** The default; a function is called per session (like `gr.State(() => ...)`). */
  initial: unknown;
  global?: boolean;
  /** Its `.change` listeners (filled by {@link FloorApp}). */
  watchers?: FloorListener[];
}

export interface FloorListener {
  fn: (...args: never[]) => unknown;
  inputs: number[];
  outputs: number[];
}

/** What one user event caused: counts its runs; `done` ends the event. */
class FloorCascade {
  pending = 1;
  constructor(
    private readonly done: () => void,
  ) {}
  end(): void {
    if (--this.pending === 0) this.done();
  }
}

class FloorRun {
  constructor(
    readonly session: FloorSession,
    readonly listener: ListenerRuntime,
    readonly cascade: FloorCascade,
  ) {}
}

/** A listener with its limit-1 FIFO (shared by all sessions). */
class ListenerRuntime {
  private busy = false;
  private pumping = false;
  private readonly waiting: (FloorRun | undefined)[] = [];
  private head = 0;
  constructor(
    readonly app: FloorApp,
    readonly spec: FloorListener,
  ) {}

  submit(run: FloorRun): void {
    this.waiting.push(run);
    this.pump();
  }

  /** Starts waiting runs while the slot is free (a loop: runs that end synchronously do not recurse). */
  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    while (!this.busy && this.head < this.waiting.length) {
      const run = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined;
      this.busy = true;
      this.app.start(run);
    }
    if (this.head === this.waiting.length) this.waiting.length = this.head = 0;
    this.pumping = false;
  }

  leave(): void {
    this.busy = false;
    this.pump();
  }
}

export class FloorSession {
  readonly values: unknown[];
  readonly snapshots: unknown[];
  closed = false;
  constructor(
    readonly hash: string,
    cells: number,
  ) {
    this.values = new Array(cells).fill(UNSET);
    this.snapshots = new Array(cells).fill(UNSET);
  }
}

/** Random 128-bit session hashes (base64url), cut from one `getRandomValues` call per 256. */
class HashSource {
  private readonly pool = Buffer.alloc(16 * 256);
  private at = this.pool.length;
  next(): string {
    if (this.at === this.pool.length) {
      globalThis.crypto.getRandomValues(this.pool);
      this.at = 0;
    }
    return this.pool.toString("base64url", this.at, (this.at += 16));
  }
}

export class FloorApp {
  readonly sessions = new Map<string, FloorSession>();
  /**
   * One inert instance of each per-event class, as the engine keeps (`Run._shapeAnchors`): V8
   * drops the hidden classes of a class with no live instance at a full GC and deoptimises the
   * code built on them, and the bench forces a full GC before each timed round.
   */
  readonly anchors: readonly object[];
  /**
   * Shape anchors of the app and its sessions, held as long as the class is, as the engine keeps
   * (`App._shapeAnchors`): an inert app and one inert session of it. Without them a full GC with
   * no floor app alive (the connect bench forces one before each round, each round a fresh app)
   * drops their hidden classes and the code built on them, and the round runs unoptimised first.
   */
  static readonly shapeAnchors: readonly object[] = (() => {
    const app = new FloorApp([{ initial: null }], [{ fn: () => undefined, inputs: [], outputs: [] }]);
    return [app, new FloorSession("", 1)];
  })();
  private readonly hashes = new HashSource();
  private readonly globals: unknown[];
  private readonly globalSnapshots: unknown[];
  private readonly runtimes: ListenerRuntime[];

  constructor(
    private readonly cells: FloorCell[],
    listeners: FloorListener[],
    watchers: [cell: number, listener: number][] = [],
  ) {
    this.runtimes = listeners.map((l) => new ListenerRuntime(this, l));
    for (const [c, l] of watchers) (cells[c].watchers ??= []).push(listeners[l]);
    this.globals = cells.map((c) => (c.global ? initial(c) : UNSET));
    this.globalSnapshots = this.globals.map((v, i) => (cells[i].watchers ? snapshot(v) : UNSET));
    const cascade = new FloorCascade(() => undefined);
    this.anchors = [cascade, new FloorRun(new FloorSession("", 0), this.runtimes[0], cascade)];
  }

  async connect(): Promise<FloorSession> {
    const session = new FloorSession(this.hashes.next(), this.cells.length);
    this.sessions.set(session.hash, session);
    return session;
  }

  /** A user event on listener `index`: one promise, resolved when everything it caused ended. */
  trigger(session: FloorSession, index: number): Promise<void> {
    return new Promise((resolve) => {
      const cascade = new FloorCascade(resolve);
      this.schedule(session, this.runtimes[index], cascade);
      cascade.end();
    });
  }

  read(session: FloorSession, cell: number): unknown {
    const spec = this.cells[cell];
    if (spec.global) return this.globals[cell];
    let value = session.values[cell];
    if (value === UNSET) {
      value = session.values[cell] = initial(spec);
      if (spec.watchers) session.snapshots[cell] = snapshot(value);
    }
    return value;
  }

  private schedule(session: FloorSession, runtime: ListenerRuntime, cascade: FloorCascade): void {
    cascade.pending++;
    runtime.submit(new FloorRun(session, runtime, cascade));
  }

  /** Called by a listener's FIFO when the run holds its slot. */
  start(run: FloorRun): void {
    const { inputs, fn } = run.listener.spec;
    const args = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) args[i] = this.read(run.session, inputs[i]);
    const result = floorContext.run(run, fn as (...a: unknown[]) => unknown, args);
    if (result instanceof Promise) result.then((value) => this.end(run, value));
    else this.end(run, result);
  }

  private end(run: FloorRun, value: unknown): void {
    const { outputs } = run.listener.spec;
    if (outputs.length === 1) this.write(run, outputs[0], value);
    else for (let i = 0; i < outputs.length; i++) this.write(run, outputs[i], (value as unknown[])[i]);
    run.listener.leave();
    run.cascade.end();
  }

  private write(run: FloorRun, cell: number, value: unknown): void {
    const spec = this.cells[cell];
    const { session } = run;
    if (spec.global) {
      this.globals[cell] = value;
      if (!spec.watchers || deepEqual(this.globalSnapshots[cell], value)) return;
      this.globalSnapshots[cell] = snapshot(value);
      for (const w of spec.watchers) this.schedule(session, this.runtimes[this.indexOf(w)], run.cascade);
      // S56: every other open session runs the listeners too; the event waits for them, so
      // their runs count in the event's cascade (no cascade of their own: nothing here can fail).
      for (const other of this.sessions.values()) {
        if (other === session || other.closed) continue;
        for (const w of spec.watchers) this.schedule(other, this.runtimes[this.indexOf(w)], run.cascade);
      }
      return;
    }
    if (!spec.watchers) {
      session.values[cell] = value;
      return;
    }
    this.read(session, cell); // the snapshot of a cell written before it was read
    session.values[cell] = value;
    if (deepEqual(session.snapshots[cell], value)) return;
    session.snapshots[cell] = snapshot(value);
    for (const w of spec.watchers) this.schedule(session, this.runtimes[this.indexOf(w)], run.cascade);
  }

  private indexOf(listener: FloorListener): number {
    for (let i = 0; i < this.runtimes.length; i++) if (this.runtimes[i].spec === listener) return i;
    throw new Error("unknown listener");
  }
}

function initial(cell: FloorCell): unknown {
  return typeof cell.initial === "function" ? (cell.initial as () => unknown)() : structuredClone(cell.initial);
}

// --- The apps, on both sides -----------------------------------------------------------------

/** The counter app on the floor: cells [count, num]; listeners [click, count.change]. */
function floorCounter(): FloorApp {
  return new FloorApp(
    [{ initial: 0 }, { initial: null }],
    [
      { fn: ((c: number) => c + 1) as FloorListener["fn"], inputs: [0], outputs: [0] },
      { fn: ((c: number) => c) as FloorListener["fn"], inputs: [0], outputs: [1] },
    ],
    [[0, 1]],
  );
}

/** Seed 002's cart on the floor: cells [cart, items, size]; listeners [add, cart.change]. */
function floorCart(): FloorApp {
  return new FloorApp(
    [{ initial: [] }, { initial: [] }, { initial: null }],
    [
      { fn: ((items: string[], cart: string[]) => [...cart, ...items]) as FloorListener["fn"], inputs: [1, 0], outputs: [0] },
      { fn: ((cart: string[]) => cart.length) as FloorListener["fn"], inputs: [0], outputs: [2] },
    ],
    [[0, 1]],
  );
}

const CLICKS = 20_000;
const ROUND_ROBIN = 1_000;
/**
 * Timed repetitions of the event and fan-out figures (each side's median). On this VM a
 * repetition is now and then twice as slow as its neighbours, on either side (CPU steal, a
 * move between CPUs); with 7 repetitions, four such made the median, and the fan-out figure
 * ranged from 0.69x to 2.46x over four runs of one build.
 */
const REPS = 15;

async function eventRatios(): Promise<[one: [number, number], roundRobin: [number, number]]> {
  const { demo, btn, count, num } = counterApp();
  const app = demo.launch();
  const engineSessions: gr.Session[] = [];
  for (let i = 0; i < ROUND_ROBIN; i++) engineSessions.push(await app.connect());
  const floor = floorCounter();
  const floorSessions: FloorSession[] = [];
  for (let i = 0; i < ROUND_ROBIN; i++) floorSessions.push(await floor.connect());

  const engineRound = (n: number) => async () => {
    const before = engineSessions.slice(0, n).map((s) => s.get(count));
    for (let i = 0; i < CLICKS; i++) await engineSessions[i % n].click(btn);
    engineSessions.slice(0, n).forEach((s, i) => {
      if (s.get(count) !== before[i] + CLICKS / n || s.get(num) !== s.get(count)) throw new Error("counter app missed clicks");
    });
  };
  const floorRound = (n: number) => async () => {
    const before = floorSessions.slice(0, n).map((s) => floor.read(s, 0) as number);
    for (let i = 0; i < CLICKS; i++) await floor.trigger(floorSessions[i % n], 0);
    floorSessions.slice(0, n).forEach((s, i) => {
      if (floor.read(s, 0) !== before[i] + CLICKS / n || floor.read(s, 1) !== floor.read(s, 0)) throw new Error("floor missed clicks");
    });
  };
  const one = await timePair(engineRound(1), floorRound(1), CLICKS, { warmup: 2, reps: REPS });
  const roundRobin = await timePair(engineRound(ROUND_ROBIN), floorRound(ROUND_ROBIN), CLICKS, { warmup: 2, reps: REPS });
  await app.close();
  return [one, roundRobin];
}

const CONNECTS = 5_000;
const HEAP_SESSIONS = 20_000;

async function connectFigures(): Promise<{ connect: [number, number]; heap: [number, number] }> {
  const { demo } = cartApp();
  const floorTemplate = floorCart; // a fresh floor app per round, like a fresh launch
  const connect = await timePair(
    async () => {
      const app = demo.launch();
      for (let i = 0; i < CONNECTS; i++) await app.connect();
      if (app.sessionCount !== CONNECTS) throw new Error("connect bench lost sessions");
    },
    async () => {
      const floor = floorTemplate();
      for (let i = 0; i < CONNECTS; i++) await floor.connect();
      if (floor.sessions.size !== CONNECTS) throw new Error("floor lost sessions");
    },
    CONNECTS,
    { warmup: 3, reps: 15 },
  );
  const engineHeap: number[] = [];
  const floorHeap: number[] = [];
  for (let r = 0; r < 3; r++) {
    engineHeap.push(await heapPerSession(() => demo.launch({ sessionCapacity: HEAP_SESSIONS }), (app) => app.connect(), (app) => app.sessionCount));
    floorHeap.push(await heapPerSession(floorTemplate, (floor) => floor.connect(), (floor) => floor.sessions.size));
  }
  return { connect, heap: [median(engineHeap), median(floorHeap)] };
}

/** Bytes of heap per session held by `holder` after {@link HEAP_SESSIONS} connects. */
async function heapPerSession<H>(create: () => H, connect: (holder: H) => Promise<unknown>, count: (holder: H) => number): Promise<number> {
  const box: { holder: H | undefined } = { holder: create() };
  const before = heapAfterGc();
  for (let i = 0; i < HEAP_SESSIONS; i++) await connect(box.holder!);
  const after = heapAfterGc();
  if (count(box.holder!) !== HEAP_SESSIONS) throw new Error("heap bench lost sessions");
  box.holder = undefined;
  return (after - before) / HEAP_SESSIONS;
}

const FANOUT_SESSIONS = 1_000;
const FANOUT_CLICKS = 20;
/**
 * Untimed rounds before the fan-out's (both sides): 40 clicks left the engine's code, optimised
 * for the apps measured before, still re-optimising in the first timed repetition
 * (`--trace-opt`: `applyPlain`, `commit`, `compare`, ...; 0.7-1.3 ms against 0.2 ms after).
 */
const FANOUT_WARMUP = 5;

/**
 * The fan-out figure depends on what ran before it in the process, for the engine only, which
 * is why `npm run bench` now runs it in processes of its own (`bench/run.ts`). Measured on
 * Node 20 before that (median ns per session reached, several processes each):
 * - alone in a process: engine 135-170, floor 130-165, 1.03-1.2x; after this file's event and
 *   connect rounds (which preceded it in `npm run bench`, after the other areas): engine
 *   220-310, floor 118-145, 1.6-2.2x (medians of batches of processes); in `npm run bench`
 *   itself, 1.7-2.4x;
 * - not the cause: the engine's code having run other apps (the earlier rounds on a second,
 *   separately bundled copy of the engine left the fan-out as slow), V8's inlining budget
 *   (`--max-inlined-bytecode-size-cumulative=3000`), concurrent sweeping, background threads
 *   (`--single-threaded`);
 * - where the engine's per-session objects lie: with the earlier rounds, fewer than half of
 *   some of them (the bookkeeping its first run made) were within 4 KB of the previous
 *   session's in visit order, where alone all were, and the floor's session records were
 *   sequential either way. Visiting the sessions in a shuffled order alone made the engine 25%
 *   slower (168 to 211). Making that bookkeeping part of the Run itself (`RunSlot`) took about
 *   10% off after the earlier rounds; making a session's run slots and cell values one array
 *   held by the session (no store object, no run-slot array: `CellStore`) took the ratio after
 *   this file's event rounds from 1.69x to 1.48x (medians of 12 pairs of processes), and the
 *   1,000-session round-robin click's from 1.18x to 1.08x;
 * - not the cause: the round's walk of the sessions' recency list (then a linked list) before its
 *   loop; reading them from the app's `Map` instead changed nothing (1.00, 10 pairs);
 * - a smaller young generation takes most of it away: with `--max-semi-space-size=4` (V8 lets
 *   it grow to 16 MB) the engine took 169-196 after the earlier rounds, 1.3-1.35x. How the
 *   young generation's size changes where the engine's objects end up was not established.
 */
async function fanoutRatio(): Promise<[number, number]> {
  const { demo, count, btn, view } = globalCounterApp();
  const app = demo.launch();
  const sessions: gr.Session[] = [];
  for (let i = 0; i < FANOUT_SESSIONS; i++) sessions.push(await app.connect());

  // Cells [count (Global), view]; listeners [click, count.change].
  const floor = new FloorApp(
    [{ initial: 0, global: true }, { initial: null }],
    [
      { fn: ((c: number) => c + 1) as FloorListener["fn"], inputs: [0], outputs: [0] },
      { fn: ((c: number) => c) as FloorListener["fn"], inputs: [0], outputs: [1] },
    ],
    [[0, 1]],
  );
  const floorSessions: FloorSession[] = [];
  for (let i = 0; i < FANOUT_SESSIONS; i++) floorSessions.push(await floor.connect());

  const result = await timePair(
    async () => {
      for (let i = 0; i < FANOUT_CLICKS; i++) {
        const r = await sessions[0].click(btn);
        if (r.status !== "complete") throw new Error(`fan-out event ended ${r.status}`);
      }
      const expected = app.get(count);
      if (sessions[FANOUT_SESSIONS - 1].get(view) !== expected) throw new Error("the fan-out missed a session");
    },
    async () => {
      for (let i = 0; i < FANOUT_CLICKS; i++) await floor.trigger(floorSessions[0], 0);
      if (floor.read(floorSessions[FANOUT_SESSIONS - 1], 1) !== floor.read(floorSessions[0], 0)) throw new Error("the floor's fan-out missed a session");
    },
    FANOUT_CLICKS,
    { warmup: FANOUT_WARMUP, reps: REPS },
  );
  await app.close();
  return result;
}

const MESSAGES = 1_000;
const CHAT_EVENTS = 50;

async function chatRatio(): Promise<[number, number]> {
  let chat!: gr.State<Message[]>, send!: gr.Button, length!: gr.Number;
  const append = (h: Message[]) => {
    h.push(message(h.length));
    return h;
  };
  const demo = new gr.Blocks(() => {
    chat = new gr.State<Message[]>(() => history(MESSAGES));
    send = new gr.Button("Send");
    length = new gr.Number();
    send.click(append, chat, chat);
    chat.change((h) => h.length, chat, length);
  });
  const app = demo.launch();
  // Cells [chat, length]; listeners [send, chat.change].
  const floor = new FloorApp(
    [{ initial: () => history(MESSAGES) }, { initial: null }],
    [
      { fn: append as FloorListener["fn"], inputs: [0], outputs: [0] },
      { fn: ((h: Message[]) => h.length) as FloorListener["fn"], inputs: [0], outputs: [1] },
    ],
    [[0, 1]],
  );

  // Each round: a fresh session whose history is initialised (read once) before the clock starts.
  const engineRound = async (): Promise<number> => {
    const session = await app.connect();
    session.get(chat);
    await settle();
    const start = now();
    for (let i = 0; i < CHAT_EVENTS; i++) {
      const result = await session.click(send);
      if (result.status !== "complete") throw new Error(`chat event ended ${result.status}`);
    }
    const ms = msSince(start) / CHAT_EVENTS;
    if (session.get(length) !== MESSAGES + CHAT_EVENTS) throw new Error("the .change listener missed in-place appends");
    await session.close();
    return ms;
  };
  const floorRound = async (): Promise<number> => {
    const session = await floor.connect();
    floor.read(session, 0);
    await settle();
    const start = now();
    for (let i = 0; i < CHAT_EVENTS; i++) await floor.trigger(session, 0);
    const ms = msSince(start) / CHAT_EVENTS;
    if (floor.read(session, 1) !== MESSAGES + CHAT_EVENTS) throw new Error("the floor's .change listener missed in-place appends");
    floor.sessions.delete(session.hash);
    return ms;
  };
  for (let i = 0; i < 3; i++) {
    await engineRound();
    await floorRound();
  }
  const engine: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < 9; r++) {
    gc();
    engine.push(await engineRound());
    gc();
    plain.push(await floorRound());
  }
  await app.close();
  return [median(engine), median(plain)];
}

/**
 * The floor's figures, one area each: `npm run bench` measures each area in a process of its own
 * (see `bench/run.ts`), as each of these figures changes with what ran before it in the process.
 */
export async function benchFloorEvent(): Promise<BenchEntry[]> {
  const [one, roundRobin] = await eventRatios();
  const worse = one[0] / one[1] >= roundRobin[0] / roundRobin[1] ? one : roundRobin;
  return [
    entry("floor.event_ratio", us(worse[0]), "µs per click event, worse of one session / 1,000 round-robin (baseline: floor)", us(worse[1]), { on: "ratio", op: "<=", limit: 1.2 }),
    entry("floor.event_one_session_ratio", us(one[0]), "µs per click event, one session (baseline: floor)", us(one[1])),
    entry("floor.event_round_robin_ratio", us(roundRobin[0]), "µs per click event, 1,000 sessions round-robin (baseline: floor)", us(roundRobin[1])),
  ];
}

export async function benchFloorConnect(): Promise<BenchEntry[]> {
  const { connect, heap } = await connectFigures();
  return [
    entry("floor.connect_ratio", us(connect[0]), "µs per cart session connect (baseline: floor)", us(connect[1]), { on: "ratio", op: "<=", limit: 1.2 }),
    entry("floor.session_heap_ratio", heap[0], "bytes per idle cart session (baseline: the floor's session record)", heap[1], { on: "ratio", op: "<=", limit: 2 }),
  ];
}

export async function benchFloorFanout(): Promise<BenchEntry[]> {
  const fanout = await fanoutRatio();
  return [entry("floor.global_fanout_ratio", fanout[0], "ms per Global change reaching 1,000 sessions' .change (baseline: floor)", fanout[1], { on: "ratio", op: "<=", limit: 1 })];
}

export async function benchFloorChat(): Promise<BenchEntry[]> {
  const chat = await chatRatio();
  return [entry("floor.chat1k_ratio", chat[0], "ms per event, 1,000-message history appended in place (baseline: floor)", chat[1], { on: "ratio", op: "<=", limit: 0.3 })];
}

/** Milliseconds to microseconds. */
const us = (ms: number): number => ms * 1000;

/**
 * Lifetime (issue 3, S13, S20): 100,000 sessions of the cart app on a `ManualClock`, each
 * connected, given a selection (`input`) and clicked once (so the cart State changes and its
 * `.change` listener writes the Number), then closed; then the clock is advanced past the
 * retention (`deleteCache: [60, 3600]`: 3,600 s + one 60 s sweep, and a margin), which must
 * remove every session.
 *
 * - `lifecycle.heap_delta_pct`: heap after a forced GC versus heap before the first connect
 *   (app already launched), as a percentage; both heaps are printed. Baseline: the same
 *   percentage for the plain-JS bookkeeping below. Target: within ±5 %. Its `ratio` is
 *   `(100 + value) / (100 + baseline)`, i.e. engine's after/before heap factor over the
 *   baseline's (the baseline is ~0 %, so value / baseline would mean nothing).
 * - `lifecycle.cycle_ms`: the whole cycle's time (connect, input, click, close for every
 *   session, then the expiry), ms; baseline: plain JS doing the same bookkeeping (a Map of
 *   session records, the handler and the change check, closed flags, and a 60 s sweep timer on
 *   the same kind of ManualClock). Informational (no target).
 *
 * @packageDocumentation
 */
import { ManualClock } from "../src/testing/index";
import { cartApp } from "./apps";
import { entry, gc, heapAfterGc, mb, msSince, now, randomHash, settle, type BenchEntry } from "./util";

const SESSIONS = 100_000;
const RETENTION: readonly [number, number] = [60, 3600];
/** Past the retention age plus one sweep period, with one more period of margin. */
const ADVANCE_MS = (RETENTION[1] + 2 * RETENTION[0]) * 1000;
const SELECTION = ["Milk", "Water"];

interface Cycle {
  ms: number;
  before: number;
  after: number;
  /** Heap after GC with every session closed but retained (outside the timed part). */
  peak: number;
}

async function engineCycle(sessions: number): Promise<Cycle> {
  const clock = new ManualClock();
  const { demo, items, add, size } = cartApp({ deleteCache: RETENTION });
  // Capacity for exactly every session: all are retained until they expire (no eviction).
  const app = demo.launch({ clock, sessionCapacity: sessions });
  await settle();
  const before = heapAfterGc();
  const start = now();
  for (let i = 0; i < sessions; i++) {
    const s = await app.connect();
    await s.input(items, SELECTION);
    await s.click(add);
    if (i === 0 && s.get(size) !== SELECTION.length) throw new Error("cart app did not count the cart");
    await s.close();
  }
  if (app.sessionCount !== sessions) throw new Error(`expected ${sessions} retained sessions, got ${app.sessionCount}`);
  const connectedMs = msSince(start);
  const peak = heapAfterGc();
  const expiry = now();
  await clock.advance(ADVANCE_MS);
  const ms = connectedMs + msSince(expiry);
  if (app.sessionCount !== 0) throw new Error(`${app.sessionCount} sessions survived the retention age`);
  await settle();
  const after = heapAfterGc();
  // Keep the app and clock alive until after the measurement: they were in `before` too.
  if (app.sessionCount !== 0 || clock.pending < 0) throw new Error("unreachable");
  return { ms, before, after, peak };
}

interface PlainSession {
  hash: string;
  cart: string[];
  items: string[];
  size: number | null;
  closed: boolean;
  closedAt: number;
}

async function plainCycle(sessions: number): Promise<Cycle> {
  const clock = new ManualClock();
  const table = new Map<string, PlainSession>();
  const [frequency, age] = RETENTION;
  let sweepArmed = false;
  const sweep = () => {
    sweepArmed = false;
    let remain = false;
    for (const s of table.values()) {
      if (!s.closed) continue;
      if (clock.now() - s.closedAt > age * 1000) table.delete(s.hash);
      else remain = true;
    }
    if (remain) armSweep();
  };
  const armSweep = () => {
    if (sweepArmed) return;
    sweepArmed = true;
    clock.setTimeout(sweep, frequency * 1000);
  };
  const connect = async (): Promise<PlainSession> => {
    const s: PlainSession = { hash: randomHash(), cart: [], items: [], size: null, closed: false, closedAt: 0 };
    table.set(s.hash, s);
    return s;
  };
  const input = async (s: PlainSession, value: string[]) => {
    s.items = [...value];
  };
  const click = async (s: PlainSession) => {
    const previous = s.cart;
    const next = [...previous, ...s.items];
    s.cart = next;
    const changed = next.length !== previous.length || next.some((v, i) => v !== previous[i]);
    if (changed) s.size = next.length;
  };
  const close = async (s: PlainSession) => {
    s.closed = true;
    s.closedAt = clock.now();
    armSweep();
  };

  await settle();
  const before = heapAfterGc();
  const start = now();
  for (let i = 0; i < sessions; i++) {
    const s = await connect();
    await input(s, SELECTION);
    await click(s);
    await close(s);
  }
  const connectedMs = msSince(start);
  const peak = heapAfterGc();
  const expiry = now();
  await clock.advance(ADVANCE_MS);
  const ms = connectedMs + msSince(expiry);
  if (table.size !== 0) throw new Error("baseline kept sessions");
  await settle();
  const after = heapAfterGc();
  if (clock.pending < 0) throw new Error("unreachable");
  return { ms, before, after, peak };
}

const pct = (c: Cycle) => ((c.after - c.before) / c.before) * 100;

export async function benchLifecycle(): Promise<BenchEntry[]> {
  // Warm-up: compile every path (connect, click, close, sweep, removal) before the heap is read,
  // so that code and feedback allocated by the JIT do not count as retained by sessions.
  await engineCycle(5_000);
  await plainCycle(5_000);
  gc();
  const engine = await engineCycle(SESSIONS);
  const plain = await plainCycle(SESSIONS);
  console.log(
    `  lifecycle: engine heap before first connect ${mb(engine.before)}, after expiry + GC ${mb(engine.after)} ` +
      `(${pct(engine) >= 0 ? "+" : ""}${pct(engine).toFixed(2)} %); plain JS ${mb(plain.before)} → ${mb(plain.after)} ` +
      `(${pct(plain) >= 0 ? "+" : ""}${pct(plain).toFixed(2)} %)`,
  );
  const perSession = (c: Cycle) => Math.round((c.peak - c.before) / SESSIONS);
  console.log(
    `  lifecycle: with all ${SESSIONS.toLocaleString("en")} sessions closed and retained: engine ${mb(engine.peak)} ` +
      `(${perSession(engine)} bytes per retained session), plain JS ${mb(plain.peak)} (${perSession(plain)} bytes)`,
  );
  return [
    entry("lifecycle.heap_delta_pct", pct(engine), "% heap after vs before", pct(plain), { on: "value", op: "abs<=", limit: 5 }, (100 + pct(engine)) / (100 + pct(plain))),
    entry("lifecycle.cycle_ms", engine.ms, `ms for ${SESSIONS.toLocaleString("en")} sessions`, plain.ms),
  ];
}

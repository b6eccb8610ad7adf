/**
 * Sessions (issue 2, "Speed and memory"): an idle connected session of seed 002's cart app.
 *
 * - `session.connect_us`: µs per `await app.connect()`; baseline: an equivalent plain-JS
 *   session record (a Map entry holding an object with a values array and a random 128-bit
 *   hash), created by an async function and awaited the same way. Target ≤ 5 µs.
 * - `session.heap_bytes`: heap per idle connected session (20,000 sessions, forced GC before
 *   and after, divided); baseline: the plain record per session. Target ≤ 2048 bytes.
 *
 * @packageDocumentation
 */
import { cartApp } from "./apps";
import { entry, heapAfterGc, median, randomHash, timePair, type BenchEntry } from "./util";

/** What a plain-JS server keeps per idle cart session. */
interface PlainSession {
  hash: string;
  values: unknown[];
  closed: boolean;
}

async function plainConnect(table: Map<string, PlainSession>): Promise<PlainSession> {
  const session: PlainSession = { hash: randomHash(), values: new Array(4).fill(undefined), closed: false };
  table.set(session.hash, session);
  return session;
}

const BATCH = 5_000;

/** Bytes of heap per session held by `holder` after `HEAP_SESSIONS` connects. */
async function heapPerSession<H>(create: () => H, connect: (holder: H) => Promise<unknown>, count: (holder: H) => number): Promise<number> {
  const box: { holder: H | undefined } = { holder: create() };
  const before = heapAfterGc();
  for (let i = 0; i < HEAP_SESSIONS; i++) await connect(box.holder!);
  const after = heapAfterGc();
  if (count(box.holder!) !== HEAP_SESSIONS) throw new Error("heap bench lost sessions");
  box.holder = undefined;
  return (after - before) / HEAP_SESSIONS;
}
const HEAP_SESSIONS = 20_000;

export async function benchSession(): Promise<BenchEntry[]> {
  const { demo } = cartApp();

  // Each round connects BATCH sessions to a fresh app launched with the defaults (capacity
  // 10,000, so no eviction happens: eviction is not part of an idle connect).
  const engineRound = async () => {
    const app = demo.launch();
    for (let i = 0; i < BATCH; i++) await app.connect();
    if (app.sessionCount !== BATCH) throw new Error("connect bench lost sessions");
  };
  const plainRound = async () => {
    const table = new Map<string, PlainSession>();
    for (let i = 0; i < BATCH; i++) await plainConnect(table);
    if (table.size !== BATCH) throw new Error("baseline lost sessions");
  };
  const [engineMs, plainMs] = await timePair(engineRound, plainRound, BATCH, { warmup: 3, reps: 15 });

  // Heap per idle session: N sessions kept alive by their app (or table), GC before and after.
  // Each measurement runs in its own function so that nothing from the previous one is still
  // referenced from this frame when the "before" heap is read.
  const engineHeap: number[] = [];
  const plainHeap: number[] = [];
  for (let r = 0; r < 3; r++) {
    // Capacity for exactly HEAP_SESSIONS; whatever the app allocates up front for that capacity
    // is in the "before" heap.
    engineHeap.push(await heapPerSession(() => demo.launch({ sessionCapacity: HEAP_SESSIONS }), (app) => app.connect(), (app) => app.sessionCount));
    plainHeap.push(await heapPerSession(() => new Map<string, PlainSession>(), plainConnect, (table) => table.size));
  }

  return [
    entry("session.connect_us", engineMs * 1000, "µs per connect", plainMs * 1000, { on: "value", op: "<=", limit: 5 }),
    entry("session.heap_bytes", median(engineHeap), "bytes per idle session", median(plainHeap), { on: "value", op: "<=", limit: 2048 }),
  ];
}

/**
 * Session lifetime across processes (issue 15, docs/08): sessions a process left in Redis (killed
 * with `kill -9`, or `app.close()`) are adopted by another, held there as closed, and end there
 * by retention (S20) and time-to-live (S21, S22) with their delete callbacks; a reconnect reopens
 * them (S13); adoption fills only free capacity (S14). The apps run on ManualClocks started at
 * one time (S23): processes of one app share a wall clock.
 */
import { deserialize } from "node:v8";
import { RESP_TYPES } from "redis";
import { redisStore } from "blockstate/redis";
import { ManualClock } from "blockstate/testing";
import { useRedis } from "../support/redis";
import { lifeApp } from "./apps";
import { worker } from "./workers";
import { until } from "../server/apps";

const db = useRedis("life");
const prefix = db.prefix;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The store of every process here: its own Redis, prefix `p`, a 0.3 s session lease. */
const leased = (p: string) => redisStore({ url: db.server.url, prefix: p, sessionLease: 0.3 });

/** Waits until `check()` resolves true (Redis is written after the clock's timers ran). */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Runs a worker that saves sessions (`hash` or `hash=closed`) on a clock at `start`, then kills it with SIGKILL once they are saved. */
async function killedWorker(p: string, start: number, sessions: string[]): Promise<void> {
  const w = worker(["life", db.server.url, p, String(start), ...sessions]);
  for (let i = 0; i < 1500 && !w.lines.includes("ready"); i++) {
    if (w.child.exitCode !== null) throw new Error(`worker exited: ${w.stderr()}`);
    await sleep(20);
  }
  expect(w.lines).toEqual(["ready"]);
  w.child.kill("SIGKILL");
  await w.exited;
}

/** An app on the store with a 0.3 s lease, connected (a process adopts once connected to Redis). */
async function adopter(p: string, clock: ManualClock, sessionCapacity = 100) {
  const life = lifeApp();
  const app = life.demo.launch({ clock, sessionCapacity, store: leased(p) });
  const own = await app.connect();
  return { ...life, app, own };
}

test("a process killed with open sessions: another adopts them after the lease, closed (no load or unload listeners), and removes them after retention, from Redis too, with their delete callbacks and saved values", async () => {
  const p = prefix();
  const start = Date.now();
  await killedWorker(p, start, ["k1", "k2"]);
  const clock = new ManualClock(start);
  const b = await adopter(p, clock);
  await until(() => b.app.session("k1") !== undefined && b.app.session("k2") !== undefined, "adoption");
  const k1 = b.app.session("k1")!;
  expect([k1.closed, k1.get(b.note), k1.get(b.short)]).toEqual([true, "k1", "k1!"]);
  expect(b.runs).toEqual({ load: 1, unload: 0 }); // the load is b's own session's
  await clock.advance(58_000); // closed since its lease ran out (about `start`): kept for 60 s
  expect(b.app.session("k1")).toBe(k1);
  expect(b.deleted.sort()).toEqual(["short=k1!", "short=k2!"]); // their 5 s time-to-live (S22)
  await clock.advance(3_000);
  expect([b.app.session("k1"), b.app.session("k2")]).toEqual([undefined, undefined]);
  expect(b.deleted.sort()).toEqual(["note=k1", "note=k2", "short=k1!", "short=k2!"]);
  await eventually(async () => (await db.raw.exists([`${p}:s:k1`, `${p}:s:k2`, `${p}:sl:k1`])) === 0, "the sessions' keys to be deleted");
  expect(await db.raw.zRange(`${p}:ss`, 0, -1)).toEqual([b.own.sessionHash]); // listed no more
  await b.app.close();
}, 60_000);

test("a session closed in a process that is then killed keeps its closing time: retention counts from it, not from the adoption", async () => {
  const p = prefix();
  const start = Date.now();
  await killedWorker(p, start, ["c1=closed"]);
  const clock = new ManualClock(start + 50_000); // adopted 50 s after it closed
  const b = await adopter(p, clock);
  await until(() => b.app.session("c1") !== undefined, "adoption");
  expect(b.app.session("c1")!.get(b.note)).toBe("c1");
  await clock.advance(11_000); // 61 s after its closing, 11 s after the adoption
  expect(b.app.session("c1")).toBeUndefined();
  expect(b.deleted.sort()).toEqual(["note=c1", "short=c1!"]);
  await b.app.close();
}, 60_000);

test("S22 in the adopting process: a State's time-to-live shorter than retention ends there with its delete callback, the rest stays, and the deletion is saved", async () => {
  const p = prefix();
  const start = Date.now();
  await killedWorker(p, start, ["t1"]);
  const clock = new ManualClock(start + 2_000);
  const b = await adopter(p, clock);
  await until(() => b.app.session("t1") !== undefined, "adoption");
  await clock.advance(2_000); // 4 s since the write
  expect(b.deleted).toEqual([]);
  await clock.advance(1_100); // 5.1 s since the write
  expect(b.deleted).toEqual(["short=t1!"]);
  const t1 = b.app.session("t1")!;
  expect([t1.closed, t1.get(b.note)]).toEqual([true, "t1"]);
  // Saved without it: another process resuming it has the default, and no callback runs twice.
  const c = lifeApp();
  const other = c.demo.launch({ clock, store: leased(p) });
  const resumed = await other.connect({ sessionHash: "t1" });
  expect([resumed.get(c.note), resumed.get(c.short)]).toEqual(["t1", ""]);
  expect(b.app.session("t1")).toBeUndefined();
  expect(b.deleted).toEqual(["short=t1!"]);
  await Promise.all([b.app.close(), other.close()]);
}, 60_000);

test("sessions left by app.close() are adopted; a reconnect within retention reopens one with its State (S13), in the adopting process or in another, without load listeners", async () => {
  const p = prefix();
  const clock = new ManualClock(Date.now());
  const a = lifeApp();
  const first = a.demo.launch({ clock, store: leased(p) });
  for (const hash of ["r1", "r2"]) {
    const s = await first.connect({ sessionHash: hash });
    await s.setState(a.note, hash);
  }
  await first.close(); // runs their unload listeners, and lets go of them
  expect(a.runs).toEqual({ load: 2, unload: 2 });
  const b = await adopter(p, clock);
  await until(() => b.app.session("r1") !== undefined && b.app.session("r2") !== undefined, "adoption");
  // In the adopting process: reopened where it is.
  const saved = async (hash: string) => deserialize((await db.raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).get(`${p}:s:${hash}`)) as Buffer) as { closedAt?: number };
  expect((await saved("r1")).closedAt).toBe(clock.now()); // saved when it closed
  const r1 = await b.app.connect({ sessionHash: "r1" });
  expect([r1.closed, r1.get(b.note)]).toEqual([false, "r1"]);
  // In another: handed over by the adopting process, as any session (docs/08).
  const c = lifeApp();
  const third = c.demo.launch({ clock, store: leased(p) });
  const r2 = await third.connect({ sessionHash: "r2" });
  expect([r2.closed, r2.get(c.note)]).toEqual([false, "r2"]);
  expect(b.app.session("r2")).toBeUndefined();
  // Saved open again: a process that would adopt it later does not count from the old closing.
  await eventually(async () => (await saved("r1")).closedAt === undefined && (await saved("r2")).closedAt === undefined, "r1 and r2 to be saved open");
  expect([b.runs, c.runs]).toEqual([{ load: 1, unload: 0 }, { load: 0, unload: 0 }]);
  await clock.advance(61_000); // open now: retention does not apply
  expect([b.app.session("r1"), third.session("r2")]).toEqual([r1, r2]);
  expect([b.deleted, c.deleted]).toEqual([[], []]);
  await Promise.all([b.app.close(), third.close()]);
}, 60_000);

test("S14 across processes: a process adopts only into free sessionCapacity (never evicting); the rest wait in Redis for a process with room", async () => {
  const p = prefix();
  const clock = new ManualClock(Date.now());
  const a = lifeApp();
  const first = a.demo.launch({ clock, store: leased(p) });
  for (const hash of ["o1", "o2", "o3"]) await (await first.connect({ sessionHash: hash })).setState(a.note, hash);
  await first.close();
  const b = await adopter(p, clock, 2); // its own open session, and room for one more
  await until(() => b.app.sessionCount === 2, "one adoption");
  await sleep(500); // several more rounds
  expect(b.app.sessionCount).toBe(2);
  expect(b.own.closed).toBe(false);
  const c = await adopter(p, clock, 10);
  await until(() => c.app.sessionCount === 3, "the other two adopted");
  const held = ["o1", "o2", "o3"].filter((h) => b.app.session(h) ?? c.app.session(h));
  expect(held).toEqual(["o1", "o2", "o3"]);
  await Promise.all([b.app.close(), c.app.close()]);
}, 60_000);

test("a session held unchanged for longer than sessionTtl keeps its saved values (renewed with its lease): handed over, it resumes with its State", async () => {
  const p = prefix();
  const clock = new ManualClock(Date.now());
  const store = () => redisStore({ url: db.server.url, prefix: p, sessionLease: 0.3, sessionTtl: 0.5 });
  const [a, b] = [lifeApp(), lifeApp()];
  const first = a.demo.launch({ clock, store: store() });
  const second = b.demo.launch({ clock, store: store() });
  const held = await first.connect({ sessionHash: "idle" });
  expect(await held.setState(a.note, "kept")).toEqual({ status: "complete" });
  await sleep(1_000); // twice sessionTtl, unchanged
  expect(await db.raw.exists(`${p}:s:idle`)).toBe(1);
  const resumed = await second.connect({ sessionHash: "idle" });
  expect(resumed.get(b.note)).toBe("kept");
  expect([a.runs.load, b.runs.load]).toEqual([1, 0]);
  await Promise.all([first.close(), second.close()]);
}, 60_000);

test("a lease found lost at its renewal: gone with its saved values (as in a Redis restarted empty), the session is saved again; taken by another process, the session leaves this one, which refuses its events", async () => {
  const p = prefix();
  const clock = new ManualClock(Date.now());
  const a = lifeApp();
  const app = a.demo.launch({ clock, store: leased(p) });
  const session = await app.connect({ sessionHash: "l1" });
  expect(await session.setState(a.note, "l1")).toEqual({ status: "complete" });
  const lease = await db.raw.get(`${p}:sl:l1`);
  await db.raw.del([`${p}:sl:l1`, `${p}:s:l1`]);
  await eventually(async () => (await db.raw.exists(`${p}:s:l1`)) === 1, "the session to be saved again");
  expect(await db.raw.get(`${p}:sl:l1`)).toBe(lease);
  expect(app.session("l1")).toBe(session);
  await db.raw.set(`${p}:sl:l1`, "another process", { PX: 10_000 });
  await until(() => app.session("l1") === undefined, "the session to leave");
  expect(a.runs.unload).toBe(0); // not closed: it runs in the other process
  expect((await session.setState(a.note, "lost")).error).toMatchObject({ code: "session_removed" });
  expect(await db.raw.get(`${p}:sl:l1`)).toBe("another process");
  await app.close();
}, 60_000);

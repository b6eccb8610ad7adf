/**
 * `blockstate/redis` (issue 15, docs/08): apps launched on one Redis and prefix share Globals
 * (S7, S8, S56) and sessions. Each app instance here stands for a process (its own token,
 * connections, locks and leases); spec/redis/processes.test.ts uses real processes.
 */
import { deserialize, serialize } from "node:v8";
import * as gr from "blockstate";
import { createClient, RESP_TYPES } from "redis";
import { redisStore } from "blockstate/redis";
import { ManualClock } from "blockstate/testing";
import { startRedis, type RedisServer } from "../support/redis";
import { counterApp } from "./apps";
import { RELAY_OVERFLOW } from "../../src/runtime/store";
import { until } from "../server/apps";

let redis: RedisServer;
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis.dispose());

/** A fresh prefix per test: tests never see each other's keys. */
const prefix = () => `t${++n}`;

test("launch({ store }) refuses what is not a store, naming the option and the value", () => {
  const { demo } = counterApp();
  expect(() => demo.launch({ store: {} as never })).toThrow('launch(): store must be a store (redisStore(...) from blockstate/redis); got {}.');
});

test("launch({ store: new MemoryStore() }) is the default: each app keeps its Globals and sessions to itself", async () => {
  const { demo, add, total } = counterApp();
  const a = demo.launch({ store: new gr.MemoryStore() });
  const b = demo.launch();
  const alice = await a.connect();
  await alice.click(add);
  await b.connect();
  expect([a.get(total), b.get(total)]).toEqual([1, 0]);
  await expect(b.connect({ sessionHash: alice.sessionHash })).resolves.not.toBe(alice);
  await Promise.all([a.close(), b.close()]);
});

test("launch() stays synchronous and connects on the first connect(); a Global written in one app is what another reads after connect()", async () => {
  const one = counterApp();
  const two = counterApp();
  const p = prefix();
  const a = one.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const alice = await a.connect();
  expect(await alice.click(one.add)).toEqual({ status: "complete" });
  expect(await alice.click(one.add)).toEqual({ status: "complete" });
  const b = two.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const bob = await b.connect();
  expect(bob.get(two.total)).toBe(2);
  await Promise.all([a.close(), b.close()]);
});

test("S8 across apps: concurrent increments from three app instances lose no update", async () => {
  const p = prefix();
  const apps = [counterApp(), counterApp(), counterApp()].map((x) => ({ ...x, app: x.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) }) }));
  await Promise.all(
    apps.map(async ({ app, add }) => {
      const sessions = await Promise.all([app.connect(), app.connect()]);
      await Promise.all(sessions.map(async (s) => {
        for (let i = 0; i < 50; i++) expect(await s.click(add)).toEqual({ status: "complete" });
      }));
    }),
  );
  const check = counterApp();
  const reader = check.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  await reader.connect();
  expect(reader.get(check.total)).toBe(300);
  await Promise.all([...apps.map((x) => x.app.close()), reader.close()]);
}, 60_000);

test("S56 across apps: a Global changed in one app runs the .change listeners of the other app's open sessions", async () => {
  const one = counterApp();
  const two = counterApp();
  const p = prefix();
  const a = one.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const b = two.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const [alice, bob] = await Promise.all([a.connect(), b.connect()]);
  const seen: number[] = [];
  bob.value$(two.seen).subscribe((v) => seen.push(v as number));
  await alice.click(one.setTotal);
  await new Promise<void>((resolve) => {
    const sub = bob.value$(two.seen).subscribe((v) => v === 100 && resolve());
    void sub;
  });
  await bob.idle();
  expect(bob.get(two.total)).toBe(100);
  expect(seen).toEqual([null, 100]);
  await Promise.all([a.close(), b.close()]);
});

test("a session changed only by a Global's .change run (S56) is saved like a settled event: it resumes in another app with that State", async () => {
  const mirrorApp = () => {
    let set!: gr.Button, total!: gr.Global<number>, mirror!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      total = new gr.Global(0);
      mirror = new gr.State(0);
      set = new gr.Button("set");
      set.click(() => 7, [], total);
      total.change((t: number) => t * 2, total, mirror);
    });
    return { demo, set, total, mirror };
  };
  const [one, two, three] = [mirrorApp(), mirrorApp(), mirrorApp()];
  const p = prefix();
  const [a, b, c] = [one, two, three].map((x) => x.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) }));
  const [alice, bob] = await Promise.all([a.connect(), b.connect()]);
  expect(await alice.click(one.set)).toEqual({ status: "complete" });
  await until(() => bob.get(two.mirror) === 14, "the .change run in b");
  await bob.idle(); // its save is pending work of the session
  const resumed = await c.connect({ sessionHash: bob.sessionHash }); // b hands it over
  expect(resumed.get(three.mirror)).toBe(14);
  await Promise.all([a.close(), b.close(), c.close()]);
});

test("a Global value over maxGlobalBytes: the event fails naming the Global and the limit, and the previous value is kept here and in Redis", async () => {
  const one = counterApp();
  const p = prefix();
  const a = one.demo.launch({ store: redisStore({ url: redis.url, prefix: p, maxGlobalBytes: 1000 }) });
  const alice = await a.connect();
  await alice.click(one.setTotal);
  const result = await alice.click(one.big);
  expect(result.status).toBe("error");
  expect(result.error!.message).toMatch(/^The value for Global #\d+ takes 20\d\d bytes, over redisStore's maxGlobalBytes \(1000\); Global #\d+ keeps its previous value\.$/);
  expect((result.error as gr.EventError).code).toBe("value_too_large");
  expect(alice.get(one.total)).toBe(100);
  const two = counterApp();
  const b = two.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  await b.connect();
  expect(b.get(two.total)).toBe(100);
  await Promise.all([a.close(), b.close()]);
});

test("a session resumes in another app with its values: handed over when idle; refused, naming it, while its owner runs an event", async () => {
  let open!: () => void;
  const one = counterApp(new Promise<void>((resolve) => (open = resolve)));
  const two = counterApp();
  const p = prefix();
  const a = one.demo.launch({ store: redisStore({ url: redis.url, prefix: p, commandTimeout: 0.3 }) });
  const b = two.demo.launch({ store: redisStore({ url: redis.url, prefix: p, commandTimeout: 0.3 }) });
  const alice = await a.connect();
  await alice.click(one.bump);
  await alice.click(one.bump);
  const hash = alice.sessionHash;
  const running = alice.click(one.slow); // holds the session in a until the gate opens
  await expect(b.connect({ sessionHash: hash })).rejects.toThrow(
    new RegExp(`^connect\\(\\): session ${hash} is running in another process, which holds its lease and did not hand it over within commandTimeout \\(0.3 s`),
  );
  open();
  expect(await running).toEqual({ status: "complete" });
  const resumed = await b.connect({ sessionHash: hash }); // idle now: a hands it over
  expect(resumed.get(two.count)).toBe(3);
  expect(a.session(hash)).toBeUndefined(); // it left a, not closed (no unload listeners)
  expect(await resumed.click(two.bump)).toEqual({ status: "complete" });
  expect(resumed.get(two.count)).toBe(4);
  // Back to a, as a load balancer without sticky sessions may send it.
  const back = await a.connect({ sessionHash: hash });
  expect(back.get(one.count)).toBe(4);
  expect(b.session(hash)).toBeUndefined();
  await Promise.all([a.close(), b.close()]);
});

test("S21 across processes: a resumed session's State keeps its time-to-live from its last write, not from the resume", async () => {
  const clock = new ManualClock();
  const ttlApp = () => {
    const deleted: unknown[] = [];
    let note!: gr.State<string>;
    let write!: gr.Button;
    const demo = new gr.Blocks(() => {
      note = new gr.State<string>("", { timeToLive: 10, deleteCallback: (v: string) => void deleted.push(v) });
      write = new gr.Button("write");
      write.click(() => "kept", undefined, note);
    });
    return { demo, note, write, deleted };
  };
  const one = ttlApp();
  const two = ttlApp();
  const p = prefix();
  const a = one.demo.launch({ clock, store: redisStore({ url: redis.url, prefix: p }) });
  const b = two.demo.launch({ clock, store: redisStore({ url: redis.url, prefix: p }) });
  const alice = await a.connect();
  expect(await alice.click(one.write)).toEqual({ status: "complete" }); // written at t = 0
  await clock.advance(6_000);
  const resumed = await b.connect({ sessionHash: alice.sessionHash }); // at t = 6 s
  expect(resumed.get(two.note)).toBe("kept");
  await clock.advance(5_000); // t = 11 s: 11 s since the write, 5 s since the resume
  expect(resumed.get(two.note)).toBe("");
  expect(two.deleted).toEqual(["kept"]);
  await Promise.all([a.close(), b.close()]);
});

test("two apps racing to connect one session hash: never both hold it; the one that lost it refuses events", async () => {
  const one = counterApp();
  const two = counterApp();
  const p = prefix();
  const a = one.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const b = two.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const [sa, sb] = await Promise.all([a.connect({ sessionHash: "shared-hash" }), b.connect({ sessionHash: "shared-hash" })]);
  // One got it first and handed it over (idle) to the other: exactly one still holds it.
  const holders = [a.session("shared-hash"), b.session("shared-hash")].filter((s) => s !== undefined);
  expect(holders).toHaveLength(1);
  const [winner, loser, loserBump, winnerBump] = holders[0] === sa ? [sa, sb, two.bump, one.bump] : [sb, sa, one.bump, two.bump];
  const refused = await loser.click(loserBump);
  expect((refused.error as gr.EventError).code).toBe("session_removed");
  expect(await winner.click(winnerBump)).toEqual({ status: "complete" });
  await Promise.all([a.close(), b.close()]);
});

test("a State that cannot be saved is refused at launch, named; processLocal keeps it in the process", () => {
  let local!: gr.State;
  const demo = new gr.Blocks(() => {
    new gr.State(0);
    // Copyable (it says how, S3) but not serialisable: it holds a function.
    local = new gr.State({ open: () => 1, [gr.clone]() { return { ...this }; } });
  });
  expect(() => demo.launch({ store: redisStore({ prefix: prefix() }) })).toThrow(
    /^launch\(\): State #1 cannot be kept in Redis: its value .* cannot be serialised \(.*\)\. Values are saved with structured clone .*processLocal/,
  );
  expect(() => demo.launch({ store: redisStore({ prefix: prefix(), processLocal: [local] }) })).not.toThrow();
});

test("redisStore() checks its options", () => {
  expect(() => redisStore({ sessionLease: 61 })).toThrow("redisStore(): sessionLease must be at most 60 seconds; got 61.");
  expect(() => redisStore({ prefix: "a b" })).toThrow('redisStore(): prefix must be a non-empty string without spaces or "|"; got "a b".');
  expect(() => redisStore({ maxGlobalBytes: 0 })).toThrow(/maxGlobalBytes must be an integer/);
  expect(() => redisStore({ urll: "x" } as never)).toThrow(/redisStore\(\).*urll/);
});

test("Redis restarted during a run: events fail with a clear error within commandTimeout while it is down, and work resumes when it returns", async () => {
  const own = await startRedis();
  try {
    const { demo, add, bump, total, count } = counterApp();
    const app = demo.launch({ store: redisStore({ url: own.url, prefix: prefix(), commandTimeout: 0.5 }) });
    const alice = await app.connect();
    expect(await alice.click(add)).toEqual({ status: "complete" });
    expect(await alice.click(bump)).toEqual({ status: "complete" });
    // The Global's lock may still be kept here (LINGER_MS): then the failed `add` commits
    // before its write fails, and goes back to the value before it.
    await own.stop();
    for (const button of [add, bump]) {
      const result = await alice.click(button);
      expect(result.status).toBe("error");
      expect((result.error as gr.EventError).code).toBe("store_unavailable");
      expect(result.error!.message).toMatch(new RegExp(`^redisStore: Redis at ${own.url} (did not answer within 0.5 s \\(down or overloaded\\)|failed: .+)\\.$`));
    }
    await own.start();
    expect(await clickUntilComplete(alice, bump)).toEqual({ status: "complete" });
    expect(await alice.click(add)).toEqual({ status: "complete" });
    // The failed increment's write never reached Redis; this one did (a restarted Redis is empty).
    expect(alice.get(total)).toBe(2);
    expect(alice.get(count)).toBeGreaterThanOrEqual(2);
    await app.close();
  } finally {
    await own.dispose();
  }
}, 60_000);

/** Clicks `button` every 50 ms until an event completes (Redis back after a restart), at most 100 times; the last result. */
async function clickUntilComplete(session: gr.Session, button: gr.Button): Promise<gr.EventResult> {
  let result = await session.click(button);
  for (let i = 1; i < 100 && result.status !== "complete"; i++) {
    await new Promise((r) => setTimeout(r, 50));
    result = await session.click(button);
  }
  return result;
}

/** A Global counter whose `slowAdd` holds the Global's lock until `open()`; `seen` follows it (.change). */
function gatedCounter(then?: (t: number) => number) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let started = false;
  let add!: gr.Button, slowAdd!: gr.Button, set!: gr.Button, total!: gr.Global<number>, seen!: gr.Number;
  const demo = new gr.Blocks(() => {
    total = new gr.Global(0);
    seen = new gr.Number();
    add = new gr.Button("add");
    add.click((t: number) => t + 1, total, total);
    slowAdd = new gr.Button("slow add");
    const listener = slowAdd.click(async (t: number) => {
      started = true;
      await gate;
      return t + 1;
    }, total, total);
    if (then) listener.then(then, total, total);
    set = new gr.Button("set");
    set.click(() => 100, [], total); // writes the Global without its lock: one round trip
    total.change((t: number) => t, total, seen);
  });
  return { demo, add, slowAdd, set, total, seen, open, started: () => started };
}

function expectUnavailable(result: gr.EventResult): void {
  expect(result.status).toBe("error");
  expect((result.error as gr.EventError).code).toBe("store_unavailable");
}

test("Redis gone while a run holds a Global's lock: the event fails (store_unavailable), the Global goes back to its value before the run here, and the next increment starts from it", async () => {
  const own = await startRedis();
  const { demo, add, slowAdd, total, seen, open, started } = gatedCounter();
  const p = prefix();
  const app = demo.launch({ store: redisStore({ url: own.url, prefix: p, commandTimeout: 0.5 }) });
  const other = demo.launch({ store: redisStore({ url: own.url, prefix: p }) });
  try {
    const alice = await app.connect();
    expect(await alice.click(add)).toEqual({ status: "complete" });
    const values: number[] = [];
    app.value$(total).subscribe((v) => values.push(v));
    const running = alice.click(slowAdd);
    await until(started, "the run under the lock");
    await own.stop(); // the run commits 2 here; its write to Redis fails
    open();
    expectUnavailable(await running);
    expect(app.get(total)).toBe(1);
    expect(values).toEqual([1, 2, 1]); // the restore is a change: observers see it
    await alice.idle();
    expect(alice.get(seen)).toBe(1); // ... and .change listeners run again with it (S56)
    await own.start();
    expect(await clickUntilComplete(alice, add)).toEqual({ status: "complete" });
    expect(app.get(total)).toBe(2);
    await other.connect();
    expect(other.get(total)).toBe(2); // what Redis holds (a restarted Redis is empty: written by the last add)
  } finally {
    await Promise.all([app.close(), other.close()]);
    await own.dispose();
  }
}, 60_000);

test("each failed Global write goes back: two runs of one event (.then, the second under the kept lock), and a write without the lock", async () => {
  const own = await startRedis();
  const admin = createClient({ url: own.url });
  admin.on("error", () => undefined);
  await admin.connect();
  const { demo, slowAdd, set, total, seen, open, started } = gatedCounter((t) => t + 10);
  const app = demo.launch({ store: redisStore({ url: own.url, prefix: prefix(), commandTimeout: 0.3 }) });
  try {
    const alice = await app.connect();
    const values: number[] = [];
    app.value$(total).subscribe((v) => values.push(v));
    const running = alice.click(slowAdd);
    await until(started, "the run under the lock");
    // Redis stays connected but runs no script: the lock kept here lets the .then run commit too.
    await admin.sendCommand(["CLIENT", "PAUSE", "60000", "WRITE"]);
    open();
    expectUnavailable(await running);
    expect(values).toEqual([0, 1, 11, 0]); // the first write's failure leaves the second's value; the second's goes back past both
    expect(app.get(total)).toBe(0);
    expectUnavailable(await alice.click(set));
    expect(values).toEqual([0, 1, 11, 0, 100, 0]);
    await alice.idle();
    expect(alice.get(seen)).toBe(0);
  } finally {
    await admin.sendCommand(["CLIENT", "UNPAUSE"]);
    await Promise.all([app.close(), admin.close()]);
    await own.dispose();
  }
}, 60_000);

test("the relay (docs/07): kept for the next reader up to maxBytes, then each message once to the newest reader, in order; none on MemoryStore", async () => {
  const { demo } = counterApp();
  expect(demo.launch()._store?.relay).toBeUndefined();
  const p = prefix();
  const a = demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const b = demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  try {
    const ra = a._store!.relay!;
    const rb = b._store!.relay!;
    await ra.publish("q:x", "one", 6);
    await ra.publish("q:x", "two", 6);
    await ra.publish("q:x", "three", 6); // past 6 bytes kept: dropped, the overflow marked in its place
    await ra.publish("q:x", "4", 6); // and nothing kept after it, though it would fit
    const first: string[] = [];
    const reader = await rb.read("q:x", (m) => first.push(m));
    expect(reader.kept).toEqual(["one", "two", RELAY_OVERFLOW]);
    for (let i = 0; i < 20; i++) void ra.publish("q:x", `live ${i}`, 6); // a live reader: no keep limit
    await ra.publish("q:x", "last", 6);
    await until(() => first.length === 21);
    expect(first).toEqual([...Array.from({ length: 20 }, (_, i) => `live ${i}`), "last"]);
    // A newer reader takes over: the older gets nothing more.
    const second: string[] = [];
    const newer = await ra.read("q:x", (m) => second.push(m));
    expect(newer.kept).toEqual([]);
    await rb.publish("q:x", "after", 100);
    await until(() => second.length === 1);
    expect([first.length, second]).toEqual([21, ["after"]]);
    newer.close();
    reader.close();
    await ra.publish("q:other", "", 100); // after a's LEAVE on the same connection
    await rb.publish("q:x", "kept again", 100);
    expect((await ra.read("q:x", () => undefined)).kept).toEqual(["kept again"]);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test("commands sent for no event (a kept lock let go, a session's lease released) are not kept once Redis answered them", async () => {
  const { demo, add } = counterApp();
  const a = demo.launch({ store: redisStore({ url: redis.url, prefix: prefix() }) });
  const link = a._store as unknown as { pending: Map<unknown, unknown[]>; detached: Set<unknown> };
  for (let i = 0; i < 10; i++) {
    const session = await a.connect();
    expect(await session.click(add)).toEqual({ status: "complete" });
    await new Promise((resolve) => setTimeout(resolve, 40)); // past LINGER_MS: the lock is let go
    await session.close();
    a._removeSession(session, false, false);
  }
  await until(() => link.detached.size === 0, "the releases to be answered");
  expect(link.pending.has(undefined)).toBe(false);
  await a.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test("a Global's count going back in Redis (its key deleted, a failover to a replica that lags): the other processes follow the new count, and a locked run computes from what Redis holds", async () => {
  const [one, two, three] = [counterApp(), counterApp(), counterApp()];
  const p = prefix();
  const [a, b, c] = [one, two, three].map((x) => x.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) }));
  const raw = createClient({ url: redis.url });
  await raw.connect();
  const key = `${p}:g:${one.total._id}`;
  try {
    const [alice, bob] = await Promise.all([a.connect(), b.connect(), c.connect()]);
    for (let i = 0; i < 3; i++) expect(await alice.click(one.add)).toEqual({ status: "complete" });
    await until(() => b.get(two.total) === 3 && c.get(three.total) === 3, "the changes in the other apps");
    // Deleted (or evicted): the next write counts from 1 again, and the other apps take it.
    await raw.del(key);
    expect(await bob.click(two.add)).toEqual({ status: "complete" });
    expect(await raw.hGet(key, "n")).toBe("1");
    await until(() => a.get(one.total) === 4 && c.get(three.total) === 4, "the change of the new count in the other apps");
    await sleep(100); // the kept locks are freed (LINGER_MS)
    expect(await alice.click(one.add)).toEqual({ status: "complete" });
    await until(() => b.get(two.total) === 5 && c.get(three.total) === 5, "the next change");
    // A failover to a replica that missed the last write: version 1 again, with its value 4.
    await raw.hSet(key, { v: serialize(4), n: "1" });
    await sleep(100);
    expect(await bob.click(two.add)).toEqual({ status: "complete" });
    expect(b.get(two.total)).toBe(5);
    expect(deserialize((await raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGet(key, "v"))!)).toBe(5);
  } finally {
    await Promise.all([a.close(), b.close(), c.close(), raw.close()]);
  }
});

test("a contended Global lock changes hands: a process waiting for it asks again after each failed try, so a holder that let go and took it back first cannot keep it", async () => {
  const { demo, add, total } = counterApp();
  const p = prefix();
  const app = demo.launch({ store: redisStore({ url: redis.url, prefix: p, globalLockTimeout: 1, commandTimeout: 0.5 }) });
  const raw = createClient({ url: redis.url });
  const listener = raw.duplicate();
  await Promise.all([raw.connect(), listener.connect()]);
  const lock = `${p}:gl:${total._id}`;
  try {
    const alice = await app.connect();
    // Another process holds the lock. Asked, it lets go, but the first time its next run takes
    // the lock again before the asker's LOCK comes (it holds it still); asked again, it lets go.
    await raw.set(lock, "another process", { PX: 10_000 });
    let asked = 0;
    await listener.subscribe(`${p}:ch`, (message) => {
      if (message !== `w|${total._id}` || ++asked !== 2) return;
      void raw.del(lock).then(() => raw.publish(`${p}:ch`, `u|${total._id}`));
    });
    expect(await alice.click(add)).toEqual({ status: "complete" });
    expect(asked).toBeGreaterThanOrEqual(2);
    expect(alice.get(total)).toBe(1);
  } finally {
    await Promise.all([app.close(), raw.close(), listener.close()]);
  }
});

test("a contended Global lock changes hands between two processes incrementing it in a loop: each one's increments complete", async () => {
  const p = prefix();
  const apps = [counterApp(), counterApp()].map((x) => ({ ...x, app: x.demo.launch({ store: redisStore({ url: redis.url, prefix: p, globalLockTimeout: 2, commandTimeout: 0.3 }) }) }));
  try {
    const [alice, bob] = await Promise.all(apps.map((x) => x.app.connect()));
    let running = true;
    let looped = 0;
    const loop = (async () => {
      while (running) {
        expect(await alice.click(apps[0].add)).toEqual({ status: "complete" });
        looped++;
      }
    })();
    await until(() => looped >= 20, "the first app's loop");
    for (let i = 0; i < 20; i++) expect(await bob.click(apps[1].add)).toEqual({ status: "complete" });
    running = false;
    await loop;
    await until(() => apps[1].app.get(apps[1].total) === looped + 20, "the last change");
  } finally {
    await Promise.all(apps.map((x) => x.app.close()));
  }
}, 60_000);

test("only the pub/sub connection lost: the Global locks a process kept between runs are freed in Redis, not left to run out", async () => {
  const one = counterApp();
  const p = prefix();
  const a = one.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) });
  const raw = createClient({ url: redis.url });
  await raw.connect();
  const lock = `${p}:gl:${one.total._id}`;
  try {
    const alice = await a.connect();
    const subscriber = (a._store as unknown as { subscriber: { once(event: "ready", listener: () => void): void } }).subscriber;
    let reconnected = false;
    subscriber.once("ready", () => (reconnected = true));
    // Increments keep the lock here; the subscriber reconnects between two of them.
    const loop = (async () => {
      while (!reconnected) expect(await alice.click(one.add)).toEqual({ status: "complete" });
    })();
    await sleep(20);
    await raw.sendCommand(["CLIENT", "KILL", "TYPE", "pubsub"]);
    await loop;
    for (let i = 0; i < 200 && (await raw.get(lock)) !== null; i++) await sleep(25);
    expect(await raw.get(lock)).toBeNull(); // else held for globalLockTimeout (10 s)
  } finally {
    await Promise.all([a.close(), raw.close()]);
  }
});

test("a listener locking two Globals whose second lock fails (a Redis error): the first is freed here too, and the next run takes it anew", async () => {
  const pairApp = () => {
    let both!: gr.Button, incA!: gr.Button, x!: gr.Global<number>, y!: gr.Global<number>;
    const demo = new gr.Blocks(() => {
      x = new gr.Global(0);
      y = new gr.Global(0);
      both = new gr.Button("both");
      both.click((a: number, b: number) => [a + 1, b + 1], [x, y], [x, y]);
      incA = new gr.Button("incA");
      incA.click((a: number) => a + 1, x, x);
    });
    return { demo, both, incA, x, y };
  };
  const [one, two] = [pairApp(), pairApp()];
  const p = prefix();
  const [a, b] = [one, two].map((x) => x.demo.launch({ store: redisStore({ url: redis.url, prefix: p }) }));
  const raw = createClient({ url: redis.url });
  await raw.connect();
  try {
    const [alice, bob] = await Promise.all([a.connect(), b.connect()]);
    await raw.hSet(`${p}:gl:${one.y._id}`, "x", "1"); // the second lock's key damaged: its LOCK fails
    const failed = await alice.click(one.both);
    expect(failed.error!.message).toMatch(/WRONGTYPE/);
    await raw.del(`${p}:gl:${one.y._id}`);
    expect(await bob.click(two.incA)).toEqual({ status: "complete" });
    expect(await alice.click(one.incA)).toEqual({ status: "complete" });
    expect(a.get(one.x)).toBe(2);
    await until(() => b.get(two.x) === 2, "the change in the other app");
  } finally {
    await Promise.all([a.close(), b.close(), raw.close()]);
  }
});

test("Redis restarted empty: each process saves the sessions it holds again at once, with their leases, so another process resumes one with its values (handed over)", async () => {
  const own = await startRedis();
  const [one, two] = [counterApp(), counterApp()];
  const p = prefix();
  const [a, b] = [one, two].map((x) => x.demo.launch({ store: redisStore({ url: own.url, prefix: p, commandTimeout: 0.5 }) }));
  const raw = createClient({ url: own.url });
  raw.on("error", () => undefined);
  try {
    const alice = await a.connect({ sessionHash: "alice" });
    for (let i = 0; i < 3; i++) expect(await alice.click(one.bump)).toEqual({ status: "complete" });
    await own.stop();
    await own.start();
    await raw.connect();
    for (let i = 0; i < 200 && (await raw.exists(`${p}:s:alice`)) === 0; i++) await sleep(25);
    const resumed = await b.connect({ sessionHash: "alice" });
    expect(resumed.get(two.count)).toBe(3);
    expect(a.session("alice")).toBeUndefined();
    expect(await resumed.click(two.bump)).toEqual({ status: "complete" });
    expect((await alice.click(one.bump)).error).toMatchObject({ code: "session_removed" });
  } finally {
    await Promise.all([a.close(), b.close()]);
    if (raw.isOpen) await raw.close();
    await own.dispose();
  }
}, 60_000);

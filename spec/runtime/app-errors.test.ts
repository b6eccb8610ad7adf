import * as gr from "blockstate";
import { ManualClock, flush } from "blockstate/testing";
import { STORAGE_TIMEOUT_SECONDS } from "../../src/runtime/browser-states";
import { secondsToMs } from "../../src/runtime/clock";

/** Runs `fn` and returns the unhandled rejections it left (any would kill a Node server). */
async function unhandledRejections(fn: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown): void => void seen.push(reason);
  process.on("unhandledRejection", listener);
  try {
    await fn();
    // Node reports an unhandled rejection after the microtasks of the turn it happened in.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return seen;
}

const failing = (message: string) => async (): Promise<void> => {
  await Promise.resolve();
  throw new Error(message);
};

describe("app.errors$ and failing user callbacks outside runs (#11)", () => {
  it("reports an async deleteCallback's rejection to the session it belongs to, without an unhandled rejection", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(1, { timeToLive: 1, deleteCallback: failing("cannot free") });
    });
    const app = demo.launch({ clock });
    const errors: gr.AppErrorEvent[] = [];
    app.errors$.subscribe((e) => errors.push(e));
    const s = await app.connect();
    const unhandled = await unhandledRejections(async () => {
      s.get(st);
      await clock.advance(1001);
      await flush();
    });
    expect(unhandled).toEqual([]);
    expect(s.messages).toContainEqual(expect.objectContaining({ type: "error", message: `deleteCallback of ${st.describe()} rejected: cannot free` }));
    expect(errors).toEqual([]); // the session had it
    await app.close();
  });

  it("reports the delete callbacks of an evicted session on app.errors$: sync throws and async rejections", async () => {
    let sync!: gr.State<number>, async!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      sync = new gr.State(1, {
        deleteCallback: () => {
          throw "not an Error";
        },
      });
      async = new gr.State(2, { deleteCallback: failing("async cannot free") });
    });
    const app = demo.launch({ sessionCapacity: 1 });
    const errors: gr.AppErrorEvent[] = [];
    app.errors$.subscribe((e) => errors.push(e));
    const first = await app.connect();
    first.get(sync);
    first.get(async);
    await first.close();
    const unhandled = await unhandledRejections(async () => {
      await app.connect(); // evicts the closed first session, running its delete callbacks (S14)
      await flush();
    });
    expect(unhandled).toEqual([]);
    expect(errors).toEqual([
      { source: "deleteCallback", error: new Error("not an Error"), sessionHash: first.sessionHash, cell: sync.describe() },
      { source: "deleteCallback", error: new Error("async cannot free"), sessionHash: first.sessionHash, cell: async.describe() },
    ]);
    await app.close();
  });

  it("reports a rejected async deleteCallback of a session removed at the end of its retention on app.errors$", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number>;
    const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => {
      st = new gr.State(1, { deleteCallback: failing("late") });
    });
    const app = demo.launch({ clock });
    const errors: gr.AppErrorEvent[] = [];
    app.errors$.subscribe((e) => errors.push(e));
    const s = await app.connect();
    s.get(st);
    await s.close();
    const unhandled = await unhandledRejections(async () => {
      await clock.advance(5000);
      await flush();
    });
    expect(unhandled).toEqual([]);
    expect(app.sessionCount).toBe(0);
    expect(errors).toEqual([{ source: "deleteCallback", error: new Error("late"), sessionHash: s.sessionHash, cell: st.describe() }]);
  });

  it("reports storage methods that return rejecting promises, instead of leaving unhandled rejections", async () => {
    let bs!: gr.BrowserState<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      bs = new gr.BrowserState(0);
      btn = new gr.Button();
      btn.click((v) => v + 1, bs, bs);
    });
    const app = demo.launch();
    const storage = {
      getItem: () => Promise.reject(new Error("get failed")),
      setItem: () => Promise.reject(new Error("set failed")),
      removeItem: () => undefined,
      clear: () => undefined,
      key: () => null,
      length: 0,
    } as unknown as gr.StorageLike;
    let s!: gr.Session;
    const unhandled = await unhandledRejections(async () => {
      s = await app.connect({ storage });
      await s.click(btn);
    });
    expect(unhandled).toEqual([]);
    const texts = s.messages.map((m) => ("message" in m ? m.message : ""));
    expect(texts).toContainEqual(expect.stringMatching(/BrowserState #\d+ could not be read from browser storage \(storage\.getItem rejected with get failed\)/));
    expect(texts).toContainEqual(expect.stringMatching(/BrowserState #\d+ could not be saved to browser storage \(set failed\)/));
    expect(s.get(bs)).toBe(1); // kept in the session (S94)
    await app.close();
  });

  it("reports a setItem that throws a revoked Proxy like any failed write: the event completes, the next change saves again", async () => {
    let bs!: gr.BrowserState<string>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      bs = new gr.BrowserState("default", { storageKey: "k" });
      btn = new gr.Button();
      btn.click((v) => v + "!", bs, bs);
    });
    const app = demo.launch();
    const storage = new gr.MemoryStorage();
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const setItem = storage.setItem.bind(storage);
    let hostile = true;
    storage.setItem = (key: string, value: string) => {
      if (hostile) throw proxy;
      setItem(key, value);
    };
    const s = await app.connect({ storage });
    const unhandled = await unhandledRejections(async () => {
      expect(await s.click(btn)).toMatchObject({ status: "complete" });
    });
    expect(unhandled).toEqual([]);
    expect(s.messages.map((m) => ("message" in m ? m.message : ""))).toContainEqual(expect.stringMatching(/could not be saved to browser storage \(\[object\]\)\. The value is kept/));
    hostile = false;
    expect(await s.click(btn)).toMatchObject({ status: "complete" });
    expect(storage.getItem("k")).not.toBeNull(); // saved again at the next change (S94)
    await app.close();
  });

  it("gives up on a storage method whose promise never settles after STORAGE_TIMEOUT_SECONDS: the session starts, saves fail visibly, close() and app.close() end", async () => {
    let bs!: gr.BrowserState<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      bs = new gr.BrowserState(5);
      btn = new gr.Button();
      btn.click((v) => v + 1, bs, bs);
    });
    const clock = new ManualClock();
    const app = demo.launch({ clock });
    const calls: string[] = [];
    const never = (method: string) => () => (calls.push(method), new Promise<never>(() => undefined));
    const storage = { getItem: never("getItem"), setItem: never("setItem"), removeItem: never("removeItem") } as unknown as gr.StorageLike;
    /** Real time passes until the storage is called (the key's derivation is WebCrypto's, not the clock's). */
    const calledWith = async (method: string) => {
      while (!calls.includes(method)) await new Promise((resolve) => setImmediate(resolve));
    };
    let connected: gr.Session | undefined;
    const connecting = app.connect({ storage }).then((s) => (connected = s));
    await calledWith("getItem");
    await clock.advance(secondsToMs(STORAGE_TIMEOUT_SECONDS) - 1);
    expect(connected).toBeUndefined(); // still waiting for the storage
    await clock.advance(1);
    const s = await connecting;
    expect(s.get(bs)).toBe(5); // from its default
    // An event waits for its BrowserState writes (S92): given their time, then reported.
    let clicked = false;
    const clicking = s.click(btn).then((r) => ((clicked = true), r));
    await calledWith("setItem");
    await flush();
    expect(clicked).toBe(false);
    await clock.advance(secondsToMs(STORAGE_TIMEOUT_SECONDS));
    expect((await clicking).status).toBe("complete");
    expect(s.get(bs)).toBe(6); // kept in the session (S94)
    // app.close() waits for a write in flight, for that time only.
    calls.length = 0;
    void s.click(btn);
    await calledWith("setItem");
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await flush();
    expect(closed).toBe(false);
    await clock.advance(secondsToMs(STORAGE_TIMEOUT_SECONDS));
    await closing;
    const texts = s.messages.map((m) => ("message" in m ? m.message : ""));
    expect(texts).toContainEqual(expect.stringMatching(/BrowserState #\d+ could not be read from browser storage \(storage\.getItem did not settle within 10 s\)/));
    expect(texts).toContainEqual(expect.stringMatching(/BrowserState #\d+ could not be saved to browser storage \(storage\.setItem did not settle within 10 s\)/));
  });

  it("reports a storage write that fails after its session was removed on app.errors$", async () => {
    let bs!: gr.BrowserState<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      bs = new gr.BrowserState(0);
      btn = new gr.Button();
      btn.click((v) => v + 1, bs, bs);
    });
    const app = demo.launch({ sessionCapacity: 1 });
    const errors: gr.AppErrorEvent[] = [];
    app.errors$.subscribe((e) => errors.push(e));
    let rejectWrite!: (e: Error) => void;
    let writeStarted!: () => void;
    const started = new Promise<void>((resolve) => (writeStarted = resolve));
    const storage = new gr.MemoryStorage();
    storage.setItem = () => {
      writeStarted();
      return new Promise<void>((_, reject) => (rejectWrite = reject)) as never;
    };
    const s = await app.connect({ storage });
    const click = s.click(btn); // its write (after encryption) waits for the storage
    await started;
    await app.connect(); // evicts s while its write is pending
    const unhandled = await unhandledRejections(async () => {
      rejectWrite(new Error("quota"));
      await click;
    });
    expect(unhandled).toEqual([]);
    expect(errors).toContainEqual({ source: "storage", error: new Error("quota"), sessionHash: s.sessionHash, cell: bs.describe() });
    await app.close();
  });

  it("reports failing unload listeners (sync or async) to the session, also when app.close() runs them", async () => {
    const demo = new gr.Blocks((demo) => {
      demo.unload(() => {
        throw new Error("sync unload");
      });
      demo.unload(failing("async unload"));
    });
    const app = demo.launch({ showError: true });
    const a = await app.connect();
    const b = await app.connect();
    const unhandled = await unhandledRejections(async () => {
      await a.close();
      await app.close();
    });
    expect(unhandled).toEqual([]);
    for (const s of [a, b]) {
      expect(s.messages.map((m) => ("message" in m ? m.message : ""))).toEqual(expect.arrayContaining(["sync unload", "async unload"]));
    }
  });

  it("is hot and costs nothing unsubscribed: only failures while subscribed arrive; it completes at app.close()", async () => {
    let st!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(1, {
        deleteCallback: () => {
          throw new Error("x");
        },
      });
    });
    const app = demo.launch({ sessionCapacity: 1 });
    const evict = async (): Promise<void> => {
      const s = await app.connect();
      s.get(st);
      await s.close();
    };
    await evict();
    await evict(); // nobody subscribed: dropped
    const seen: string[] = [];
    let completed = false;
    const subscription = app.errors$.subscribe({ next: (e) => seen.push(e.source), complete: () => (completed = true) });
    await evict();
    expect(seen).toEqual(["deleteCallback"]);
    subscription.unsubscribe();
    await evict();
    expect(seen).toEqual(["deleteCallback"]);
    app.errors$.subscribe({ complete: () => (completed = true) });
    await app.close();
    expect(completed).toBe(true);
  });
});

describe("session capacity: closed sessions go first (S14, #11)", () => {
  it("keeps open sessions through many page loads that close at once; evicts the least recently used open one only when all are open, and reports it", async () => {
    let st!: gr.State<string>;
    const deleted: string[] = [];
    const demo = new gr.Blocks(() => {
      st = new gr.State("v", { deleteCallback: (v) => void deleted.push(v) });
    });
    const app = demo.launch({ sessionCapacity: 3 });
    const errors: gr.AppErrorEvent[] = [];
    app.errors$.subscribe((e) => errors.push(e));
    const a = await app.connect();
    const b = await app.connect();
    a.get(st);
    b.get(st);
    for (let i = 0; i < 50; i++) {
      const anonymous = await app.connect();
      anonymous.get(st);
      await anonymous.close();
    }
    expect(app.session(a.sessionHash)).toBe(a);
    expect(app.session(b.sessionHash)).toBe(b);
    expect([a.closed, b.closed, app.sessionCount]).toEqual([false, false, 3]);
    expect(deleted).toHaveLength(49); // every evicted closed session's delete callbacks ran (S14)
    expect(errors).toEqual([]); // evicting closed sessions is routine

    const c = await app.connect(); // takes the last closed one's place
    expect(deleted).toHaveLength(50);
    a.get(st); // a use: b is now the least recently used
    const warnings: gr.Message[] = [];
    b.messages$.subscribe((m) => warnings.push(m));
    const d = await app.connect(); // all held are open: b goes
    expect(app.session(b.sessionHash)).toBeUndefined();
    expect([a, c, d].map((s) => app.session(s.sessionHash))).toEqual([a, c, d]);
    expect(deleted).toHaveLength(51);
    expect(errors).toEqual([{ source: "eviction", error: expect.any(Error), sessionHash: b.sessionHash }]);
    expect(errors[0].error.message).toMatch(/was evicted while open: the app holds sessionCapacity \(3\) sessions, all open/);
    expect(warnings).toContainEqual(expect.objectContaining({ type: "warning", message: expect.stringMatching(/was evicted while open/) }));
    await app.close();
  });

  it("evicts closed sessions in the order they closed", async () => {
    const demo = new gr.Blocks(() => undefined);
    const app = demo.launch({ sessionCapacity: 3 });
    const [x, y, z] = [await app.connect(), await app.connect(), await app.connect()];
    await y.close();
    await x.close();
    await z.close();
    x.snapshot(); // a use of a closed session does not keep it: it is still the second closed
    await app.connect();
    expect([x, y, z].map((s) => app.session(s.sessionHash) === s)).toEqual([true, false, true]);
    await app.connect();
    expect([x, y, z].map((s) => app.session(s.sessionHash) === s)).toEqual([false, false, true]);
  });

  it("a reconnect that waits while another connect evicts the closed session gets a fresh session, not the removed one", async () => {
    const app = new gr.Blocks(() => undefined).launch({ sessionCapacity: 2 });
    const old = await app.connect();
    const other = await app.connect();
    await old.close();
    const [again, fresh] = await Promise.all([app.connect({ sessionHash: old.sessionHash }), app.connect()]);
    expect(again.sessionHash).toBe(old.sessionHash);
    expect(again).not.toBe(old); // old was evicted while the reconnect waited
    expect(again._removed).toBe(false);
    expect(app.session(old.sessionHash)).toBe(again);
    expect([again.closed, fresh.closed]).toEqual([false, false]);
    expect(app.sessionCount).toBe(2);
    expect(app.session(other.sessionHash)).toBeUndefined(); // all open: the least recently used
  });

  it("does not retain a session evicted while its unload listeners ran", async () => {
    const clock = new ManualClock();
    const demo = new gr.Blocks((demo) => {
      demo.unload(() => clock.sleep(100));
    });
    const app = demo.launch({ clock, sessionCapacity: 1 });
    const first = await app.connect();
    const closing = first.close();
    await flush();
    const second = await app.connect(); // first is still open (closing): it is evicted
    await clock.advance(100);
    await closing;
    expect(app.sessionCount).toBe(1);
    const third = await app.connect(); // must evict second, not the gone first
    expect(app.session(second.sessionHash)).toBeUndefined();
    expect(app.session(third.sessionHash)).toBe(third);
    expect(app.sessionCount).toBe(1);
    const closed = app.close(); // third's unload listener sleeps 100 ms
    await clock.advance(100);
    await closed;
    expect(clock.pending).toBe(0);
  });
});

describe("tiny durations (#11)", () => {
  it("a timeLimit of 1e-300 s cancels the run once; the clock moves on", async () => {
    const clock = new ManualClock();
    let go!: gr.Button;
    const demo = new gr.Blocks(() => {
      go = new gr.Button();
      go.click(() => clock.sleep(5000), undefined, undefined, { timeLimit: 1e-300 });
    });
    const s = await demo.launch({ clock }).connect();
    const run = s.click(go);
    await clock.advance(10);
    expect(await run).toMatchObject({ status: "cancelled" });
    await clock.advance(10_000);
    expect(clock.now()).toBe(10_010);
  });
});

describe("sessionCapacity bounds (#11)", () => {
  it("costs nothing up front, even at the largest capacity", () => {
    const used = (): number => {
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = used();
    const app = new gr.Blocks(() => undefined).launch({ sessionCapacity: gr.MAX_SESSION_CAPACITY });
    const growth = used() - before;
    expect(app.sessionCapacity).toBe(2 ** 24);
    expect(growth).toBeLessThan(10 * 1024 * 1024);
  });

  it.each([0, -1, 1.5, NaN, Infinity, 2 ** 24 + 1, 2 ** 31 - 1, 2 ** 32, "10"])("refuses sessionCapacity %p with a TypeError naming it", (capacity) => {
    const demo = new gr.Blocks(() => undefined);
    expect(() => demo.launch({ sessionCapacity: capacity as number })).toThrow(TypeError);
    expect(() => demo.launch({ sessionCapacity: capacity as number })).toThrow(/^launch\(\): sessionCapacity must be an integer from 1 to 16777216; got /);
  });
});

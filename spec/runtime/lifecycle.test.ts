import fc from "fast-check";
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

describe("session capacity (S14)", () => {
  it("evicts the least recently used: sessions 1,2,1,2,3,2,1 see 0,0,1,1,0,2,0", async () => {
    let visits!: gr.State<number>, out!: gr.Number, btn!: gr.Button;
    const deleted: number[] = [];
    const demo = new gr.Blocks(() => {
      visits = new gr.State(0, { deleteCallback: (v) => deleted.push(v) });
      out = new gr.Number();
      btn = new gr.Button();
      btn.click((v) => [v + 1, v], visits, [visits, out]);
    });
    const app = demo.launch({ sessionCapacity: 2 });
    const seen: (number | null)[] = [];
    for (const id of [1, 2, 1, 2, 3, 2, 1]) {
      const s = await app.connect({ sessionHash: `user-${id}` });
      await s.click(btn);
      seen.push(s.get(out));
    }
    expect(seen).toEqual([0, 0, 1, 1, 0, 2, 0]);
    expect(app.sessionCount).toBe(2);
    expect(deleted).toEqual([2, 1]); // user-1 evicted by user-3, user-3 by user-1's return
  });

  it("evicts exactly the least recently used open session under any mix of uses, new users, closes and removals", async () => {
    // A model of S14 (sessions in order of use, closed ones in order of closing) against the
    // app, whose order of use is kept as use stamps and sorted only when an open session must
    // go: uses, connects and removals between two evictions must not make it pick another.
    const clock = new ManualClock();
    let btn!: gr.Button;
    const demo = new gr.Blocks({ deleteCache: [60, 100] }, () => {
      btn = new gr.Button();
      btn.click(() => undefined);
    });
    const op = fc.oneof(
      { arbitrary: fc.constant({ kind: "connect" as const }), weight: 3 },
      { arbitrary: fc.record({ kind: fc.constant("use" as const), who: fc.nat() }), weight: 3 },
      fc.record({ kind: fc.constant("close" as const), who: fc.nat() }),
      fc.constant({ kind: "retention" as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 40 }), async (capacity, ops) => {
        const app = demo.launch({ clock, sessionCapacity: capacity });
        const byUse: gr.Session[] = []; // least recently used first
        const closed: gr.Session[] = []; // closed longest ago first
        const drop = (s: gr.Session) => {
          byUse.splice(byUse.indexOf(s), 1);
          if (closed.includes(s)) closed.splice(closed.indexOf(s), 1);
        };
        let n = 0;
        for (const o of ops) {
          if (o.kind === "connect") {
            if (byUse.length === capacity) drop(closed[0] ?? byUse[0]);
            byUse.push(await app.connect({ sessionHash: `user-${n++}` }));
          } else if (o.kind === "retention") {
            await clock.advance(120_000); // past deleteCache's age: every closed session is removed
            for (const s of [...closed]) drop(s);
          } else if (byUse.length > 0) {
            const s = byUse[o.who % byUse.length];
            if (closed.includes(s)) continue;
            if (o.kind === "use") {
              await s.click(btn);
              byUse.splice(byUse.indexOf(s), 1);
              byUse.push(s);
            } else {
              await s.close();
              closed.push(s);
            }
          }
          expect(byUse.filter((s) => app.session(s.sessionHash) !== s)).toEqual([]);
          expect(app.sessionCount).toBe(byUse.length);
        }
        await app.close();
      }),
      { numRuns: 200 },
    );
  });

  it("at capacity with every session open, a removal between two evictions does not make the next one sort every session again", async () => {
    // The order of use is sorted when an open session must go, and serves the evictions after
    // it: a session removed meanwhile (retention) leaves it, without a new sort. Counted, not timed.
    const N = 2000;
    const clock = new ManualClock();
    const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => void new gr.State(0));
    const app = demo.launch({ clock, sessionCapacity: N });
    app.errors$.subscribe(() => undefined); // eviction reports
    const sessions: gr.Session[] = [];
    for (let i = 0; i < N; i++) sessions.push(await app.connect());
    const sort = Array.prototype.sort;
    let fullSorts = 0;
    Array.prototype.sort = function (this: unknown[], ...args: [((a: unknown, b: unknown) => number)?]) {
      if (this.length >= N / 2) fullSorts++;
      return sort.apply(this, args);
    } as typeof sort;
    try {
      for (let i = 0; i < 100; i++) {
        await sessions[N - 1 - i].close(); // a recent user leaves: never the one evicted
        await clock.advance(2500); // retention (deleteCache [1, 1]) removes it
        await app.connect(); // there is room
        await app.connect(); // all open: the least recently used is evicted
      }
    } finally {
      Array.prototype.sort = sort;
    }
    expect(app.sessionCount).toBe(N);
    expect(fullSorts).toBeLessThanOrEqual(2);
    await app.close();
  });

  it("refuses events on a session the app dropped, without re-creating its State", async () => {
    let visits!: gr.State<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      visits = new gr.State(0);
      btn = new gr.Button();
      btn.click((v) => v + 1, visits, visits);
    });
    const app = demo.launch({ sessionCapacity: 1 });
    const first = await app.connect();
    await first.click(btn);
    await app.connect(); // evicts the first
    const result = await first.click(btn);
    expect(result).toMatchObject({ status: "error", error: { code: "session_removed" } });
    expect(first.messages.at(-1)).toMatchObject({ type: "error", message: expect.stringMatching(/no longer held by the app/) });
    await expect(first.call("lambda")).rejects.toMatchObject({ code: "session_removed" });
    expect(app.sessionCount).toBe(1);
  });
});

describe("a session evicted while a run is in flight (S14)", () => {
  it("cancels the run: nothing is written or kept for it, and its State's delete callbacks ran once", async () => {
    const clock = new ManualClock();
    const deleted: unknown[] = [];
    let st!: gr.State<string>, btn!: gr.Button, out!: gr.Textbox;
    let ticks = 0;
    const demo = new gr.Blocks(() => {
      st = new gr.State("default", { timeToLive: 60, deleteCallback: (v) => void deleted.push(v) });
      out = new gr.Textbox();
      btn = new gr.Button();
      new gr.Timer(1).tick(() => void ticks++);
      btn.click(async () => {
        await clock.sleep(100);
        return ["from the run", "done"];
      }, st, [st, out]);
    });
    const app = demo.launch({ clock, sessionCapacity: 1 });
    const evicted = await app.connect();
    const pending = evicted.click(btn);
    await clock.advance(10);
    await app.connect(); // all sessions open: the least recently used goes
    expect(await pending).toMatchObject({ status: "cancelled", error: { code: "session_removed" } });
    expect(deleted).toEqual(["default"]);
    const before = ticks;
    await clock.advance(120_000); // its late result is dropped, and neither its TTL nor its Timer runs again
    expect(deleted).toEqual(["default"]);
    expect(ticks - before).toBe(120); // the other session's Timer only
  });
});

describe("Session.close()", () => {
  it("called twice at once runs the unload listeners once and answers both when done", async () => {
    const clock = new ManualClock();
    let unloads = 0;
    const demo = new gr.Blocks((demo) => {
      demo.unload(async () => {
        unloads++;
        await clock.sleep(100);
      });
    });
    const s = await demo.launch({ clock }).connect();
    let firstDone = false;
    let secondDone = false;
    const first = s.close().then(() => (firstDone = true));
    const second = s.close().then(() => (secondDone = true));
    await clock.advance(50);
    expect([firstDone, secondDone, s.closed]).toEqual([false, false, false]);
    await clock.advance(50);
    await Promise.all([first, second]);
    expect([unloads, s.closed]).toEqual([1, true]);
  });
});

describe("a session closed while connect() is still starting (S13, S20)", () => {
  it("stays closed: its load listeners never run after its unload listeners, and the retention sweep removes it", async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const demo = new gr.Blocks({ deleteCache: [1, 10] }, (demo) => {
      new gr.BrowserState("default", { storageKey: "k" });
      new gr.Timer(1).tick(() => void log.push("tick"));
      demo.load(() => void log.push("load"));
      demo.unload(() => void log.push("unload"));
    });
    const app = demo.launch({ clock });
    let answer!: (v: string | null) => void;
    const storage = new gr.MemoryStorage();
    storage.getItem = (() => new Promise<string | null>((resolve) => (answer = resolve))) as never;
    const connecting = app.connect({ sessionHash: "tab", storage });
    while (!answer) await new Promise((resolve) => setImmediate(resolve)); // the key is derived in real time
    await app.session("tab")!.close();
    answer(null);
    const s = await connecting;
    await clock.advance(5_000);
    expect([s.closed, log]).toEqual([true, ["unload"]]);
    await clock.advance(60_000);
    expect(app.sessionCount).toBe(0);
    await app.close();
  });
});

describe("App.close()", () => {
  it("called twice answers both when the app is closed", async () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const demo = new gr.Blocks((demo) => {
      new gr.Timer(1).tick(() => undefined);
      demo.unload(async () => {
        await clock.sleep(100);
        log.push("unload done");
      });
    });
    const app = demo.launch({ clock });
    await app.connect();
    const first = app.close();
    let secondDone = false;
    const second = app.close().then(() => (secondDone = true));
    await clock.advance(99);
    expect(secondDone).toBe(false);
    await clock.advance(1);
    await Promise.all([first, second]);
    expect({ log, sessions: app.sessionCount, timers: clock.pending }).toEqual({ log: ["unload done"], sessions: 0, timers: 0 });
    await app.close(); // and after
  });

  it("closes every session at once: their unload listeners run side by side, not one after another", async () => {
    const clock = new ManualClock();
    const started: string[] = [];
    const demo = new gr.Blocks((demo) => {
      demo.unload(
        async (ctx: gr.EventContext) => {
          started.push(ctx.sessionHash);
          await clock.sleep(100);
        },
        { queue: false },
      );
    });
    const app = demo.launch({ clock });
    const sessions = [await app.connect(), await app.connect(), await app.connect()];
    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await clock.advance(0);
    expect(started.sort()).toEqual(sessions.map((s) => s.sessionHash).sort());
    await clock.advance(99);
    expect(closed).toBe(false);
    await clock.advance(1);
    await closing;
    expect([closed, app.sessionCount, clock.now()]).toEqual([true, 0, 100]);
  });
});

describe("State time-to-live (S21, S22)", () => {
  it("runs delete callbacks with each session's value 3 s after the last write", async () => {
    const clock = new ManualClock();
    let count!: gr.State<number>, btn!: gr.Button;
    const deleted: number[] = [];
    const demo = new gr.Blocks(() => {
      count = new gr.State(0, { timeToLive: 2, deleteCallback: (v) => deleted.push(v) });
      btn = new gr.Button();
      btn.click((c) => c + 1, count, count);
    });
    const app = demo.launch({ clock });
    const a = await app.connect();
    const b = await app.connect();
    for (let i = 0; i < 3; i++) await a.click(btn);
    for (let i = 0; i < 2; i++) await b.click(btn);
    await clock.advance(1999);
    expect(deleted).toEqual([]);
    await clock.advance(1001);
    expect(deleted.sort()).toEqual([2, 3]);
    expect(a.get(count)).toBe(0); // the next read re-creates the default
  });

  it("restarts at every write and expires strictly after timeToLive", async () => {
    const clock = new ManualClock();
    let st!: gr.State<string>, btn!: gr.Button;
    const deleted: string[] = [];
    const demo = new gr.Blocks(() => {
      st = new gr.State("fresh", { timeToLive: 10, deleteCallback: (v) => deleted.push(v) });
      btn = new gr.Button();
      btn.click(() => "written", undefined, st);
    });
    const s = await demo.launch({ clock }).connect();
    s.get(st); // initialising the slot starts the clock (S21; Gradio only on writes)
    await clock.advance(6000);
    await s.click(btn);
    await clock.advance(10_000);
    expect(deleted).toEqual([]);
    await clock.advance(1);
    expect(deleted).toEqual(["written"]);
    await clock.advance(60_000);
    expect(deleted).toEqual(["written"]); // deleting clears the stamp: no re-deleting of defaults
  });

  it("expires a read-only State (Gradio issue #8241)", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number[]>;
    const deleted: number[][] = [];
    const demo = new gr.Blocks(() => {
      st = new gr.State([1], { timeToLive: 1, deleteCallback: (v) => deleted.push(v) });
    });
    const s = await demo.launch({ clock }).connect();
    s.get(st);
    await clock.advance(1001);
    expect(deleted).toEqual([[1]]);
  });

  it("uses the smaller of timeToLive and the retention age in a closed session (S22)", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number>;
    const deleted: number[] = [];
    const demo = new gr.Blocks({ deleteCache: [10, 30] }, () => {
      st = new gr.State(7, { timeToLive: 3600, deleteCallback: (v) => deleted.push(v) });
    });
    const app = demo.launch({ clock });
    const s = await app.connect();
    s.get(st);
    await s.close();
    await clock.advance(30_001);
    expect(deleted).toEqual([7]);
    expect(app.sessionCount).toBe(0); // all its State expired: the session is gone
  });

  it("rejects bad timeToLive, deleteCache and Timer intervals at build", () => {
    expect(() => new gr.State(0, { timeToLive: -1 })).toThrow(/timeToLive/);
    expect(() => new gr.State(0, { timeToLive: "5" as never })).toThrow(/timeToLive/);
    expect(() => new gr.Blocks({ deleteCache: [0, 10] }, () => undefined)).toThrow(/deleteCache/);
    expect(() => new gr.Blocks({ deleteCache: [10] as never }, () => undefined)).toThrow(/deleteCache/);
    expect(() => new gr.Timer(-1)).toThrow(/-1/);
    // The message shows the value, whatever it is (a bigint used to break the message itself).
    expect(() => new gr.State(0, { timeToLive: 5n as never })).toThrow("State timeToLive must be a non-negative number of seconds; got 5n.");
    expect(() => new gr.Blocks({ deleteCache: [60, Infinity] }, () => undefined)).toThrow(/deleteCache age must be a positive number of seconds; got Infinity/);
  });

  it("bounds every duration: at most 1e12 s, and a sweep frequency of at least 0.001 s", () => {
    // 1e12 s keeps clock + duration exact to the millisecond; null is the way to say never.
    expect(() => new gr.State(0, { timeToLive: 1e12 })).not.toThrow();
    expect(() => new gr.State(0, { timeToLive: 1e12 + 1 })).toThrow(
      "State timeToLive must be at most 1e12 seconds (about 31,700 years; null means never); got 1000000000001.",
    );
    expect(() => new gr.State(0, { timeToLive: 1e300 })).toThrow(/at most 1e12 seconds.*got 1e\+300/);
    expect(() => new gr.Blocks({ deleteCache: [60, 1e13] }, () => undefined)).toThrow(/deleteCache age must be at most 1e12 seconds/);
    expect(() => new gr.Blocks(() => new gr.Button().click(() => 1, undefined, undefined, { timeLimit: 1e13 }))).toThrow(
      /timeLimit \(or null\) must be at most 1e12 seconds/,
    );
    // A sweep re-arming within the same millisecond would never let a ManualClock return.
    expect(() => new gr.Blocks({ deleteCache: [1e-300, 10] }, () => undefined)).toThrow(
      "Blocks deleteCache frequency must be at least 0.001 seconds; got 1e-300.",
    );
    expect(() => new gr.Blocks({ deleteCache: [0.001, 1e-300] }, () => undefined)).not.toThrow();
  });

  it("expires a State with a tiny timeToLive once, 1 ms after its write, without re-arming at the same instant", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number>;
    const deleted: number[] = [];
    const demo = new gr.Blocks(() => {
      st = new gr.State(1, { timeToLive: 1e-300, deleteCallback: (v) => void deleted.push(v) });
    });
    const s = await demo.launch({ clock }).connect();
    s.get(st);
    await clock.advance(1);
    expect(deleted).toEqual([1]);
    expect(clock.pending).toBe(0);
  });
});

describe("closed-session retention (S13, S20)", () => {
  function app(clock: ManualClock) {
    let st!: gr.State<string[]>, btn!: gr.Button;
    const deleted: string[][] = [];
    const demo = new gr.Blocks({ deleteCache: [60, 600] }, () => {
      st = new gr.State<string[]>([], { deleteCallback: (v) => deleted.push(v) });
      btn = new gr.Button();
      btn.click((v) => [...v, "x"], st, st);
    });
    return { app: demo.launch({ clock }), st, btn, deleted };
  }

  it("keeps a closed session's State for the retention age, then removes the session", async () => {
    const clock = new ManualClock();
    const { app: a, btn, deleted } = app(clock);
    const s = await a.connect({ sessionHash: "h" });
    await s.click(btn);
    await s.close();
    await clock.advance(590_000);
    expect(a.sessionCount).toBe(1);
    await clock.advance(70_000);
    expect(a.sessionCount).toBe(0);
    expect(deleted).toEqual([["x"]]);
    const back = await a.connect({ sessionHash: "h" });
    expect(back).not.toBe(s);
  });

  it("a reconnect before expiry reopens the session and keeps it", async () => {
    const clock = new ManualClock();
    const { app: a, btn, st } = app(clock);
    const s = await a.connect({ sessionHash: "h" });
    await s.click(btn);
    await s.close();
    await clock.advance(300_000);
    const back = await a.connect({ sessionHash: "h" });
    await clock.advance(3_600_000);
    expect(back).toBe(s);
    expect(back.get(st)).toEqual(["x"]);
    expect(a.sessionCount).toBe(1);
  });

  it("reports a throwing delete callback and goes on with the sweep", async () => {
    const clock = new ManualClock();
    let bad!: gr.State<number>, good!: gr.State<number>;
    const deleted: number[] = [];
    const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => {
      bad = new gr.State(1, {
        deleteCallback: () => {
          throw new Error("cannot free");
        },
      });
      good = new gr.State(2, { deleteCallback: (v) => deleted.push(v) });
    });
    const a = demo.launch({ clock });
    const s = await a.connect();
    s.get(bad);
    s.get(good);
    const errors: gr.AppErrorEvent[] = [];
    a.errors$.subscribe((e) => errors.push(e));
    await s.close();
    await clock.advance(5000);
    expect(deleted).toEqual([2]);
    // The retention is over, so the session is gone: the failure goes to the app's stream.
    expect(errors).toEqual([{ source: "deleteCallback", error: new Error("cannot free"), sessionHash: s.sessionHash, cell: bad.describe() }]);
    expect(a.sessionCount).toBe(0);
  });
});

describe("seconds given by an app, on the app clock", () => {
  it("are whole milliseconds where they should be: a Timer of 4.03 s ticks at 4,030 ms; a time-to-live of 8.05 s is over at 8,051 ms", async () => {
    const clock = new ManualClock();
    let ticks!: gr.Number, st!: gr.State<number>;
    const deleted: number[] = [];
    const demo = new gr.Blocks(() => {
      const timer = new gr.Timer(4.03); // 4.03 * 1000 is 4030.0000000000005
      ticks = new gr.Number({ value: 0 });
      timer.tick((n: number | null) => (n ?? 0) + 1, ticks, ticks);
      st = new gr.State(1, { timeToLive: 8.05, deleteCallback: (v) => void deleted.push(v) });
    });
    const app = demo.launch({ clock });
    const s = await app.connect();
    s.get(st);
    await clock.advance(4030);
    expect(s.get(ticks)).toBe(1);
    await clock.advance(8051 - 4030);
    expect(deleted).toEqual([1]);
    await app.close();
  });
});

describe("Timer (S80)", () => {
  function app(clock: ManualClock) {
    let timer!: gr.Timer, ticks!: gr.State<number>, stop!: gr.Button, start!: gr.Button;
    const demo = new gr.Blocks(() => {
      timer = new gr.Timer(1);
      ticks = new gr.State(0);
      stop = new gr.Button();
      start = new gr.Button();
      timer.tick((n) => n + 1, ticks, ticks);
      stop.click(() => gr.update({ active: false }), undefined, timer);
      start.click(() => gr.update({ active: true }), undefined, timer);
    });
    return { app: demo.launch({ clock }), timer, ticks, stop, start };
  }

  it("ticks every interval per open session, switchable per session with update({ active })", async () => {
    const clock = new ManualClock();
    const { app: a, ticks, stop, start } = app(clock);
    const s1 = await a.connect();
    const s2 = await a.connect();
    await clock.advance(3000);
    expect([s1.get(ticks), s2.get(ticks)]).toEqual([3, 3]);
    await s1.click(stop);
    await clock.advance(2000);
    expect([s1.get(ticks), s2.get(ticks)]).toEqual([3, 5]);
    await s1.click(start);
    await clock.advance(1000);
    expect(s1.get(ticks)).toBe(4);
    await s2.close();
    await clock.advance(1000);
    expect(s2.get(ticks)).toBe(6);
  });

  it("keeps ticking through label updates and equal writes; a new interval re-arms it", async () => {
    const clock = new ManualClock();
    let timer!: gr.Timer, ticks!: gr.State<number>, relabel!: gr.Button, same!: gr.Button, faster!: gr.Button;
    const demo = new gr.Blocks(() => {
      timer = new gr.Timer(5);
      ticks = new gr.State(0);
      relabel = new gr.Button();
      same = new gr.Button();
      faster = new gr.Button();
      timer.tick((n) => n + 1, ticks, ticks);
      relabel.click(() => gr.update({ label: `at ${clock.now()}` }), undefined, timer);
      same.click(() => 5, undefined, timer);
      faster.click(() => 1, undefined, timer);
    });
    const s = await demo.launch({ clock }).connect();
    for (let i = 0; i < 10; i++) {
      await clock.advance(4000);
      await s.click(i % 2 ? relabel : same); // every 4 s: neither restarts the 5 s interval
    }
    expect(s.get(ticks)).toBe(8); // 40 s of a 5 s Timer
    await s.click(faster);
    await clock.advance(3000);
    expect(s.get(ticks)).toBe(11);
  });

  it("a subclass of Timer with a type name of its own ticks and re-arms like a Timer (by class, not by type string)", async () => {
    class Metronome extends gr.Timer {
      override readonly type: string = "metronome";
    }
    const clock = new ManualClock();
    let timer!: Metronome, ticks!: gr.State<number>, faster!: gr.Button, stop!: gr.Button;
    const demo = new gr.Blocks(() => {
      timer = new Metronome(5);
      ticks = new gr.State(0);
      faster = new gr.Button();
      stop = new gr.Button();
      timer.tick((n) => n + 1, ticks, ticks);
      faster.click(() => 1, undefined, timer);
      stop.click(() => gr.update({ active: false }), undefined, timer);
    });
    const s = await demo.launch({ clock }).connect();
    await clock.advance(10_000);
    expect(s.get(ticks)).toBe(2);
    await s.click(faster);
    await clock.advance(3000);
    expect(s.get(ticks)).toBe(5);
    await s.click(stop);
    await clock.advance(3000);
    expect(s.get(ticks)).toBe(5);
  });

  it("refuses an interval below 0.001 s from a handler, and keeps ticking at the old one", async () => {
    const clock = new ManualClock();
    let timer!: gr.Timer, ticks!: gr.State<number>, tiny!: gr.Button, tinyUpdate!: gr.Button;
    const demo = new gr.Blocks(() => {
      timer = new gr.Timer(1);
      ticks = new gr.State(0);
      tiny = new gr.Button();
      tinyUpdate = new gr.Button();
      timer.tick((n) => n + 1, ticks, ticks);
      tiny.click(() => 1e-300, undefined, timer);
      tinyUpdate.click(() => gr.update({ value: 1e-300 }), undefined, timer);
    });
    const s = await demo.launch({ clock }).connect();
    for (const btn of [tiny, tinyUpdate]) {
      const result = await s.click(btn);
      expect(result).toMatchObject({ status: "error", error: { code: "invalid_output" } });
      expect(result.error?.message).toMatch(/from 0\.001 to 1e12; got 1e-300/);
    }
    expect(s.get(timer)).toBe(1);
    await clock.advance(3000); // a 1e-300 s tick would loop here forever
    expect(s.get(ticks)).toBe(3);
  });

  it("drops a tick while the previous tick's run is pending (once)", async () => {
    const clock = new ManualClock();
    let timer!: gr.Timer;
    let runs = 0;
    const demo = new gr.Blocks(() => {
      timer = new gr.Timer(1);
      timer.tick(async () => {
        runs++;
        await clock.sleep(2500);
      });
    });
    const a = demo.launch({ clock });
    await a.connect();
    await clock.advance(3500);
    expect(runs).toBe(1);
    await a.close();
  });

  it("stops every timer when the app closes", async () => {
    const clock = new ManualClock();
    const { app: a } = app(clock);
    await a.connect();
    await a.connect();
    expect(clock.pending).toBeGreaterThan(0);
    await a.close();
    expect(clock.pending).toBe(0);
  });
});

describe("use for eviction (S14)", () => {
  it("counts reading props as use", async () => {
    let box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
    });
    const app = demo.launch({ sessionCapacity: 2 });
    const a = await app.connect();
    const b = await app.connect();
    a.props(box);
    await app.connect();
    expect(app.session(a.sessionHash)).toBe(a);
    expect(app.session(b.sessionHash)).toBeUndefined();
  });
});

describe("unload listeners (S13)", () => {
  it("take no inputs or outputs", () => {
    expect(
      () =>
        new gr.Blocks((demo) => {
          const box = new gr.Textbox();
          demo.unload(() => "x", { outputs: box } as never);
        }),
    ).toThrow(/no inputs or outputs/);
  });
});

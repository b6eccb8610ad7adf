import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";
import type { Block } from "blockstate/blocks";

describe("sessions (S10-S13)", () => {
  it("makes unguessable URL-safe hashes; a missing hash is always a new session (S10)", async () => {
    const demo = new gr.Blocks(() => {
      new gr.State(0);
    });
    const app = demo.launch();
    const hashes = new Set<string>();
    for (let i = 0; i < 50; i++) hashes.add((await app.connect()).sessionHash);
    expect(hashes.size).toBe(50);
    for (const h of hashes) expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/); // 22 characters of 6 random bits
    const mine = await app.connect({ sessionHash: "client-hash" });
    expect(mine.sessionHash).toBe("client-hash");
    expect(await app.connect({ sessionHash: "client-hash" })).toBe(mine);
  });

  it("keeps hashes unique and URL-safe across many connects, past each batch of random bytes (S10)", async () => {
    const demo = new gr.Blocks(() => {
      new gr.State(0);
    });
    const app = demo.launch();
    const hashes = new Set<string>();
    for (let i = 0; i < 300; i++) hashes.add((await app.connect()).sessionHash);
    expect(hashes.size).toBe(300);
    for (const h of hashes) expect(h).toMatch(/^[A-Za-z0-9_-]{22}$/);
    await app.close();
  });

  it("runs load listeners before connect resolves, with the session hash in ctx (S11)", async () => {
    let status!: gr.Textbox;
    const demo = new gr.Blocks((demo) => {
      status = new gr.Textbox();
      demo.load(async (ctx: gr.EventContext) => {
        await Promise.resolve();
        return `ready ${ctx.sessionHash}`;
      }, undefined, status);
    });
    const s = await demo.launch().connect({ sessionHash: "abc" });
    expect(s.get(status)).toBe("ready abc");
  });

  it("passes request data to handlers as ctx.request", async () => {
    let out!: gr.Textbox;
    const demo = new gr.Blocks((demo) => {
      out = new gr.Textbox();
      demo.load((ctx: gr.EventContext) => `${ctx.request.headers?.["user-agent"]} ${ctx.request.sessionHash}`, undefined, out);
    });
    const s = await demo.launch().connect({ sessionHash: "h", request: { headers: { "user-agent": "jest" } } });
    expect(s.get(out)).toBe("jest h");
  });

  it("reload() is a new session with fresh State and the same storage (S12)", async () => {
    let n!: gr.State<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      n = new gr.State(0);
      btn = new gr.Button();
      btn.click((x) => x + 1, n, n);
    });
    const app = demo.launch();
    const s = await app.connect();
    await s.click(btn);
    const again = await s.reload();
    expect(again.sessionHash).not.toBe(s.sessionHash);
    expect(again.get(n)).toBe(0);
    expect(again.storage).toBe(s.storage);
    expect(s.closed).toBe(true);
  });

  it("close() runs unload listeners; reconnecting with the hash before expiry reopens it with State intact (S13)", async () => {
    const unloaded: string[] = [];
    let n!: gr.State<number>, btn!: gr.Button;
    const demo = new gr.Blocks((demo) => {
      n = new gr.State(0);
      btn = new gr.Button();
      btn.click((x) => x + 1, n, n);
      demo.unload((ctx: gr.EventContext) => {
        unloaded.push(ctx.sessionHash);
      });
    });
    const clock = new ManualClock();
    const app = demo.launch({ clock });
    const s = await app.connect({ sessionHash: "u1" });
    await s.click(btn);
    await s.close();
    expect(unloaded).toEqual(["u1"]);
    expect(s.closed).toBe(true);
    await clock.advance(60_000);
    const back = await app.connect({ sessionHash: "u1" });
    expect(back).toBe(s);
    expect(back.closed).toBe(false);
    expect(back.get(n)).toBe(1);
  });

  it("rejects a storage object without the Web Storage methods at connect", async () => {
    const demo = new gr.Blocks(() => undefined);
    await expect(demo.launch().connect({ storage: { getItem: () => null } as never })).rejects.toThrow(/setItem/);
  });
});

describe("close() ends the session's runs (S13)", () => {
  function deferred() {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  }

  it("frees the queue slot of a running async handler that nothing else can cancel (S13, S60)", async () => {
    const clock = new ManualClock();
    let go!: gr.Button, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      go = new gr.Button();
      out = new gr.Textbox();
      go.click(async function slow() {
        await clock.sleep(60_000);
        return "done";
      }, undefined, out);
    });
    const app = demo.launch({ clock });
    const a = await app.connect(), b = await app.connect();
    const first = a.click(go);
    await clock.advance(1);
    const second = b.click(go); // waits in the queue behind a's run
    await a.close();
    expect(await first).toMatchObject({ status: "cancelled", error: { code: "session_closed" } });
    await clock.advance(60_000); // b's run started when a's was cancelled, so one wait is enough
    expect(await second).toEqual({ status: "complete" });
    expect(b.get(out)).toBe("done");
    await clock.advance(60_000);
    expect(a.get(out)).toBe(""); // the abandoned handler's late result is discarded
  });

  it("frees the queue slot of a running handler that waited for a Global's lock first (S8, S13)", async () => {
    const clock = new ManualClock();
    let x!: gr.Button, y!: gr.Button, total!: gr.Global<number>;
    const demo = new gr.Blocks(() => {
      total = new gr.Global(0);
      x = new gr.Button();
      y = new gr.Button();
      x.click(async (n: number) => {
        await clock.sleep(100);
        return n + 1;
      }, total, total);
      y.click(async (n: number) => {
        await clock.sleep(60_000);
        return n + 10;
      }, total, total);
    });
    const app = demo.launch({ clock });
    const a = await app.connect(), b = await app.connect(), c = await app.connect();
    const first = a.click(x);
    await clock.advance(1);
    const waited = b.click(y); // waits for the lock a's run holds, then runs
    await clock.advance(200);
    const queued = c.click(y); // behind b's run (limit 1)
    await b.close();
    expect([(await first).status, (await waited).status]).toEqual(["complete", "cancelled"]);
    await clock.advance(60_000);
    expect(await queued).toEqual({ status: "complete" });
    expect(app.get(total)).toBe(11);
  });

  it("cancels a streaming run (its generator is closed, later yields discarded) and a queued one", async () => {
    const gate = deferred();
    const closed = deferred();
    const log: string[] = [];
    let out!: gr.Textbox, stream!: gr.Button, other!: gr.Button, after!: gr.Textbox;
    const demo = new gr.Blocks((demo) => {
      out = new gr.Textbox();
      after = new gr.Textbox();
      stream = new gr.Button("Stream");
      other = new gr.Button("Other");
      const dep = stream.click(async function* streamIt() {
        try {
          yield "first";
          await gate.promise;
          yield "second";
        } finally {
          log.push("closed");
          closed.resolve();
        }
      }, undefined, out, { concurrencyId: "one" });
      dep.then(() => "chained", undefined, after);
      other.click(() => {
        log.push("queued ran");
        return "other";
      }, undefined, out, { concurrencyId: "one" });
      demo.unload(() => void log.push("unload"));
    });
    const s = await demo.launch().connect();
    const streaming = s.click(stream);
    while (s.get(out) !== "first") await new Promise((r) => setTimeout(r, 1));
    const queued = s.click(other);
    await s.close();
    gate.resolve();
    const [a, b] = await Promise.all([streaming, queued]);
    expect(a.status).toBe("cancelled");
    expect((a.error as gr.EventError).code).toBe("session_closed");
    expect(b.status).toBe("cancelled");
    await closed.promise; // at its next yield: the run ended at the close, without waiting for it
    expect(log).toEqual(["unload", "closed"]);
    expect(s.get(out)).toBe("first");
    expect(s.get(after)).toBe(""); // a cancelled run's .then does not start in a closed session
  });

  it("a Timer does not tick while the session's unload listeners run", async () => {
    const gate = deferred();
    let ticks = 0;
    const demo = new gr.Blocks((demo) => {
      new gr.Timer(1).tick(() => void ticks++);
      demo.unload(() => gate.promise);
    });
    const clock = new ManualClock();
    const s = await demo.launch({ clock }).connect();
    await clock.advance(2000);
    expect(ticks).toBe(2);
    const closing = s.close();
    await clock.advance(5000);
    expect(ticks).toBe(2);
    gate.resolve();
    await closing;
    await clock.advance(5000);
    expect(ticks).toBe(2);
  });

  it("events on a closed session resolve with a clear error, not complete; reopening takes events again", async () => {
    let n!: gr.State<number>, btn!: gr.Button, box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      n = new gr.State(0);
      box = new gr.Textbox();
      btn = new gr.Button();
      btn.click((x) => x + 1, n, n, { apiName: "inc" });
    });
    const app = demo.launch();
    const s = await app.connect({ sessionHash: "c1" });
    await s.close();
    for (const result of [await s.click(btn), await s.input(box, "x"), await s.dispatch({ id: btn.id, event: "click" }), await s.setState(n, 5)]) {
      expect(result.status).toBe("error");
      expect((result.error as gr.EventError).code).toBe("session_closed");
      expect(result.error!.message).toMatch(/Session c1 is closed: the event was not run/);
    }
    await expect(s.call("inc")).rejects.toThrow(/is closed/);
    expect(s.get(n)).toBe(0);
    expect(s.get(box)).toBe("");
    await app.connect({ sessionHash: "c1" });
    expect((await s.click(btn)).status).toBe("complete");
    expect(s.get(n)).toBe(1);
  });

  it("a Global's fan-out does not start runs in a session that is closing (S13, S56)", async () => {
    const clock = new ManualClock();
    let g!: gr.Global<number>, btn!: gr.Button, mirror!: gr.Number;
    const started: string[] = [];
    const demo = new gr.Blocks((demo) => {
      g = new gr.Global(0);
      btn = new gr.Button();
      mirror = new gr.Number();
      btn.click((x: number) => x + 1, g, g);
      g.change(async function slowMirror(x: number, ctx: gr.EventContext) {
        started.push(ctx.sessionHash);
        await clock.sleep(5000);
        return x;
      }, g, mirror, { concurrencyLimit: null });
      demo.unload(() => clock.sleep(1000)); // a slow unload keeps A closing
    });
    const app = demo.launch({ clock });
    const a = await app.connect({ sessionHash: "A" });
    const b = await app.connect({ sessionHash: "B" });
    const closing = a.close();
    const clicked = b.click(btn); // the Global changes while A is closing
    await clock.advance(1500);
    await closing;
    expect(a.closed).toBe(true);
    await clock.advance(10_000);
    expect((await clicked).status).toBe("complete");
    expect(started).toEqual(["B"]); // none in A, which would have written mirror after its close
    expect(a.get(mirror)).toBeNull();
    const shutdown = app.close(); // B's unload sleeps on the manual clock too
    await clock.advance(2000);
    await shutdown;
  });

  it("session.run on a closed session is refused like call() (S13)", async () => {
    let btn!: gr.Button, out!: gr.Number;
    let calls = 0;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.Number();
      btn.click(function inc() {
        return ++calls;
      }, undefined, out);
    });
    const app = demo.launch();
    const s = await app.connect({ sessionHash: "c1" });
    await s.close();
    await expect(s.call("inc")).rejects.toThrow(/is closed/);
    const end = await s.run("inc", []).done;
    expect(calls).toBe(0);
    expect(end.status).toBe("error");
    expect((end.error as gr.EventError).code).toBe("session_closed");
    expect(s.get(out)).toBeNull();
    await app.close();
  });
});

describe("input() and dispatch() accept the same targets", () => {
  function app() {
    let btn!: gr.Button, st!: gr.State<number>, box!: gr.Textbox, seen!: gr.Number;
    const demo = new gr.Blocks(() => {
      st = new gr.State(1);
      box = new gr.Textbox();
      seen = new gr.Number();
      btn = new gr.Button("Go");
      st.change((v) => v * 10, st, seen);
    });
    return { demo, btn, st, box, seen };
  }

  it("a Button and a State are not user-editable, by either", async () => {
    const { demo, btn, st } = app();
    const s = await demo.launch().connect();
    expect(() => s.input(btn, "Stop")).toThrow(/session.input\(component, value\): Button #\d+ cannot be edited by a user \(it has no change or input event\)/);
    expect(() => s.input(st as never, 2)).toThrow(/session.input\(component, value\): expected a component of this app's Blocks; got State #\d+/);
    const d = await s.dispatch({ id: btn.id, event: "input", data: "Stop" });
    expect(d.error!.message).toMatch(/dispatch: Button #\d+ \(id \d+\) cannot be edited by a user/);
    expect((await s.dispatch({ id: st.id, event: "input", data: 2 })).status).toBe("error");
    expect(s.get(btn)).toBe("Go");
    expect(s.get(st)).toBe(1);
  });

  it("setState sets a State and runs its change listeners; it refuses components", async () => {
    const { demo, st, box, seen } = app();
    const s = await demo.launch().connect();
    expect((await s.setState(st, 4)).status).toBe("complete");
    expect([s.get(st), s.get(seen)]).toEqual([4, 40]);
    expect(() => s.setState(box as never, "x")).toThrow(/session.setState: Textbox #\d+ is not a State or BrowserState; use session.input/);
  });
});

describe("ctx.progress.tqdm", () => {
  it("reports each step of a loop, and ctx.progress(fraction, desc) still works", async () => {
    let btn!: gr.Button, out!: gr.Number;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.Number();
      btn.click((ctx: gr.EventContext) => {
        ctx.progress(0.1, "start");
        let sum = 0;
        for (const x of ctx.progress.tqdm([1, 2, 3], { desc: "Adding" })) sum += x;
        for (const x of ctx.progress.tqdm(new Set([10, 20]), { unit: "files" })) {
          sum += x;
          break;
        }
        return sum;
      }, undefined, out);
    });
    const s = await demo.launch().connect();
    const seen: gr.ProgressMessage[] = [];
    s.messages$.subscribe((m) => m.type === "progress" && seen.push(m));
    await s.click(btn);
    expect(s.get(out)).toBe(16);
    const dependency = demo.dependencies[0].id;
    const run = expect.any(Number);
    expect(seen).toEqual([
      { type: "progress", dependency, progress: 0.1, desc: "start", run },
      ...[0, 1, 2, 3].map((index) => ({ type: "progress", dependency, progress: index / 3, desc: "Adding", index, length: 3, unit: "steps", run })),
      { type: "progress", dependency, progress: 0, desc: undefined, index: 0, length: 2, unit: "files", run },
    ]);
  });

  it("wraps async iterables given a total, and refuses what it cannot count", async () => {
    let btn!: gr.Button, out!: gr.JSON;
    async function* letters() {
      yield "a";
      yield "b";
    }
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.JSON();
      btn.click(async (ctx: gr.EventContext) => {
        const got: string[] = [];
        for await (const l of ctx.progress.tqdm(letters(), { total: 2 })) got.push(l);
        const errors: string[] = [];
        for (const bad of [() => ctx.progress.tqdm(letters() as never), () => ctx.progress.tqdm(5 as never), () => ctx.progress.tqdm([1], { total: -1 })]) {
          try {
            bad();
          } catch (e) {
            errors.push((e as Error).message);
          }
        }
        return { got, errors };
      }, undefined, out);
    });
    const s = await demo.launch().connect();
    const seen: number[] = [];
    s.messages$.subscribe((m) => m.type === "progress" && seen.push(m.progress));
    await s.click(btn);
    const { got, errors } = s.get(out) as { got: string[]; errors: string[] };
    expect(got).toEqual(["a", "b"]);
    expect(seen).toEqual([0, 0.5, 1]);
    expect(errors).toEqual([
      "ctx.progress.tqdm: cannot tell how many items there are (no length or size); pass { total }.",
      "ctx.progress.tqdm: expected an iterable (an array, a Set, a generator, ...); got 5.",
      "ctx.progress.tqdm: total must be a whole number of items, 0 or more; got -1.",
    ]);
  });
});

describe("connect() with the hash of a session still closing", () => {
  it("reopens it once its unload listeners have run (S13), with its State", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number>, btn!: gr.Button;
    const demo = new gr.Blocks((demo) => {
      st = new gr.State(0);
      btn = new gr.Button();
      btn.click((v: number) => v + 1, st, st);
      demo.unload(() => clock.sleep(100));
    });
    const app = demo.launch({ clock });
    const s = await app.connect({ sessionHash: "abc" });
    await s.click(btn);
    const closing = s.close();
    await clock.advance(10);
    const reconnecting = app.connect({ sessionHash: "abc" });
    await clock.advance(100);
    await closing;
    const again = await reconnecting;
    expect([again === s, again.closed]).toEqual([true, false]);
    expect(await again.click(btn)).toEqual({ status: "complete" });
    expect(again.get(st)).toBe(2);
  });
});

describe("connect() with a hash already starting", () => {
  it("answers once the session's load listeners have run (S11)", async () => {
    const clock = new ManualClock();
    let greeting!: gr.Textbox;
    const demo = new gr.Blocks((demo) => {
      greeting = new gr.Textbox();
      demo.load(async () => {
        await clock.sleep(100);
        return "welcome";
      }, undefined, greeting);
    });
    const app = demo.launch({ clock });
    const first = app.connect({ sessionHash: "tab-1" });
    const second = app.connect({ sessionHash: "tab-1" });
    let secondDone = false;
    void second.then(() => (secondDone = true));
    await clock.advance(50);
    expect(secondDone).toBe(false);
    await clock.advance(50);
    const [a, b] = await Promise.all([first, second]);
    expect(b).toBe(a);
    expect(b.get(greeting)).toBe("welcome");
  });
});

describe("call()", () => {
  function app() {
    let a!: gr.Number, st!: gr.State<number>, out!: gr.Number, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      a = new gr.Number({ minimum: 0 });
      st = new gr.State(10);
      out = new gr.Number();
      btn = new gr.Button();
      btn.click(function add(x: number | null, y: number) {
        return [(x ?? 0) + y, y + 1];
      }, [a, st], [out, st]);
      btn.click(function boom() {
        throw new gr.Error("boom");
      }, undefined, undefined, { apiName: "explode" });
      btn.click(() => 1, undefined, out, { apiName: false });
    });
    return { demo, a, st, out };
  }

  it("runs the listener with given values (State read from the session) and returns the outputs", async () => {
    const { demo, a, st } = app();
    const s = await demo.launch().connect();
    expect(await s.call("add", 5, 999)).toEqual([15, 11]);
    expect(s.get(st)).toBe(11);
    expect(s.get(a)).toBeNull(); // API calls do not write input components
  });

  it("rejects with the run's error, for unknown names listing the known ones, and for rejected inputs", async () => {
    const { demo } = app();
    const s = await demo.launch().connect();
    await expect(s.call("explode")).rejects.toThrow("boom");
    await expect(s.call("nope")).rejects.toThrow(/Known api names: add, explode/);
    await expect(s.call("add", -1)).rejects.toThrow(/Number #0 rejected the input -1 for listener "add"/);
  });

  it("takes one value per component input, as Gradio's clients send them, and checks the count", async () => {
    const demo = new gr.Blocks(() => {
      const prefix = new gr.State("S");
      const word = new gr.Textbox(), times = new gr.Number(), out = new gr.Textbox();
      new gr.Button().click(function greet(p: string, w: string, n: number | null) {
        return `${p}|${w}|${n}`;
      }, [prefix, word, times], out);
    });
    const s = await demo.launch().connect();
    expect(await s.call("greet", "hello", 5)).toEqual(["S|hello|5"]);
    expect(await s.call("greet", null, "hello", 5)).toEqual(["S|hello|5"]);
    await expect(s.call("greet")).rejects.toThrow(new gr.EventError('listener "greet" takes 2 input values: needed 2 (or 3 with a null for each State), got 0.', "invalid_input"));
    await expect(s.call("greet", "a", 1, 2, 3)).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("reads State inputs when the run starts, not when call() is made (S31)", async () => {
    const clock = new ManualClock();
    let count!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      count = new gr.State(0);
      const step = new gr.Button();
      step.click(async function inc(c: number) {
        await clock.sleep(10);
        return c + 1;
      }, count, count, { concurrencyLimit: 1 });
    });
    const s = await demo.launch({ clock }).connect();
    const both = Promise.all([s.call("inc"), s.call("inc")]); // the second waits in the queue
    await clock.advance(10);
    await clock.advance(10);
    expect(await both).toEqual([[1], [2]]);
    expect(s.get(count)).toBe(2);
  });
});

describe("messages$", () => {
  it("replays alerts to late subscribers and streams run status live", async () => {
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      btn.click(() => {
        gr.Info("hello");
      });
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    const seen: gr.Message[] = [];
    s.messages$.subscribe((m) => seen.push(m));
    expect(seen).toEqual([expect.objectContaining({ type: "info", message: "hello" })]);
    await s.click(btn);
    expect(seen.map((m) => (m.type === "status" ? m.stage : m.type))).toEqual(["info", "running", "info", "complete"]);
  });
});

describe("session.find / findAll", () => {
  function app() {
    let n!: gr.Slider;
    const demo = new gr.Blocks(() => {
      new gr.Textbox({ label: "Name", elemId: "name" });
      new gr.Row(() => {
        n = new gr.Slider({ minimum: 0, maximum: 5, step: 1, value: 1, label: "N" });
        gr.render([n], (count: number) => {
          for (let i = 0; i < count; i++) new gr.Textbox({ label: "Item", key: `item-${i}` });
        });
      });
      new gr.State(0);
      new gr.Number({ label: "Name" });
    });
    return { demo, n };
  }

  it("finds by label string or { label, elemId, key, type }, static and rendered, in layout order", async () => {
    const { demo, n } = app();
    const s = await demo.launch().connect();
    expect(s.find("Name")?.type).toBe("textbox");
    expect(s.findAll("Name").map((b) => b.type)).toEqual(["textbox", "number"]);
    expect(s.find({ label: "Name", type: "Number" })?.type).toBe("number");
    expect(s.find({ elemId: "name" })?.props.label).toBe("Name");
    await s.input(n, 3);
    expect(s.findAll({ type: "Textbox" }).map((b) => b.props.key ?? b.props.label)).toEqual(["Name", "item-0", "item-1", "item-2"]);
    expect(s.findAll<Block>({ type: "Row" })).toHaveLength(1);
    expect(s.findAll<Block>({ type: "State" })).toHaveLength(1);
    expect(s.get(s.find({ key: "item-2" })!)).toBe("");
    expect(s.find("Nobody")).toBeUndefined();
    expect(s.findAll({ key: "item-9" })).toEqual([]);
  });

  it("matches a label set by gr.update in this session only", async () => {
    let rename!: gr.Button, box!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ label: "Before" });
      rename = new gr.Button("Rename");
      rename.click(() => gr.update({ label: "After" }), undefined, box);
    });
    const app = demo.launch();
    const a = await app.connect(), b = await app.connect();
    await a.click(rename);
    expect([a.find("After"), b.find("After"), b.find("Before")]).toEqual([box, undefined, box]);
  });

  it("matches a layout container's label and elemId set by gr.update in this session", async () => {
    let rename!: gr.Button, acc!: gr.Accordion;
    const demo = new gr.Blocks(() => {
      acc = new gr.Accordion("Before", { elemId: "acc1" });
      rename = new gr.Button("Rename");
      rename.click(() => gr.update({ label: "After", elemId: "acc2" }), undefined, acc);
    });
    const s = await demo.launch().connect();
    await s.click(rename);
    expect([s.find("After"), s.find({ elemId: "acc2" }), s.find("Before"), s.find({ elemId: "acc1" })]).toEqual([acc, acc, undefined, undefined]);
  });

  it("refuses a query that is not a label or a known query object", async () => {
    const { demo } = app();
    const s = await demo.launch().connect();
    expect(() => s.find(5 as never)).toThrow("session.find: the query must be a label or { label?, elemId?, key?, type? }; got 5.");
    expect(() => s.findAll({ lable: "Name" } as never)).toThrow(/session.findAll: unknown option "lable" \(did you mean "label"\?\)/);
  });
});

import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

class UserSession {
  name = "";
  messages: string[] = [];
  greet() {
    return `hi ${this.name}`;
  }
}

describe("State (S2-S5)", () => {
  it("gives each session its own lazy deep copy of the default (S2)", async () => {
    const defaults = { items: ["a"] };
    let st!: gr.State<{ items: string[] }>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      st = new gr.State(defaults);
      btn = new gr.Button();
      btn.click((v) => {
        v.items.push("b");
        return v;
      }, st, st);
    });
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    await a.click(btn);
    expect(a.get(st).items).toEqual(["a", "b"]);
    expect(b.get(st).items).toEqual(["a"]);
    expect(defaults.items).toEqual(["a"]);
  });

  it("copies the default at construction, as gr.State(value) does: later mutation of the caller's object changes nothing (S2)", async () => {
    const defaults = { items: ["a"] };
    let st!: gr.State<{ items: string[] }>, global!: gr.Global<string[]>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(defaults);
      global = new gr.Global(defaults.items);
    });
    defaults.items.push("mutated after the build");
    const app = demo.launch();
    const s = await app.connect();
    expect(s.get(st)).toEqual({ items: ["a"] });
    expect(app.get(global)).toEqual(["a"]);
  });

  it("keeps prototypes of class instances (S3)", async () => {
    let st!: gr.State<UserSession>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(new UserSession());
    });
    const s = await demo.launch().connect();
    expect(s.get(st)).toBeInstanceOf(UserSession);
    expect(s.get(st).greet()).toBe("hi ");
  });

  it("throws a TypeError naming the path of an uncopyable default (S3)", () => {
    expect(() => new gr.State({ handlers: [1, 2, () => 3] })).toThrow(TypeError);
    expect(() => new gr.State({ handlers: [1, 2, () => 3] })).toThrow(/default\.handlers\[2\]/);
    expect(() => new gr.State({ lock: new WeakMap() })).toThrow(/default\.lock.*WeakMap/);
  });

  it("calls a factory once per session at first read (S4)", async () => {
    let calls = 0;
    let st!: gr.State<{ n: number }>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(() => ({ n: ++calls }));
    });
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    expect(calls).toBe(0);
    expect(a.get(st).n).toBe(1);
    expect(a.get(st).n).toBe(1);
    expect(b.get(st).n).toBe(2);
  });

  it("hands handlers the stored object: in-place mutation is real even when the handler throws (S5)", async () => {
    let st!: gr.State<string[]>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      st = new gr.State<string[]>([]);
      btn = new gr.Button();
      btn.click((list) => {
        list.push("x");
        throw new Error("after mutation");
      }, st, st);
    });
    const s = await demo.launch().connect();
    const r = await s.click(btn);
    expect(r.status).toBe("error");
    expect(s.get(st)).toEqual(["x"]);
  });

  it("Variable is State (seed 003)", () => {
    expect(gr.Variable).toBe(gr.State);
  });
});

describe("a State whose first value cannot be made (S4, S21)", () => {
  it("fails the event naming the State and leaves the slot unset: the next read tries again, its time-to-live starts then", async () => {
    const clock = new ManualClock();
    let deep = true;
    const deleted: unknown[] = [];
    let st!: gr.State<unknown>, read!: gr.Button, out!: gr.Textbox;
    const nested = (n: number) => {
      let v: unknown = {};
      for (let i = 0; i < n; i++) v = { v };
      return v;
    };
    const demo = new gr.Blocks(() => {
      st = new gr.State(() => (deep ? nested(5000) : { small: 1 }), { timeToLive: 10, deleteCallback: (v) => void deleted.push(v) });
      out = new gr.Textbox();
      read = new gr.Button();
      st.change(() => "changed", undefined, out); // watched: its first value is compared
      read.click(() => "read", st, out);
    });
    const s = await demo.launch({ clock }).connect();
    const failed = await s.click(read);
    expect(failed.error).toMatchObject({ code: "value_too_deep", message: expect.stringMatching(/^The initial value of State #\d+ is too deep/) });
    await clock.advance(60_000);
    expect(deleted).toEqual([]); // nothing was stored, so nothing expires
    deep = false;
    expect(await s.click(read)).toEqual({ status: "complete" });
    expect(s.get(st)).toEqual({ small: 1 });
    await clock.advance(11_000);
    expect(deleted).toEqual([{ small: 1 }]);
  });
});

describe("Global (S7, S8, S56)", () => {
  it("is shared by sessions of one app and separate between apps (S7)", async () => {
    let visits!: gr.Global<number>, out!: gr.Number;
    const demo = new gr.Blocks((demo) => {
      visits = new gr.Global(0);
      out = new gr.Number();
      demo.load((v) => [v + 1, v + 1], visits, [visits, out]);
    });
    const app1 = demo.launch();
    const a = await app1.connect();
    const b = await app1.connect();
    expect([a.get(out), b.get(out), app1.get(visits)]).toEqual([1, 2, 2]);
    const app2 = demo.launch();
    const c = await app2.connect();
    expect(c.get(out)).toBe(1);
  });

  it("serialises read-modify-write of concurrent async handlers (S8)", async () => {
    let total!: gr.Global<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      total = new gr.Global(0);
      btn = new gr.Button();
      btn.click(async (t) => {
        await new Promise((r) => setTimeout(r, 1));
        return t + 1;
      }, total, total, { concurrencyLimit: null, triggerMode: "multiple" });
    });
    const app = demo.launch();
    const sessions = await Promise.all([1, 2, 3, 4, 5].map(() => app.connect()));
    await Promise.all(sessions.map((s) => s.click(btn)));
    expect(app.get(total)).toBe(5);
  });

  it("runs its .change listeners once in every open session (S56)", async () => {
    let room!: gr.Global<string[]>, view!: gr.Textbox, msg!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      room = new gr.Global<string[]>([]);
      msg = new gr.Textbox();
      view = new gr.Textbox();
      msg.submit((m, r) => [...r, m], [msg, room], room);
      room.change((r) => r.join("|"), room, view);
    });
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    const closed = await app.connect();
    await closed.close();
    await a.input(msg, "hello");
    await a.submit(msg);
    expect(a.get(view)).toBe("hello");
    expect(b.get(view)).toBe("hello");
    expect(closed.get(view)).toBe("");
  });

  function counterRoom() {
    let count!: gr.Global<number>, btn!: gr.Button, view!: gr.Number;
    const seen = { changeRuns: 0 };
    const demo = new gr.Blocks(() => {
      count = new gr.Global(0);
      btn = new gr.Button();
      view = new gr.Number();
      btn.click((c) => c + 1, count, count);
      count.change((c) => {
        seen.changeRuns++;
        return c;
      }, count, view);
    });
    return { demo, count, btn, view, seen };
  }

  it("coalesces a burst's fan-out: a session whose run has not started yet reads the newest value instead of running again (S56, S31)", async () => {
    const { demo, count, btn, view, seen } = counterRoom();
    const app = demo.launch();
    const n = 300;
    const sessions: gr.Session[] = [];
    for (let i = 0; i < n; i++) sessions.push(await app.connect());
    const results = await Promise.all(sessions.map((s) => s.click(btn)));
    expect(results.filter((r) => r.status !== "complete")).toEqual([]);
    expect(app.get(count)).toBe(n);
    expect(sessions.filter((s) => s.get(view) !== n).length).toBe(0);
    // One run per change in the changing session, plus about one per session for the fan-out
    // (n² without coalescing).
    expect(seen.changeRuns).toBeLessThanOrEqual(3 * n);
  });

  it("still runs the fan-out once per change in every session when changes are awaited one by one (S56)", async () => {
    const { demo, count, btn, view, seen } = counterRoom();
    const app = demo.launch();
    const sessions: gr.Session[] = [];
    for (let i = 0; i < 4; i++) sessions.push(await app.connect());
    for (const s of sessions) {
      expect(await s.click(btn)).toEqual({ status: "complete" });
      expect(sessions.map((o) => o.get(view))).toEqual(sessions.map(() => app.get(count)));
    }
    expect(seen.changeRuns).toBe(4 * 4);
  });

  it("counts a fan-out that has not started yet as pending work of the other sessions: idle() waits for it (S56)", async () => {
    const { demo, btn, view } = counterRoom();
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    const click = a.click(btn);
    await b.idle();
    expect(b.get(view)).toBe(1);
    await click;
  });

  it("counts a fan-out that has not started yet as pending work of a session connected after the change too: its idle() waits for the run (S56)", async () => {
    const { demo, btn, view } = counterRoom();
    const app = demo.launch();
    const a = await app.connect();
    const click = a.click(btn); // a synchronous handler: the change and its round are made here
    const late = await app.connect(); // before the round starts (a later macrotask)
    await late.idle();
    expect(late.get(view)).toBe(1);
    await click;
  });

  it("reaches the sessions open when a fan-out starts: one connected after the change runs it, one closed meanwhile does not and is idle (S56)", async () => {
    const { demo, btn, view, seen } = counterRoom();
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    const c = await app.connect();
    const click = a.click(btn); // a synchronous handler: the change and its round are made here
    const late = await app.connect(); // before the round starts (a later macrotask)
    await c.close();
    expect(await click).toEqual({ status: "complete" });
    await Promise.all([b.idle(), c.idle(), late.idle()]);
    expect([a, b, late].map((s) => s.get(view))).toEqual([1, 1, 1]);
    expect(c.get(view)).not.toBe(1);
    expect(seen.changeRuns).toBe(3);
  });

  it("still reaches every session when one was used between the change and the round's start (S56)", async () => {
    const { demo, btn, view, seen } = counterRoom();
    const app = demo.launch();
    const sessions: gr.Session[] = [];
    for (let i = 0; i < 5; i++) sessions.push(await app.connect());
    const click = sessions[0].click(btn);
    sessions[2].get(view); // no use: the round's list stays as it was
    const other = sessions[3].click(btn); // a use (S14): moves it in the recency list, and joins the round
    expect(await Promise.all([click, other])).toEqual([{ status: "complete" }, { status: "complete" }]);
    await Promise.all(sessions.map((s) => s.idle()));
    expect(sessions.map((s) => s.get(view))).toEqual([2, 2, 2, 2, 2]);
    // Each change in its own session, then one round (the second change joined it) in all five.
    expect(seen.changeRuns).toBe(2 + 5);
  });

  it("fans out to many sessions in slices, letting the event loop in between (S56)", async () => {
    let count!: gr.Global<number>, btn!: gr.Button;
    const views: gr.Number[] = [];
    const demo = new gr.Blocks(() => {
      count = new gr.Global(0);
      btn = new gr.Button();
      btn.click((c) => c + 1, count, count);
      for (let i = 0; i < 10; i++) {
        const view = new gr.Number();
        views.push(view);
        count.change((c) => c, count, view);
      }
    });
    const app = demo.launch();
    // 2,000 sessions × 10 listeners: 20,000 runs, far more than one slice of work (SLICE_MS, 5 ms).
    const sessions: gr.Session[] = [];
    for (let i = 0; i < 2_000; i++) sessions.push(await app.connect());
    const click = sessions[0].click(btn);
    let macrotaskRan = false;
    setImmediate(() => (macrotaskRan = true));
    expect(await click).toEqual({ status: "complete" });
    expect(macrotaskRan).toBe(true);
    expect(sessions.filter((s) => views.some((v) => s.get(v) !== 1)).length).toBe(0);
  });

  it("keeps another session's .change failure out of the triggering event: that session alone hears of it (S1, S56)", async () => {
    let count!: gr.Global<number>, btn!: gr.Button, name!: gr.Textbox, view!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      count = new gr.Global(0);
      btn = new gr.Button();
      name = new gr.Textbox();
      view = new gr.Textbox();
      btn.click((c) => c + 1, count, count);
      count.change(async (c, who) => {
        await new Promise((r) => setImmediate(r));
        if (who === "bob") throw new gr.Error(`bob's account 1234 is locked`);
        return `count ${c}`;
      }, [count, name], view);
    });
    const app = demo.launch();
    const alice = await app.connect();
    const bob = await app.connect();
    const carol = await app.connect();
    await bob.input(name, "bob");
    const heard = new Map<gr.Session, string[]>([alice, bob, carol].map((s) => [s, []]));
    for (const [s, list] of heard) s.messages$.subscribe((m) => m.type === "error" && list.push(m.message));

    const result = await alice.click(btn);
    expect(result).toEqual({ status: "complete" });
    // The click waited for the other sessions' runs, asynchronous as they are.
    expect([alice.get(view), carol.get(view)]).toEqual(["count 1", "count 1"]);
    expect([heard.get(alice), heard.get(bob), heard.get(carol)]).toEqual([[], ["bob's account 1234 is locked"], []]);
  });
});

describe("change detection (S50-S55)", () => {
  function watched<T>(initial: T) {
    let st!: gr.State<T>, btn!: gr.Button;
    let next: (v: T) => T = (v) => v;
    const seen: T[] = [];
    const demo = new gr.Blocks(() => {
      st = new gr.State(initial);
      btn = new gr.Button();
      btn.click((v) => next(v), st, st);
      st.change((v) => {
        seen.push(v);
      }, st);
    });
    return {
      st,
      seen,
      set: (fn: (v: T) => T) => (next = fn),
      run: async () => {
        const s = await demo.launch().connect();
        return { s, click: () => s.click(btn) };
      },
    };
  }

  it("fires once for an equal write after a change ('Count to 3' twice, S52)", async () => {
    const w = watched<number[]>([]);
    w.set(() => [1, 2, 3]);
    const { click } = await w.run();
    await click();
    await click();
    expect(w.seen).toHaveLength(1);
  });

  it("an output listed twice is compared by its last value: written back as it was, it changed nothing (S50)", async () => {
    let st!: gr.State<number>, label!: gr.Textbox, btn!: gr.Button;
    let returned: unknown[] = [];
    const seen: unknown[] = [];
    const watched: unknown[] = [];
    const demo = new gr.Blocks(() => {
      st = new gr.State(1);
      label = new gr.Textbox({ value: "a" });
      btn = new gr.Button();
      btn.click(() => returned, undefined, [st, st, label, label, label]);
      st.change((v: number) => void seen.push(v), st);
      label.change((v: string) => void seen.push(v), label);
    });
    const s = await demo.launch().connect();
    s.value$(st).subscribe((v) => watched.push(v));
    // A write with no value between the two (label's second) keeps the first from counting.
    returned = [2, 1, gr.update({ value: "b", label: "L" }), gr.update({ info: "I" }), gr.update({ value: "a" })];
    expect((await s.click(btn)).status).toBe("complete");
    expect([s.get(st), s.get(label), s.props(label).label, s.props(label).info]).toEqual([1, "a", "L", "I"]);
    expect([seen, watched]).toEqual([[], [1]]);
    returned = [2, 3, "a", gr.skip(), "c"];
    await s.click(btn);
    expect([seen, watched]).toEqual([[3, "c"], [1, 3]]);
  });

  it("detects in-place mutation of a returned State (S51)", async () => {
    const w = watched<string[]>([]);
    w.set((v) => {
      v.push("x");
      return v;
    });
    const { click } = await w.run();
    await click();
    await click();
    expect(w.seen.length).toBe(2);
  });

  it("compares arrays and objects by content; an array never equals an object (S50)", async () => {
    const w = watched<unknown>({ 0: "a" });
    let flip = false;
    w.set(() => ((flip = !flip) ? ["a"] : { 0: "a" }));
    const { click } = await w.run();
    await click();
    await click();
    expect(w.seen).toEqual([["a"], { 0: "a" }]);
  });

  it("uses a class's [gr.hash] (S50)", async () => {
    class Point {
      constructor(public x: number, public label: string) {}
      [gr.hash]() {
        return this.x;
      }
    }
    const w = watched(new Point(1, "a"));
    w.set((p) => new Point(p.x, p.label + "!"));
    const { click } = await w.run();
    await click();
    expect(w.seen).toHaveLength(0);
    w.set((p) => new Point(p.x + 1, p.label));
    await click();
    expect(w.seen).toHaveLength(1);
  });

  it("runs a listener watching several changed cells once (S54)", async () => {
    let a!: gr.State<number>, b!: gr.State<number>, btn!: gr.Button;
    let runs = 0;
    const demo = new gr.Blocks(() => {
      a = new gr.State(0);
      b = new gr.State(0);
      btn = new gr.Button();
      btn.click((x, y) => [x + 1, y + 1], [a, b], [a, b]);
      gr.on([a.change, b.change], () => {
        runs++;
      });
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(runs).toBe(1);
  });

  it("fires input listeners always and change listeners only on a different value (S53)", async () => {
    let box!: gr.Textbox;
    const log: string[] = [];
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      box.input(() => {
        log.push("input");
      });
      box.change(() => {
        log.push("change");
      });
    });
    const s = await demo.launch().connect();
    await s.input(box, "a");
    await s.input(box, "a");
    expect(log).toEqual(["input", "change", "input"]);
  });

  it("does not notice in-place mutation of a cell that is not an output (S53)", async () => {
    let st!: gr.State<string[]>, btn!: gr.Button;
    let changes = 0;
    const demo = new gr.Blocks(() => {
      st = new gr.State<string[]>([]);
      btn = new gr.Button();
      btn.click((v) => {
        v.push("sneaky");
      }, st);
      st.change(() => {
        changes++;
      }, st);
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(changes).toBe(0);
    expect(s.get(st)).toEqual(["sneaky"]);
  });

  it("stops a .change cycle with an error naming the cells", async () => {
    let n!: gr.State<number>, m!: gr.State<number>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      n = new gr.State(0);
      m = new gr.State(0);
      btn = new gr.Button();
      btn.click((x) => x + 1, n, n);
      n.change(function bumpM(x) {
        return x + 1;
      }, n, m);
      m.change(function bumpN(x) {
        return x + 1;
      }, m, n);
    });
    const s = await demo.launch().connect();
    const r = await s.click(btn);
    expect(r.status).toBe("error");
    expect(r.error?.message).toMatch(/\.change cycle/);
    expect(r.error?.message).toMatch(/State #0/);
    expect(r.error?.message).toMatch(/State #1/);
  });

  it("value$ emits the current value, then each change, and nothing for equal writes", async () => {
    let st!: gr.State<number[]>, btn!: gr.Button;
    let next = [1];
    const demo = new gr.Blocks(() => {
      st = new gr.State<number[]>([]);
      btn = new gr.Button();
      btn.click(() => next, undefined, st);
    });
    const s = await demo.launch().connect();
    const seen: number[][] = [];
    const sub = s.value$(st).subscribe((v) => seen.push([...v]));
    await s.click(btn);
    next = [1];
    await s.click(btn);
    sub.unsubscribe();
    next = [2];
    await s.click(btn);
    expect(seen).toEqual([[], [1]]);
  });
});

describe("ClearButton (S71)", () => {
  it("empties a component whose initial value its props in this session refuse, and resets the others", async () => {
    let dd!: gr.Dropdown, tb!: gr.Textbox, load!: gr.Button, clear!: gr.ClearButton;
    const demo = new gr.Blocks(() => {
      dd = new gr.Dropdown({ choices: ["a", "b"], label: "Model" }); // starts at "a"
      tb = new gr.Textbox({ label: "Prompt" });
      load = new gr.Button("Load");
      load.click(() => gr.update({ choices: ["x", "y"], value: "x" }), undefined, dd);
      clear = new gr.ClearButton([tb, dd]);
    });
    const s = await demo.launch().connect();
    await s.click(load);
    await s.input(tb, "hello");
    expect(await s.click(clear)).toEqual({ status: "complete" });
    expect([s.get(tb), s.get(dd)]).toEqual(["", null]);
  });

  it("resets components and States to their defaults (new factory result), firing .change", async () => {
    let box!: gr.Textbox, st!: gr.State<string[]>, made!: gr.State<{ id: number }>, clear!: gr.ClearButton, add!: gr.Button;
    let ids = 0;
    let changes = 0;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox({ value: "start" });
      st = new gr.State<string[]>(["d"]);
      made = new gr.State(() => ({ id: ++ids }));
      clear = new gr.ClearButton([box, st, made]);
      add = new gr.Button();
      add.click((v) => [...v, "added"], st, st);
      st.change(() => {
        changes++;
      });
    });
    const s = await demo.launch().connect();
    await s.input(box, "typed");
    await s.click(add);
    expect(s.get(made).id).toBe(1);
    await s.click(clear);
    expect(s.get(box)).toBe("start");
    expect(s.get(st)).toEqual(["d"]);
    expect(s.get(made).id).toBe(2);
    expect(changes).toBe(2); // the add, then the reset
    await s.click(clear);
    expect(changes).toBe(2); // resetting an already-default value is no change
  });
});

describe("Interface (S70)", () => {
  it("builds inputs, a predict listener and outputs; one State serves both positions", async () => {
    const demo = new gr.Interface({
      fn: (text: string, history: string[] | null) => {
        const h = [...(history ?? []), text];
        return [h.join(","), h];
      },
      inputs: ["text", "state"],
      outputs: ["text", "state"],
    });
    const [input, state] = demo.inputComponents;
    expect(demo.outputComponents[1]).toBe(state);
    const app = demo.launch();
    const s = await app.connect();
    await s.input(input as gr.Textbox, "a");
    await s.click(demo.submitButton);
    await s.input(input as gr.Textbox, "b");
    await s.submit(input as gr.Textbox);
    expect(s.get(demo.outputComponents[0])).toBe("a,b");
    expect(await s.call("predict", "c")).toEqual(["a,b,c", ["a", "b", "c"]]);
  });

  it("requires exactly one State input and one State output", () => {
    expect(() => new gr.Interface({ fn: () => 1, inputs: ["text", "state"], outputs: ["text"] })).toThrow(
      "If using 'state', there must be exactly one state input and one state output.",
    );
    expect(() => new gr.Interface({ fn: () => 1, inputs: ["state", "state"], outputs: ["state"] })).toThrow(/exactly one state/);
    // Shortcut names are case-insensitive, for the rule too.
    expect(() => new gr.Interface({ fn: () => 1, inputs: ["text", "STATE"], outputs: ["text"] })).toThrow(/exactly one state/);
    const classes = new gr.Interface({ fn: (t: string) => t, inputs: ["Textbox", "CheckboxGroup", "check_box_group" as never, "TextArea", "JSON"], outputs: "text" });
    expect(classes.inputComponents.map((c) => c.type)).toEqual(["textbox", "checkboxgroup", "checkboxgroup", "textbox", "json"]);
    const mixed = new gr.Interface({ fn: (t: string) => [t, t], inputs: ["Text", "State"], outputs: ["text", "state"] });
    expect(mixed.inputComponents[1]).toBe(mixed.outputComponents[1]); // one State for both
  });

  it("refuses unknown shortcut names, including Object.prototype's", () => {
    // Refused by the type too; at run time for JavaScript callers.
    // @ts-expect-error not a shortcut
    expect(() => new gr.Interface({ fn: () => 1, inputs: "constructor", outputs: "text" })).toThrow(/unknown shortcut "constructor"/);
    // @ts-expect-error not a shortcut
    expect(() => new gr.Interface({ fn: () => 1, inputs: "slidr", outputs: "text" })).toThrow(/unknown shortcut "slidr"; known: /);
  });
});

describe("Interface labels", () => {
  it("labels shortcut inputs with fn's parameter names and outputs 'output N', as Gradio does", () => {
    const demo = new gr.Interface({
      fn: (message: string, history: unknown) => [message, message, history],
      inputs: ["text", "state"],
      outputs: ["text", "textbox", "state"],
    });
    expect(demo.inputComponents[0].describe()).toBe('Textbox "message"');
    expect(demo.outputComponents.slice(0, 2).map((c) => c.describe())).toEqual(['Textbox "output 0"', 'Textbox "output 1"']);
    const single = new gr.Interface({ fn: function greet(name: string) { return name; }, inputs: "text", outputs: "text" });
    expect(single.inputComponents[0].describe()).toBe('Textbox "name"');
    expect(single.outputComponents[0].describe()).toBe('Textbox "output"');
  });
});

describe("BrowserState defaults", () => {
  it("must be JSON that stays itself: no functions, Maps or Sets", () => {
    expect(() => new gr.BrowserState(new Map([[1, 2]]))).toThrow(/BrowserState default: .*the value is a Map/);
    expect(() => new gr.BrowserState({ ids: new Set([1]) })).toThrow(/key "ids" is a Set/);
    expect(() => new gr.BrowserState((() => 1) as never)).toThrow(/BrowserState default: .*function/);
    expect(() => new gr.BrowserState({ theme: "dark", sizes: [1, 2], when: new Date(0) })).not.toThrow(); // toJSON applies
  });
});

describe("gr.on without triggers (S73)", () => {
  it("runs at load, so a derived output is right before any input changes", async () => {
    let a!: gr.Number, b!: gr.Number, sum!: gr.Number;
    const demo = new gr.Blocks(() => {
      a = new gr.Number({ value: 2 });
      b = new gr.Number({ value: 3 });
      sum = new gr.Number();
      gr.on(null, (x: number | null, y: number | null) => (x ?? 0) + (y ?? 0), [a, b], sum);
    });
    const s = await demo.launch().connect();
    expect(s.get(sum)).toBe(5);
    await s.input(a, 10);
    expect(s.get(sum)).toBe(13);
  });

  it("with no input that has a change event, runs at load only", async () => {
    let go!: gr.Button, n!: gr.Number;
    let runs = 0;
    const demo = new gr.Blocks(() => {
      go = new gr.Button();
      n = new gr.Number();
      gr.on(null, () => ++runs, go, n);
    });
    const s = await demo.launch().connect();
    await s.click(go);
    expect([runs, s.get(n)]).toEqual([1, 1]);
  });
});

describe("value$ and updates$ watch independently (S50, S55)", () => {
  it("a Global's value$ sees every change after a resubscribe, and nothing for an equal write", async () => {
    let level!: gr.Global<string>, set!: gr.Textbox, apply!: gr.Button;
    const demo = new gr.Blocks(() => {
      level = new gr.Global("A");
      set = new gr.Textbox();
      apply = new gr.Button();
      apply.click((v: string) => v, set, level);
    });
    const app = demo.launch();
    const s = await app.connect();
    const write = async (v: string) => {
      await s.input(set, v);
      await s.click(apply);
    };
    const first: string[] = [];
    app.value$(level).subscribe((v) => first.push(v)).unsubscribe();
    await write("B");
    const seen: string[] = [];
    app.value$(level).subscribe((v) => seen.push(v));
    await write("B"); // equal: no change
    await write("A");
    expect(first).toEqual(["A"]);
    expect(seen).toEqual(["B", "A"]);
  });

  it("ending a value$ subscription does not make updates$ report an equal write", async () => {
    let box!: gr.Textbox, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      box = new gr.Textbox();
      btn = new gr.Button();
      btn.click(() => "same", undefined, box);
    });
    const s = await demo.launch().connect();
    const updates: unknown[] = [];
    s.updates$.subscribe((u) => updates.push(u));
    await s.click(btn);
    s.value$(box).subscribe(() => undefined).unsubscribe();
    await s.click(btn); // equal content: no update
    expect(updates).toEqual([{ id: box.id, value: "same" }]);
  });
});

describe("demo.unload takes no inputs (S13)", () => {
  it("names the mistake when given a component where load would take inputs", () => {
    for (const inputs of [(t: gr.Textbox) => t, (t: gr.Textbox) => [t]]) {
      expect(() => new gr.Blocks((demo) => {
        const t = new gr.Textbox();
        demo.unload(() => undefined, inputs(t) as never);
      })).toThrow(/unload listeners take no inputs/);
    }
  });
});

describe("first writes and change detection (S52)", () => {
  it("a first write equal to the default is remembered: the next equal write is no change", async () => {
    let cart!: gr.State<string[]>, size!: gr.Number, reset!: gr.Button, copy!: gr.Button;
    const demo = new gr.Blocks(() => {
      cart = new gr.State<string[]>([]);
      size = new gr.Number();
      reset = new gr.Button("Reset");
      copy = new gr.Button("Copy");
      reset.click(() => [], undefined, cart); // writes [] without reading the State first
      copy.click((c: string[]) => [...c], cart, cart); // writes equal content again
      cart.change((c) => c.length, cart, size);
    });
    const s = await demo.launch().connect();
    await s.click(reset);
    await s.click(copy);
    expect(s.get(size)).toBeNull();
  });
});

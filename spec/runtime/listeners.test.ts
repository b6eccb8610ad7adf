import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

describe("registration (S30)", () => {
  it("throws outside a build", () => {
    const box = new gr.Textbox();
    expect(() => box.change(() => "x", undefined, box)).toThrow(/inside a Blocks build/);
  });

  it("throws after the Blocks is frozen", () => {
    let btn!: gr.Button;
    new gr.Blocks(() => {
      btn = new gr.Button("Go");
    });
    expect(() => btn.click(() => undefined)).toThrow(/frozen/);
  });

  it("names an API endpoint after its function as Gradio does: punctuation but - and _ dropped, unique suffixes", () => {
    function add(x: number | null) {
      return x;
    }
    function $get(x: number | null) {
      return x;
    }
    const deps: gr.Dependency[] = [];
    new gr.Blocks(() => {
      const n = new gr.Number();
      const b = new gr.Button();
      const fns = [add.bind(null), $get, add, { "top-level_fn!": (x: number | null) => x }["top-level_fn!"]];
      for (const fn of fns) deps.push(b.click(fn, n, n));
      deps.push(b.click((x: number | null) => x, n, n));
    });
    expect(deps.map((d) => d.apiName)).toEqual(["add", "get", "add_1", "top-level_fn", "lambda"]);
  });

  it("supports the positional, object and registrar forms and gr.on", async () => {
    let a!: gr.Textbox, b!: gr.Textbox, btn!: gr.Button, out!: gr.Textbox, log!: gr.State<string[]>;
    const demo = new gr.Blocks(() => {
      a = new gr.Textbox();
      b = new gr.Textbox();
      btn = new gr.Button("Go");
      out = new gr.Textbox();
      log = new gr.State<string[]>([]);
      btn.click({ fn: (x: string) => `obj:${x}`, inputs: a, outputs: out });
      btn.click({ inputs: [log], outputs: log })(function logged(l) {
        return [...l, "click"];
      });
      gr.on([a.submit, b.submit], (x, y) => `${x}+${y}`, [a, b], out);
    });
    const s = await demo.launch().connect();
    await s.input(a, "A");
    await s.click(btn);
    expect(s.get(out)).toBe("obj:A");
    expect(s.get(log)).toEqual(["click"]);
    await s.input(b, "B");
    await s.submit(b);
    expect(s.get(out)).toBe("A+B");
  });

  it("infers handler parameter types from inputs", () => {
    new gr.Blocks(() => {
      const items = new gr.State<string[]>([]);
      const n = new gr.Number();
      const btn = new gr.Button();
      btn.click((list, num) => {
        const len: number = list.length; // string[]
        const x: number | null = num;
        return [len, x];
      }, [items, n], [n, n]);
    });
  });

  it("gr.on without triggers listens to every input's change", async () => {
    let a!: gr.Textbox, b!: gr.Textbox, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      a = new gr.Textbox();
      b = new gr.Textbox();
      out = new gr.Textbox();
      gr.on(null, (x: string, y: string) => x + y, [a, b], out);
    });
    const s = await demo.launch().connect();
    await s.input(a, "1");
    await s.input(b, "2");
    expect(s.get(out)).toBe("12");
  });
});

describe("return normalisation (S32, S33)", () => {
  function app() {
    let x!: gr.Textbox, y!: gr.Textbox, n!: gr.Number, btn!: gr.Button;
    const fns: Record<string, () => unknown> = {};
    const demo = new gr.Blocks(() => {
      x = new gr.Textbox({ value: "x0" });
      y = new gr.Textbox({ value: "y0" });
      n = new gr.Number({ minimum: 0 });
      btn = new gr.Button();
      btn.click(function two() {
        return fns.two();
      }, undefined, [x, y]);
      btn.click(function one() {
        return fns.one();
      }, undefined, x);
    });
    return { demo, x, y, n, btn, fns };
  }

  it("skip() for several outputs skips them all; a Map updates just its keys", async () => {
    const { demo, x, y, btn, fns } = app();
    const s = await demo.launch().connect();
    fns.two = () => gr.skip();
    fns.one = () => gr.skip();
    await s.click(btn);
    expect([s.get(x), s.get(y)]).toEqual(["x0", "y0"]);
    fns.two = () => new Map([[y, "y1"]]);
    await s.click(btn);
    expect([s.get(x), s.get(y)]).toEqual(["x0", "y1"]);
  });

  it("one output takes the whole return value, undefined writes null (\"\" for a Textbox)", async () => {
    const { demo, x, btn, fns } = app();
    const s = await demo.launch().connect();
    fns.two = () => gr.skip();
    fns.one = () => undefined;
    await s.click(btn);
    expect(s.get(x)).toBe("");
  });

  it("too few values is an error naming the listener and both counts, and writes nothing", async () => {
    const { demo, x, y, btn, fns } = app();
    const s = await demo.launch().connect();
    fns.two = () => ["only one"];
    fns.one = () => gr.skip();
    const result = await s.click(btn);
    expect(result.status).toBe("error");
    expect(result.error?.message).toMatch(/listener "two" has 2 outputs but returned 1 values/);
    expect([s.get(x), s.get(y)]).toEqual(["x0", "y0"]);
  });

  it("too many values is a warning and the extras are ignored", async () => {
    const { demo, x, y, btn, fns } = app();
    const s = await demo.launch().connect();
    fns.two = () => ["a", "b", "c"];
    fns.one = () => gr.skip();
    expect((await s.click(btn)).status).toBe("complete");
    expect([s.get(x), s.get(y)]).toEqual(["a", "b"]);
    expect(s.messages.some((m) => m.type === "warning" && /returned 3 values for 2 outputs/.test(m.message))).toBe(true);
  });

  it("an empty Map returned for one output is its value, as Gradio applies its dict rule only to a non-empty dict", async () => {
    let table!: gr.State<Map<string, number>>, clear!: gr.Button;
    const demo = new gr.Blocks(() => {
      table = new gr.State(() => new Map([["k", 1]]));
      clear = new gr.Button();
      clear.click(() => new Map(), undefined, table);
    });
    const s = await demo.launch().connect();
    expect((await s.click(clear)).status).toBe("complete");
    expect(s.get(table)).toEqual(new Map());
  });

  it("a Map key that is not an output is an error", async () => {
    const { demo, n, btn, fns } = app();
    const s = await demo.launch().connect();
    fns.two = () => new Map([[n, 1]]);
    fns.one = () => gr.skip();
    const result = await s.click(btn);
    expect(result.error?.message).toMatch(/Number #\d+, which is not one of its outputs/);
  });

  it("update() sets props (and value when given); a component instance is an update (seed 002)", async () => {
    let md!: gr.Markdown, btn!: gr.Button, btn2!: gr.Button;
    const demo = new gr.Blocks(() => {
      md = new gr.Markdown("hidden", { visible: false });
      btn = new gr.Button();
      btn2 = new gr.Button();
      btn.click(() => gr.update({ visible: true }), undefined, md);
      btn2.click(() => new gr.Markdown("shown", { visible: true }), undefined, md);
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(s.props(md).visible).toBe(true);
    expect(s.get(md)).toBe("hidden");
    const other = await demo.launch().connect();
    await other.click(btn2);
    expect(other.get(md)).toBe("shown");
    expect(other.props(md).visible).toBe(true);
  });

  it("update() given something other than an object fails the run with a clear error, writing nothing", async () => {
    let md!: gr.Markdown, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      md = new gr.Markdown("before");
      btn = new gr.Button();
      btn.click(() => gr.update("after" as never), undefined, md);
    });
    const s = await demo.launch().connect();
    const result = await s.click(btn);
    expect(result.error).toEqual(new TypeError('gr.update: expected an object of props, such as { value, visible }; got "after".'));
    expect([s.get(md), s.props(md)]).toEqual(["before", expect.not.objectContaining({ 0: expect.anything() })]);
  });
});

describe("component instances returned as updates (S33)", () => {
  it("checks their value against the target's props, not the instance's own", async () => {
    let items!: gr.CheckboxGroup, level!: gr.Slider, pick!: gr.Button, bad!: gr.Button;
    const demo = new gr.Blocks(() => {
      items = new gr.CheckboxGroup({ choices: ["Milk", "Water"] });
      level = new gr.Slider({ maximum: 200 });
      pick = new gr.Button();
      bad = new gr.Button();
      pick.click(() => [new gr.CheckboxGroup({ value: ["Milk"] }), new gr.Slider({ value: 150 })], undefined, [items, level]);
      bad.click(() => new gr.CheckboxGroup({ value: ["Bread"] }), undefined, items);
    });
    const s = await demo.launch().connect();
    expect(await s.click(pick)).toEqual({ status: "complete" });
    expect([s.get(items), s.get(level)]).toEqual([["Milk"], 150]);
    const result = await s.click(bad);
    expect(result).toMatchObject({ status: "error", error: { code: "invalid_output" } });
    expect(s.get(items)).toEqual(["Milk"]);
  });

  it("still checks an initial value at construction outside handlers, and at render()", () => {
    expect(() => new gr.CheckboxGroup({ value: ["Milk"] })).toThrow(TypeError);
    expect(() => new gr.Blocks(() => new gr.Slider({ value: 150 }))).toThrow(TypeError);
  });
});

describe("value factories (S4, S34)", () => {
  it("normalise a factory's result like any value, and name the component when it is invalid", async () => {
    let text!: gr.Textbox, count!: gr.Number, capped!: gr.Number;
    const demo = new gr.Blocks(() => {
      text = new gr.Textbox({ value: () => null as unknown as string });
      count = new gr.Number({ value: () => "12" as unknown as number });
      capped = new gr.Number({ value: () => 9, maximum: 5, label: "Capped" });
    });
    const s = await demo.launch().connect();
    expect(s.get(text)).toBe("");
    expect(s.get(count)).toBe(12);
    expect(() => s.get(capped)).toThrow(/Number "Capped": its value factory returned an invalid value/);
  });
});

describe("validation (S34)", () => {
  it("rejects an invalid output naming listener, component and value, and writes nothing", async () => {
    let n!: gr.Number, t!: gr.Textbox, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ label: "Age", maximum: 150 });
      t = new gr.Textbox();
      btn = new gr.Button();
      btn.click(function setAge() {
        return ["ok", 200];
      }, undefined, [t, n]);
    });
    const s = await demo.launch().connect();
    const result = await s.click(btn);
    expect(result.status).toBe("error");
    expect(result.error?.message).toMatch(/listener "setAge" returned an invalid value for Number "Age": 200 \(200 is above the maximum 150\)/);
    expect(s.get(t)).toBe("");
    expect(s.messages.at(-1)).toMatchObject({ type: "error" });
  });

  it("rejects invalid user input without writing; props updated per session apply", async () => {
    let group!: gr.CheckboxGroup, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      group = new gr.CheckboxGroup({ choices: ["a", "b"] });
      btn = new gr.Button();
      btn.click(() => gr.update({ choices: ["a", "b", "c"] }), undefined, group);
    });
    const app = demo.launch();
    const s = await app.connect();
    const bad = await s.input(group, ["c"]);
    expect(bad.status).toBe("error");
    expect(bad.error?.message).toMatch(/CheckboxGroup #\d+ rejected the input \["c"\]/);
    expect(s.get(group)).toEqual([]);
    await s.click(btn);
    expect((await s.input(group, ["c"])).status).toBe("complete");
    const other = await app.connect();
    expect((await other.input(group, ["c"])).status).toBe("error");
  });

  it("refuses a choice listed twice in a CheckboxGroup or multiselect Dropdown, from the user or a handler", async () => {
    let cart!: gr.CheckboxGroup, tags!: gr.Dropdown<string, true>, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      cart = new gr.CheckboxGroup({ choices: ["Milk", "Eggs"], label: "Cart", value: ["Eggs"] });
      tags = new gr.Dropdown({ choices: ["a"], multiselect: true, allowCustomValue: true, label: "Tags" });
      btn = new gr.Button();
      btn.click(() => [["Milk", "Milk"], ["x", "x"]], undefined, [cart, tags]);
    });
    const s = await demo.launch().connect();
    const input = await s.input(cart, new Array(130_000).fill("Milk"));
    expect((input.error as gr.EventError).code).toBe("invalid_input");
    expect(input.error?.message).toMatch(/^CheckboxGroup "Cart" rejected the input \["Milk",.*: value \[1\] "Milk" is selected twice/);
    expect((await s.input(tags, ["b", "b"])).error?.message).toMatch(/^Dropdown "Tags" rejected the input .*"b" is selected twice/);
    const output = await s.click(btn);
    expect((output.error as gr.EventError).code).toBe("invalid_output");
    expect(output.error?.message).toMatch(/for CheckboxGroup "Cart": .*value \[1\] "Milk" is selected twice/);
    expect(s.get(cart)).toEqual(["Eggs"]);
    expect(s.get(tags)).toEqual([]);
  });

  it("normalises on the way in: numeric text becomes a number", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number();
    });
    const s = await demo.launch().connect();
    await s.input(n, "42");
    expect(s.get(n)).toBe(42);
  });
});

describe("async handlers and generators (S35)", () => {
  it("awaits async functions and streams generator yields, keeping the last", async () => {
    let out!: gr.Textbox, btn!: gr.Button, gen!: gr.Button;
    const seen: string[] = [];
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox();
      btn = new gr.Button();
      gen = new gr.Button();
      btn.click(async () => {
        await Promise.resolve();
        return "async";
      }, undefined, out);
      gen.click(async function* () {
        yield "one";
        await Promise.resolve();
        yield "two";
      }, undefined, out);
      out.change((v) => {
        seen.push(v);
      }, out);
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(s.get(out)).toBe("async");
    await s.click(gen);
    expect(s.get(out)).toBe("two");
    expect(seen).toEqual(["async", "one", "two"]);
  });

  it("closes a generator whose yield is rejected, so its finally blocks run", async () => {
    let out!: gr.Number, btn!: gr.Button;
    let closed = false;
    const demo = new gr.Blocks(() => {
      out = new gr.Number();
      btn = new gr.Button();
      btn.click(function* () {
        try {
          yield 1;
          yield "not a number";
          yield 3;
        } finally {
          closed = true;
        }
      }, undefined, out);
    });
    const s = await demo.launch().connect();
    expect(await s.click(btn)).toMatchObject({ status: "error", error: { code: "invalid_output" } });
    await new Promise((r) => setImmediate(r));
    expect(closed).toBe(true);
    expect(s.get(out)).toBe(1);
  });

  it("sync generators stream too", async () => {
    let out!: gr.Number, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      out = new gr.Number();
      btn = new gr.Button();
      btn.click(function* () {
        for (let i = 1; i <= 3; i++) yield i;
      }, undefined, out);
    });
    const s = await demo.launch().connect();
    const values: (number | null)[] = [];
    s.value$(out).subscribe((v) => values.push(v));
    await s.click(btn);
    expect(values).toEqual([null, 1, 2, 3]);
  });

  it("adopts any thenable a handler returns, also one whose then() throws", async () => {
    let out!: gr.Number, good!: gr.Button, bad!: gr.Button;
    const demo = new gr.Blocks(() => {
      out = new gr.Number();
      good = new gr.Button();
      bad = new gr.Button();
      good.click(() => ({ then: (resolve: (v: number) => void) => resolve(7) }) as unknown as Promise<number>, undefined, out);
      bad.click(() => ({ then: () => { throw new gr.Error("then failed"); } }) as unknown as Promise<number>, undefined, out);
    });
    const s = await demo.launch().connect();
    await expect(s.click(good)).resolves.toEqual({ status: "complete" });
    expect(s.get(out)).toBe(7);
    const result = await s.click(bad);
    expect(result).toMatchObject({ status: "error", error: { message: "then failed" } });
    expect(s.get(out)).toBe(7);
  });
});

describe("errors and alerts (S36)", () => {
  it("drops the alerts and progress of a run that ended or was cancelled (work its handler left behind), as Gradio's queue does", async () => {
    const clock = new ManualClock();
    let go!: gr.Button, stop!: gr.Button, leave!: gr.Button;
    const demo = new gr.Blocks(() => {
      go = new gr.Button("go");
      stop = new gr.Button("stop");
      leave = new gr.Button("leave");
      const dep = go.click(async (ctx: gr.EventContext) => {
        gr.Info("early");
        await clock.sleep(1000);
        gr.Info("late info");
        ctx.progress(0.5, "late");
      });
      stop.click(() => undefined, undefined, undefined, { cancels: [dep] });
      leave.click((ctx: gr.EventContext) => {
        void clock.sleep(500).then(() => {
          gr.Warning("after the end");
          ctx.progress(1, "after");
        });
        return undefined;
      });
    });
    const s = await demo.launch({ clock }).connect();
    const event = s.click(go);
    await clock.advance(10);
    await s.click(stop);
    expect((await event).status).toBe("cancelled");
    expect((await s.click(leave)).status).toBe("complete");
    await clock.advance(2000);
    expect(s.messages.filter((m) => m.type === "info" || m.type === "warning" || m.type === "progress").map((m) => ("message" in m ? m.message : m.type))).toEqual(["early"]);
  });

  it.each([
    ["throw undefined", () => {
      throw undefined;
    }],
    ["Promise.reject()", () => Promise.reject()],
    ["an async function rejecting with undefined", async () => {
      await Promise.resolve();
      throw undefined;
    }],
    ["a generator throwing undefined", function* () {
      yield "partial";
      throw undefined;
    }],
  ])("%s fails the event like any throw: .success children do not run", async (_, fn) => {
    let btn!: gr.Button, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox();
      btn = new gr.Button();
      btn.click(fn as unknown as () => string, undefined, out).success(() => "success ran", undefined, out);
    });
    const s = await demo.launch().connect();
    const result = await s.click(btn);
    expect(result.status).toBe("error");
    expect(s.get(out)).not.toBe("success ran");
  });

  function app(showError?: boolean) {
    let btn!: gr.Button, other!: gr.Button, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      other = new gr.Button();
      out = new gr.Textbox();
      btn.click(async (ctx: gr.EventContext) => {
        gr.Info("first");
        await Promise.resolve();
        gr.Warning("second");
        ctx.success("third");
        throw new gr.Error("Bad thing", { title: "Oops", duration: 5 });
      }, undefined, out);
      other.click(() => {
        throw new TypeError("secret detail");
      });
    });
    return { app: demo.launch({ showError }), btn, other };
  }

  it("delivers alerts in order and gr.Error with title and duration", async () => {
    const { app: a, btn } = app();
    const s = await a.connect();
    const result = await s.click(btn);
    expect(result.status).toBe("error");
    expect(result.error).toBeInstanceOf(gr.Error);
    expect(s.messages.map((m) => [m.type, (m as gr.AlertMessage).message])).toEqual([
      ["info", "first"],
      ["warning", "second"],
      ["success", "third"],
      ["error", "Bad thing"],
    ]);
    expect(s.messages[3]).toMatchObject({ title: "Oops", duration: 5 });
  });

  it("hides other exceptions' messages unless showError", async () => {
    const hidden = app();
    const s = await hidden.app.connect();
    const result = await s.click(hidden.other);
    expect(result.error?.message).toBe("secret detail"); // the caller (a test) sees it
    expect(JSON.stringify(s.messages)).not.toMatch(/secret detail/);
    const shown = app(true);
    const s2 = await shown.app.connect();
    await s2.click(shown.other);
    expect(s2.messages.at(-1)).toMatchObject({ type: "error", message: "secret detail" });
  });

  it("gr.Info outside a handler throws", () => {
    expect(() => gr.Info("nobody listens")).toThrow(/outside an event handler/);
  });
});

describe("chaining (S37)", () => {
  it("a session closed while a run's outputs are delivered cancels it: none of its .then children run after the unload listeners (S13)", async () => {
    let box!: gr.Textbox, btn!: gr.Button;
    const runs: string[] = [];
    const demo = new gr.Blocks((demo) => {
      demo.unload(() => void runs.push("unload"));
      box = new gr.Textbox();
      btn = new gr.Button();
      btn.click(() => "x", undefined, box).then(() => void runs.push("then"));
    });
    const app = demo.launch();
    const s = await app.connect();
    let closing: Promise<void> | undefined;
    s.value$(box).subscribe((v) => {
      if (v === "x") closing = s.close();
    });
    const result = await s.click(btn);
    await closing;
    await s.idle();
    expect({ runs, status: result.status }).toEqual({ runs: ["unload"], status: "cancelled" });
    await app.close();
  });

  it.each([
    ["async", async () => "done"],
    ["sync", () => "done"],
  ])("a %s run whose outputs start a .change listener that cancels it ends complete: its handler is done, .success runs", async (_, fn) => {
    let btn!: gr.Button, out!: gr.Textbox;
    const log: string[] = [];
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.Textbox();
      const dep = btn.click(fn, undefined, out);
      dep.success(() => void log.push("success"));
      dep.failure(() => void log.push("failure"));
      out.change(() => void log.push("change"), undefined, undefined, { cancels: [dep] });
    });
    const s = await demo.launch().connect();
    const result = await s.click(btn);
    expect({ out: s.get(out), log, status: result.status }).toEqual({ out: "done", log: ["change", "success"], status: "complete" });
  });

  it("applies outputs, then .change listeners, then success/then children; failure on error", async () => {
    const order: string[] = [];
    let s1!: gr.State<number>, btn!: gr.Button, fail!: gr.Button;
    const demo = new gr.Blocks(() => {
      s1 = new gr.State(0);
      btn = new gr.Button();
      fail = new gr.Button();
      s1.change(() => {
        order.push("change");
      }, s1);
      const dep = btn.click((v) => {
        order.push("run");
        return v + 1;
      }, s1, s1);
      dep.then((v) => {
        order.push(`then:${v}`);
      }, s1);
      dep.success(() => {
        order.push("success");
      });
      dep.failure(() => {
        order.push("failure");
      });
      const bad = fail.click(() => {
        throw new Error("x");
      });
      bad.failure(() => {
        order.push("failed");
      });
      bad.success(() => {
        order.push("never");
      });
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(order).toEqual(["run", "change", "then:1", "success"]);
    order.length = 0;
    const r = await s.click(fail);
    expect(r.status).toBe("error");
    expect(order).toEqual(["failed"]);
  });
});

describe("trigger modes (S38)", () => {
  function app(mode?: gr.TriggerMode) {
    let btn!: gr.Button, count!: gr.State<number>;
    const releases: (() => void)[] = [];
    let started = 0;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      count = new gr.State(0);
      btn.click(async (c) => {
        started++;
        await new Promise<void>((r) => releases.push(r));
        return c + 1;
      }, count, count, { triggerMode: mode, concurrencyLimit: null });
    });
    return { demo, btn, count, release: () => releases.shift()?.(), started: () => started };
  }

  it("once (default for click) drops a trigger while a run is pending", async () => {
    const t = app();
    const s = await t.demo.launch().connect();
    const first = s.click(t.btn);
    const second = await s.click(t.btn);
    expect(second.status).toBe("dropped");
    t.release();
    await first;
    expect(s.get(t.count)).toBe(1);
  });

  it("always_last remembers one re-run that reads inputs afresh", async () => {
    const t = app("always_last");
    const s = await t.demo.launch().connect();
    const p1 = s.click(t.btn);
    const p2 = s.click(t.btn);
    const p3 = s.click(t.btn);
    t.release();
    await new Promise((r) => setImmediate(r));
    expect(t.started()).toBe(2);
    t.release();
    await Promise.all([p1, p2, p3]);
    expect(s.get(t.count)).toBe(2);
  });

  it("multiple runs concurrently", async () => {
    const t = app("multiple");
    const s = await t.demo.launch().connect();
    const p1 = s.click(t.btn);
    const p2 = s.click(t.btn);
    expect(t.started()).toBe(2);
    t.release();
    t.release();
    await s.idle();
    await Promise.all([p1, p2]);
  });
});

describe("EventError codes", () => {
  it("tells rejected input, rejected output and wrong output counts apart", async () => {
    let n!: gr.Number, a!: gr.Button, b!: gr.Button;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ maximum: 1 });
      a = new gr.Button();
      b = new gr.Button();
      a.click(() => 5, undefined, n);
      b.click(() => [1], undefined, [n, n]);
    });
    const s = await demo.launch().connect();
    expect(((await s.input(n, 9)).error as gr.EventError).code).toBe("invalid_input");
    expect(((await s.click(a)).error as gr.EventError).code).toBe("invalid_output");
    expect(((await s.click(b)).error as gr.EventError).code).toBe("output_count");
  });
});

describe("options are checked by name, as Python checks Gradio's keyword arguments", () => {
  it("refuses a misspelt listener option at registration, suggesting the option meant", () => {
    expect(
      () =>
        new gr.Blocks(() => {
          new gr.Button("Go").click(() => undefined, undefined, undefined, { concurencyLimit: 2 } as never);
        }),
    ).toThrow(
      new TypeError(
        'Button #0.click: unknown option "concurencyLimit" (did you mean "concurrencyLimit"?); the options are apiName, apiVisibility, triggerMode, concurrencyLimit, concurrencyId, queue, cancels, timeLimit, showProgress, generator, validator, key, batch, maxBatchSize, js.',
      ),
    );
    // The object forms too, and Gradio's snake_case names are not ours.
    expect(() => new gr.Blocks(() => void gr.on({ triggers: [new gr.Button().click], fn: () => undefined, api_name: "x" } as never))).toThrow(
      /^Button #0.click: unknown option "api_name" \(did you mean "apiName"\?\)/,
    );
    expect(() => new gr.Blocks(() => void new gr.Button().click({ fn: () => undefined, Queue: false } as never))).toThrow(
      /unknown option "Queue" \(did you mean "queue"\?\)/,
    );
  });

  it("refuses unknown options of launch, connect, State, BrowserState and MemoryStorage", async () => {
    const demo = new gr.Blocks(() => undefined);
    expect(() => demo.launch({ maxQueSize: 2 } as never)).toThrow(/^launch\(\): unknown option "maxQueSize" \(did you mean "maxQueueSize"\?\)/);
    await expect(demo.launch().connect({ sesionHash: "abc" } as never)).rejects.toThrow(/^connect\(\): unknown option "sesionHash" \(did you mean "sessionHash"\?\)/);
    expect(() => new gr.State(0, { time_to_live: 5 } as never)).toThrow(/^State: unknown option "time_to_live"; the options are timeToLive, deleteCallback\.$/);
    expect(() => new gr.BrowserState(0, { key: "k" } as never)).toThrow(/^BrowserState: unknown option "key"; the options are storageKey, secret\.$/);
    expect(() => new gr.MemoryStorage({ quota: 10 } as never)).toThrow(/^MemoryStorage: unknown option "quota"/);
    expect(() => new gr.State(0, 5 as never)).toThrow(/^State: options must be an object; got 5\.$/);
  });

  it("refuses a BrowserState storageKey or secret that is not a non-empty string", () => {
    expect(() => new gr.BrowserState(0, { storageKey: "" })).toThrow(
      new TypeError('BrowserState storageKey must be a non-empty string (or omitted for the derived one, S93); got "".'),
    );
    expect(() => new gr.BrowserState(0, { secret: 42 as never })).toThrow(/^BrowserState secret must be a non-empty string .*; got 42\.$/);
    expect(() => new gr.BrowserState(0, { storageKey: "prefs", secret: "s3cret" })).not.toThrow();
  });

  it("refuses a Blocks given something other than a build function or options", () => {
    expect(() => new gr.Blocks(5 as never)).toThrow(new TypeError("Blocks: expected a build function or an options object; got 5."));
    expect(() => new gr.Blocks({ title: "t" }, "build" as never)).toThrow(new TypeError('Blocks: the build must be a function; got "build".'));
  });
});

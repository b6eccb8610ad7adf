import * as gr from "blockstate";
import { ManualClock, flush } from "blockstate/testing";

/** The canonical example: a slider sets how many textboxes exist; a button outside merges them. */
function boxesApp(extra?: (boxes: gr.Textbox[], n: number) => void) {
  let count!: gr.Slider, merge!: gr.Button, out!: gr.Textbox, region!: gr.Render;
  let runs = 0;
  const demo = new gr.Blocks(() => {
    count = new gr.Slider({ minimum: 0, maximum: 2000, step: 1, value: 2, label: "Boxes" });
    merge = new gr.Button("Merge");
    region = gr.render([count], (n: number) => {
      runs++;
      const boxes: gr.Textbox[] = [];
      for (let i = 0; i < n; i++) boxes.push(new gr.Textbox({ label: `Box ${i}`, key: `box-${i}` }));
      merge.click((...args: unknown[]) => args.slice(0, -1).join("+"), boxes, out);
      extra?.(boxes, n);
    });
    out = new gr.Textbox({ label: "Out" });
  });
  return { demo, count, merge, out, region, runs: () => runs };
}

const lastError = (s: gr.Session) => (s.messages.at(-1) as gr.AlertMessage | undefined)?.message;
const labels = (s: gr.Session) => s.findAll({ type: "Textbox" }).map((b) => b.props.label as string);
const values = (s: gr.Session) => s.findAll({ type: "Textbox" }).map((b) => s.get(b));

describe("gr.render: per-session regions (S110)", () => {
  it("renders at load, as part of connect, with the inputs' values", async () => {
    const { demo } = boxesApp();
    const s = await demo.launch().connect();
    expect(labels(s)).toEqual(["Box 0", "Box 1", "Out"]);
  });

  it("re-runs on an input's change, as part of that event", async () => {
    const { demo, count } = boxesApp();
    const s = await demo.launch().connect();
    expect(await s.input(count, 3)).toEqual({ status: "complete" });
    expect(labels(s)).toEqual(["Box 0", "Box 1", "Box 2", "Out"]);
    await s.input(count, 1);
    expect(labels(s)).toEqual(["Box 0", "Out"]);
  });

  it("gives each session its own content; renders of different sessions never see each other (S112)", async () => {
    const { demo, count, merge, out } = boxesApp();
    const app = demo.launch();
    const a = await app.connect(), b = await app.connect();
    await a.input(count, 3);
    expect([labels(a).length, labels(b).length]).toEqual([4, 3]);
    await a.input(a.find("Box 0")!, "x");
    expect(b.get(b.find("Box 0")!)).toBe("");
    expect(() => b.get(a.find("Box 0")!)).toThrow(/was rendered for another session/);
    await b.click(merge);
    expect([a.get(out), b.get(out)]).toEqual(["", "+"]);
  });

  it("options.triggers replace the default ones: without demo.load, nothing renders at load", async () => {
    let go!: gr.Button, name!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ label: "Name", value: "Ada" });
      go = new gr.Button("Go");
      gr.render([name], (n: string) => void new gr.Markdown({ value: `Hi ${n}`, label: "Greeting" }), { triggers: go.click });
    });
    const s = await demo.launch().connect();
    expect(s.find("Greeting")).toBeUndefined();
    await s.input(name, "Bo"); // not a trigger any more
    expect(s.find("Greeting")).toBeUndefined();
    await s.click(go);
    expect(s.get(s.find("Greeting")!)).toBe("Hi Bo");
  });

  it("renders at load too when the triggers name demo.load", async () => {
    let go!: gr.Button;
    const demo = new gr.Blocks((demo) => {
      go = new gr.Button("Go");
      gr.render(null, () => void new gr.Markdown({ value: "here", label: "M" }), { triggers: [demo.load, go.click] });
    });
    const s = await demo.launch().connect();
    expect(s.get(s.find("M")!)).toBe("here");
  });

  it("describes the region in config() as a render node at its place in the layout", () => {
    const { demo, region } = boxesApp();
    const config = demo.config();
    expect(config.protocolVersion).toBe(2);
    expect(config.layout.map((n) => n.id)).toEqual([0, 1, region.id, region.id + 1]);
    expect(config.components.find((c) => c.id === region.id)).toEqual({ id: region.id, type: "render", props: {}, events: [] });
  });

  it("works with a render of 1,000 components", async () => {
    const { demo, count, merge, out } = boxesApp();
    const s = await demo.launch().connect();
    expect(await s.input(count, 1000)).toEqual({ status: "complete" });
    expect(labels(s)).toHaveLength(1001);
    await s.input(s.find("Box 999")!, "z");
    await s.click(merge);
    expect((s.get(out) as string).endsWith("++z")).toBe(true);
  });
});

describe("gr.render: re-runs replace the previous render, keys keep values (S111)", () => {
  it("keeps a keyed component's value when the user changed it, else takes the new run's value", async () => {
    let count!: gr.Slider;
    const demo = new gr.Blocks(() => {
      count = new gr.Slider({ minimum: 1, maximum: 5, step: 1, value: 2, label: "Boxes" });
      gr.render([count], (n: number) => {
        for (let i = 0; i < n; i++) new gr.Textbox({ label: `Box ${i}`, key: `box-${i}`, value: `v${n}` });
        new gr.Textbox({ label: "Unkeyed", value: `u${n}` });
      });
    });
    const s = await demo.launch().connect();
    expect(values(s)).toEqual(["v2", "v2", "u2"]);
    await s.input(s.find("Box 0")!, "mine");
    await s.input(s.find("Unkeyed")!, "mine too");
    await s.input(count, 3);
    expect(values(s)).toEqual(["mine", "v3", "v3", "u3"]);
    await s.input(count, 4); // still changed since it was rendered: kept again
    expect(values(s)).toEqual(["mine", "v4", "v4", "v4", "u4"]);
  });

  it("keeps a value a listener wrote, and the props named in preservedByKey", async () => {
    let count!: gr.Slider, set!: gr.Button;
    const demo = new gr.Blocks(() => {
      count = new gr.Slider({ minimum: 1, maximum: 5, step: 1, value: 1, label: "N" });
      set = new gr.Button("Set");
      gr.render([count], (n: number) => {
        const box = new gr.Textbox({ label: `Box`, key: "box", preservedByKey: ["value", "placeholder"], placeholder: `p${n}` });
        const plain = new gr.Textbox({ label: `Plain`, key: "plain", preservedByKey: [], value: `n${n}` });
        set.click(() => [gr.update({ value: "set", placeholder: "changed" }), "set"], undefined, [box, plain]);
      });
    });
    const s = await demo.launch().connect();
    await s.click(set);
    await s.input(count, 2);
    expect(s.get(s.find("Box")!)).toBe("set");
    expect(s.props(s.find("Box")!).placeholder).toBe("changed");
    expect(s.get(s.find("Plain")!)).toBe("n2"); // preservedByKey: [] keeps nothing
  });

  it("keeps a keyed layout container's props named in its preservedByKey (none by default), as Gradio's containers", async () => {
    let n!: gr.Number, fold!: gr.Button;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      fold = new gr.Button("Fold");
      gr.render([n], (v: number | null) => {
        const kept = new gr.Accordion("Kept", { key: "kept", preservedByKey: ["open"] }, () => void new gr.Textbox({ label: `In ${v}` }));
        const plain = new gr.Accordion("Plain", { key: "plain" });
        const unkeyed = new gr.Accordion("Unkeyed", { preservedByKey: ["open"] });
        fold.click(() => [gr.update({ open: false }), gr.update({ open: false }), gr.update({ open: false })], undefined, [kept, plain, unkeyed]);
      });
    });
    const s = await demo.launch().connect();
    const open = (label: string) => s.props(s.find({ type: "Accordion", label })!).open;
    await s.click(fold);
    expect([open("Kept"), open("Plain"), open("Unkeyed")]).toEqual([false, false, false]);
    await s.input(n, 2);
    expect([open("Kept"), open("Plain"), open("Unkeyed")]).toEqual([false, true, true]);
    expect(s.find("In 2")).toBeDefined();
    expect(() => new gr.Blocks(() => void new gr.Row({ preservedByKey: "open" as never }))).toThrow('Row: preservedByKey must be a list of prop names; got "open".');
  });

  it("drops kept props (and a value) that the new run's props refuse: a kept maximum below the new minimum (S34)", async () => {
    let n!: gr.Number, widen!: gr.Button;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      widen = new gr.Button("Widen");
      gr.render([n], (v: number | null) => {
        const first = v === 1;
        const slider = new gr.Slider({ label: "S", key: "s", preservedByKey: ["value", "maximum"], minimum: first ? 0 : 200, maximum: first ? 10 : 300, value: first ? 5 : 250 });
        widen.click(() => gr.update({ maximum: 100, value: 80 }), undefined, slider);
      });
    });
    const s = await demo.launch().connect();
    await s.click(widen);
    expect(s.props(s.find("S")!).maximum).toBe(100);
    expect((await s.input(n, 2)).status).toBe("complete");
    const slider = s.find("S")!;
    expect([s.props(slider).minimum, s.props(slider).maximum, s.get(slider)]).toEqual([200, 300, 250]);
  });

  it("runs only the current render's listeners; the replaced components are refused", async () => {
    const { demo, count, merge, out } = boxesApp();
    const s = await demo.launch().connect();
    const old = s.find("Box 1")!;
    await s.input(old, "b");
    await s.input(count, 1);
    expect(await s.click(merge)).toEqual({ status: "complete" });
    expect(s.get(out)).toBe(""); // one listener, with one box: the old one (two inputs) is gone
    expect(() => s.get(old)).toThrow(/was removed: a later run of its gr.render replaced it/);
    expect(() => s.input(old, "x")).toThrow(TypeError);
  });

  it("lets rendered listeners use components from outside, be triggered by them and trigger each other", async () => {
    let total!: gr.Number, seen!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      total = new gr.Number({ label: "Total", value: 0 });
      seen = new gr.Textbox({ label: "Seen" });
      gr.render(null, () => {
        const add = new gr.Button("Add");
        const last = new gr.Number({ label: "Last", value: 0 });
        add.click((t) => [t! + 1, t! + 1], total, [total, last]);
        last.change((v) => `last ${v}`, last, seen);
        total.change((t) => `total ${t}`, total, seen).then(() => undefined);
      });
    });
    const s = await demo.launch().connect();
    expect(await s.click(s.find({ type: "Button" })!)).toEqual({ status: "complete" });
    expect(s.get(total)).toBe(1);
    expect(s.get(s.find("Last")!)).toBe(1);
    expect(s.get(seen)).toMatch(/^(last|total) 1$/);
  });

  it("completes the value$ and props$ subscriptions of replaced components", async () => {
    const { demo, count } = boxesApp();
    const s = await demo.launch().connect();
    const box = s.find("Box 0")!;
    const seen: unknown[] = [];
    let completed = 0;
    s.value$(box).subscribe({ next: (v) => seen.push(v), complete: () => completed++ });
    s.props$(box).subscribe({ complete: () => completed++ });
    await s.input(box, "a");
    await s.input(count, 0); // no box keyed box-0 in the next run: it is gone
    expect([seen, completed]).toEqual([["", "a"], 2]);
  });

  it("completes the value$ of a replaced component once its listener's run, still going at the replacement, ends", async () => {
    let n!: gr.Number, out!: gr.Textbox;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      out = new gr.Textbox({ label: "Out" });
      gr.render([n], (v: number | null) => {
        const t = new gr.Textbox({ label: `T${v}` });
        new gr.Button(`B${v}`).click(
          async () => {
            await gate;
            return ["late", "late out"];
          },
          undefined,
          [t, out],
        );
      });
    });
    const s = await demo.launch().connect();
    let completed = false;
    s.value$(s.find("T1")!).subscribe({ complete: () => (completed = true) });
    const click = s.click(s.find({ type: "Button" })!);
    await s.input(n, 2);
    expect(completed).toBe(false); // its run still writes to it
    open();
    await click;
    await s.idle();
    expect(completed).toBe(true); // not only at the next render, which may never come
    expect(s.get(out)).toBe("late out");
  });

  it("lets gr.on(null, ...) inside a render run on its inputs' changes (the render is its load)", async () => {
    let out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox({ label: "Out" });
      gr.render(null, () => {
        const box = new gr.Textbox({ label: "In" });
        gr.on(null, (v: string) => v.toUpperCase(), box, out);
      });
    });
    const s = await demo.launch().connect();
    expect(s.messages).toEqual([]);
    await s.input(s.find("In")!, "shout");
    expect(s.get(out)).toBe("SHOUT");
  });

  it("keeps the ids of a session's rendered blocks within the largest render, however often it re-runs", async () => {
    const { demo, count } = boxesApp();
    const s = await demo.launch().connect();
    for (let i = 0; i < 50; i++) await s.input(count, 3 + (i % 2));
    const limit = demo.blocks.length + 2 * 4 + 2;
    for (const box of s.findAll({ type: "Textbox" })) expect(box.id).toBeLessThan(limit);
  });
});

describe("gr.render: the session's methods take only its current rendered blocks", () => {
  it("refuses props()/props$() of another session's rendered container, or a replaced one", async () => {
    let count!: gr.Slider;
    const rows: gr.Row[] = [];
    const demo = new gr.Blocks(() => {
      count = new gr.Slider({ minimum: 0, maximum: 3, step: 1, value: 1 });
      gr.render([count], (n: number) => {
        rows.push(new gr.Row({ elemId: `row-${n}` }));
      });
    });
    const app = demo.launch();
    const a = await app.connect();
    const b = await app.connect();
    const [rowA, rowB] = rows;
    expect(a.props(rowA)).toEqual({ elemId: "row-1" });
    expect(() => b.props(rowA)).toThrow(/^session.props\(component\): expected a component or layout container of this app's Blocks; got Row #\d+, which was rendered for another session/);
    expect(() => b.props$(rowA)).toThrow(/was rendered for another session/);
    await b.input(count, 2);
    expect(() => b.props(rowB)).toThrow(/was removed: a later run of its gr.render replaced it \(S111\)/);
  });
});

describe("gr.render: closing the session (S13)", () => {
  it("cancels a rendered listener's run as it cancels the app's own, and writes nothing after", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox();
      gr.render(null, () => {
        new gr.Button("Slow").click(
          async () => {
            await gate;
            return "done";
          },
          undefined,
          out,
        );
      });
    });
    const s = await demo.launch().connect();
    const click = s.click(s.find({ type: "Button" })!);
    await new Promise((resolve) => setTimeout(resolve, 1));
    await s.close();
    release();
    const result = await click;
    expect(result.status).toBe("cancelled");
    expect((result.error as gr.EventError).code).toBe("session_closed");
    expect(s.get(out)).toBe("");
  });
});

describe("gr.render: a rendered listener that re-renders its own region", () => {
  // Gradio's todo list: each task is a row with a Delete button whose click rewrites the State
  // the render reads, so the run of that click replaces the render that holds its button.
  function todoApp() {
    let tasks!: gr.State<string[]>, name!: gr.Textbox, add!: gr.Button, log!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      tasks = new gr.State<string[]>(["milk", "eggs", "tea"]);
      name = new gr.Textbox({ label: "Task" });
      add = new gr.Button("Add");
      log = new gr.Textbox({ label: "Log" });
      add.click((n: string, t: string[]) => [[...t, n], ""], [name, tasks], [tasks, name]);
      gr.render([tasks], (list: string[]) => {
        for (const task of list) {
          new gr.Row(() => {
            new gr.Textbox({ value: task, label: `Task ${task}` });
            const del = new gr.Button("Delete", { elemId: `delete-${task}` });
            del.click((t: string[]) => t.filter((x) => x !== task), tasks, tasks).then(() => `deleted ${task}`, undefined, log);
          });
        }
      });
    });
    return { demo, tasks, name, add, log };
  }

  it("completes the click, runs its chained listener and draws the new list", async () => {
    const { demo, tasks, name, add, log } = todoApp();
    const s = await demo.launch().connect();
    expect(await s.click(s.find({ elemId: "delete-eggs" })!)).toEqual({ status: "complete" });
    expect(s.get(tasks)).toEqual(["milk", "tea"]);
    expect(s.get(log)).toBe("deleted eggs");
    expect(s.findAll({ type: "Row" })).toHaveLength(2);
    expect(await s.click(s.find({ elemId: "delete-milk" })!)).toEqual({ status: "complete" });
    await s.input(name, "jam");
    await s.click(add);
    expect(s.findAll({ type: "Textbox" }).map((b) => s.get(b))).toEqual(["", "deleted milk", "tea", "jam"]);
  });

  it("describes nested layout in renders()", async () => {
    const { demo } = todoApp();
    const s = await demo.launch().connect();
    const [render] = Object.values(s.renders());
    expect(render.layout).toHaveLength(3);
    expect(render.layout[0].children).toHaveLength(2);
    const row = render.components.find((c) => c.id === render.layout[0].id)!;
    expect(row.type).toBe("row");
  });
});

describe("gr.render: a failing render keeps the previous one (S112)", () => {
  function failing() {
    let count!: gr.Slider, merge!: gr.Button, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      count = new gr.Slider({ minimum: 0, maximum: 9, step: 1, value: 1, label: "N" });
      merge = new gr.Button("Merge");
      out = new gr.Textbox({ label: "Out" });
      gr.render([count], function boxes(n: number) {
        const made = Array.from({ length: n }, (_, i) => new gr.Textbox({ label: `Box ${i}` }));
        merge.click(() => `merged ${n}`, made, out);
        if (n === 3) throw new gr.Error("three is not allowed");
      });
    });
    return { demo, count, merge, out };
  }

  it("reports the error as the event's error, like a listener error, and keeps the previous content", async () => {
    const { demo, count, merge, out } = failing();
    const s = await demo.launch().connect();
    const result = await s.input(count, 3);
    expect(result.status).toBe("error");
    expect(result.error?.message).toBe("three is not allowed");
    expect(s.messages.at(-1)).toMatchObject({ type: "error", message: "three is not allowed" });
    expect(labels(s)).toEqual(["Out", "Box 0"]);
    await s.click(merge); // the failed run's listener never runs
    expect(s.get(out)).toBe("merged 1");
    await s.input(count, 2);
    expect(labels(s)).toEqual(["Out", "Box 0", "Box 1"]);
  });

  it("refuses a render function that returns a Promise", async () => {
    const demo = new gr.Blocks(() => {
      gr.render(null, (async () => {
        new gr.Textbox({ label: "late" });
      }) as () => void);
    });
    const s = await demo.launch({ showError: true }).connect();
    expect(lastError(s)).toMatch(/render function must be synchronous; it returned a Promise/);
    expect(s.find("late")).toBeUndefined();
  });

  it("refuses a render function that returns an iterator (a generator function renders nothing)", async () => {
    const demo = new gr.Blocks(() => {
      gr.render(null, function* () {
        new gr.Textbox({ label: "never" });
      } as unknown as () => void);
    });
    const s = await demo.launch({ showError: true }).connect();
    expect(lastError(s)).toMatch(/render #\d+"?: a render function must build its blocks when called; it returned an iterator/);
    expect(s.renders()).toEqual({});
  });

  it("refuses a listener that names another session's rendered component", async () => {
    let leaked: gr.Textbox | undefined;
    let out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      out = new gr.Textbox();
      gr.render(null, () => {
        const mine = new gr.Textbox({ label: "Mine" });
        if (leaked) mine.change((v: string) => v, leaked, out);
        leaked ??= mine;
      });
    });
    const app = demo.launch({ showError: true });
    await app.connect();
    const b = await app.connect();
    expect(lastError(b)).toMatch(/Textbox "Mine" was created by another gr.render run/);
    expect(b.find("Mine")).toBeUndefined();
  });

  /** A value whose content cannot be read until it is ready: its snapshot (a watched cell's) throws. */
  class Doc {
    constructor(public ready: boolean) {}
    [gr.hash]() {
      if (!this.ready) throw new Error("not ready");
      return 1;
    }
  }

  it("a render that fails while its values are placed (a watched State's value cannot be read) keeps the previous one: its listeners, its blocks, its ids", async () => {
    let n!: gr.Number, go!: gr.Button;
    const log: string[] = [];
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      go = new gr.Button("Go");
      gr.render([n], (v: number | null) => {
        for (let i = 0; i < (v ?? 0); i++) new gr.Textbox({ label: `Box ${i}` });
        go.click(() => void log.push(`go@${v}`));
        const st = new gr.State(new Doc(v !== 2));
        st.change(() => undefined, st, undefined);
      });
    });
    const s = await demo.launch().connect();
    const result = await s.input(n, 2);
    expect(result.status).toBe("error");
    expect(s.get(s.find("Box 0")!)).toBe(""); // the previous render's blocks are live
    await s.click(go);
    expect(log).toEqual(["go@1"]); // and its listeners, not the failed run's
    await s.input(n, 3);
    await s.input(n, 8);
    await s.click(go);
    expect(log).toEqual(["go@1", "go@8"]);
    // Each id once: a block's value is its own.
    const boxes = s.findAll({ type: "Textbox" });
    expect(new Set(boxes.map((b) => b.id)).size).toBe(8);
    await s.input(boxes[0], "first");
    expect(boxes.map((b) => s.get(b))).toEqual(["first", "", "", "", "", "", "", ""]);
  });

  it("a render function that throws undefined fails like any throw (S36, S112)", async () => {
    let n!: gr.Number;
    const demo = new gr.Blocks(() => {
      n = new gr.Number({ value: 1, label: "N" });
      gr.render([n], (v: number | null) => {
        new gr.Textbox({ label: `Box ${v}` });
        if (v === 2) throw undefined;
      });
    });
    const s = await demo.launch().connect();
    const result = await s.input(n, 2);
    expect(result.status).toBe("error");
    expect(s.messages).toHaveLength(1);
    expect(s.find("Box 1")).toBeDefined();
  });
});

describe("gr.render: declaration errors", () => {
  it("must be called inside a build, not nested, with a function and known options", () => {
    expect(() => gr.render(null, () => undefined)).toThrow(/inside a Blocks build/);
    expect(() => new gr.Blocks(() => void gr.render(null, 5 as never))).toThrow(/gr.render: fn must be a function; got 5/);
    expect(() => new gr.Blocks(() => void gr.render(null, () => undefined, { trigers: [] } as never))).toThrow(/unknown option "trigers" \(did you mean "triggers"\?\)/);
    expect(() => new gr.Blocks(() => void gr.render(null, () => undefined, { triggers: [5] as never }))).toThrow(/triggers\[0\] is not an event method/);
  });

  it("refuses inside a render what cannot be per session, naming it", async () => {
    const cases: [string, (demo: gr.Blocks) => void][] = [
      ["nested", () => void gr.render(null, () => undefined)],
      ["timer", () => void new gr.Timer(1)],
      ["global", () => void new gr.Global(0)],
      ["load", (demo) => void demo.load(() => undefined)],
      ["preserved", () => void new gr.Textbox({ key: "k", preservedByKey: "value" as never })],
      ["duplicate key", () => [1, 2].forEach((i) => new gr.Textbox({ label: `T${i}`, key: "same" }))],
    ];
    const messages: string[] = [];
    for (const [, body] of cases) {
      const demo = new gr.Blocks((demo) => void gr.render(null, () => body(demo)));
      const s = await demo.launch({ showError: true }).connect();
      messages.push(lastError(s) ?? "");
    }
    expect(messages[0]).toMatch(/gr.render cannot be nested/);
    expect(messages[1]).toMatch(/a Timer cannot be created inside a gr.render function/);
    expect(messages[2]).toMatch(/a Global cannot be created inside a gr.render function/);
    expect(messages[3]).toMatch(/cannot run on load/);
    expect(messages[4]).toMatch(/preservedByKey must be a list of prop names.*got "value"/);
    expect(messages[5]).toMatch(/Textbox "T2": another block of this render already has the key "same"; keys must be unique/);
  });

  it("refuses a trigger of another Blocks, as listeners do (nothing is registered there)", () => {
    let theirs!: gr.Button;
    const other = new gr.Blocks(() => void (theirs = new gr.Button("Theirs")));
    expect(() => new gr.Blocks(() => void gr.render(null, () => undefined, { triggers: theirs.click }))).toThrow(
      /^gr.render #\d+: Button #\d+ is not part of the Blocks being built; call .render\(\) on it first\.$/,
    );
    expect(other.dependencies).toHaveLength(0);
  });

  it("refuses rendering a component of the app again inside a render", async () => {
    let shared!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      shared = new gr.Textbox({ label: "Shared" });
      gr.render(null, () => void shared.render());
    });
    const s = await demo.launch({ showError: true }).connect();
    expect(lastError(s)).toMatch(/already part of the app; a gr.render function must create the components it shows/);
  });
});

describe("gr.render in the renderer protocol (version 2)", () => {
  it("sends a re-render as { id, render } on updates$, and session.renders() for a late attach", async () => {
    const { demo, count, region } = boxesApp();
    const s = await demo.launch().connect();
    const first = s.renders()[region.id];
    expect(first.layout).toHaveLength(2);
    expect(first.components.map((c) => c.props.label)).toEqual(["Box 0", "Box 1"]);
    expect(first.dependencies[0].triggers).toEqual([[1, "click"]]);
    const seen: gr.ComponentUpdate[] = [];
    const sub = s.updates$.subscribe((u) => seen.push(u));
    await s.input(s.find("Box 0")!, "kept");
    await s.input(count, 3);
    sub.unsubscribe();
    const render = seen.find((u) => u.render)!;
    expect(render.id).toBe(region.id);
    expect(render.render!.layout).toHaveLength(3);
    const kept = render.render!.components.find((c) => c.props.key === "box-0")!;
    expect(render.render!.snapshot[kept.id].value).toBe("kept");
    expect(JSON.parse(JSON.stringify(render.render))).toEqual(render.render);
  });

  it("gives a rendered container's props as this session has them, in snapshot() and renders()", async () => {
    let hide!: gr.Button, row!: gr.Row;
    const demo = new gr.Blocks(() => {
      hide = new gr.Button("Hide");
      gr.render(null, () => {
        row = new gr.Row({ elemId: "dyn" });
        hide.click(() => gr.update({ visible: false }), undefined, row);
      });
    });
    const s = await demo.launch().connect();
    await s.click(hide);
    expect(s.props(row)).toEqual({ elemId: "dyn", visible: false });
    expect(s.snapshot()[row.id]).toEqual({ props: { elemId: "dyn", visible: false } });
    const [render] = Object.values(s.renders());
    expect(render.snapshot[row.id]).toEqual({ props: { elemId: "dyn", visible: false } });
  });

  it("dispatches to rendered components by id, and refuses replaced ids", async () => {
    const { demo, count } = boxesApp();
    const s = await demo.launch().connect();
    const box = s.find("Box 1")!;
    expect(await s.dispatch({ id: box.id, event: "input", data: "typed" })).toEqual({ status: "complete" });
    expect(s.get(box)).toBe("typed");
    await s.input(count, 0);
    const result = await s.dispatch({ id: box.id, event: "input", data: "late" });
    expect(result.status).toBe("error");
    expect(result.error?.message).toMatch(/no component or layout container has id/);
  });
});

describe("gr.render: rendered listeners' concurrency groups (S60)", () => {
  /** Counts the runs of `work` going on at once; `peak` is the most there were. */
  function counting(clock: ManualClock) {
    const count = { running: 0, peak: 0 };
    const work = async () => {
      count.peak = Math.max(count.peak, ++count.running);
      await clock.sleep(1000);
      count.running--;
    };
    return { count, work };
  }

  /** A click on each session's rendered "go" button; all ended after 3 s of the clock. */
  async function clickBoth(app: gr.App, clock: ManualClock) {
    const [a, b] = [await app.connect(), await app.connect()];
    const events = [a, b].map((s) => s.click(s.find({ type: "Button", key: "go" })!));
    await flush();
    await clock.advance(3000);
    await Promise.all(events);
    await app.close();
  }

  it("rendered listeners sharing one fn share its group across sessions, as Gradio groups by fn", async () => {
    const clock = new ManualClock();
    const { count, work } = counting(clock);
    const demo = new gr.Blocks(() => {
      const n = new gr.Number({ value: 1 });
      gr.render([n], () => void new gr.Button("Go", { key: "go" }).click(work)); // default limit 1
    });
    await clickBoth(demo.launch({ clock }), clock);
    expect(count.peak).toBe(1);
  });

  it("a rendered member of a concurrencyId group lowers the group's limit (the minimum of its members')", async () => {
    const clock = new ManualClock();
    const { count, work } = counting(clock);
    const demo = new gr.Blocks(() => {
      const n = new gr.Number({ value: 1 });
      new gr.Button("Top").click(() => clock.sleep(1), undefined, undefined, { concurrencyId: "gpu", concurrencyLimit: null });
      gr.render([n], () => void new gr.Button("Go", { key: "go" }).click(() => work(), undefined, undefined, { concurrencyId: "gpu", concurrencyLimit: 1 }));
    });
    await clickBoth(demo.launch({ clock }), clock);
    expect(count.peak).toBe(1);
  });
});

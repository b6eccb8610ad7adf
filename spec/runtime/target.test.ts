/**
 * `ctx.target`, Gradio's `EventData.target`: the block whose event started a run.
 */
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

/** Records `ctx.target` of each run, described (or "none"). */
function recorder() {
  const seen: string[] = [];
  const record = (label: string) => (...args: unknown[]) => {
    const ctx = args[args.length - 1] as gr.EventContext;
    seen.push(`${label}:${ctx.target === undefined ? "none" : ctx.target.describe()}`);
  };
  return { seen, record };
}

describe("ctx.target (Gradio's EventData.target)", () => {
  it("tells apart the triggers of one listener: the component clicked or submitted", async () => {
    const { seen, record } = recorder();
    let a!: gr.Button, b!: gr.Button, name!: gr.Textbox;
    const targets: unknown[] = [];
    const demo = new gr.Blocks(() => {
      a = new gr.Button("A");
      b = new gr.Button("B");
      name = new gr.Textbox({ label: "Name" });
      gr.on([a.click, b.click, name.submit], (n: string, ctx: gr.EventContext) => {
        targets.push(ctx.target);
        record("on")(n, ctx);
      }, name);
    });
    const s = await demo.launch().connect();
    await s.click(b);
    await s.click(a);
    await s.submit(name);
    expect(targets).toEqual([b, a, name]); // the app's own blocks, comparable by identity
    expect(seen).toEqual([`on:${b.describe()}`, `on:${a.describe()}`, `on:${name.describe()}`]);
  });

  it("is the changed cell for a .change listener, in this session and in every other reached by a Global's change (S53, S56)", async () => {
    const { seen, record } = recorder();
    let btn!: gr.Button, st!: gr.State<number>, count!: gr.Global<number>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(0);
      count = new gr.Global(0);
      btn = new gr.Button("Go");
      btn.click((v: number, c: number) => [v + 1, c + 1], [st, count], [st, count]);
      st.change(record("state"), st);
      count.change(record("global"), count);
    });
    const app = demo.launch();
    const [one, two] = [await app.connect(), await app.connect()];
    await one.click(btn);
    await two.idle();
    expect(seen.sort()).toEqual([`global:${count.describe()}`, `global:${count.describe()}`, `state:${st.describe()}`]);
  });

  it("is kept along a chain (.then, .success), and is the edited component for input and change listeners", async () => {
    const { seen, record } = recorder();
    let btn!: gr.Button, box!: gr.Textbox, st!: gr.State<number>;
    const demo = new gr.Blocks(() => {
      st = new gr.State(0);
      btn = new gr.Button("Go");
      box = new gr.Textbox({ label: "Box" });
      btn
        .click((v: number) => v + 1, st, st) // its change runs st.change, whose target is st
        .then(record("then"))
        .success(record("success"));
      box.input(record("input"));
      box.change(record("change"));
    });
    const s = await demo.launch().connect();
    await s.click(btn);
    expect(seen).toEqual([`then:${btn.describe()}`, `success:${btn.describe()}`]);
    seen.length = 0;
    await s.input(box, "hi");
    expect(seen).toEqual([`input:${box.describe()}`, `change:${box.describe()}`]);
  });

  it("is the Timer for a tick, the container for a layout event, the Dataset for a sample's click, and the block dispatch names", async () => {
    const clock = new ManualClock();
    const { seen, record } = recorder();
    let timer!: gr.Timer, tab!: gr.Tab, dataset!: gr.Dataset, btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      timer = new gr.Timer(1);
      timer.tick(record("tick"));
      new gr.Tabs(() => {
        tab = new gr.Tab("One", () => undefined);
      });
      tab.select(record("select"));
      dataset = new gr.Dataset({ components: ["textbox"], samples: [["a"], ["b"]] });
      dataset.click(record("sample"));
      btn = new gr.Button("Go");
      btn.click(record("click"));
    });
    const s = await demo.launch({ clock }).connect();
    await clock.advance(1000);
    await s.idle();
    await s.trigger(tab, "select");
    await s.trigger(dataset, "click", { index: 1 });
    await s.dispatch({ id: btn.id, event: "click" });
    expect(seen).toEqual([`tick:${timer.describe()}`, `select:${tab.describe()}`, `sample:${dataset.describe()}`, `click:${btn.describe()}`]);
  });

  it("is undefined for load listeners and API calls, and what session.run is given as target, with its event data", async () => {
    const { seen, record } = recorder();
    let a!: gr.Button, b!: gr.Button;
    const events: unknown[] = [];
    const demo = new gr.Blocks((demo) => {
      demo.load(record("load"));
      a = new gr.Button("A");
      b = new gr.Button("B");
      gr.on([a.click, b.click], (ctx: gr.EventContext) => {
        events.push(ctx.event);
        record("on")(ctx);
      }, undefined, undefined, { apiName: "pick" });
    });
    const app = demo.launch();
    const s = await app.connect();
    await s.call("pick");
    await s.run("pick", [], { target: b, event: { index: 2 } }).done;
    expect(seen).toEqual(["load:none", "on:none", `on:${b.describe()}`]);
    expect(events).toEqual([undefined, { index: 2 }]);
    // What a handler sees can be given back: a renderer replaying an event through the API.
    const replay = (ctx: gr.EventContext) => s.run("pick", [], { target: ctx.target, event: ctx.event });
    await replay({ target: a, event: { index: 5 } } as unknown as gr.EventContext).done;
    expect(seen.at(-1)).toBe(`on:${a.describe()}`);
    let elsewhere!: gr.Button;
    new gr.Blocks(() => void (elsewhere = new gr.Button("Elsewhere")));
    expect(() => s.run("pick", [], { target: elsewhere })).toThrow(/session\.run\(listener, inputs, options\?\): target: expected .* of this app's Blocks; got Button #\d+, which belongs to another Blocks/);
    expect(() => s.run("pick", [], { target: "btn" as never })).toThrow(/target: expected/);
  });

  it("an always_last re-run that collapsed several triggers has the latest one's target (S38)", async () => {
    const { seen, record } = recorder();
    let a!: gr.Button, b!: gr.Button;
    let release!: () => void;
    const demo = new gr.Blocks(() => {
      a = new gr.Button("A");
      b = new gr.Button("B");
      gr.on([a.click, b.click], async (ctx: gr.EventContext) => {
        record("run")(ctx);
        if (seen.length === 1) await new Promise<void>((resolve) => (release = resolve));
      }, undefined, undefined, { triggerMode: "always_last" });
    });
    const s = await demo.launch().connect();
    const first = s.click(a);
    const second = s.click(b); // remembered as the re-run
    const third = s.click(a); // joins it: the latest trigger
    await Promise.resolve();
    release();
    await Promise.all([first, second, third]);
    expect(seen).toEqual([`run:${a.describe()}`, `run:${a.describe()}`]);
  });
});

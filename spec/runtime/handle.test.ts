import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

function app() {
  const clock = new ManualClock();
  let unloads = 0;
  const demo = new gr.Blocks((demo) => {
    const history = new gr.State<string[]>([]);
    const x = new gr.Number({ label: "x" });
    const y = new gr.Number({ label: "y" });
    const out = new gr.Textbox({ label: "out" });
    const list = new gr.JSON({ label: "list" });
    const btn = new gr.Button();
    btn.click((a: number | null, h: string[], b: number | null) => String((a ?? 0) + (b ?? 0) + h.length), [x, history, y], out, { apiName: "sum" });
    btn.click(
      function* (h: string[]) {
        const items: string[] = [...h];
        for (const word of ["a", "b", "c"]) {
          items.push(word); // the same array each time: each yield must still be reported as it was
          yield items;
        }
      },
      history,
      list,
      { apiName: "grow" },
    );
    btn.click(
      async function* (ctx: gr.EventContext) {
        for (let i = 0; ; i++) {
          ctx.info(`tick ${i}`);
          yield String(i);
          await clock.sleep(1000);
        }
      },
      undefined,
      out,
      { apiName: "ticker", concurrencyLimit: null },
    );
    btn.click(async () => {
      await clock.sleep(5000);
      return "slow";
    }, undefined, out, { apiName: "slow" });
    btn.click(() => "hidden", undefined, out, { apiName: false });
    demo.unload(() => void unloads++);
  });
  return { demo, clock, unloads: () => unloads };
}

describe("session.run(): one run, one handle", () => {
  test("runs a listener by api name, dependency id (apiName: false too) or Dependency", async () => {
    const { demo, clock } = app();
    const s = await demo.launch({ clock }).connect();
    expect(await s.run("sum", [1, 2]).result).toEqual(["3"]);
    const hidden = demo.dependencies.find((d) => d.apiName === false)!;
    expect(await s.run(hidden.id, []).result).toEqual(["hidden"]);
    expect(await s.run(hidden, []).result).toEqual(["hidden"]);
  });

  test("inputs: one per component input (State not counted), or one per declared input; otherwise the counts", async () => {
    const { demo, clock } = app();
    const s = await demo.launch({ clock }).connect();
    expect(await s.run("sum", [1, ["ignored"], 2]).result).toEqual(["3"]);
    expect(() => s.run("sum", [1])).toThrow(new gr.EventError('listener "sum" takes 2 input values: needed 2 (or 3 with a null for each State), got 1.', "invalid_input"));
    expect(() => s.run("sum", ["one", 2])).toThrow(/^Number "x" rejected the input "one" for listener "sum"/);
    expect(() => s.run("nope", [])).toThrow(TypeError);
    expect(() => s.run("nope", [])).toThrow(/no listener "nope" in this app; give an api name \(sum, grow, ticker, slow, lambda\)/);
    expect(() => s.run(99, [])).toThrow(/no listener 99 in this app/);
    expect(() => s.run("sum", [1, 2], { signal: {} as AbortSignal })).toThrow("session.run(listener, inputs, options?): signal must be an AbortSignal; got {}.");
    expect(() => s.run("sum", [1, 2], { onOutputs: 1 as never })).toThrow("session.run(listener, inputs, options?): onOutputs must be a function; got 1.");
    expect(() => s.run("sum", [1, 2], { signl: 1 } as never)).toThrow(/unknown option "signl" \(did you mean "signal"\?\)/);
    expect(s.get(demo.blocks.find((b) => b instanceof gr.Textbox) as gr.Textbox)).toBe("3"); // the refused runs changed nothing
  });

  test("outputs$ gives a copy of each yield, in order, a sync generator's too; result is the last", async () => {
    const { demo, clock } = app();
    const s = await demo.launch({ clock }).connect();
    const run = s.run("grow", []);
    const seen: unknown[] = [];
    run.outputs$.subscribe((o) => seen.push(o));
    expect(await run.result).toEqual([["a", "b", "c"]]);
    expect(seen).toEqual([[["a"]], [["a", "b"]], [["a", "b", "c"]]]);
    const pushed: unknown[] = [];
    const live = s.run("grow", [], { onOutputs: (o) => pushed.push(o) });
    const late: unknown[] = [];
    live.outputs$.subscribe((o) => late.push(o));
    await live.done;
    expect(pushed).toEqual(seen);
    expect(late).toEqual([]); // with onOutputs nothing is kept: the sync yields came before the subscription
  });

  test("cancel() stops that run alone; messages carry each run's id", async () => {
    const { demo, clock } = app();
    const s = await demo.launch({ clock }).connect();
    const messages: gr.Message[] = [];
    s.messages$.subscribe((m) => messages.push(m));
    const first = s.run("ticker", []);
    const second = s.run("ticker", []);
    expect(first.id).not.toBe(second.id);
    await clock.advance(2500);
    first.cancel();
    await clock.advance(2000);
    const end = await first.done;
    expect(end.status).toBe("cancelled");
    expect(end.error).toBeInstanceOf(gr.EventError);
    expect(second.stage).toBe("running");
    const ticks = (id: number) => messages.filter((m) => m.type === "info" && m.run === id).map((m) => (m as gr.AlertMessage).message);
    // Cancelled at 2.5 s while awaiting: its generator still runs to its next yield (tick 3), then
    // stops; what it says after the cancel reaches no one, as in Gradio.
    expect(ticks(first.id)).toEqual(["tick 0", "tick 1", "tick 2"]);
    expect(ticks(second.id)).toEqual(["tick 0", "tick 1", "tick 2", "tick 3", "tick 4"]);
    expect(messages.filter((m) => m.type === "status" && m.run === first.id).map((m) => (m as gr.StatusMessage).stage)).toContain("cancelled");
    const aborts = new AbortController();
    const third = s.run("slow", [], { signal: aborts.signal });
    aborts.abort(new Error("stop"));
    expect(await third.done).toMatchObject({ status: "cancelled", error: new Error("stop") });
    second.cancel();
    await expect(second.result).rejects.toThrow('listener "ticker" was cancelled.');
  });

  test("a signal aborted before the call: the handler is never called, nothing is written", async () => {
    let calls = 0;
    let go!: gr.Button, out!: gr.Number;
    const demo = new gr.Blocks(() => {
      go = new gr.Button();
      out = new gr.Number();
      go.click(() => ++calls, undefined, out, { apiName: "count" });
    });
    const s = await demo.launch().connect();
    const aborts = new AbortController();
    aborts.abort(new Error("too late"));
    const end = await s.run("count", [], { signal: aborts.signal }).done;
    expect(end).toMatchObject({ status: "cancelled", error: new Error("too late") });
    expect([calls, s.get(out)]).toEqual([0, null]);
  });

  test("stage and queue position; app.queueSize and app.queueFull (S60, S62)", async () => {
    const { demo, clock } = app();
    const a = demo.launch({ clock, maxQueueSize: 1 });
    const s = await a.connect();
    const running = s.run("slow", []);
    const waiting = s.run("slow", []);
    expect([running.stage, running.position]).toEqual(["running", undefined]);
    expect([waiting.stage, waiting.position]).toEqual(["pending", 0]);
    expect([a.queueSize, a.queueFull]).toEqual([1, true]);
    await clock.advance(10_000);
    await waiting.done;
    expect([waiting.stage, a.queueSize, a.queueFull]).toEqual(["done", 0, false]);
  });
});

describe("launch({ sessionIdleTimeout })", () => {
  test("closes open sessions unused for longer, on the app's clock, running unload listeners; used and busy ones stay", async () => {
    const { demo, clock, unloads } = app();
    const a = demo.launch({ clock, sessionIdleTimeout: 100 });
    const idle = await a.connect();
    const used = await a.connect();
    const busy = await a.connect();
    await clock.advance(90_000);
    await used.run("sum", [1, 2]).done;
    const slow = busy.run("ticker", []);
    await clock.advance(80_000);
    expect([idle.closed, used.closed, busy.closed]).toEqual([true, false, false]);
    expect(unloads()).toBe(1);
    await clock.advance(100_000);
    expect(used.closed).toBe(true);
    expect(busy.closed).toBe(false);
    slow.cancel();
    await a.close();
  });

  test("closes the most recently used session too, when it goes unused", async () => {
    const { demo, clock } = app();
    const a = demo.launch({ clock, sessionIdleTimeout: 100 });
    const only = await a.connect();
    only.get(only.find("x")!); // repeated uses of the last used session count too
    await clock.advance(50_000);
    only.get(only.find("x")!);
    await clock.advance(120_000);
    expect(only.closed).toBe(false); // 120 s since its last use: within timeout + 60 s
    await clock.advance(60_000);
    expect(only.closed).toBe(true);
  });

  test("a Timer's ticks and a Global's .change runs in other sessions are not uses (S56, S80)", async () => {
    const clock = new ManualClock();
    let bump!: gr.Button;
    let ticks = 0;
    const demo = new gr.Blocks(() => {
      const timer = new gr.Timer(5);
      const total = new gr.Global(0);
      const view = new gr.Number();
      bump = new gr.Button();
      timer.tick(() => void ticks++);
      bump.click((n: number) => n + 1, total, total);
      total.change((n: number) => n, total, view);
    });
    const a = demo.launch({ clock, sessionIdleTimeout: 60 });
    const abandoned = await a.connect();
    const active = await a.connect();
    for (let t = 0; t < 10; t++) {
      await clock.advance(30_000);
      await active.click(bump); // every 30 s: a fan-out run in the abandoned session each time
    }
    expect(ticks).toBeGreaterThan(0);
    expect([abandoned.closed, active.closed]).toEqual([true, false]);
    await a.close();
  });

  test("is off by default; an invalid value is a TypeError naming it", async () => {
    const { demo, clock } = app();
    const a = demo.launch({ clock });
    const s = await a.connect();
    await clock.advance(10 * 24 * 3600 * 1000);
    expect(s.closed).toBe(false);
    expect(a.sessionIdleTimeout).toBeNull();
    expect(() => demo.launch({ sessionIdleTimeout: -1 })).toThrow("launch(): sessionIdleTimeout (or null) must be a positive number of seconds; got -1.");
  });
});

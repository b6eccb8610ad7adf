import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

/** Values a caller (or a renderer's message) may pass where the engine expects something else. */
function hostileValues(): [string, unknown][] {
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  // Every trap of this Proxy throws: reading, listing keys, instanceof, Array.isArray...
  const trapping = new Proxy({}, new Proxy({}, { get: () => () => { throw new Error("trap"); } }));
  let other!: gr.Button;
  new gr.Blocks(() => {
    other = new gr.Button("Elsewhere");
  });
  return [
    ["undefined", undefined],
    ["null", null],
    ["a number", 1],
    ["a string", "x"],
    ["a symbol", Symbol("s")],
    ["a plain object", {}],
    ["an Object.create(null) object", Object.create(null)],
    ["an array", []],
    ["a revoked Proxy", revocable.proxy],
    ["a Proxy whose traps throw", trapping],
    ["a component of another Blocks", other],
  ];
}

function app() {
  let text!: gr.Textbox, json!: gr.JSON, btn!: gr.Button, st!: gr.State<number>, glob!: gr.Global<number>;
  const demo = new gr.Blocks(() => {
    text = new gr.Textbox({ value: "start" });
    json = new gr.JSON({ value: { a: 1 } });
    btn = new gr.Button("Go");
    st = new gr.State(0);
    glob = new gr.Global(0);
    btn.click(function add(t: string) {
      return t + "!";
    }, text, text);
  });
  return { demo, text, json, btn, st, glob };
}

type Outcome = { kind: "value" } | { kind: "typeError"; message: string } | { kind: "result"; result: gr.EventResult } | { kind: "raw"; error: unknown };

/** Runs `call` and classifies what came out, awaiting a promise; never throws. */
async function outcomeOf(call: () => unknown): Promise<Outcome> {
  try {
    const value = await call();
    if (value && typeof value === "object" && "status" in value) return { kind: "result", result: value as gr.EventResult };
    return { kind: "value" };
  } catch (e) {
    if (e instanceof gr.AppError) return { kind: "result", result: { status: "error", error: e } };
    if (e instanceof TypeError) return { kind: "typeError", message: e.message };
    return { kind: "raw", error: e };
  }
}

describe("public methods given hostile arguments", () => {
  it("throw a TypeError naming the method, or resolve with an error result, never a raw engine error", async () => {
    const { demo, text, json, btn, st, glob } = app();
    const a = demo.launch();
    const s = await a.connect();
    const before = JSON.stringify(s.snapshot());
    // [call, the method name its TypeError must start with, whether the argument may be fine]
    const entries: [string, string, boolean, (x: any) => unknown][] = [
      ["session.get(x)", "session.get(cell)", false, (x) => s.get(x)],
      ["session.props(x)", "session.props(component)", false, (x) => s.props(x)],
      ["session.value$(x)", "session.value$(cell)", false, (x) => s.value$(x)],
      ["session.props$(x)", "session.props$(component)", false, (x) => s.props$(x)],
      ["session.input(x, 'a')", "session.input(component, value)", false, (x) => s.input(x, "a")],
      ["session.click(x)", "session.click(component)", false, (x) => s.click(x)],
      ["session.submit(x)", "session.submit(component)", false, (x) => s.submit(x)],
      ["session.trigger(x, 'click')", "session.trigger(block, event, data?)", false, (x) => s.trigger(x, "click")],
      ["session.trigger(btn, x)", "session.trigger(block, event, data?)", false, (x) => s.trigger(btn, x)],
      ["session.call(x)", "session.call(apiName, ...inputs)", false, (x) => s.call(x)],
      ["session.dispatch(x)", "dispatch", false, (x) => s.dispatch(x)],
      ["session.dispatch({ id: x })", "dispatch", false, (x) => s.dispatch({ id: x, event: "click" })],
      ["session.dispatch({ event: x })", "dispatch", false, (x) => s.dispatch({ id: btn.id, event: x })],
      ["app.get(x)", "app.get(global)", false, (x) => a.get(x)],
      ["app.value$(x)", "app.value$(global)", false, (x) => a.value$(x)],
      ["app.session(x)", "app.session(sessionHash)", true, (x) => a.session(x)],
      ["app.connect({ request: x })", "connect()", true, (x) => a.connect({ request: x, sessionHash: "other" })],
      ["app.connect(x)", "connect()", true, (x) => a.connect(x)],
      // Values: a component may take them or reject them as input, but the engine must not break.
      ["session.input(text, x)", "", true, (x) => s.input(text, x)],
      ["session.input(json, x)", "", true, (x) => s.input(json, x)],
      ["session.trigger(btn, 'click', x)", "", true, (x) => s.trigger(btn, "click", x)],
      ["session.call('add', x)", "", true, (x) => s.call("add", x)],
    ];
    const wrong: string[] = [];
    for (const [label, method, mayPass, call] of entries) {
      for (const [name, x] of hostileValues()) {
        const outcome = await outcomeOf(() => call(x));
        const where = `${label} with ${name}`;
        if (outcome.kind === "raw") wrong.push(`${where}: raw ${String(outcome.error)}`);
        else if (outcome.kind === "typeError" && (!method || !outcome.message.startsWith(method))) wrong.push(`${where}: TypeError "${outcome.message}"`);
        else if (outcome.kind === "value" && !mayPass) wrong.push(`${where}: accepted`);
        else if (outcome.kind === "result" && outcome.result.status === "error" && !(outcome.result.error instanceof gr.AppError)) {
          wrong.push(`${where}: error result with a raw ${String(outcome.result.error)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // The calls above that were refused changed nothing; those that passed wrote text or json.
    const after = s.snapshot() as Record<number, { value: unknown }>;
    const was = JSON.parse(before) as Record<number, { value: unknown }>;
    expect(after[btn.id]).toEqual(was[btn.id]);
    expect(s.get(st)).toBe(0);
    expect(a.get(glob)).toBe(0);
  });

  it("name the method, the argument, what was expected and what came", async () => {
    const { demo, st, btn } = app();
    const a = demo.launch();
    const s = await a.connect();
    let foreign!: gr.Textbox;
    new gr.Blocks(() => {
      foreign = new gr.Textbox({ label: "Theirs" });
    });
    expect(() => s.get(42 as never)).toThrow(
      new TypeError("session.get(cell): expected a cell (component, State, BrowserState or Global) of this app's Blocks; got 42."),
    );
    expect(() => s.props(st as never)).toThrow(/^session\.props\(component\): expected a component or layout container of this app's Blocks; got State #\d+\.$/);
    expect(() => s.click(foreign as never)).toThrow(`session.click(component): expected a component of this app's Blocks; got Textbox "Theirs", which belongs to another Blocks.`);
    expect(() => s.trigger(btn, Symbol("x") as never)).toThrow(`session.trigger(block, event, data?): Button #${btn.id} has no Symbol(x) event; it has: click.`);
    // Names the block's listeners could be stored under, or an object's: still checked against its class's events.
    for (const name of ["submit", "__proto__", "constructor", "hasOwnProperty"]) {
      expect(() => s.trigger(btn, name)).toThrow(`session.trigger(block, event, data?): Button #${btn.id} has no "${name}" event; it has: click.`);
    }
    // @ts-expect-error a State is no Global (also refused at run time, for JavaScript callers)
    expect(() => a.get(st)).toThrow(/^app\.get\(global\): expected a Global of this app's Blocks; got State #\d+\.$/);
    expect(() => a.session(7 as never)).toThrow("app.session(sessionHash): expected a session hash (a string); got 7.");
    await expect(s.call(Symbol("x") as never)).rejects.toThrow(TypeError);
    await expect(s.call("nope")).rejects.toThrow(`session.call(apiName, ...inputs): no listener is named "nope". Known api names: add.`);
    await expect(a.connect({ request: new Map() as never })).rejects.toThrow("connect(): request must be a plain object (headers, query, ...); got {}.");
  });

  it("connect({ request }) keeps a copy, so a getter or Proxy given later cannot fail a run", async () => {
    const seen: unknown[] = [];
    let btn!: gr.Button;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      btn.click((ctx: gr.EventContext) => void seen.push(ctx.request.query));
    });
    const request = { query: { lang: "en" } };
    const s = await demo.launch().connect({ request });
    request.query = { lang: "changed" };
    expect((await s.click(btn)).status).toBe("complete");
    expect(seen).toEqual([{ lang: "en" }]);
  });
});

describe("dispatch() never throws", () => {
  function messages(): [string, unknown][] {
    let deep: unknown[] = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    const throwing = {
      get id(): number {
        throw new Error("getter");
      },
      event: "click",
    };
    const bare = Object.assign(Object.create(null), { id: 999, event: "click" });
    return [...hostileValues(), ["a message whose getter throws", throwing], ["an Object.create(null) message", bare], ["a deep array", deep]];
  }

  it("resolves every malformed message with status error, an EventError and a message to the session, changing nothing", async () => {
    const { demo, text, btn } = app();
    const s = await demo.launch().connect();
    const before = JSON.stringify(s.snapshot());
    const fields = (x: unknown): unknown[] => [x, { id: x, event: "click" }, { id: btn.id, event: x }, { id: text.id, event: x, data: "evil" }];
    let count = 0;
    for (const [name, x] of messages()) {
      for (const message of fields(x)) {
        let result: gr.EventResult | undefined;
        expect(() => void s.dispatch(message as never).then((r) => (result = r))).not.toThrow();
        await s.idle();
        await Promise.resolve();
        expect([name, result?.status]).toEqual([name, "error"]);
        expect(result?.error).toBeInstanceOf(gr.EventError);
        expect((result?.error as gr.EventError).code).toBe("unknown_target");
        expect(result?.error?.message).toMatch(/^dispatch: /);
        count++;
      }
    }
    expect(JSON.stringify(s.snapshot())).toBe(before);
    expect(s.messages.filter((m) => m.type === "error")).toHaveLength(Math.min(count, 100));
  });

  it("names what it got, quoting hostile values safely", async () => {
    const { demo, btn } = app();
    const s = await demo.launch().connect();
    const message = async (m: unknown) => (await s.dispatch(m as never)).error?.message;
    expect(await message(null)).toBe("dispatch: expected a message { id, event, data? }; got null.");
    expect(await message({ id: Symbol("id"), event: "click" })).toBe("dispatch: no component or layout container has id Symbol(id).");
    expect(await message({ id: btn.id, event: Object.create(null) })).toBe(`dispatch: Button #${btn.id} (id ${btn.id}) has no {} event; it has: click.`);
    expect(await message({ get id() { throw new Error("nope"); } })).toBe("dispatch: the message could not be read (nope).");
  });

  it("rejects a hostile edit as invalid input, not as an engine failure", async () => {
    const { demo, text } = app();
    const s = await demo.launch().connect();
    const trapping = new Proxy({}, { get: () => { throw new Error("trap"); }, getPrototypeOf: () => { throw new Error("trap"); } });
    const result = await s.dispatch({ id: text.id, event: "input", data: trapping });
    expect(result.status).toBe("error");
    expect((result.error as gr.EventError).code).toBe("invalid_input");
    expect(s.get(text)).toBe("start");
  });
});

describe("listener options are checked by type at registration", () => {
  function register(options: Record<string, unknown>) {
    return () =>
      new gr.Blocks(() => {
        const btn = new gr.Button("Go");
        const first = btn.click(() => undefined);
        btn.click(() => undefined, undefined, undefined, { ...options, cancels: options.cancels === "first" ? first : options.cancels } as never);
      });
  }
  const refused: [string, unknown, string][] = [
    ["apiName", 1n, 'apiName must be a non-empty string or false; got 1n.'],
    ["apiName", "", 'apiName must be a non-empty string or false; got "".'],
    ["apiName", true, "apiName must be a non-empty string or false; got true."],
    ["concurrencyId", 3, "concurrencyId must be a non-empty string; got 3."],
    ["concurrencyId", Symbol("id"), "concurrencyId must be a non-empty string; got Symbol(id)."],
    ["showProgress", "loud", 'showProgress must be "full", "minimal" or "hidden"; got "loud".'],
    ["queue", "yes", 'queue must be true or false; got "yes".'],
    ["queue", 0, "queue must be true or false; got 0."],
    ["triggerMode", Object.create(null), 'triggerMode must be "once", "multiple" or "always_last"; got {}.'],
    ["concurrencyLimit", 0, 'concurrencyLimit must be a positive integer, null or "default"; got 0.'],
    ["concurrencyLimit", "2", 'concurrencyLimit must be a positive integer, null or "default"; got "2".'],
    ["timeLimit", "30", 'timeLimit (or null) must be a positive number of seconds; got "30".'],
    ["timeLimit", -1, "timeLimit (or null) must be a positive number of seconds; got -1."],
    ["cancels", "first-listener", 'cancels must be a listener (what registering one returns); got "first-listener".'],
    ["cancels", [7], "cancels[0] must be a listener (what registering one returns); got 7."],
  ];
  it.each(refused)("refuses %s: %p with a TypeError naming the listener, the option and the value", (option, value, message) => {
    expect(register({ [option]: value })).toThrow(new TypeError(`Button #0.click: ${message}`));
  });

  it("refuses options that are not an object, and inputs that are not cells, naming the value", () => {
    const build = (options: unknown, inputs?: unknown) => () =>
      new gr.Blocks(() => void new gr.Button("Go").click(() => undefined, inputs as never, undefined, options as never));
    expect(build(5)).toThrow(new TypeError("Button #0.click: options must be an object; got 5."));
    expect(build("queue")).toThrow(new TypeError('Button #0.click: options must be an object; got "queue".'));
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(build(revocable.proxy)).toThrow(new TypeError("Button #0.click: options must be an object; got [object]."));
    expect(build(undefined, [{ id: 1 }])).toThrow(new TypeError('Button #0.click: inputs[0] is not a component or State; got {"id":1}.'));
  });

  it("accepts every documented value, and config() stays JSON", () => {
    const accepted: Record<string, unknown>[] = [
      { apiName: "named", concurrencyId: "group", showProgress: "minimal", queue: true, triggerMode: "multiple", concurrencyLimit: 3, timeLimit: 1.5, cancels: "first" },
      { apiName: false, concurrencyId: null, showProgress: "hidden", queue: false, triggerMode: "always_last", concurrencyLimit: null, timeLimit: null },
      { concurrencyLimit: "default", cancels: [] },
    ];
    for (const options of accepted) {
      const config = register(options)().config();
      expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    }
  });
});

describe("new ManualClock(startMs)", () => {
  it.each([["x"], [Number.NaN], [Number.POSITIVE_INFINITY], [null], [10n]])("refuses %p with a TypeError", (startMs) => {
    expect(() => new ManualClock(startMs as never)).toThrow(/^new ManualClock\(startMs\): startMs must be a finite number of milliseconds; got /);
  });

  it("takes any finite number, negative ones included", () => {
    expect(new ManualClock(-5).now()).toBe(-5);
    expect(new ManualClock(1.5).now()).toBe(1.5);
    expect(new ManualClock().now()).toBe(0);
  });
});

describe("an event of the block's class that has no listener", () => {
  it("runs nothing and completes, where an event the class lacks throws", async () => {
    let box!: gr.Textbox;
    const app = new gr.Blocks(() => {
      box = new gr.Textbox();
      new gr.Button("Go").click(() => "x", undefined, box);
    }).launch();
    const s = await app.connect();
    expect(await s.trigger(box, "submit")).toEqual({ status: "complete" });
    expect(() => s.trigger(box, "click")).toThrow(/Textbox #\d+ has no "click" event; it has: /);
    await app.close();
  });
});

/**
 * Hardening (#11): no value a handler returns, yields or resolves with, and no value too deep to
 * walk, can lock a listener, crash the engine or half-write a session.
 */
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke(); // what an Immer draft is once produce() has returned
  return r.proxy;
}

/** An iterator object (as a generator is) with the given `next`. */
function iterator(next: () => unknown, onReturn = () => undefined): object {
  return { [Symbol.iterator]() { return this; }, next, throw() { return { done: true, value: undefined }; }, return: onReturn };
}

/** A value `levels` objects deep: `{ a: { a: ... {} } }`, or arrays `[[...[]]]`. */
function deep(levels: number, arrays = false): unknown {
  let v: unknown = arrays ? [] : {};
  for (let i = 1; i < levels; i++) v = arrays ? [v] : { a: v };
  return v;
}

describe("a hostile handler result fails its event and frees the listener (#11)", () => {
  /**
   * `hostile` locks a Global (an input and output, S8), has a time limit (a timer) and the
   * default concurrency limit of 1. Its first call returns `bad()`; later calls return good values.
   */
  function setup(bad: () => unknown) {
    const clock = new ManualClock();
    let btn!: gr.Button, g!: gr.Global<number>, st!: gr.State<string>;
    let calls = 0;
    let changes = 0;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      g = new gr.Global(0);
      st = new gr.State("start");
      st.change(() => void changes++);
      btn.click(function hostile(n: number) {
        return calls++ === 0 ? bad() : [n + 1, "ok"];
      }, [g], [g, st], { timeLimit: 60 });
    });
    const app = demo.launch({ clock });
    return { app, clock, btn, g, st, changes: () => changes };
  }

  const cases: [string, () => unknown][] = [
    ["an object whose then getter throws", () => ({ get then() { throw new Error("no then"); } })],
    ["a Proxy whose get trap throws", () => new Proxy({}, { get() { throw new Error("get trap"); } })],
    ["a revoked Proxy (an Immer draft after produce)", revoked],
    [
      "a Proxy whose has trap throws (read while telling a generator)",
      () => new Proxy({}, { get: (_t, k) => (k === "then" ? undefined : () => undefined), has() { throw new Error("has trap"); } }),
    ],
    ["a Proxy whose getPrototypeOf trap throws", () => new Proxy([], { getPrototypeOf() { throw new Error("proto trap"); } })],
    ["a revoked Proxy for a watched output", () => [1, revoked()]],
    ["a Proxy whose ownKeys trap throws, for a watched output", () => [1, new Proxy({}, { ownKeys() { throw new Error("keys trap"); } })]],
    ["an iterator whose next getter throws", () => ({ [Symbol.iterator]() { return this; }, get next() { throw new Error("no next"); }, throw() {} })],
    ["a thrown revoked Proxy", () => { throw revoked(); }],
    [
      "a thrown Error whose message getter throws",
      () => {
        class Bad extends Error {
          override get message(): string {
            throw new Error("no message");
          }
        }
        throw new Bad();
      },
    ],
    ["an async handler's promise resolving to a revoked Proxy", async () => revoked()],
    ["a promise whose constructor getter throws", () => Object.defineProperty(Promise.resolve([1, "ok"]), "constructor", { get() { throw new Error("no constructor"); } })],
    ["a generator whose next() throws a revoked Proxy", () => iterator(() => { throw revoked(); })],
    ["a generator whose next() returns a revoked Proxy", () => iterator(() => revoked())],
    ["a generator whose next() returns a step whose done getter throws", () => iterator(() => ({ get done() { throw new Error("no done"); } }))],
    ["a generator whose step value getter throws", () => iterator(() => ({ done: false, get value() { throw new Error("no value"); } }))],
    ["a generator yielding a revoked Proxy for a watched output", () => (function* () { yield [1, revoked()]; })()],
    ["an async generator yielding a revoked Proxy", () => (async function* () { yield revoked(); })()],
  ];

  it.each(cases)("%s", async (_name, bad) => {
    const { app, clock, btn, g, st, changes } = setup(bad);
    const [first, second] = [await app.connect(), await app.connect()];
    const result = await first.click(btn);
    expect(result.status).toBe("error");
    expect(result.error!.message).toMatch(/^listener "hostile" /);
    // Nothing was written, no .change ran, and the time limit's timer was cleared.
    expect([app.get(g), first.get(st), changes()]).toEqual([0, "start", 0]);
    expect(clock.pending).toBe(0);
    // The slot of the concurrency limit (1) and the Global's lock were released.
    const next = await second.click(btn);
    expect(next.status).toBe("complete");
    expect([app.get(g), second.get(st), changes()]).toEqual([1, "ok", 1]);
  });

  it("names a revoked Proxy in the message, with the Immer hint", async () => {
    const { app, btn } = setup(revoked);
    const result = await (await app.connect()).click(btn);
    expect(result.error).toBeInstanceOf(gr.EventError);
    expect((result.error as gr.EventError).code).toBe("unreadable_value");
    expect(result.error!.message).toBe(
      'listener "hostile" returned a value that could not be read: it is or holds a revoked Proxy ' +
        "(an Immer draft is one once produce() has returned: return produce()'s result).",
    );
    expect(result.error!.cause).toBeInstanceOf(TypeError);
  });

  it("keeps what a getter threw as the cause, not in the message users see (S36)", async () => {
    const { app, btn } = setup(() => [1, { get secret() { throw new Error("db password is hunter2"); } }]);
    const session = await app.connect();
    const result = await session.click(btn);
    expect(result.error!.message).toBe(`listener "hostile" returned a value for State #2 that could not be read: reading it threw (see this error's cause).`);
    expect((result.error!.cause as Error).message).toBe("db password is hunter2");
    expect(JSON.stringify(session.messages)).not.toContain("hunter2");
  });

  it("ends a run whose iterator's next() returns a non-object, and closes the iterator", async () => {
    let closed = 0;
    const { app, btn } = setup(() => iterator(() => 5, () => void closed++));
    const [first, second] = [await app.connect(), await app.connect()];
    const result = await first.click(btn);
    expect(result.status).toBe("error");
    expect(result.error!.message).toBe(
      'listener "hostile" returned an iterator whose next() returned a non-object (5); it must return { value, done }.',
    );
    expect(closed).toBe(1);
    expect((await second.click(btn)).status).toBe("complete");
  });
});

describe("a gr.Error whose getters throw on a later read (#11)", () => {
  /** A gr.Error whose `prop` reads well once (as the engine checks it), then throws. */
  function flaky(prop: "title" | "message" | "duration"): gr.Error {
    const error = new gr.Error("boom", { title: "T" });
    let reads = 0;
    Object.defineProperty(error, prop, {
      get() {
        if (reads++ > 0) throw new Error(`second read of ${prop}`);
        return prop === "duration" ? 5 : "text";
      },
    });
    return error;
  }

  it.each([
    ["title", false],
    ["message", false],
    ["duration", false],
    ["title", true],
  ] as const)("%s (async handler: %s) fails its event, and the listener's slot is freed", async (prop, async) => {
    let btn!: gr.Button, out!: gr.Textbox;
    let calls = 0;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.Textbox();
      const hostile = () => {
        if (calls++ === 0) throw flaky(prop);
        return "ok";
      };
      btn.click(async ? async () => hostile() : hostile, undefined, out); // concurrency limit 1
    });
    const app = demo.launch();
    const [first, second] = [await app.connect(), await app.connect()];
    const alerts: string[] = [];
    first.messages$.subscribe((m) => m.type === "error" && alerts.push(m.message));
    expect((await first.click(btn)).status).toBe("error");
    expect(alerts).toHaveLength(1); // what it could read, or the generic message
    await expect(second.click(btn)).resolves.toEqual({ status: "complete" });
    expect(second.get(out)).toBe("ok");
  });
});

describe("a promise a handler returns is followed as await follows it (#11)", () => {
  /** A native promise of `value` that carries a `then` of its own. */
  function withOwnThen(value: unknown, then: () => unknown): Promise<unknown> {
    return Object.assign(Promise.resolve(value), { then });
  }

  it.each([
    ["throws", () => { throw new Error("hostile then"); }],
    ["never calls back", () => undefined],
  ])("ignores a native promise's own then that %s, and frees the listener's slot", async (_name, then) => {
    let btn!: gr.Button, out!: gr.Textbox;
    let calls = 0;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.Textbox();
      btn.click(() => withOwnThen(`run ${++calls}`, then), undefined, out); // concurrency limit 1
    });
    const app = demo.launch();
    const [first, second] = [await app.connect(), await app.connect()];
    await expect(first.click(btn)).resolves.toEqual({ status: "complete" });
    expect(first.get(out)).toBe("run 1");
    await expect(second.click(btn)).resolves.toEqual({ status: "complete" });
    expect(second.get(out)).toBe("run 2");
  });

  it("follows the steps of a cancellable run's iterator the same way", async () => {
    let btn!: gr.Button, out!: gr.Textbox;
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      out = new gr.Textbox();
      btn.click(() => {
        let step = 0;
        const next = () => withOwnThen(step++ === 0 ? { done: false, value: "streamed" } : { done: true, value: undefined }, () => undefined);
        return iterator(next);
      }, undefined, out, { timeLimit: 60 }); // a time limit makes the run cancellable (S39)
    });
    const s = await demo.launch({ clock: new ManualClock() }).connect();
    await expect(s.click(btn)).resolves.toEqual({ status: "complete" });
    expect(s.get(out)).toBe("streamed");
  });

  it("reports a delete callback's promise whose own then throws as its value, and goes on", async () => {
    const clock = new ManualClock();
    let st!: gr.State<number>, other!: gr.State<number>, last!: gr.State<number>;
    const deleted: number[] = [];
    const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => {
      st = new gr.State(1, { deleteCallback: () => withOwnThen(undefined, () => { throw new Error("hostile then"); }) as Promise<void> });
      other = new gr.State(2, { deleteCallback: async () => { throw new Error("rejected"); } });
      last = new gr.State(3, { deleteCallback: (v) => void deleted.push(v) });
    });
    const app = demo.launch({ clock });
    const s = await app.connect();
    for (const cell of [st, other, last]) s.get(cell);
    const errors: string[] = [];
    app.errors$.subscribe((e) => errors.push(e.error.message));
    await s.close();
    await clock.advance(5000);
    expect(deleted).toEqual([3]);
    expect(errors).toEqual(["rejected"]); // the first one's own then was not called: it fulfilled
  });
});

describe("a commit is atomic: a value too deep fails the event and writes nothing (#11)", () => {
  function setup(value: () => unknown) {
    let btn!: gr.Button, st!: gr.State<unknown>, tb!: gr.Textbox, g!: gr.Global<unknown>;
    const changes: string[] = [];
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      st = new gr.State<unknown>("start");
      tb = new gr.Textbox({ value: "before" });
      g = new gr.Global("global");
      st.change(() => void changes.push("st"));
      g.change(() => void changes.push("g"));
      btn.click(function deepen() {
        return [value(), "after", "new global"];
      }, undefined, [st, tb, g]);
    });
    return { app: demo.launch(), btn, st, tb, g, changes };
  }

  it.each([
    ["objects", false],
    ["arrays", true],
  ])("writes no output when a watched one gets 9,000 levels of %s", async (_name, arrays) => {
    const { app, btn, st, tb, g, changes } = setup(() => deep(9000, arrays as boolean));
    const session = await app.connect();
    const result = await session.click(btn);
    expect(result.status).toBe("error");
    expect((result.error as gr.EventError).code).toBe("value_too_deep");
    expect(result.error!.message).toBe(
      'listener "deepen" returned a value for State #1 that is too deep: it nests more than 1000 levels of objects (the limit, MAX_VALUE_DEPTH = 1000).',
    );
    expect([session.get(st), session.get(tb), app.get(g), changes]).toEqual(["start", "before", "global", []]);
  });

  it("writes no output when a watched Global, listed last, gets a value too deep", async () => {
    let btn!: gr.Button, st!: gr.State<unknown>, g!: gr.Global<unknown>;
    const changes: string[] = [];
    const demo = new gr.Blocks(() => {
      btn = new gr.Button();
      st = new gr.State<unknown>("start");
      g = new gr.Global("global");
      st.change(() => void changes.push("st"));
      g.change(() => void changes.push("g"));
      btn.click(function deepen() {
        return ["new", deep(2000)];
      }, undefined, [st, g]);
    });
    const app = demo.launch();
    const session = await app.connect();
    const result = await session.click(btn);
    expect(result.error!.message).toMatch(/^listener "deepen" returned a value for Global #\d+ that is too deep: .*MAX_VALUE_DEPTH = 1000/);
    expect([session.get(st), app.get(g), changes]).toEqual(["start", "global", []]);
  });

  it("takes a value of exactly 1,000 levels, and reports its change", async () => {
    const { app, btn, st, changes } = setup(() => deep(1000));
    const session = await app.connect();
    expect((await session.click(btn)).status).toBe("complete");
    expect(session.get(st)).toEqual(deep(1000));
    expect(changes).toEqual(["st", "g"]);
  });

  it("refuses class instances nested too deep to hash, without a RangeError", async () => {
    class Node {
      constructor(readonly next: unknown) {}
    }
    const { app, btn, st, changes } = setup(() => {
      let v: unknown = null;
      // Well past MAX_VALUE_DEPTH, where a recursive walk would exhaust the stack.
      for (let i = 0; i < 5_000; i++) v = new Node(v);
      return v;
    });
    const session = await app.connect();
    const result = await session.click(btn);
    expect((result.error as gr.EventError).code).toBe("value_too_deep");
    expect(result.error!.message).toMatch(/^listener "deepen" returned a value for State #1 that is too deep: .*MAX_VALUE_DEPTH = 1000/);
    expect([session.get(st), changes]).toEqual(["start", []]);
  });
});

describe("user input too deep (#11)", () => {
  it("rejects 10,000 levels given to a JSON component, naming it and the limit", async () => {
    let json!: gr.JSON;
    let changes = 0;
    const demo = new gr.Blocks(() => {
      json = new gr.JSON({ label: "Config", value: { a: 1 } });
      json.change(() => void changes++);
    });
    const session = await demo.launch().connect();
    for (const levels of [1001, 10_000]) {
      const result = await session.input(json, deep(levels));
      expect(result.status).toBe("error");
      expect(result.error!.message).toMatch(/^JSON "Config" rejected the input .*: the value is too deep: .*MAX_VALUE_DEPTH = 1000/);
    }
    expect([session.get(json), changes]).toEqual([{ a: 1 }, 0]);
  });

  it("refuses a Chatbot (watched or not) a message whose metadata is too deep, naming it and the limit, writing nothing", async () => {
    let bot!: gr.Chatbot;
    let changes = 0;
    const demo = new gr.Blocks(() => {
      bot = new gr.Chatbot({ label: "Chat" });
      bot.change(() => void changes++);
    });
    const session = await demo.launch().connect();
    const result = await session.input(bot, [{ role: "user", content: "hi", metadata: deep(5000) }]);
    // A message's metadata goes to renderers as JSON: checked as a JSON component's value is.
    expect((result.error as gr.EventError).code).toBe("invalid_input");
    expect(result.error!.message).toMatch(/^Chatbot "Chat" rejected the input .*: the value is too deep: it nests more than 1000 levels of objects \(the limit, MAX_VALUE_DEPTH = 1000\)\.$/);
    expect([session.get(bot), changes]).toEqual([[], 0]);
  });
});

describe("defaults too deep fail at definition time (#11)", () => {
  it.each([
    ["State", (v: unknown) => new gr.State(v)],
    ["Global", (v: unknown) => new gr.Global(v)],
  ])("%s: a TypeError naming the limit, not a RangeError", (_name, make) => {
    new gr.Blocks(() => {
      for (const value of [deep(1001), deep(10_000, true)]) {
        expect(() => make(value)).toThrow(TypeError);
        expect(() => make(value)).toThrow(
          "The default is too deep: it nests more than 1000 levels of objects (the limit, MAX_VALUE_DEPTH = 1000).",
        );
      }
      expect(() => make(deep(1000))).not.toThrow();
    });
  });
});

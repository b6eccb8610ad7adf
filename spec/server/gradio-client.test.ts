/**
 * blockstate/server driven by the real `@gradio/client` (2.7.0, pinned exactly in
 * package.json): what a Gradio API client sees of a blockstate app.
 */
import * as gr from "blockstate";
import { serve, type RunningServer } from "blockstate/server";
// The client's CommonJS build (its package ships one): jest runs the specs as CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require("@gradio/client") as typeof import("@gradio/client");
import { counterApp, Gate, until } from "./apps";
import { quietClientAborts } from "../support/gradio-client";

type GradioClient = Awaited<ReturnType<typeof Client.connect>>;

quietClientAborts();

describe("blockstate/server with @gradio/client", () => {
  let server: RunningServer;
  let app: ReturnType<typeof counterApp>;
  const clients: GradioClient[] = [];
  const connect = async (options?: Parameters<typeof Client.connect>[1]) => {
    const client = await Client.connect(server.url, options);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    app = counterApp();
    server = await serve(app.demo, { port: 0 });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    app.gate.open();
    await server.close();
  });

  test("one client keeps its State across calls; State is hidden from its results", async () => {
    const client = await connect();
    expect((await client.predict("/add", [5])).data).toEqual([5]);
    expect((await client.predict("/add", [7])).data).toEqual([12]);
    expect((await client.predict("add", { n: 1 }).catch(() => client.predict("/add", [1]))).data).toEqual([13]);
  });

  test("two clients have isolated sessions", async () => {
    const alice = await connect();
    const bob = await connect();
    await alice.predict("/add", [5]);
    await alice.predict("/add", [5]);
    expect((await bob.predict("/add", [1])).data).toEqual([1]);
    expect((await alice.predict("/peek", [])).data).toEqual([10]);
    expect(server.app.sessionCount).toBe(2);
  });

  test("a session hash given to Client.connect resumes that session", async () => {
    const first = await connect({ session_hash: "resume-me" });
    await first.predict("/add", [4]);
    first.close();
    const again = await connect({ session_hash: "resume-me" });
    expect((await again.predict("/add", [1])).data).toEqual([5]);
    expect(server.app.session("resume-me")?.closed).toBe(false);
  });

  test("a State input between components is not a parameter, and its slot is the session's value", async () => {
    const client = await connect();
    await client.predict("/add", [3]);
    // mix(x, count, y): the client sends [2, null, 10]; the server reads count = 3
    expect((await client.predict("/mix", [2, 10])).data).toEqual([16]);
  });

  test("a Global is shared by every client", async () => {
    const alice = await connect();
    const bob = await connect();
    await alice.predict("/visit", []);
    await bob.predict("/visit", []);
    expect((await alice.predict("/visits", [])).data).toEqual([2]);
  });

  test("a generator streams each yield, in order, and predict resolves with the last", async () => {
    const client = await connect();
    const seen: unknown[] = [];
    for await (const m of client.submit("/stream", ["ab"])) {
      if (m.type === "data") seen.push(m.data);
    }
    expect(seen).toEqual([["ab"], ["abab"], ["ababab"], ["ababab"]]);
    expect((await client.predict("/stream", ["x"])).data).toEqual(["xxx"]);
  });

  test("a gr.Error reaches the client with its message and title", async () => {
    const client = await connect();
    await expect(client.predict("/fail", [])).rejects.toMatchObject({ message: "The number must be positive", title: "Bad number" });
  });

  test("another error's text is hidden unless showError (S36)", async () => {
    const client = await connect();
    const error = await client.predict("/secret", []).catch((e: unknown) => e);
    expect(error).toMatchObject({ message: "An error occurred while running the app." });
    expect(JSON.stringify(error)).not.toContain("hunter2");
    const shown = counterApp();
    const open = await serve(shown.demo, { port: 0, showError: true });
    try {
      const c = await Client.connect(open.url);
      await expect(c.predict("/secret", [])).rejects.toMatchObject({ message: "secret database password is hunter2" });
      c.close();
    } finally {
      await open.close();
    }
  });

  test("a value the component rejects is an error naming it and the value; the session is unchanged", async () => {
    const client = await connect();
    await client.predict("/add", [2]);
    const error = await client.predict("/add", ["seven"]).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Number "x" rejected the input "seven" for listener "add"/);
    expect((await client.predict("/peek", [])).data).toEqual([2]);
  });

  test("view_api lists named endpoints, without State parameters or returns, and not apiName: false", async () => {
    const client = await connect();
    const api = (await client.view_api()) as { named_endpoints: Record<string, { parameters: { label: string; component: string }[]; returns: unknown[] }> };
    expect(api.named_endpoints["/add"].parameters.map((p) => [p.label, p.component])).toEqual([["x", "Number"]]);
    expect(api.named_endpoints["/add"].returns).toHaveLength(1);
    // The client splices a nameless placeholder in for each State input it finds in /config.
    expect(api.named_endpoints["/mix"].parameters.filter((p) => p.label !== undefined).map((p) => p.label)).toEqual(["x", "y"]);
    expect(Object.keys(api.named_endpoints)).not.toContain("/lambda");
    expect(Object.keys(api.named_endpoints)).toEqual(expect.arrayContaining(["/add", "/stream", "/fail", "/slow", "/shout"]));
  });

  test("an Interface with a \"state\" input is seen as one text parameter, and keeps its history", async () => {
    await server.close();
    const demo = new gr.Interface({
      fn: (message: string, history: string[] | null) => {
        const next = [...(history ?? []), message];
        return [next.join(" "), next];
      },
      inputs: ["text", "state"],
      outputs: ["text", "state"],
    });
    server = await serve(demo, { port: 0 });
    const client = await connect();
    const api = (await client.view_api()) as { named_endpoints: Record<string, { parameters: { component: string }[] }> };
    expect(api.named_endpoints["/predict"].parameters.map((p) => p.component)).toEqual(["Textbox"]);
    expect((await client.predict("/predict", ["hello"])).data).toEqual(["hello"]);
    expect((await client.predict("/predict", ["world"])).data).toEqual(["hello world"]);
  });

  test("gr.Info and gr.Warning arrive as log messages, ctx.progress as progress", async () => {
    const client = await connect();
    const logs: unknown[] = [];
    const progress: unknown[] = [];
    for await (const m of client.submit("/shout", ["bob"], undefined, undefined, true)) {
      if (m.type === "log") logs.push({ log: m.log, level: m.level, title: m.title, duration: m.duration });
      if (m.type === "status" && m.progress_data) progress.push(m.progress_data[0]);
      if (m.type === "status" && m.stage === "complete") break;
    }
    // Gradio's defaults for what was not given: the level as the title, 10 seconds.
    expect(logs).toEqual([
      { log: "hello bob", level: "info", title: "Info", duration: 10 },
      { log: "careful", level: "warning", title: "Heads up", duration: 10 },
    ]);
    expect(progress).toEqual([expect.objectContaining({ progress: 0.5, desc: "halfway", unit: "steps" })]);
  });

  test("a concurrency limit holds later runs in a FIFO queue, across clients, with their positions", async () => {
    const users = await Promise.all([0, 1, 2].map(() => connect()));
    const statuses: unknown[][] = [[], [], []];
    const results = users.map(async (u, i) => {
      const seen: unknown[] = [];
      for await (const m of u.submit("/slow", [`u${i}`], undefined, undefined, true)) {
        if (m.type === "status") statuses[i].push(m.stage === "pending" && m.position !== undefined ? `pending@${m.position}` : m.stage);
        if (m.type === "data") seen.push(m.data);
        if (m.type === "status" && (m.stage === "complete" || m.stage === "error")) break;
      }
      return seen;
    });
    // Joins happen one after another (each awaited by the client in turn), so the order is u0, u1, u2.
    await until(() => app.log.length === 1, "first run to start");
    expect(app.log).toEqual(["start u0"]);
    app.gate.open();
    expect(await Promise.all(results)).toEqual([[["u0"]], [["u1"]], [["u2"]]]);
    expect(app.log).toEqual(["start u0", "end u0", "start u1", "end u1", "start u2", "end u2"]);
    expect(statuses[2]).toContain("pending@1");
  });

  test("cancel stops the run: the generator stops at its next yield and its finally runs", async () => {
    const client = await connect();
    const job = client.submit("/ticker", []);
    for await (const m of job) {
      if (m.type === "data") {
        expect(m.data).toEqual(["tick 0"]);
        await job.cancel();
        break;
      }
    }
    await until(() => app.finallyRan() === 1, "the generator to stop");
    const ticks = app.ticks();
    await new Promise((r) => setTimeout(r, 30));
    expect(app.ticks()).toBe(ticks);
    // The session goes on: later calls work.
    expect((await client.predict("/add", [1])).data).toEqual([1]);
  });

  test("a layout container as an output is a component of /config, and its slot is left out of results as /info says", async () => {
    await server.close();
    const demo = new gr.Blocks(() => {
      const t = new gr.Textbox({ label: "t" });
      const row = new gr.Row(() => {
        new gr.Markdown("hi");
      });
      new gr.Button("b").click((v: string) => [gr.update({ visible: false }), `${v}!`], [t], [row, t], { apiName: "hide" });
    });
    server = await serve(demo, { port: 0 });
    const config = (await (await fetch(`${server.url}/config`)).json()) as { components: { id: number }[]; dependencies: { inputs: number[]; outputs: number[] }[] };
    const listed = new Set(config.components.map((c) => c.id));
    expect(config.dependencies.flatMap((d) => [...d.inputs, ...d.outputs]).filter((id) => !listed.has(id))).toEqual([]);
    const client = await connect();
    const api = (await client.view_api()) as { named_endpoints: Record<string, { returns: unknown[] }> };
    expect(api.named_endpoints["/hide"].returns).toHaveLength(1);
    expect((await client.predict("/hide", ["a"])).data).toEqual(["a!"]);
  });

  test("a listener with apiName: false is callable by its fn_index, as a full UI does", async () => {
    const client = await connect();
    const hidden = server.app.blocks.dependencies.find((d) => d.apiName === false)!;
    expect((await client.predict(hidden.id, [])).data).toEqual(["hidden"]);
  });
});

describe("serve()", () => {
  test("port 0 picks a free port; close() ends open streams, telling their clients, and frees the port", async () => {
    const gate = new Gate();
    const { demo } = counterApp(gate);
    const server = await serve(demo, { port: 0 });
    const port = Number(new URL(server.url).port);
    expect(port).toBeGreaterThan(0);
    const client = await Client.connect(server.url);
    const job = client.submit("/ticker", [], undefined, undefined, true);
    const seen: string[] = [];
    for await (const m of job) {
      if (m.type === "data" && seen.length === 0) {
        seen.push("data");
        void server.close(); // while the generator streams
      }
      if (m.type === "status" && m.stage === "error") seen.push(`error: ${m.message}`);
    }
    // The client is told (no stream that just stops), and its iterator ends.
    expect(seen).toEqual(["data", "error: The server was closed."]);
    await server.close();
    // The port is free again: another server can listen on it.
    const again = await serve(counterApp().demo, { port });
    await again.close();
    client.close();
  });

  test("bad options are TypeErrors naming the option", async () => {
    const { demo } = counterApp();
    await expect(serve(demo, { port: -1 })).rejects.toThrow(/port must be an integer from 0 to 65535; got -1/);
    await expect(serve(demo, { prot: 1 } as never)).rejects.toThrow(/unknown option "prot" \(did you mean "port"\?\)/);
    await expect(serve(demo, { port: 0, maxBodyBytes: 0 })).rejects.toThrow(/maxBodyBytes must be a positive integer; got 0/);
  });
});

test("ctx.progress.tqdm reaches @gradio/client with its steps, as Gradio's tqdm sends them", async () => {
  const demo = new gr.Blocks(() => {
    const out = new gr.Textbox();
    new gr.Button("b").click(
      (ctx: gr.EventContext) => {
        for (const item of ctx.progress.tqdm(["a", "b", "c"], { desc: "Looping" })) void item;
        return "done";
      },
      undefined,
      out,
      { apiName: "loop" },
    );
  });
  const server = await serve(demo, { port: 0 });
  const client = await Client.connect(server.url);
  try {
    const steps: unknown[] = [];
    for await (const m of client.submit("/loop", [], undefined, undefined, true)) {
      if (m.type === "status" && m.progress_data) steps.push(m.progress_data[0]);
      if (m.type === "status" && (m.stage === "complete" || m.stage === "error")) break;
    }
    expect(steps[0]).toMatchObject({ index: 0, length: 3, unit: "steps", desc: "Looping" });
  } finally {
    client.close();
    await server.close();
  }
});

describe("streamed diffs (sse_v3) as @gradio/client applies them", () => {
  /** A generator that yields objects with awkward keys, then echoes its JSON input. */
  function jsonGenApp() {
    return new gr.Blocks(() => {
      const inp = new gr.JSONView();
      const out = new gr.JSONView();
      new gr.Button("b").click(
        async function* (v: unknown): AsyncGenerator<unknown> {
          yield { constructor: 1, a: 1 };
          yield { a: 2 }; // the key "constructor" is gone
          yield {};
          yield v; // the client's own value, echoed
        },
        inp,
        out,
        { apiName: "gen" },
      );
    });
  }

  /** The values the client saw, one per yield. */
  async function streamed(input: unknown): Promise<unknown[]> {
    const server = await serve(jsonGenApp(), { port: 0 });
    const client = await Client.connect(server.url);
    const seen: unknown[] = [];
    try {
      for await (const m of client.submit("/gen", [input])) {
        if (m.type === "data") seen.push(JSON.parse(JSON.stringify((m.data as unknown[])[0])));
        if (m.type === "status" && m.stage === "complete") break;
      }
    } finally {
      client.close();
      await server.close();
    }
    return seen;
  }

  test("a key named like an Object.prototype member is deleted in the client's view when a yield drops it", async () => {
    const seen = await streamed(null);
    const yielded: unknown[] = [{ constructor: 1, a: 1 }, { a: 2 }, {}];
    expect(seen.slice(0, 3)).toEqual(yielded);
  });

  test("a yielded value with a __proto__ key of its own reaches the client as it is, not as its Object.prototype", async () => {
    try {
      const seen = await streamed(JSON.parse('{"__proto__": {"polluted": "yes"}}'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.hasOwn(seen.at(-1) as object, "__proto__")).toBe(true);
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
  });
});

describe("a ChatInterface served to @gradio/client", () => {
  const stream = async function* (message: string) {
    yield "...";
    await new Promise((resolve) => setTimeout(resolve, 20));
    yield `streamed: ${message}`;
  };

  test("a generator fn streams each yield through /chat (Gradio's _stream_fn), standalone and inside a Blocks", async () => {
    for (const demo of [new gr.ChatInterface({ fn: stream }), new gr.Blocks(() => void new gr.ChatInterface({ fn: stream }))]) {
      const server = await serve(demo, { port: 0 });
      const client = await Client.connect(server.url);
      try {
        const config = (await (await fetch(`${server.url}/config`)).json()) as { dependencies: { api_name: unknown; types: { generator: boolean } }[] };
        expect(config.dependencies.find((d) => d.api_name === "chat")!.types.generator).toBe(true);
        const replies: unknown[] = [];
        for await (const message of client.submit("/chat", ["hi"])) {
          if (message.type === "data") replies.push(((message.data as unknown[])[1] as { content: string }[]).at(-1)!.content);
          if (message.type === "status" && message.stage === "complete") break;
        }
        // The user's message shown first, then each yield, then the completed event's final value.
        expect(replies).toEqual(["hi", "...", "streamed: hi", "streamed: hi"]);
      } finally {
        client.close();
        await server.close();
      }
    }
  }, 30_000);
});

describe("event_data and trigger_id from @gradio/client", () => {
  test("reach the handler as ctx.event and ctx.target (Gradio's EventData), through the queue and /run, not /call (Gradio's simple API); a malformed trigger_id is refused before anything runs", async () => {
    let a!: gr.Button, b!: gr.Button, out!: gr.Textbox;
    let loads = 0;
    const describe = (ctx: gr.EventContext) => `${ctx.target === a ? "a" : ctx.target === b ? "b" : "none"} ${JSON.stringify(ctx.event ?? null)}`;
    const demo = new gr.Blocks((demo) => {
      demo.load(() => void loads++);
      a = new gr.Button("A");
      b = new gr.Button("B");
      out = new gr.Textbox();
      gr.on([a.click, b.click], describe, undefined, out, { apiName: "which" });
      gr.on([a.click, b.click], describe, undefined, out, { apiName: "which_now", queue: false });
    });
    const server = await serve(demo, { port: 0 });
    const client = await Client.connect(server.url);
    try {
      const last = async (endpoint: string, eventData: unknown, triggerId: number | null) => {
        let data: unknown;
        for await (const message of client.submit(endpoint, [], eventData, triggerId, true)) {
          if (message.type === "data") data = (message.data as unknown[])[0];
          if (message.type === "status" && (message.stage === "complete" || message.stage === "error")) break;
        }
        return data;
      };
      expect(await last("/which", { index: 1, value: "x" }, b.id)).toBe('b {"index":1,"value":"x"}');
      expect(await last("/which", null, null)).toBe("none null");
      expect(await last("/which_now", { index: 3 }, a.id)).toBe('a {"index":3}'); // queue: false, through /run
      expect(await last("/which", null, 999)).toBe("none null"); // an id of no block: no target, as Gradio's blocks.get
      const post = (path: string, body: unknown) =>
        fetch(`${server.url}/gradio_api${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const loadsBefore = loads;
      for (const [path, body] of [
        ["/queue/join", { fn_index: 0, data: [], session_hash: "fresh", trigger_id: "b" }],
        ["/run/which_now", { data: [], trigger_id: -1 }],
      ] as const) {
        const refused = await post(path, body);
        expect(refused.status).toBe(400);
        expect(await refused.text()).toMatch(/trigger_id must be a block's id \(a non-negative integer\) or null/);
      }
      expect(server.app.session("fresh")).toBeUndefined(); // refused before a session was made (docs/07: bad requests run nothing)
      expect(loads).toBe(loadsBefore);
      const called = await post("/call/which", { data: [], trigger_id: b.id, event_data: { k: 1 } });
      const { event_id } = (await called.json()) as { event_id: string };
      expect(await (await fetch(`${server.url}/gradio_api/call/which/${event_id}`)).text()).toContain('data: ["none null"]');
    } finally {
      client.close();
      await server.close();
    }
  }, 30_000);
});

describe("a listener's validator served to @gradio/client", () => {
  test("a refused input fails the call with Gradio's list of verdicts through the queue (which Gradio's page shows at each input), and with the message through /run (422)", async () => {
    let name!: gr.Textbox, out!: gr.Textbox;
    const greet = (n: string) => `Hello ${n}`;
    const validator = (n: string) => [gr.validate(n !== "", "Enter a name")];
    const demo = new gr.Blocks(() => {
      name = new gr.Textbox({ label: "Name" });
      out = new gr.Textbox();
      const btn = new gr.Button();
      btn.click(greet, name, out, { apiName: "greet", validator });
      btn.click(greet, name, out, { apiName: "greet_now", queue: false, validator });
    });
    const server = await serve(demo, { port: 0 });
    const client = await Client.connect(server.url);
    try {
      expect((await client.predict("/greet", ["Ada"])).data).toEqual(["Hello Ada"]);
      // The client's status event for queue/join's 422 carries the verdicts as its message,
      // which Gradio's page reads as `message[i]`, the verdict on the listener's input i;
      // `predict` rejects with them as JSON, and the rest of that status.
      const refused = await client.predict("/greet", [""]).then(
        () => undefined,
        (e: unknown) => e as Error & { stage?: string; code?: string },
      );
      expect(refused).toMatchObject({ stage: "error", code: "validation_error" });
      expect(JSON.parse(refused!.message)).toEqual([{ __type__: "validate", is_valid: false, message: "Enter a name", parameter_name: "n" }]);
      const run = await fetch(`${server.url}/gradio_api/run/greet_now`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ data: [""] }) });
      expect(run.status).toBe(422);
      // The body of every bad request (docs/07): status, detail, error and code.
      expect(await run.json()).toMatchObject({ status: "error", code: "invalid_input", detail: expect.stringMatching(/its validator refused Textbox "Name": Enter a name/) });
    } finally {
      client.close();
      await server.close();
    }
  }, 30_000);
});

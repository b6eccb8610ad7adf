/**
 * blockstate/server over plain HTTP: Gradio's curl API (`call`), bad input, and the security
 * checks. Most tests call the web-standard handler directly; those about the network use serve().
 */
import * as gr from "blockstate";
import { apiInfo, createHandler, serve, type GradioHandler } from "blockstate/server";
import { counterApp, until } from "./apps";

const BASE = "http://127.0.0.1:7860";
const json = (body: unknown) => JSON.stringify(body);

function post(handler: GradioHandler, path: string, body: string, headers: Record<string, string> = {}) {
  return handler(new Request(BASE + path, { method: "POST", body, headers: { "content-type": "application/json", ...headers } }));
}

/** Reads an SSE response to its end. */
async function readAll(response: Response): Promise<string> {
  return await response.text();
}

/** The `data:` JSON payloads of a queue stream. */
function frames(text: string): Record<string, unknown>[] {
  return text
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => JSON.parse(f.slice(6)) as Record<string, unknown>);
}

describe("the curl API (POST call/{name}, then GET call/{name}/{event_id}), with fetch only", () => {
  test("a call answers with its outputs; a session_hash keeps State across calls; errors and streams", async () => {
    const { demo } = counterApp();
    const server = await serve(demo, { port: 0 });
    try {
      const call = async (name: string, body: unknown) => {
        const started = await fetch(`${server.url}/gradio_api/call/${name}`, { method: "POST", headers: { "content-type": "application/json" }, body: json(body) });
        expect(started.status).toBe(200);
        const { event_id } = (await started.json()) as { event_id: string };
        const result = await fetch(`${server.url}/gradio_api/call/${name}/${event_id}`);
        expect(result.headers.get("content-type")).toMatch(/^text\/event-stream/);
        return result.text();
      };
      expect(await call("add", { data: [5] })).toBe("event: complete\ndata: [5]\n\n");
      // Without a session_hash every call is a new session: State starts again.
      expect(await call("add", { data: [5] })).toBe("event: complete\ndata: [5]\n\n");
      expect(await call("add", { data: [5], session_hash: "curl-user" })).toBe("event: complete\ndata: [5]\n\n");
      expect(await call("add", { data: [2], session_hash: "curl-user" })).toBe("event: complete\ndata: [7]\n\n");
      expect(await call("stream", { data: ["ab"] })).toBe(
        'event: generating\ndata: ["ab"]\n\nevent: generating\ndata: ["abab"]\n\nevent: generating\ndata: ["ababab"]\n\nevent: complete\ndata: ["ababab"]\n\n',
      );
      // A failure's payload is that of a failed process_completed (Gradio 6.25).
      expect(await call("fail", { data: [] })).toBe('event: error\ndata: {"error":"The number must be positive","visible":true,"title":"Bad number","duration":10}\n\n');
      expect(await call("secret", { data: [] })).toBe('event: error\ndata: {"error":"An error occurred while running the app.","visible":true,"title":"Error","duration":null}\n\n');
      // A result is read once.
      const started = await fetch(`${server.url}/gradio_api/call/add`, { method: "POST", body: json({ data: [1] }) });
      const { event_id } = (await started.json()) as { event_id: string };
      await (await fetch(`${server.url}/gradio_api/call/add/${event_id}`)).text();
      expect((await fetch(`${server.url}/gradio_api/call/add/${event_id}`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe("/config and /info", () => {
  test("State cells are components of type state, never their values; /info leaves them out", async () => {
    const handler = createHandler(counterApp().demo);
    const config = (await (await handler(new Request(`${BASE}/config`))).json()) as {
      protocol: string;
      api_prefix: string;
      components: { id: number; type: string; props: Record<string, unknown>; skip_api: boolean }[];
      dependencies: { id: number; api_name: string | null; inputs: number[]; types: { generator: boolean } }[];
    };
    expect([config.protocol, config.api_prefix]).toEqual(["sse_v3", "/gradio_api"]);
    const add = config.dependencies.find((d) => d.api_name === "add")!;
    const state = config.components.find((c) => c.id === add.inputs[1])!;
    expect(state).toMatchObject({ type: "state", skip_api: true, props: { name: "state" } });
    expect(state.props).not.toHaveProperty("value");
    expect(config.dependencies.find((d) => d.api_name === "stream")!.types.generator).toBe(true);
    expect(add.types.generator).toBe(false);
    const info = (await (await handler(new Request(`${BASE}/gradio_api/info`))).json()) as {
      named_endpoints: Record<string, { parameters: { parameter_name: string; type: unknown }[]; returns: unknown[] }>;
      unnamed_endpoints: object;
    };
    expect(info.unnamed_endpoints).toEqual({});
    expect(info.named_endpoints["/add"].parameters).toEqual([expect.objectContaining({ parameter_name: "n", type: { type: "number" } })]);
    expect(info.named_endpoints["/add"].returns).toHaveLength(1);
    await handler.close();
  });

  test("a parameter has a default only when its component starts with a value (as Gradio: a client refuses a call leaving out one without)", async () => {
    const demo = new gr.Blocks(() => {
      const empty = new gr.Number({ label: "empty" });
      const five = new gr.Number({ label: "five", value: 5 });
      const out = new gr.Textbox();
      new gr.Button("b").click((a: number | null, b: number | null) => `${a} ${b}`, [empty, five], out, { apiName: "both" });
    });
    const handler = createHandler(demo);
    const info = (await (await handler(new Request(`${BASE}/gradio_api/info`))).json()) as {
      named_endpoints: Record<string, { parameters: { parameter_has_default: boolean; parameter_default: unknown }[] }>;
    };
    expect(info.named_endpoints["/both"].parameters.map((p) => [p.parameter_has_default, p.parameter_default])).toEqual([
      [false, null],
      [true, 5],
    ]);
    await handler.close();
  });
});

test("/info types a Number or Slider of precision 0 as an integer, and describes a Slider's range, as Gradio's api_info", () => {
  const demo = new gr.Blocks(() => {
    const whole = new gr.Number({ label: "whole", precision: 0 });
    const level = new gr.Slider({ label: "level", minimum: 1, maximum: 5, precision: 0 });
    const ratio = new gr.Slider({ label: "ratio", maximum: 1 });
    new gr.Button("b").click((a: number | null, b: number, c: number) => [a, b, c], [whole, level, ratio], [whole, level, ratio], { apiName: "types" });
  });
  const info = apiInfo(demo);
  const types = (list: { type: unknown; python_type: unknown }[]) => list.map((p) => [p.type, p.python_type]);
  const expected = [
    [{ type: "integer" }, { type: "int", description: "" }],
    [{ type: "integer", description: "numeric value between 1 and 5" }, { type: "int", description: "numeric value between 1 and 5" }],
    [{ type: "number", description: "numeric value between 0 and 1" }, { type: "float", description: "numeric value between 0 and 1" }],
  ];
  expect(types(info.named_endpoints["/types"].parameters)).toEqual(expected);
  expect(types(info.named_endpoints["/types"].returns)).toEqual(expected);
});

describe("estimation frames, as Gradio's queue sends them", () => {
  test("an event that starts at once is told rank 0 of a queue of 1; a waiting one its rank and its own group's queue size", async () => {
    const gates = new Map<string, () => void>();
    const demo = new gr.Blocks(() => {
      const t = new gr.Textbox();
      const out = new gr.Textbox();
      const wait = (s: string) => new Promise<string>((resolve) => gates.set(s, () => resolve(s)));
      // Two functions: listeners sharing one would share a group (S60).
      new gr.Button("one").click((s: string) => wait(s), t, out, { apiName: "one", concurrencyLimit: 1 });
      new gr.Button("two").click((s: string) => wait(s), t, out, { apiName: "two", concurrencyLimit: 1 });
    });
    const handler = createHandler(demo);
    const id = (name: string) => demo.dependencies.find((d) => d.apiName === name)!.id;
    try {
      for (const [name, s] of [["one", "a"], ["one", "b"], ["one", "c"], ["two", "x"], ["two", "y"]]) {
        await post(handler, "/gradio_api/queue/join", json({ fn_index: id(name), data: [s], session_hash: `q${s}` }));
      }
      await until(() => gates.has("x"), "x to start");
      const reading = (hash: string) => handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=${hash}`)).then(readAll);
      const [x, y] = [reading("qx"), reading("qy")];
      gates.get("x")!();
      await until(() => gates.has("y"), "y to start");
      gates.get("y")!();
      for (const s of ["a", "b", "c"]) {
        await until(() => gates.has(s), `${s} to start`);
        gates.get(s)!();
      }
      const estimation = async (text: Promise<string>) => frames(await text).find((f) => f.msg === "estimation");
      expect(await estimation(x)).toMatchObject({ rank: 0, queue_size: 1 });
      expect(await estimation(y)).toMatchObject({ rank: 0, queue_size: 1 }); // "two"'s queue, not the app's 3
    } finally {
      for (const open of gates.values()) open();
      await handler.close();
    }
  });
});

describe("re-ranking: waiting events are told their new rank as the queue moves, as Gradio's are", () => {
  test("at the first start, then at most every RERANK_MS, with a last one at the end of that window", async () => {
    const gates = new Map<string, () => void>();
    const demo = new gr.Blocks(() => {
      const t = new gr.Textbox();
      const out = new gr.Textbox();
      new gr.Button("one").click((s: string) => new Promise<string>((resolve) => gates.set(s, () => resolve(s))), t, out, { apiName: "one", concurrencyLimit: 1 });
    });
    const handler = createHandler(demo);
    const fn_index = demo.dependencies[0].id;
    const seen = new Map<string, Record<string, unknown>[]>();
    /** Reads the stream of session `q<s>` as it comes, into `seen`. */
    const follow = async (s: string) => {
      const response = await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=q${s}`));
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = "";
      seen.set(s, []);
      void (async () => {
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          text += decoder.decode(r.value, { stream: true });
          seen.set(s, frames(text));
        }
      })();
    };
    const ranks = (s: string) => (seen.get(s) ?? []).filter((f) => f.msg === "estimation").map((f) => [f.rank, f.queue_size]);
    try {
      for (const s of ["a", "b", "c", "d"]) await post(handler, "/gradio_api/queue/join", json({ fn_index, data: [s], session_hash: `q${s}` }));
      await until(() => gates.has("a"), "a to start");
      for (const s of ["c", "d"]) await follow(s);
      await until(() => ranks("d").length === 1, "d's first estimation");
      expect([ranks("c"), ranks("d")]).toEqual([[[1, 2]], [[2, 3]]]); // each told the queue it joined
      gates.get("a")!(); // b starts: the first start behind which events wait, re-ranked at once
      await until(() => ranks("d").length === 2, "d's re-rank");
      expect([ranks("c"), ranks("d")]).toEqual([[[1, 2], [0, 2]], [[2, 3], [1, 2]]]);
      await until(() => gates.has("b"), "b to start");
      gates.get("b")!(); // c starts within the window: d hears of it at the window's end
      await until(() => ranks("d").length === 3, "d's trailing re-rank");
      expect(ranks("d").at(-1)).toEqual([0, 1]);
    } finally {
      for (const open of gates.values()) open();
      await handler.close();
    }
  });
});

describe("the queue's status and the heartbeat route, as Gradio serves them", () => {
  test("GET queue/status answers the queue's size; GET heartbeat/{hash} sends ALIVE at once", async () => {
    const handler = createHandler(counterApp().demo, { heartbeatSeconds: 3600 });
    try {
      const status = await handler(new Request(`${BASE}/gradio_api/queue/status`));
      expect(await status.json()).toEqual({ msg: "estimation", event_id: null, rank: null, queue_size: 0, rank_eta: null });
      const beat = await handler(new Request(`${BASE}/gradio_api/heartbeat/h1`));
      const reader = beat.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: ALIVE\n\n"); // not an hour later
      await reader.cancel();
    } finally {
      await handler.close();
    }
  });
});

describe("cancel", () => {
  test("POST cancel abandons a run awaiting inside its handler; the stream gets its completion at once; others' and late cancels are answered alike", async () => {
    const { demo, gate, log } = counterApp();
    const handler = createHandler(demo);
    try {
      const slow = demo.dependencies.find((d) => d.apiName === "slow")!.id;
      const joined = (await (await post(handler, "/gradio_api/queue/join", json({ fn_index: slow, session_hash: "s1", data: ["a"] }))).json()) as { event_id: string };
      await until(() => log.length === 1, "the run to start");
      // Another session's cancel of it gets Gradio's answer, and cancels nothing.
      const foreign = await post(handler, "/gradio_api/cancel", json({ event_id: joined.event_id, session_hash: "s2", fn_index: slow }));
      expect(await foreign.json()).toEqual({ success: true });
      let ended = false;
      void handler.app.session("s1")!.idle().then(() => (ended = true));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(ended).toBe(false);
      const cancelled = await post(handler, "/gradio_api/cancel", json({ event_id: joined.event_id, session_hash: "s1", fn_index: slow }));
      expect(await cancelled.json()).toEqual({ success: true });
      // The gate never opens: the completion comes from the cancellation.
      const text = await readAll(await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s1`)));
      const completed = frames(text).find((f) => f.msg === "process_completed")!;
      expect(completed).toMatchObject({ event_id: joined.event_id, success: true, output: { data: [null] } });
      expect(log).toEqual(["start a"]);
      // A cancel of an event that ended gets the same answer, as in Gradio.
      const late = await post(handler, "/gradio_api/cancel", json({ event_id: joined.event_id, session_hash: "s1" }));
      expect(await late.json()).toEqual({ success: true });
    } finally {
      gate.open();
      await handler.close();
    }
  });
});

describe("a client that drops its stream (Gradio cleans the session's events on disconnect)", () => {
  test("dropping queue/data cancels the session's pending runs; a stream replaced by a newer one does not", async () => {
    const { demo, finallyRan, ticks } = counterApp();
    const server = await serve(demo, { port: 0 });
    try {
      const ticker = demo.dependencies.find((d) => d.apiName === "ticker")!.id;
      const joined = await fetch(`${server.url}/gradio_api/queue/join`, { method: "POST", body: json({ fn_index: ticker, session_hash: "s1", data: [] }) });
      expect(joined.status).toBe(200);
      const open = async () => {
        const abort = new AbortController();
        const response = await fetch(`${server.url}/gradio_api/queue/data?session_hash=s1`, { signal: abort.signal });
        const reader = response.body!.getReader();
        expect((await reader.read()).done).toBe(false);
        return { abort, reader };
      };
      const first = await open();
      // A second reader of the session replaces the first (the server ends it): the run goes on.
      const second = await open();
      for (;;) if ((await first.reader.read()).done) break;
      const before = ticks();
      await until(() => ticks() > before + 3, "the ticker to go on");
      expect(finallyRan()).toBe(0);
      second.abort.abort();
      await until(() => finallyRan() === 1, "the ticker to be cancelled");
    } finally {
      await server.close();
    }
  });

  test("dropping the stream of call/{name}/{event_id} cancels its run", async () => {
    const { demo, finallyRan } = counterApp();
    const server = await serve(demo, { port: 0 });
    try {
      const started = await fetch(`${server.url}/gradio_api/call/ticker`, { method: "POST", body: json({ data: [] }) });
      const { event_id } = (await started.json()) as { event_id: string };
      const abort = new AbortController();
      const result = await fetch(`${server.url}/gradio_api/call/ticker/${event_id}`, { signal: abort.signal });
      expect((await result.body!.getReader().read()).done).toBe(false);
      expect(finallyRan()).toBe(0);
      abort.abort();
      await until(() => finallyRan() === 1, "the ticker to be cancelled");
    } finally {
      await server.close();
    }
  });
});

describe("frames kept before the stream opens", () => {
  /** A generator yielding `values` (`after`: it went past the last; `done`: it stopped), and a small listener. */
  function bigApp(values: string[]) {
    const run = { after: false, done: false };
    const demo = new gr.Blocks(() => {
      const out = new gr.Textbox({ label: "out" });
      const btn = new gr.Button("b");
      btn.click(
        async function* () {
          try {
            for (const value of values) yield value;
            run.after = true;
          } finally {
            run.done = true;
          }
        },
        undefined,
        out,
        { apiName: "gen" },
      );
      btn.click(() => "small", undefined, out, { apiName: "small" });
    });
    return { demo, run };
  }

  test("past maxStreamBytes nothing more is kept: the run is cancelled and the stream fails, as an open one that overflows", async () => {
    const { demo, run } = bigApp(["a".repeat(6000), "a".repeat(12_000), "a".repeat(12_000) + "b"]);
    const handler = createHandler(demo, { maxStreamBytes: 10_000 });
    try {
      const id = (name: string) => demo.dependencies.find((d) => d.apiName === name)!.id;
      const joined = await post(handler, "/gradio_api/queue/join", json({ fn_index: id("gen"), session_hash: "late", data: [] }));
      expect(joined.status).toBe(200);
      await until(() => run.done, "the generator to stop");
      // The second yield did not fit: the run stopped at its next yield, and the stream the
      // client opens late fails (a clean close_stream after a gap would be corrupt data).
      expect(run.after).toBe(false);
      // Until the client reads that failure, a new event is refused, not run with its frames dropped.
      const early = await post(handler, "/gradio_api/queue/join", json({ fn_index: id("small"), session_hash: "late", data: [] }));
      expect(early.status).toBe(409);
      expect(await early.json()).toMatchObject({ code: "stream_failed", detail: expect.stringMatching(/^The event stream of session "late" failed/) });
      const stream = await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=late`));
      expect(stream.status).toBe(200);
      await expect(readAll(stream)).rejects.toThrow("The event stream held more than 10000 unread bytes and was ended.");
      // The session goes on: its next event is kept and sent whole.
      await post(handler, "/gradio_api/queue/join", json({ fn_index: id("small"), session_hash: "late", data: [] }));
      const next = frames(await readAll(await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=late`))));
      expect(next.map((f) => f.msg)).toEqual(["estimation", "process_starts", "process_completed", "close_stream"]);
      expect(next[2]).toMatchObject({ success: true, output: { data: ["small"] } });
    } finally {
      await handler.close();
    }
  });

  /** A generator per run that yields 4,000 characters, then waits for `release()` and ends (`runs`: each run's progress). */
  function holdingApp() {
    const runs: { yielded: boolean; finished: boolean }[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const demo = new gr.Blocks(() => {
      const out = new gr.Textbox({ label: "out" });
      const btn = new gr.Button("b");
      btn.click(
        async function* () {
          const run = { yielded: false, finished: false };
          runs.push(run);
          yield "x".repeat(4000);
          run.yielded = true;
          await released;
          yield "done";
          run.finished = true;
        },
        undefined,
        out,
        { apiName: "hold", concurrencyLimit: null },
      );
    });
    return { demo, runs, release };
  }

  test("past maxKeptBytes in all, the oldest session's kept frames are dropped: its run is cancelled and its stream fails", async () => {
    const { demo, runs, release } = holdingApp();
    // Each session keeps about 4.1 KB, well within maxStreamBytes; four pass maxKeptBytes, three
    // (and their last frames) do not.
    const handler = createHandler(demo, { maxStreamBytes: 8000, maxKeptBytes: 14_000 });
    try {
      const fn_index = demo.dependencies.find((d) => d.apiName === "hold")!.id;
      for (let i = 0; i < 4; i++) {
        expect((await post(handler, "/gradio_api/queue/join", json({ fn_index, session_hash: `s${i}`, data: [] }))).status).toBe(200);
        await until(() => runs[i]?.yielded, `session s${i}'s first yield`);
      }
      const dropped = await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s0`));
      await expect(readAll(dropped)).rejects.toThrow("unread bytes and was ended");
      // The others kept theirs, and get them whole.
      const kept = handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s3`));
      release();
      const sent = frames(await readAll(await kept));
      expect(sent.map((f) => f.msg)).toEqual(["estimation", "process_starts", "process_generating", "process_generating", "process_completed", "close_stream"]);
      expect(sent[3]).toMatchObject({ success: true });
      // The oldest run was cancelled: it is not stepped past the await it was in.
      await until(() => runs.slice(1).every((r) => r.finished), "the other runs to finish");
      expect(runs.map((r) => r.finished)).toEqual([false, true, true, true]);
    } finally {
      release();
      await handler.close();
    }
  });

  test("past maxKeptBytes in all, the oldest unfetched call result is dropped and its run cancelled", async () => {
    const { demo, runs, release } = holdingApp();
    const handler = createHandler(demo, { maxStreamBytes: 8000, maxKeptBytes: 14_000 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const started = await post(handler, "/gradio_api/call/hold", json({ data: [] }));
        ids.push(((await started.json()) as { event_id: string }).event_id);
        await until(() => runs[i]?.yielded, `call ${i}'s first yield`);
      }
      expect((await handler(new Request(`${BASE}/gradio_api/call/hold/${ids[0]}`))).status).toBe(404);
      const result = await handler(new Request(`${BASE}/gradio_api/call/hold/${ids[3]}`));
      release();
      const text = await readAll(result);
      expect(text.startsWith(`event: generating\ndata: ["${"x".repeat(4000)}"]\n\n`)).toBe(true);
      expect(text.endsWith('event: complete\ndata: ["done"]\n\n')).toBe(true);
      await until(() => runs.slice(1).every((r) => r.finished), "the other runs to finish");
      expect(runs.map((r) => r.finished)).toEqual([false, true, true, true]);
    } finally {
      release();
      await handler.close();
    }
  });

  test("past 10,000 unfetched call results the oldest are dropped, and every other one is read whole and its own", async () => {
    const demo = new gr.Blocks(() => {
      const x = new gr.Number({ label: "x" });
      const y = new gr.Number({ label: "y" });
      new gr.Button("Go").click((n: number | null) => n, x, y, { apiName: "echo" });
    });
    const handler = createHandler(demo);
    try {
      const calls = 10_003;
      const ids: string[] = [];
      for (let i = 0; i < calls; i++) {
        const started = await post(handler, "/gradio_api/call/echo", json({ data: [i], session_hash: "one" }));
        ids.push(((await started.json()) as { event_id: string }).event_id);
      }
      const answers: string[] = [];
      for (let i = 0; i < calls; i++) {
        const result = await handler(new Request(`${BASE}/gradio_api/call/echo/${ids[i]}`));
        answers.push(result.status === 404 ? "404" : await readAll(result));
      }
      expect(answers.slice(0, 3)).toEqual(["404", "404", "404"]);
      const wrong = answers.slice(3).filter((text, i) => text !== `event: complete\ndata: [${i + 3}]\n\n`);
      expect(wrong).toEqual([]);
    } finally {
      await handler.close();
    }
  }, 60_000);

  test("the bound counts UTF-8 bytes, as an open stream's does, not characters", async () => {
    // 6,000 characters, 12,000 bytes: past the bound at the first yield, so the run is cancelled.
    const { demo, run } = bigApp(["é".repeat(6000), "more"]);
    const handler = createHandler(demo, { maxStreamBytes: 10_000 });
    try {
      await post(handler, "/gradio_api/queue/join", json({ fn_index: demo.dependencies.find((d) => d.apiName === "gen")!.id, session_hash: "late", data: [] }));
      await until(() => run.done, "the generator to stop");
      expect(run.after).toBe(false);
    } finally {
      await handler.close();
    }
  });
});

describe("serve() with several apps", () => {
  test("the root option gives each app the root with its mount path", async () => {
    const server = await serve({ a: counterApp().demo, b: counterApp().demo }, { port: 0, root: "https://proxy.example/apps/" });
    try {
      const rootOf = async (name: string) => ((await (await fetch(`${server.url}/${name}/config`)).json()) as { root: string }).root;
      expect(await rootOf("a")).toBe("https://proxy.example/apps/a");
      expect(await rootOf("b")).toBe("https://proxy.example/apps/b");
    } finally {
      await server.close();
    }
  });
});

describe("createHandler() options", () => {
  test("apps it launches close unused sessions after an hour unless told otherwise", async () => {
    const handlers = [createHandler(counterApp().demo), createHandler(counterApp().demo, { sessionIdleTimeout: 60 }), createHandler(counterApp().demo, { sessionIdleTimeout: null })];
    expect(handlers.map((h) => h.app.sessionIdleTimeout)).toEqual([3600, 60, null]);
    await Promise.all(handlers.map((h) => h.close()));
  });

  test("bad options are TypeErrors naming the option; launch options are refused for a launched App", async () => {
    const { demo } = counterApp();
    expect(() => createHandler(demo, { apiPrefix: "gradio" })).toThrow('createHandler(): apiPrefix must be "" or a path such as "/gradio_api"; got "gradio".');
    expect(() => createHandler(demo, { allowedOrigins: "https://a.example" as never })).toThrow('createHandler(): allowedOrigins must be an array of strings; got "https://a.example".');
    const app = demo.launch();
    expect(() => createHandler(app, { showError: true } as never)).toThrow(/createHandler\(\): unknown option "showError"/);
    await app.close();
  });
});

describe("messages", () => {
  test("two concurrent runs of one listener in one session each get their own log messages (run ids)", async () => {
    const { demo } = counterApp();
    const handler = createHandler(demo);
    try {
      const both = demo.dependencies.find((d) => d.apiName === "both")!.id;
      const join = async (t: string) =>
        ((await (await post(handler, "/gradio_api/queue/join", json({ fn_index: both, session_hash: "s1", data: [t] }))).json()) as { event_id: string }).event_id;
      const first = await join("first");
      const second = await join("second");
      const text = await readAll(await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s1`)));
      const logs = (id: string) => frames(text).filter((f) => f.msg === "log" && f.event_id === id).map((f) => f.log);
      expect(logs(first)).toEqual(["start first", "end first"]);
      expect(logs(second)).toEqual(["start second", "end second"]);
      expect(frames(text).at(-1)).toEqual({ msg: "close_stream", event_id: null });
    } finally {
      await handler.close();
    }
  });
});

describe("bad input: a clear 4xx and no session touched", () => {
  let handler: GradioHandler;
  beforeEach(() => (handler = createHandler(counterApp().demo)));
  afterEach(() => handler.close());

  const join = (body: unknown, headers?: Record<string, string>) => post(handler, "/gradio_api/queue/join", typeof body === "string" ? body : json(body), headers);
  const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail;

  test("malformed JSON is a 400 saying so", async () => {
    const response = await join("{not json");
    expect(response.status).toBe(400);
    expect(await detail(response)).toMatch(/^The body is not valid JSON/);
    expect(handler.app.sessionCount).toBe(0);
  });

  test("a body that is not an object, or a data that is not an array, is a 400", async () => {
    expect(await detail(await join("[1, 2]"))).toBe("The body must be a JSON object; got [1,2].");
    const response = await join({ fn_index: 0, session_hash: "s1", data: "5" });
    expect(response.status).toBe(400);
    expect(await detail(response)).toBe('"data" must be an array of input values; got "5".');
    expect(handler.app.sessionCount).toBe(0);
  });

  test("a body over 1 MB is a 413", async () => {
    const big = json({ fn_index: 0, session_hash: "s1", data: ["x".repeat(1024 * 1024)] });
    const response = await join(big);
    expect(response.status).toBe(413);
    expect(await detail(response)).toBe("The body is larger than 1048576 bytes.");
    // Also when the length is not declared up front (a streamed body).
    const stream = new Blob([big]).stream();
    const chunked = await handler(new Request(`${BASE}/gradio_api/queue/join`, { method: "POST", body: stream, duplex: "half" } as RequestInit));
    expect(chunked.status).toBe(413);
    expect(handler.app.sessionCount).toBe(0);
  });

  test("data nested ten thousand levels deep is a 400, not a 500", async () => {
    const deep = "[".repeat(10_000) + "]".repeat(10_000);
    const response = await join(`{"fn_index": 0, "session_hash": "s1", "data": ${deep}}`);
    expect(response.status).toBe(400);
    expect(await detail(response)).toBe("The body is nested more than 64 levels deep.");
    expect(handler.app.sessionCount).toBe(0);
  });

  test("nesting deeper than maxDepth is refused before the body is parsed, also in JSON cut short", async () => {
    // Half a million unclosed arrays: refused for their depth, not parsed to find them invalid.
    const response = await join(`{"fn_index": 0, "session_hash": "s1", "data": ${"[".repeat(500_000)}`);
    expect(response.status).toBe(400);
    expect(await detail(response)).toBe("The body is nested more than 64 levels deep.");
    // Brackets inside strings are text, however many (and an escaped quote does not end one).
    const text = `\\"${"[".repeat(100)}`;
    const ok = await post(handler, "/gradio_api/run/shout", json({ data: [text], session_hash: "s1" }));
    expect(((await ok.json()) as { data: unknown[] }).data[0]).toBe(text.toUpperCase());
  });

  test("a body that is not UTF-8 is a 400, not text with U+FFFD in it", async () => {
    const body = new Uint8Array([...Buffer.from('{"data": ["a'), 0xff, ...Buffer.from('b"], "session_hash": "s1"}')]);
    const response = await handler(new Request(`${BASE}/gradio_api/run/shout`, { method: "POST", body, headers: { "content-type": "application/json" } }));
    expect(response.status).toBe(400);
    expect(await detail(response)).toBe("The body is not valid UTF-8.");
    expect(handler.app.sessionCount).toBe(0);
  });

  test("an unknown fn_index, endpoint or route is a 404 naming what exists", async () => {
    const byIndex = await join({ fn_index: 99, session_hash: "s1", data: [] });
    expect(byIndex.status).toBe(404);
    expect(await detail(byIndex)).toMatch(/^No listener has fn_index 99; the indexes are 0 to \d+\.$/);
    const byName = await post(handler, "/gradio_api/run/nope", json({ data: [] }));
    expect(byName.status).toBe(404);
    expect(await detail(byName)).toMatch(/^No endpoint is named "\/nope"; the endpoints are \/add, \/mix, /);
    expect((await handler(new Request(`${BASE}/gradio_api/nothing`))).status).toBe(404);
    expect(handler.app.sessionCount).toBe(0);
  });

  test("the stream of an unknown session is a 404", async () => {
    const response = await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=never-joined`));
    expect(response.status).toBe(404);
    expect(await detail(response)).toMatch(/^No session "never-joined" has joined the queue/);
  });

  test("queue/join with inputs the listener refuses fails the event in its stream, as Gradio's preprocessing does (both clients show the message); nothing runs", async () => {
    const response = await join({ fn_index: 1, session_hash: "s1", data: [2] }); // mix(x, count, y)
    expect(response.status).toBe(200);
    const { event_id } = (await response.json()) as { event_id: string };
    const refused = await join({ fn_index: 0, session_hash: "s1", data: [{ evil: true }] }); // add(x, count)
    expect(refused.status).toBe(200);
    const stream = frames(await readAll(await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s1`))));
    expect(stream.map((f) => [f.msg, f.event_id === event_id])).toEqual([
      ["estimation", true],
      ["process_starts", true],
      ["process_completed", true],
      ["estimation", false],
      ["process_starts", false],
      ["process_completed", false],
      ["close_stream", false],
    ]);
    expect(stream[2]).toMatchObject({ success: false, output: { error: 'listener "mix" takes 2 input values: needed 2 (or 3 with a null for each State), got 1.' } });
    expect(stream[5]).toMatchObject({ success: false, output: { error: 'Number "x" rejected the input {"evil":true} for listener "add": object is not a number.' } });
    const session = handler.app.session("s1")!;
    expect(session.messages.filter((m) => m.type === "status" && m.stage === "running")).toEqual([]); // nothing ran
  });

  test("a value of the wrong type is a 422 naming the component and the value; the session is unchanged", async () => {
    const run = (data: unknown[]) => post(handler, "/gradio_api/run/add", json({ data, session_hash: "s1" }));
    // /run answers as Gradio does: one value per output, null in a State's slot.
    expect(((await (await run([4])).json()) as { data: unknown[] }).data).toEqual([4, null]);
    const response = await run([{ evil: true }]);
    expect(response.status).toBe(422);
    expect(await detail(response)).toBe('Number "x" rejected the input {"evil":true} for listener "add": object is not a number.');
    expect(((await (await run([1])).json()) as { data: unknown[] }).data).toEqual([5, null]);
  });

  test("a new session's inputs are checked under its props after its load listeners ran, as session.call checks them", async () => {
    const demo = new gr.Blocks((demo) => {
      const pick = new gr.Dropdown({ choices: ["a", "b"], value: "a" });
      const out = new gr.Textbox();
      demo.load(() => gr.update({ choices: ["x", "y"], value: "x" }), undefined, pick);
      new gr.Button("go").click((p: string | null) => `picked ${p}`, pick, out, { apiName: "f" });
    });
    const own = createHandler(demo);
    try {
      const called = await post(own, "/gradio_api/call/f", json({ data: ["x"], session_hash: "new-one" }));
      expect(called.status).toBe(200);
      const { event_id } = (await called.json()) as { event_id: string };
      expect(await (await own(new Request(`${BASE}/gradio_api/call/f/${event_id}`))).text()).toBe('event: complete\ndata: ["picked x"]\n\n');
      const refused = await post(own, "/gradio_api/call/f", json({ data: ["a"], session_hash: "new-two" })); // the template's choice, not the session's
      expect(refused.status).toBe(422);
      expect(await detail(refused)).toMatch(/^Dropdown #\d+ rejected the input "a" for listener "f": "a" is not one of the choices: "x", "y"/);
      const joined = await post(own, "/gradio_api/queue/join", json({ fn_index: demo.dependencies.find((d) => d.apiName === "f")!.id, data: ["y"], session_hash: "new-three" }));
      expect(joined.status).toBe(200);
      const stream = frames(await readAll(await own(new Request(`${BASE}/gradio_api/queue/data?session_hash=new-three`))));
      expect(stream.find((f) => f.msg === "process_completed")).toMatchObject({ success: true, output: { data: ["picked y"] } });
    } finally {
      await own.close();
    }
  });

  test("run/{name} without a session_hash closes its one-off session also when the session refuses the inputs", async () => {
    let unloads = 0;
    const demo = new gr.Blocks((demo) => {
      const x = new gr.Number({ label: "x" });
      const out = new gr.Number({ label: "out" });
      demo.load(() => gr.update({ maximum: 5 }), undefined, x); // each session narrows x's range
      demo.unload(() => void unloads++);
      new gr.Button("b").click((n: number | null) => n, x, out, { apiName: "echo" });
    });
    const own = createHandler(demo);
    try {
      const refused = await post(own, "/gradio_api/run/echo", json({ data: [10] })); // the template allows 10
      expect(refused.status).toBe(422);
      expect(await detail(refused)).toMatch(/^Number "x" rejected the input 10/);
      await until(() => unloads === 1, "the one-off session to close (its unload listener ran)");
    } finally {
      await own.close();
    }
  });

  test("a malformed session_hash is a 400", async () => {
    const response = await join({ fn_index: 0, session_hash: "../../etc", data: [1] });
    expect(response.status).toBe(400);
    expect(await detail(response)).toMatch(/^session_hash must be 1 to 128 letters/);
  });
});

describe("a listener's validator at queue/join and call/{name}, as Gradio's Queue.push", () => {
  const detail = async (response: Response) => ((await response.json()) as { detail: string }).detail;
  /** An app whose `greet(name, count)` has a validator that counts its calls and reads the State. */
  function validatedApp(validator?: (n: string, count: number) => unknown) {
    const calls = { validator: 0, handler: 0, unloads: 0, judged: [] as [string, number][] };
    let count!: gr.State<number>;
    const demo = new gr.Blocks((demo) => {
      demo.unload(() => void calls.unloads++);
      const name = new gr.Textbox({ label: "Name" });
      count = new gr.State(0);
      const out = new gr.Textbox();
      const btn = new gr.Button();
      btn.click(
        (n: string, c: number) => {
          calls.handler++;
          return [`Hello ${n}`, c + 1];
        },
        [name, count],
        [out, count],
        {
          apiName: "greet",
          validator:
            validator ??
            ((n: string, c: number) => {
              calls.validator++;
              calls.judged.push([n, c]);
              return [gr.validate(n !== "", "Enter a name"), "not a verdict"];
            }),
        },
      );
    });
    return { demo, calls, count, fn_index: demo.dependencies.find((d) => d.apiName === "greet")!.id };
  }

  test("a refused input is a 422 whose detail is Gradio's list of verdicts; no event is queued, nothing runs, the session is unchanged", async () => {
    const { demo, calls, count, fn_index } = validatedApp();
    const handler = createHandler(demo);
    try {
      const join = (data: unknown[]) => post(handler, "/gradio_api/queue/join", json({ fn_index, session_hash: "v1", data }));
      expect((await join(["Ada"])).status).toBe(200);
      await until(() => calls.handler === 1, "the accepted event to run");
      const refused = await join([""]);
      expect(refused.status).toBe(422);
      const body = (await refused.json()) as Record<string, unknown>;
      // Entries as Gradio's process_validation_response: a verdict named by the validator's
      // parameter, anything else valid.
      expect(body.detail).toEqual([
        { __type__: "validate", is_valid: false, message: "Enter a name", parameter_name: "n" },
        { is_valid: true, message: "" },
      ]);
      expect(body).toMatchObject({ status: "error", code: "invalid_input", error: 'listener "greet" did not run: its validator refused Textbox "Name": Enter a name.' });
      // The validator judged each event once, at join, with the State as it was then (1 after
      // the first run): the run that started did not call it again.
      expect(calls).toMatchObject({ validator: 2, handler: 1, judged: [["Ada", 0], ["", 1]] });
      const session = handler.app.session("v1")!;
      expect(session.get(count)).toBe(1);
      const stream = frames(await readAll(await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=v1`))));
      expect(stream.filter((f) => f.msg === "process_completed")).toHaveLength(1); // the accepted event's only
      expect(session.messages.filter((m) => m.type === "error")).toEqual([]);
    } finally {
      await handler.close();
    }
  });

  test("call/{name} judges its inputs too (a 422 with the verdicts); without a session_hash its one-off session is closed", async () => {
    const { demo, calls } = validatedApp();
    const handler = createHandler(demo);
    try {
      const refused = await post(handler, "/gradio_api/call/greet", json({ data: [""] }));
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { detail: unknown[] }).detail[0]).toMatchObject({ is_valid: false, message: "Enter a name" });
      await until(() => calls.unloads === 1, "the one-off session to close (its unload listener ran)");
      const started = await post(handler, "/gradio_api/call/greet", json({ data: ["Ada"] }));
      const { event_id } = (await started.json()) as { event_id: string };
      expect(await (await handler(new Request(`${BASE}/gradio_api/call/greet/${event_id}`))).text()).toBe('event: complete\ndata: ["Hello Ada"]\n\n');
      expect(calls).toMatchObject({ validator: 2, handler: 1 });
    } finally {
      await handler.close();
    }
  });

  test("one verdict for all inputs is a list of one; an async validator is awaited; one that throws is a 400 with what users may see of its error", async () => {
    const answers: unknown[] = [];
    const { demo, calls, fn_index } = validatedApp(async (n: string) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (n === "boom") throw new Error("secret detail");
      if (n === "shown") throw new gr.Error("Names are closed today");
      return gr.validate(n.length < 5, "Too long");
    });
    const handler = createHandler(demo);
    try {
      const join = async (data: unknown[]) => {
        const response = await post(handler, "/gradio_api/queue/join", json({ fn_index, session_hash: "v2", data }));
        answers.push(response.status);
        return (await response.json()) as Record<string, unknown>;
      };
      expect((await join(["Alexandra"])).detail).toEqual([{ __type__: "validate", is_valid: false, message: "Too long", parameter_name: "n" }]);
      expect(await join(["boom"])).toMatchObject({ detail: "An error occurred while running the app.", code: "validator_failed" });
      expect(await join(["shown"])).toMatchObject({ detail: "Names are closed today" });
      expect(await join(["Ada"])).toHaveProperty("event_id");
      expect(answers).toEqual([422, 400, 400, 200]);
      await until(() => calls.handler === 1, "the accepted event to run");
    } finally {
      await handler.close();
    }
  });

  test("a validator that never answers is refused after the listener's timeLimit", async () => {
    const demo = new gr.Blocks(() => {
      const name = new gr.Textbox();
      new gr.Button().click((n: string) => n, name, name, { apiName: "hang", timeLimit: 0.05, validator: () => new Promise(() => undefined) });
    });
    const handler = createHandler(demo);
    try {
      const response = await post(handler, "/gradio_api/queue/join", json({ fn_index: 0, session_hash: "v3", data: ["x"] }));
      expect(response.status).toBe(400);
      expect(await detail(response)).toBe('The validator of listener "hang" exceeded the time limit of 0.05 s.');
    } finally {
      await handler.close();
    }
  });
});

describe("security", () => {
  let handler: GradioHandler;
  afterEach(() => handler.close());

  test("a cross-site page cannot open a session, read a stream or send events", async () => {
    handler = createHandler(counterApp().demo);
    const evil = { origin: "https://evil.example" };
    const joined = await post(handler, "/gradio_api/queue/join", json({ fn_index: 0, session_hash: "s1", data: [1] }), evil);
    expect(joined.status).toBe(403);
    expect(((await joined.json()) as { detail: string }).detail).toMatch(/^Requests from the page at "https:\/\/evil.example" are not allowed/);
    const viaFetchMetadata = await post(handler, "/gradio_api/run/add", json({ data: [1], session_hash: "s1" }), { "sec-fetch-site": "cross-site" });
    expect(viaFetchMetadata.status).toBe(403);
    expect(handler.app.sessionCount).toBe(0);
    // A session that exists: its stream and cancel are refused too.
    await post(handler, "/gradio_api/run/add", json({ data: [1], session_hash: "s1" }));
    const stream = await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s1`, { headers: evil }));
    expect(stream.status).toBe(403);
    expect((await post(handler, "/gradio_api/call/add", json({ data: [1] }), evil)).status).toBe(403);
    // Its own origin, and clients outside browsers (no Origin), are served.
    expect((await post(handler, "/gradio_api/run/add", json({ data: [1], session_hash: "s1" }), { origin: BASE })).status).toBe(200);
  });

  test("allowedOrigins lets a named site in, with CORS headers", async () => {
    handler = createHandler(counterApp().demo, { allowedOrigins: ["https://app.example"] });
    const response = await post(handler, "/gradio_api/run/add", json({ data: [1], session_hash: "s1" }), { origin: "https://app.example" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
    // A client in that site's pages reads /config and /info too.
    const config = await handler(new Request(`${BASE}/config`, { headers: { origin: "https://app.example" } }));
    expect(config.headers.get("access-control-allow-origin")).toBe("https://app.example");
    const preflight = await handler(new Request(`${BASE}/gradio_api/queue/join`, { method: "OPTIONS", headers: { origin: "https://app.example" } }));
    expect(preflight.status).toBe(204);
    expect((await post(handler, "/gradio_api/run/add", json({ data: [1] }), { origin: "https://other.example" })).status).toBe(403);
  });

  test("a client that never reads its stream cannot make the server buffer without bound", async () => {
    const { demo, finallyRan } = counterApp();
    handler = createHandler(demo, { maxStreamBytes: 4096 });
    const joined = await post(handler, "/gradio_api/queue/join", json({ fn_index: demo.dependencies.find((d) => d.apiName === "ticker")!.id, session_hash: "s1", data: [] }));
    expect(joined.status).toBe(200);
    const stream = await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s1`));
    // Nobody reads; the ticker yields a frame every 5 ms until the stream overflows: its frames
    // are lost, so the run is cancelled.
    await until(() => finallyRan() === 1, "the ticker to be cancelled");
    const reader = stream.body!.getReader();
    let received = 0;
    const error = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received += value.byteLength;
      }
    })().catch((e: unknown) => e as Error);
    expect(error?.message).toBe("The event stream held more than 4096 unread bytes and was ended.");
    expect(received).toBeLessThanOrEqual(4096);
  });

  test("with showError off, an error's real text reaches no response", async () => {
    const { demo } = counterApp();
    handler = createHandler(demo);
    const secret = demo.dependencies.find((d) => d.apiName === "secret")!.id;
    const texts: string[] = [];
    texts.push(await (await post(handler, "/gradio_api/run/secret", json({ data: [], session_hash: "s1" }))).text());
    const joined = (await (await post(handler, "/gradio_api/queue/join", json({ fn_index: secret, session_hash: "s2", data: [] }))).json()) as { event_id: string };
    expect(joined.event_id).toMatch(/^[0-9a-f]{32}$/);
    texts.push(await readAll(await handler(new Request(`${BASE}/gradio_api/queue/data?session_hash=s2`))));
    const called = (await (await post(handler, "/gradio_api/call/secret", json({ data: [] }))).json()) as { event_id: string };
    texts.push(await readAll(await handler(new Request(`${BASE}/gradio_api/call/secret/${called.event_id}`))));
    expect(texts.join("\n")).not.toContain("hunter2");
    expect(texts[0]).toBe('{"error":"An error occurred while running the app.","title":"Error"}');
    expect(frames(texts[1]).map((f) => f.msg)).toEqual(["estimation", "process_starts", "process_completed", "close_stream"]);
    expect(texts[2]).toBe('event: error\ndata: {"error":"An error occurred while running the app.","visible":true,"title":"Error","duration":null}\n\n');
  });

  test("serve() on loopback answers only requests addressed to a loopback name (DNS rebinding)", async () => {
    const server = await serve(counterApp().demo, { port: 0 });
    try {
      const { request } = await import("node:http");
      const status = await new Promise<number>((resolve, reject) => {
        const url = new URL(`${server.url}/config`);
        const req = request({ host: url.hostname, port: url.port, path: "/config", headers: { host: "evil.example:7860" } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
      expect(status).toBe(403);
      expect((await fetch(`${server.url}/config`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

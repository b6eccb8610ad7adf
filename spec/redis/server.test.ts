/**
 * `serve(demo, { store })` (issue 15): two servers (two app instances, as two processes would
 * be) on different ports serve one app through Redis. A client may send each request to
 * either: its session follows it (handed over through Redis) and Globals are shared.
 */
import { quietClientAborts } from "../support/gradio-client";
import * as gr from "blockstate";
import { redisStore } from "blockstate/redis";
import { serve, type RunningServer } from "blockstate/server";
import { createServer, type Server } from "node:http";
import { Readable } from "node:stream";
import { startRedis, type RedisServer } from "../support/redis";
// The client's CommonJS build (its package ships one): jest runs the specs as CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Client } = require("@gradio/client") as typeof import("@gradio/client");
quietClientAborts();

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis.dispose());

/** `bump` counts per session (a State); `visit` counts for everyone (a Global, S8). */
function app() {
  return new gr.Blocks(() => {
    const mine = new gr.State(0);
    const visits = new gr.Global(0);
    const shown = new gr.Number();
    new gr.Button("bump").click((c: number) => [c + 1, c + 1], mine, [mine, shown], { apiName: "bump" });
    new gr.Button("visit").click((v: number) => [v + 1, v + 1], visits, [visits, shown], { apiName: "visit" });
    const text = new gr.Textbox();
    new gr.Button("stream").click(
      async function* (c: number) {
        for (let i = 1; i <= 3; i++) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          yield `${c}:${i}`;
        }
      },
      mine,
      text,
      { apiName: "stream" },
    );
  });
}

/** The `data:` payloads of a Server-Sent Events response, read until the server ends it. */
async function frames(response: Response): Promise<string[]> {
  expect(response.status).toBe(200);
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((f) => f.includes("data:"))
    .map((f) => f.split("\n").find((line) => line.startsWith("data:"))!.slice(5).trim());
}

/**
 * Keeps the Node adapter's log of each failed event stream (expected in these tests) out of
 * the output; returns the `console.error` to put back.
 */
function quietStreamFailures(): typeof console.error {
  const logged = console.error;
  console.error = (...args: unknown[]) => {
    if (!/unread bytes and was ended/.test(String((args[0] as { message?: unknown } | null)?.message ?? args[0]))) logged(...args);
  };
  return logged;
}

const post = (url: string, body: unknown) => fetch(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });

async function run(server: RunningServer, name: string, sessionHash: string): Promise<unknown> {
  const response = await fetch(`${server.url}/gradio_api/run/${name}`, { method: "POST", body: JSON.stringify({ data: [], session_hash: sessionHash }) });
  const body = (await response.json()) as { data?: unknown[]; error?: string };
  if (!response.ok) throw new Error(`${response.status}: ${body.error}`);
  return body.data![1];
}

test("two servers on one Redis: a session's requests may alternate between them, and a Global counts every request", async () => {
  const options = { port: 0, store: redisStore({ url: redis.url, prefix: "served" }) };
  const one = await serve(app(), options);
  const two = await serve(app(), { ...options, store: redisStore({ url: redis.url, prefix: "served" }) });
  try {
    const servers = [one, two];
    const counts: unknown[] = [];
    for (let i = 0; i < 6; i++) counts.push(await run(servers[i % 2], "bump", "alice-hash"));
    expect(counts).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await run(one, "bump", "bob-hash")).toBe(1);
    const visits = await Promise.all([one, two, one, two].map((s, i) => run(s, "visit", `visitor-${i}`)));
    expect([...visits].sort()).toEqual([1, 2, 3, 4]);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}, 60_000);

test("two servers on one Redis: queue/join on one and queue/data on the other, call/<name> and its GET likewise, generator yields in order", async () => {
  const one = await serve(app(), { port: 0, store: redisStore({ url: redis.url, prefix: "relayed" }) });
  const two = await serve(app(), { port: 0, store: redisStore({ url: redis.url, prefix: "relayed" }) });
  try {
    // queue/join on one, queue/data on two: the whole event, ending with process_completed.
    const joined = await post(`${one.url}/gradio_api/queue/join`, { data: [], fn_index: 0, session_hash: "carol-hash" });
    expect(joined.status).toBe(200);
    const { event_id } = (await joined.json()) as { event_id: string };
    const seen = (await frames(await fetch(`${two.url}/gradio_api/queue/data?session_hash=carol-hash`))).map((f) => JSON.parse(f) as { msg: string; event_id: string | null; output?: { data: unknown[] } });
    const mine = seen.filter((m) => m.event_id === event_id);
    expect(mine.map((m) => m.msg)).toEqual(expect.arrayContaining(["process_starts", "process_completed"]));
    expect(mine.at(-1)).toMatchObject({ msg: "process_completed", output: { data: [null, 1] } });
    expect(seen.at(-1)?.msg).toBe("close_stream");
    expect(seen.filter((m) => m.msg === "process_completed")).toHaveLength(1); // once, not once per process

    // A generator joined on two, read on one: its yields in order, then the last as the result.
    const streamed = (await (await post(`${two.url}/gradio_api/queue/join`, { data: [], fn_index: 2, session_hash: "carol-hash" })).json()) as { event_id: string };
    const yields = (await frames(await fetch(`${one.url}/gradio_api/queue/data?session_hash=carol-hash`)))
      .map((f) => JSON.parse(f) as { msg: string; event_id: string | null; output?: { data: unknown[] } })
      .filter((m) => m.event_id === streamed.event_id && (m.msg === "process_generating" || m.msg === "process_completed"));
    expect(yields.map((m) => m.msg)).toEqual(["process_generating", "process_generating", "process_generating", "process_completed"]);
    expect(JSON.stringify(yields.map((m) => m.output?.data))).toContain("1:1");
    expect(yields.at(-1)!.output!.data).toEqual(["1:3"]);

    // call/<name> on one, its GET on two (then a second GET finds nothing: read once).
    const called = await post(`${one.url}/gradio_api/call/bump`, { data: [], session_hash: "dave-hash" });
    const { event_id: callId } = (await called.json()) as { event_id: string };
    expect((await fetch(`${two.url}/gradio_api/call/visit/${callId}`)).status).toBe(404); // another endpoint's id
    const result = await fetch(`${two.url}/gradio_api/call/bump/${callId}`);
    expect((await result.text()).split("\n")).toEqual(expect.arrayContaining(["event: complete", "data: [1]"]));
    expect((await fetch(`${one.url}/gradio_api/call/bump/${callId}`)).status).toBe(404);
    expect((await fetch(`${two.url}/gradio_api/call/visit/nonexistent`)).status).toBe(404);

    // A generator through call/<name>: each yield, in order, across processes.
    const { event_id: genId } = (await (await post(`${two.url}/gradio_api/call/stream`, { data: [], session_hash: "dave-hash" })).json()) as { event_id: string };
    const lines = (await (await fetch(`${one.url}/gradio_api/call/stream/${genId}`)).text()).split("\n").filter((l) => l.startsWith("data:"));
    expect(lines).toEqual(['data: ["1:1"]', 'data: ["1:2"]', 'data: ["1:3"]', 'data: ["1:3"]']);
  } finally {
    await Promise.all([one.close(), two.close()]);
  }
}, 60_000);

/**
 * A load balancer without sticky sessions, at its worst for the two-step protocols: every POST
 * goes to `posts`, every GET to `gets`.
 */
async function splitter(posts: RunningServer, gets: RunningServer): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const upstream = req.method === "POST" ? posts : gets;
      const headers = { ...req.headers } as Record<string, string>;
      delete headers.host;
      void fetch(`${upstream.url}${req.url}`, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined }).then(
        (r) => {
          const out: Record<string, string> = {};
          r.headers.forEach((value, name) => void (out[name] = value));
          res.writeHead(r.status, out);
          if (r.body) Readable.fromWeb(r.body as never).pipe(res);
          else res.end();
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test("@gradio/client through a balancer sending POSTs to one server and GETs to the other: predict, a generator's yields in order, State kept", async () => {
  const one = await serve(app(), { port: 0, store: redisStore({ url: redis.url, prefix: "balanced" }) });
  const two = await serve(app(), { port: 0, store: redisStore({ url: redis.url, prefix: "balanced" }) });
  const balancer = await splitter(one, two);
  const client = await Client.connect(balancer.url);
  try {
    expect((await client.predict("/bump", [])).data).toEqual([1]);
    expect((await client.predict("/bump", [])).data).toEqual([2]);
    const seen: unknown[] = [];
    for await (const m of client.submit("/stream", [])) if (m.type === "data") seen.push(m.data);
    expect(seen).toEqual([["2:1"], ["2:2"], ["2:3"], ["2:3"]]);
  } finally {
    client.close();
    await balancer.close();
    await Promise.all([one.close(), two.close()]);
  }
}, 60_000);

test("two servers on one Redis: a cancel sent to the server that does not run the event reaches the one that does, and the run ends cancelled", async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const waiting = () =>
    new gr.Blocks(() => {
      const out = new gr.Textbox();
      new gr.Button("wait").click(async () => {
        await gate;
        return "done";
      }, [], out, { apiName: "wait" });
    });
  const one = await serve(waiting(), { port: 0, store: redisStore({ url: redis.url, prefix: "cancels" }) });
  const two = await serve(waiting(), { port: 0, store: redisStore({ url: redis.url, prefix: "cancels" }) });
  try {
    const joined = await post(`${one.url}/gradio_api/queue/join`, { data: [], fn_index: 0, session_hash: "erin-hash" });
    const { event_id } = (await joined.json()) as { event_id: string };
    const cancelled = await post(`${two.url}/gradio_api/cancel`, { event_id, session_hash: "erin-hash" });
    expect(cancelled.status).toBe(200);
    // The listener never returns on its own: its stream ends only if the cancel reached it.
    const seen = (await frames(await fetch(`${one.url}/gradio_api/queue/data?session_hash=erin-hash`))).map((f) => JSON.parse(f) as { msg: string; event_id: string | null; output?: { data: unknown[] } });
    const last = seen.filter((m) => m.event_id === event_id).at(-1);
    expect(last).toMatchObject({ msg: "process_completed", output: { data: [null] } }); // as a cancel on `one` (Gradio: no outputs)
  } finally {
    open();
    await Promise.all([one.close(), two.close()]);
  }
}, 20_000);

test("a session another server runs, or a new one while Redis is down, is a 409 or 503 that says so, not an internal error (docs/08)", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let started = false;
  const demo = () =>
    new gr.Blocks(() => {
      const count = new gr.State(0);
      const out = new gr.Number();
      new gr.Button("wait").click(
        async (c: number) => {
          started = true;
          await gate;
          return [c + 1, c + 1];
        },
        count,
        [count, out],
        { apiName: "wait" },
      );
      new gr.Button("bump").click((c: number) => [c + 1, c + 1], count, [count, out], { apiName: "bump" });
    });
  const prefix = `locked-${Date.now()}`;
  const one = await serve(demo(), { port: 0, store: redisStore({ url: redis.url, prefix, commandTimeout: 0.5 }) });
  const two = await serve(demo(), { port: 0, store: redisStore({ url: redis.url, prefix, commandTimeout: 0.5 }) });
  try {
    expect((await post(`${one.url}/gradio_api/queue/join`, { data: [], fn_index: 0, session_hash: "busy" })).status).toBe(200);
    while (!started) await new Promise((resolve) => setTimeout(resolve, 5));
    for (const path of ["run/bump", "call/bump", "queue/join"]) {
      const response = await post(`${two.url}/gradio_api/${path}`, { data: [], fn_index: 1, session_hash: "busy" });
      const body = (await response.json()) as { error: string; code: string };
      expect({ path, status: response.status, code: body.code }).toEqual({ path, status: 409, code: "session_locked" });
      expect(body.error).toMatch(/"?busy"?/);
    }
    release();
    await redis.stop();
    try {
      const response = await post(`${two.url}/gradio_api/queue/join`, { data: [], fn_index: 1, session_hash: "new-while-down" });
      expect([response.status, ((await response.json()) as { code: string }).code]).toEqual([503, "store_unavailable"]);
    } finally {
      await redis.start();
    }
  } finally {
    release();
    await Promise.all([one.close(), two.close()]);
  }
}, 30_000);

test("while Redis is down, queue/data and a call's GET are answered within commandTimeout with a 503, not left waiting (docs/08)", async () => {
  const server = await serve(app(), { port: 0, store: redisStore({ url: redis.url, prefix: `down-${Date.now()}`, commandTimeout: 0.5 }) });
  try {
    const { event_id } = (await (await post(`${server.url}/gradio_api/call/bump`, { data: [], session_hash: "h" })).json()) as { event_id: string };
    await redis.stop();
    try {
      const answers = await Promise.all(
        [`${server.url}/gradio_api/queue/data?session_hash=h`, `${server.url}/gradio_api/call/bump/${event_id}`].map(async (url) => {
          const response = await fetch(url);
          return [response.status, ((await response.json()) as { code: string }).code];
        }),
      );
      expect(answers).toEqual([
        [503, "store_unavailable"],
        [503, "store_unavailable"],
      ]);
    } finally {
      await redis.start();
    }
  } finally {
    await server.close();
  }
}, 30_000);

test("a result kept for a stream not yet read that passes maxStreamBytes fails that stream when read, never a clean end without it (docs/07)", async () => {
  let done = 0;
  const demo = new gr.Blocks(() => {
    const n = new gr.Number();
    const out = new gr.Textbox();
    new gr.Button("big").click((k: number | null) => ((done++), "x".repeat(k ?? 0)), n, out, { apiName: "big" });
  });
  const server = await serve(demo, { port: 0, maxStreamBytes: 20_000, store: redisStore({ url: redis.url, prefix: `big-${Date.now()}` }) });
  const logged = quietStreamFailures();
  const read = async (url: string): Promise<string> => {
    const response = await fetch(url);
    try {
      return await response.text();
    } catch {
      return "failed";
    }
  };
  const ran = async (n: number) => {
    for (let i = 0; i < 200 && done < n; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 50)); // its frames published
  };
  try {
    const called = (await (await post(`${server.url}/gradio_api/call/big`, { data: [30_000] })).json()) as { event_id: string };
    await ran(1);
    expect(await read(`${server.url}/gradio_api/call/big/${called.event_id}`)).toBe("failed");
    expect((await post(`${server.url}/gradio_api/queue/join`, { data: [30_000], fn_index: 0, session_hash: "h1" })).status).toBe(200);
    await ran(2);
    expect(await read(`${server.url}/gradio_api/queue/data?session_hash=h1`)).toBe("failed");
    // Small results still arrive whole.
    const small = (await (await post(`${server.url}/gradio_api/call/big`, { data: [3] })).json()) as { event_id: string };
    expect(await read(`${server.url}/gradio_api/call/big/${small.event_id}`)).toBe('event: complete\ndata: ["xxx"]\n\n');
  } finally {
    console.error = logged;
    await server.close();
  }
}, 30_000);

test("an open queue/data stream whose event ends while Redis is down fails, so its client stops waiting for the lost completion", async () => {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let done = false;
  const demo = new gr.Blocks(() => {
    const count = new gr.State(0);
    const out = new gr.Number();
    new gr.Button("wait").click(
      async (c: number) => {
        await gate;
        done = true;
        return [c + 1, c + 1];
      },
      count,
      [count, out],
      { apiName: "wait" },
    );
  });
  const server = await serve(demo, { port: 0, store: redisStore({ url: redis.url, prefix: `deaf-${Date.now()}`, commandTimeout: 0.5 }) });
  const logged = quietStreamFailures();
  try {
    expect((await post(`${server.url}/gradio_api/queue/join`, { data: [], fn_index: 0, session_hash: "h" })).status).toBe(200);
    const response = await fetch(`${server.url}/gradio_api/queue/data?session_hash=h`);
    const outcome = response.text().then(
      (text) => `ended cleanly: ${text.includes("process_completed") ? "with" : "without"} its completion`,
      () => "failed",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await redis.stop();
    try {
      release(); // the event ends while Redis is down: its frames cannot be sent through it
      const seen = await Promise.race([outcome, new Promise((resolve) => setTimeout(() => resolve("still waiting after 5 s"), 5_000))]);
      expect([done, seen]).toEqual([true, "failed"]);
    } finally {
      await redis.start();
    }
  } finally {
    console.error = logged;
    await server.close();
  }
}, 30_000);

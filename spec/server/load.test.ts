/**
 * A bounded load on 127.0.0.1: 1,000 clients with their own sessions, 200 event streams open at
 * once, and memory after the sessions end. Counts and outcomes only: speed is in `npm run bench`.
 */
import { Agent, request } from "node:http";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";
import { serve } from "blockstate/server";
import { Gate, until } from "./apps";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

function heap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test("1,000 clients with their own sessions making 2 calls each, 200 open streams: every call answered, memory back after the sessions end", async () => {
  const gate = new Gate();
  let waiting = 0;
  const demo = new gr.Blocks({ deleteCache: [60, 60] }, () => {
    const count = new gr.State(0);
    const x = new gr.Number();
    const total = new gr.Number();
    const btn = new gr.Button();
    btn.click((n: number | null, c: number) => [c + (n ?? 0), c + (n ?? 0)], [x, count], [total, count], { apiName: "add", concurrencyLimit: null });
    btn.click(
      async (n: number | null, c: number) => {
        waiting++;
        await gate.wait();
        return c + (n ?? 0);
      },
      [x, count],
      total,
      { apiName: "held", concurrencyLimit: null },
    );
  });
  const clock = new ManualClock();
  const server = await serve(demo, { port: 0, clock });
  const url = `${server.url}/gradio_api`;
  // node:http with kept-alive sockets: a lighter client than fetch, so the run measures the server.
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout: on a loaded
  // machine a socket idle through the stream phase could otherwise be reused just as the server
  // closes it (ECONNRESET), a race of the test's client, not a lost call.
  const agent = new Agent({ keepAlive: true, maxSockets: 50, timeout: 4_000 });
  const { hostname, port } = new URL(server.url);
  const postJson = (path: string, body: unknown) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const text = JSON.stringify(body);
      const req = request(
        { host: hostname, port, path: `/gradio_api${path}`, method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(text) } },
        (res) => {
          let answer = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (answer += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(answer) as Record<string, unknown> }));
        },
      );
      req.on("error", reject);
      req.end(text);
    });
  try {
    // Warm up at the same concurrency (sockets, compiled code), end those sessions, then measure.
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        await postJson("/run/add", { data: [1], session_hash: `warm-${i}` });
        await postJson("/queue/join", { fn_index: 0, data: [1, null], session_hash: `warm-${i}` });
        await (await fetch(`${url}/queue/data?session_hash=warm-${i}`)).text();
      }),
    );
    await Promise.all(Array.from({ length: 200 }, (_, i) => server.app.session(`warm-${i}`)!.close()));
    await clock.advance(121_000);
    const before = heap();

    const CLIENTS = 1000;
    const answers: unknown[] = [];
    for (let batch = 0; batch < CLIENTS; batch += 200) {
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const hash = `client-${batch + i}`;
          for (const n of [1, 2]) {
            const { status, body } = await postJson("/run/add", { data: [n], session_hash: hash });
            expect(status).toBe(200);
            answers.push(body.data);
          }
        }),
      );
    }
    expect(answers).toHaveLength(2 * CLIENTS);
    expect(answers.filter((a) => JSON.stringify(a) === "[3,null]")).toHaveLength(CLIENTS);
    expect(server.app.sessionCount).toBe(CLIENTS);

    // 200 streams at once: 200 sessions each join a run that waits, and read their stream.
    const STREAMS = 200;
    const joined = await Promise.all(
      Array.from({ length: STREAMS }, async (_, i) => {
        const hash = `client-${i}`;
        const { status, body } = await postJson("/queue/join", { fn_index: 1, data: [10, null], session_hash: hash });
        expect(status).toBe(200);
        return { hash, eventId: body.event_id as string };
      }),
    );
    const streams = joined.map(async ({ hash }) => (await fetch(`${url}/queue/data?session_hash=${hash}`)).text());
    await until(() => waiting === STREAMS, "every held run to start");
    gate.open();
    const texts = await Promise.all(streams);
    texts.forEach((text, i) => {
      const completed = text
        .split("\n\n")
        .filter((f) => f.startsWith("data: "))
        .map((f) => JSON.parse(f.slice(6)) as { msg: string; event_id: string; output?: { data: unknown[] } })
        .filter((m) => m.msg === "process_completed");
      expect(completed).toEqual([expect.objectContaining({ event_id: joined[i].eventId, output: expect.objectContaining({ data: [13] }) })]);
      expect(text.endsWith(`data: {"msg":"close_stream","event_id":null}\n\n`)).toBe(true);
    });

    // The sessions end (closed, then past the retention age): the app and the server let go of them.
    await Promise.all(Array.from({ length: CLIENTS }, (_, i) => server.app.session(`client-${i}`)!.close()));
    await clock.advance(121_000);
    expect(server.app.sessionCount).toBe(0);
    const after = heap();
    expect(after - before).toBeLessThan(4 * 1024 * 1024);
  } finally {
    agent.destroy();
    await server.close();
  }
}, 120_000);

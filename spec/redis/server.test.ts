/**
 * `serve(demo, { store })` (issue 15): two servers (two app instances, as two processes would
 * be) on different ports serve one app through Redis. A client may send each request to
 * either: its session follows it (handed over through Redis) and Globals are shared.
 */
import * as gr from "blockstate";
import { redisStore } from "blockstate/redis";
import { serve, type RunningServer } from "blockstate/server";
import { startRedis, type RedisServer } from "../support/redis";

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
  });
}

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

/**
 * Redis (issue 15, docs/08), with a private redis-server started on 127.0.0.1 (skipped, with a
 * line saying so, where /usr/bin/redis-server is missing):
 *
 * - `redis.global_incr_per_s`: Global increments per second through blockstate from 3
 *   processes at once, each one increment at a time (S8: the lock in Redis, the read, the
 *   write). Baseline: raw `INCR`s per second from the same processes, same run.
 * - `redis.incr_floor_ratio`: time per increment through blockstate over time per raw `INCR`
 *   (one awaited at a time) from the same processes, same run: the floor. Target ≤ 5.
 * - `redis.session_resume_ms`: `app.connect({ sessionHash })` of a session with a 100 KB
 *   State that another app instance (as another process) saved and let go, median. Baseline:
 *   a raw `GET` of those bytes and their deserialisation. Target < 20 ms.
 * - `redis.queue_event_ms`: one event through `blockstate/server`'s queue protocol (`POST
 *   queue/join`, then its `GET queue/data` stream read to the end) on a server with the Redis
 *   store, median. Baseline: the same on a server without a store, same run, the two
 *   alternating. Informational: what the store adds to an event (the session's save, and the
 *   stream's frames going through the relay, docs/07 and docs/08).
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deserialize } from "node:v8";
import { createClient, RESP_TYPES } from "redis";
import * as gr from "../src/index";
import { redisStore } from "../src/redis/index";
import { serve, type RunningServer } from "../src/server/index";
import { REDIS_SERVER, startRedis } from "../spec/support/redis";
import { bundleForNode, entry, median, type BenchEntry } from "./util";

const PROCESSES = 3;
const INCREMENTS = 3000;
const RESUMES = 30;
const SERVED_EVENTS = 200;
/** The repository (the bench runs from a bundle elsewhere; `npm run bench` runs here). */
const ROOT = process.cwd();

export async function benchRedis(): Promise<BenchEntry[]> {
  if (!existsSync(REDIS_SERVER)) {
    console.log(`redis: skipped (no redis-server at ${REDIS_SERVER}; install Debian's redis-server to measure it)`);
    return [];
  }
  const redis = await startRedis();
  try {
    return [...(await increments(redis.url)), await resume(redis.url), await served(redis.url)];
  } finally {
    await redis.dispose();
  }
}

/**
 * The worker bundled as the bench itself is (esbuild, no `keepNames`, as shipped), into a
 * temporary directory; packages resolve from the repository's node_modules (NODE_PATH).
 */
async function bundleWorker(dir: string): Promise<string> {
  const outfile = join(dir, "redis-worker.cjs");
  await bundleForNode(join(ROOT, "bench", "redis-worker.ts"), outfile);
  return outfile;
}

async function increments(url: string): Promise<BenchEntry[]> {
  const dir = mkdtempSync(join(tmpdir(), "blockstate-bench-redis-"));
  try {
    return await incrementsWith(url, await bundleWorker(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function incrementsWith(url: string, script: string): Promise<BenchEntry[]> {
  const env = { ...process.env, NODE_PATH: join(ROOT, "node_modules") };
  const workers = Array.from({ length: PROCESSES }, () => {
    const child = spawn(process.execPath, [script, url, "bench", String(INCREMENTS)], { stdio: ["pipe", "pipe", "inherit"], env });
    const lines: string[] = [];
    const waiters: (() => void)[] = [];
    let rest = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      const parts = (rest + d).split("\n");
      rest = parts.pop()!;
      lines.push(...parts);
      for (const w of waiters.splice(0)) w();
    });
    const exited = new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`redis bench worker exited with ${code}`)))));
    const line = async (prefix: string): Promise<string> => {
      for (;;) {
        const found = lines.find((l) => l.startsWith(prefix));
        if (found) return found;
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), exited.then(() => Promise.reject(new Error("worker ended early")))]);
      }
    };
    return { child, line, exited };
  });
  await Promise.all(workers.map((w) => w.line("ready")));
  for (const w of workers) w.child.stdin.write("go\n");
  const raw = (await Promise.all(workers.map((w) => w.line("raw ")))).map((l) => Number(l.slice(4)));
  for (const w of workers) w.child.stdin.write("go\n");
  const app = (await Promise.all(workers.map((w) => w.line("app ")))).map((l) => Number(l.slice(4)));
  for (const w of workers) w.child.stdin.end();
  await Promise.all(workers.map((w) => w.exited));
  const perSecond = (ms: number[]) => (PROCESSES * INCREMENTS) / (Math.max(...ms) / 1000);
  const perOp = (ms: number[]) => ms.reduce((a, b) => a + b, 0) / (PROCESSES * INCREMENTS);
  return [
    entry("redis.global_incr_per_s", perSecond(app), "ops/s", perSecond(raw)),
    entry("redis.incr_floor_ratio", perOp(app) / perOp(raw), "×", 1, { on: "value", op: "<=", limit: 5 }),
  ];
}

async function resume(url: string): Promise<BenchEntry> {
  let state!: gr.State<string>;
  const build = () =>
    new gr.Blocks(() => {
      state = new gr.State("");
      new gr.Button("fill").click(() => "x".repeat(100_000), [], state, { apiName: "fill" });
    });
  const owner = build().launch({ store: redisStore({ url, prefix: "resume" }) });
  const hashes: string[] = [];
  for (let i = 0; i < RESUMES; i++) {
    const session = await owner.connect();
    await session.call("fill");
    hashes.push(session.sessionHash);
  }
  await owner.close(); // lets go of the sessions, as a process that stops
  const other = build().launch({ store: redisStore({ url, prefix: "resume" }) });
  await other.connect(); // connected: the figure is the resume, not the first connection
  const times: number[] = [];
  for (const sessionHash of hashes) {
    const start = performance.now();
    const session = await other.connect({ sessionHash });
    times.push(performance.now() - start);
    if (session.get(state).length !== 100_000) throw new Error("resumed session lost its State");
  }
  await other.close();
  const raw = createClient({ url }).withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  await raw.connect();
  const floor: number[] = [];
  for (const hash of hashes) {
    const start = performance.now();
    deserialize((await raw.get(`resume:s:${hash}`)) as Buffer);
    floor.push(performance.now() - start);
  }
  await raw.close();
  return entry("redis.session_resume_ms", median(times), "ms", median(floor), { on: "value", op: "<", limit: 20 });
}

/** One event through the queue protocol: `queue/join`, then its stream read to the end. */
async function queueEvent(server: RunningServer, sessionHash: string): Promise<void> {
  const base = `${server.url}/gradio_api`;
  const joined = await fetch(`${base}/queue/join`, {
    method: "POST",
    body: JSON.stringify({ fn_index: 0, data: [], session_hash: sessionHash }),
    headers: { "content-type": "application/json" },
  });
  if (!joined.ok) throw new Error(`queue/join answered ${joined.status}`);
  await joined.arrayBuffer();
  const stream = await (await fetch(`${base}/queue/data?session_hash=${sessionHash}`)).text();
  if (!stream.includes("process_completed")) throw new Error(`the event did not complete: ${stream.slice(0, 200)}`);
}

async function served(url: string): Promise<BenchEntry> {
  const build = () =>
    new gr.Blocks(() => {
      const count = new gr.State(0);
      const shown = new gr.Number();
      new gr.Button("bump").click((c: number) => [c + 1, c + 1], count, [count, shown], { apiName: "bump" });
    });
  const withStore = await serve(build(), { port: 0, store: redisStore({ url, prefix: "served" }) });
  const alone = await serve(build(), { port: 0 });
  try {
    const stored: number[] = [];
    const plain: number[] = [];
    for (let i = -20; i < SERVED_EVENTS; i++) {
      for (const [server, times] of [[withStore, stored], [alone, plain]] as const) {
        const start = performance.now();
        await queueEvent(server, "bench-session");
        if (i >= 0) times.push(performance.now() - start);
      }
    }
    return entry("redis.queue_event_ms", median(stored), "ms", median(plain));
  } finally {
    await Promise.all([withStore.close(), alone.close()]);
  }
}

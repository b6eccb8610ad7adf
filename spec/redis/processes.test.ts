/**
 * `blockstate/redis` with real processes (issue 15): S8 across processes, and a process killed
 * with `kill -9` in the middle of events. Each process runs spec/redis/fixtures/worker.ts.
 */
import { redisStore } from "blockstate/redis";
import { startRedis, type RedisServer } from "../support/redis";
import { counterApp } from "./apps";
import { worker } from "./workers";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(() => redis.dispose());

test("S8 across processes: three processes × 1,000 Global increments end at exactly 3,000", async () => {
  const workers = [1, 2, 3].map(() => worker(["incr", redis.url, "incr", "1000"]));
  const codes = await Promise.all(workers.map((w) => w.exited));
  for (const w of workers) expect({ lines: w.lines, stderr: w.stderr() }).toEqual({ lines: ["done"], stderr: "" });
  expect(codes).toEqual([0, 0, 0]);
  const { demo, total } = counterApp();
  const app = demo.launch({ store: redisStore({ url: redis.url, prefix: "incr" }) });
  await app.connect();
  expect(app.get(total)).toBe(3000);
  await app.close();
}, 120_000);

test("kill -9 in the middle of events: the session resumes in another process with the State of its last settled event", async () => {
  const hash = "killed-session";
  const w = worker(["bump", redis.url, "kill", hash]);
  // Let it settle a few dozen events, then kill it while it runs more.
  for (let i = 0; i < 2000 && w.lines.length < 30; i++) await new Promise((r) => setTimeout(r, 10));
  expect(w.lines.length).toBeGreaterThanOrEqual(30);
  w.child.kill("SIGKILL");
  await w.exited;
  const last = Number(/^settled (\d+)$/.exec(w.lines[w.lines.length - 1])![1]);
  const { demo, count, bump } = counterApp();
  const app = demo.launch({ store: redisStore({ url: redis.url, prefix: "kill", sessionLease: 1 }) });
  // The dead process's lease runs out within sessionLease (1 s here); connect is refused till then.
  let session;
  for (let i = 0; !session; i++) {
    try {
      session = await app.connect({ sessionHash: hash });
    } catch (e) {
      expect((e as { code?: string }).code).toBe("session_locked");
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // Every settled event is there; at most the one in flight (saved, not yet printed) more.
  expect(session.get(count)).toBeGreaterThanOrEqual(last);
  expect(session.get(count)).toBeLessThanOrEqual(last + 1);
  const before = session.get(count);
  expect(await session.click(bump)).toEqual({ status: "complete" });
  expect(session.get(count)).toBe(before + 1);
  await app.close();
}, 60_000);

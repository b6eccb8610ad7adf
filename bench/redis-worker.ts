/**
 * One process of the `redis` bench area (bench/redis.ts), run with tsx. Each phase starts when
 * the parent writes a line on stdin, so the three processes run it together:
 * 1. `raw <ms>`: N raw `INCR`s, one at a time (awaited), on its own node-redis client;
 * 2. `app <ms>`: N Global increments through blockstate (S8: lock, read, write), one at a time,
 *    from one session.
 */
import { createClient } from "redis";
import { createInterface } from "node:readline";
import * as gr from "../src/index";
import { redisStore } from "../src/redis/index";

async function main(): Promise<void> {
  const [url, prefix, count] = process.argv.slice(2);
  const n = Number(count);
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const raw = createClient({ url });
  await raw.connect();
  let add!: gr.Button;
  const demo = new gr.Blocks(() => {
    const total = new gr.Global(0);
    add = new gr.Button("add");
    add.click((t: number) => t + 1, total, total);
  });
  const app = demo.launch({ store: redisStore({ url, prefix }) });
  const session = await app.connect();
  for (let i = 0; i < 200; i++) {
    await raw.incr(`${prefix}:raw`);
    await session.click(add);
  }
  console.log("ready");
  await lines.next();
  let start = performance.now();
  for (let i = 0; i < n; i++) await raw.incr(`${prefix}:raw`);
  console.log(`raw ${performance.now() - start}`);
  await lines.next();
  start = performance.now();
  for (let i = 0; i < n; i++) {
    const result = await session.click(add);
    if (result.status !== "complete") throw result.error;
  }
  console.log(`app ${performance.now() - start}`);
  await app.close();
  await raw.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

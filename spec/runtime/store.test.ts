/**
 * The runtime's side of a shared store (src/runtime/store.ts, docs/08): what the app does with
 * the outcome of each Global write. A scripted store answers the writes when the test says;
 * spec/redis runs the same paths on a real Redis.
 */
import * as gr from "blockstate";
import { flush } from "blockstate/testing";
import { STORE, type GlobalWriteDone, type StoreLink } from "../../src/runtime/store";

/** A store whose Global writes wait for the test: `answer(i, error?)` answers the i-th write. */
function scriptedStore() {
  const writes: { value: unknown; done: GlobalWriteDone }[] = [];
  const link: StoreLink = {
    ready: () => undefined,
    checkGlobal: () => undefined,
    writeGlobal: (_session, _cell, value, done) => void writes.push({ value, done }),
    lockGlobals: () => undefined,
    unlockGlobals: () => undefined,
    settled: () => undefined,
    resume: () => Promise.resolve(undefined),
    sessionChanged: () => undefined,
    sessionRemoved: () => undefined,
    close: () => Promise.resolve(),
  };
  const store: gr.Store = { [STORE]: true, _attach: () => link };
  const answer = (i: number, error?: Error) => writes[i].done(error);
  return { store, writes, answer };
}

/** A Global `total`: `add` increments it, `put` writes `next.value` (without reading it); `seen` follows it. */
function totalApp() {
  const next = { value: 0 };
  let add!: gr.Button, put!: gr.Button, total!: gr.Global<number>, seen!: gr.Number;
  const demo = new gr.Blocks(() => {
    total = new gr.Global(0);
    seen = new gr.Number();
    add = new gr.Button("add");
    add.click((t: number) => t + 1, total, total);
    put = new gr.Button("put");
    put.click(() => next.value, [], total);
    total.change((t: number) => t, total, seen);
  });
  const write = async (session: gr.Session, value: number) => {
    next.value = value;
    expect(await session.click(put)).toEqual({ status: "complete" }); // the store answers later
  };
  return { demo, add, write, total, seen };
}

const down = () => new gr.EventError("redisStore: Redis is down.", "store_unavailable");

test("a Global write the store rejects goes back to the value before it: observers, session.get and .change listeners see the restore", async () => {
  const { demo, add, total, seen } = totalApp();
  const { store, writes, answer } = scriptedStore();
  const app = demo.launch({ store });
  const alice = await app.connect();
  const bob = await app.connect();
  const values: number[] = [];
  app.value$(total).subscribe((v) => values.push(v));
  await alice.click(add);
  await alice.click(add);
  answer(0);
  expect(writes.map((w) => w.value)).toEqual([1, 2]);
  answer(1, down());
  expect(app.get(total)).toBe(1);
  expect(alice.get(total)).toBe(1);
  expect(values).toEqual([0, 1, 2, 1]);
  await Promise.all([alice.idle(), bob.idle(), flush()]);
  expect([alice.get(seen), bob.get(seen)]).toEqual([1, 1]); // the restore is a change (S56)
  await app.close();
});

test("each failed write undoes its own: a later write still standing stays, a failed later one goes back past the earlier failed ones, a value from the store ends the undo", async () => {
  const { demo, write, total } = totalApp();
  const { store, answer } = scriptedStore();
  const app = demo.launch({ store });
  const alice = await app.connect();
  for (const value of [10, 20, 30]) await write(alice, value);
  answer(1, down()); // 30 replaced it: stays
  expect(app.get(total)).toBe(30);
  answer(2, down()); // back past 20 (failed) to 10 (not answered yet)
  expect(app.get(total)).toBe(10);
  answer(0, down());
  expect(app.get(total)).toBe(0);

  for (const value of [40, 50]) await write(alice, value);
  answer(4); // acknowledged: nothing before it goes back
  answer(3, down());
  expect(app.get(total)).toBe(50);
  expect(app._globals.unacked.size).toBe(0); // answered writes are not kept

  await write(alice, 60);
  app._applyGlobal(total, 70); // another process's value, read from the store
  answer(5, down());
  expect(app.get(total)).toBe(70);
  await write(alice, 80);
  answer(6, down());
  expect(app.get(total)).toBe(70);
  expect(app._globals.unacked.size).toBe(0);
  await app.close();
});

/**
 * What a long-running app lets go of: structures that grew per run, per render or per session
 * while the app held nothing that needed them. Each test fails on the structure that grew.
 */
import { getEventListeners } from "node:events";
import * as v8 from "node:v8";
import * as vm from "node:vm";
import * as gr from "blockstate";
import { ManualClock } from "blockstate/testing";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** Collects garbage after the current job (a WeakRef deref'd in it stays until it ends). */
async function collect(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  gc();
}

test("a RunHandle kept after its run ended keeps no session: a server's unread call result held every removed session", async () => {
  const clock = new ManualClock();
  const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => {
    const big = new gr.State(() => new Array(1000).fill("x"));
    const out = new gr.Textbox();
    new gr.Button().click((b: string[]) => String(b.length), big, out, { apiName: "f" });
  });
  const app = demo.launch({ clock });
  const handles: gr.RunHandle[] = [];
  const sessions: WeakRef<gr.Session>[] = [];
  for (let i = 0; i < 20; i++) {
    const s = await app.connect();
    const handle = s.run(demo.dependencies[0], []);
    await handle.done;
    handles.push(handle);
    sessions.push(new WeakRef(s));
    await s.close();
  }
  await clock.advance(5000); // past retention: removed
  expect(app.sessionCount).toBe(0);
  await collect();
  // At most the last: the engine keeps its last async context as a shape anchor (core/async-context.ts).
  expect(sessions.slice(0, -1).filter((r) => r.deref() !== undefined)).toHaveLength(0);
  expect(handles.every((h) => h.stage === "done")).toBe(true);
  await app.close();
});

test("session.run({ signal }) takes its abort listener off a long-lived signal when the run ends", async () => {
  const demo = new gr.Blocks(() => {
    new gr.Button().click(() => undefined, undefined, undefined, { apiName: "f" });
  });
  const app = demo.launch();
  const s = await app.connect();
  const controller = new AbortController();
  for (let i = 0; i < 50; i++) await s.run(demo.dependencies[0], [], { signal: controller.signal }).done;
  expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  await app.close();
});

test("a concurrency group that always has a backlog keeps its waiting array bounded", async () => {
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    btn = new gr.Button();
    btn.click(async () => undefined, undefined, undefined, { concurrencyLimit: 1, triggerMode: "multiple" });
  });
  const app = demo.launch();
  const s = await app.connect();
  const group = app._groupOf(demo.dependencies[0])!;
  let longest = 0;
  // Four in flight at all times: three wait while one runs.
  const lanes = Array.from({ length: 4 }, async () => {
    for (let i = 0; i < 2500; i++) {
      await s.click(btn);
      longest = Math.max(longest, (group as unknown as { waiting: unknown[] }).waiting.length);
    }
  });
  await Promise.all(lanes);
  expect(longest).toBeLessThan(4096);
  await app.close();
});

test("session.value$(global) completes when the app removes the session, and leaves the app's stream", async () => {
  const clock = new ManualClock();
  let total!: gr.Global<number>;
  let add!: gr.Button;
  const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => {
    total = new gr.Global(0);
    add = new gr.Button();
    add.click((t: number) => t + 1, total, total);
  });
  const app = demo.launch({ clock });
  const seen: number[] = [];
  let completed = 0;
  const s = await app.connect();
  s.value$(total).subscribe({ next: (v) => seen.push(v), complete: () => completed++ });
  await s.click(add);
  await s.close();
  await clock.advance(5000);
  expect(app.sessionCount).toBe(0);
  expect([seen, completed]).toEqual([[0, 1], 1]);
  // The app's own stream has no subscriber left: a later change reaches no one.
  const other = await app.connect();
  await other.click(add);
  expect(seen).toEqual([0, 1]);
  await app.close();
});

test("groups of a concurrencyId a render makes per run go with the runs' listeners", async () => {
  let n!: gr.Number;
  const demo = new gr.Blocks(() => {
    n = new gr.Number({ value: 0 });
    gr.render([n], (v: number | null) => {
      new gr.Button(`B${v}`).click(() => undefined, undefined, undefined, { concurrencyId: `run-${v}` });
    });
  });
  const app = demo.launch();
  const s = await app.connect();
  for (let i = 1; i <= 600; i++) {
    await s.input(n, i);
    if (i % 100 === 0) await collect();
  }
  expect(app._renderedGroups.size).toBeLessThan(300);
  await app.close();
});

test("ManualClock lets cleared timers (and what their callbacks hold) go before they come due", () => {
  const clock = new ManualClock();
  clock.setTimeout(() => undefined, 10); // an earlier live timer keeps the later ones from surfacing
  for (let i = 0; i < 10_000; i++) clock.clearTimeout(clock.setTimeout(() => undefined, 1_000_000));
  expect(clock.pending).toBe(1);
  expect((clock as unknown as { heap: unknown[] }).heap.length).toBeLessThan(200);
});

test("the order an open session's eviction sorted keeps no session the app removed since", async () => {
  const clock = new ManualClock();
  const demo = new gr.Blocks({ deleteCache: [1, 1] }, () => {
    new gr.State(() => new Array(1000).fill("x"));
  });
  const app = demo.launch({ clock, sessionCapacity: 10 });
  const first: WeakRef<gr.Session>[] = [];
  for (let i = 0; i < 10; i++) first.push(new WeakRef(await app.connect()));
  await app.connect(); // all open: the least recently used goes, from an order of all ten (S14)
  for (const ref of first) await ref.deref()?.close();
  await clock.advance(5000); // past retention: the closed ones are removed
  expect(app.sessionCount).toBe(1);
  await collect();
  // At most one: the engine keeps its last async context and its last Immediate as shape
  // anchors (core/async-context.ts, runtime/queue.ts), and on Node 24 these hold the context
  // of whichever session made them. The order itself held all ten.
  expect(first.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
  await app.close();
});

test("a closed session evicted to make room (S14) is not kept by an eviction order sorted before", async () => {
  const clock = new ManualClock();
  const demo = new gr.Blocks(() => {
    new gr.State(() => new Array(1000).fill("x"));
  });
  const app = demo.launch({ clock, sessionCapacity: 10 });
  const first: WeakRef<gr.Session>[] = [];
  for (let i = 0; i < 10; i++) first.push(new WeakRef(await app.connect()));
  await app.connect(); // all open: the least recently used goes, sorting an order of all ten
  // The other nine close; new users then evict them, closed longest ago first (S14).
  for (const ref of first) await ref.deref()?.close();
  for (let i = 0; i < 9; i++) await app.connect();
  expect(app.sessionCount).toBe(10);
  await collect();
  // At most one (see the test above); the order sorted at the first eviction held the nine.
  expect(first.filter((r) => r.deref() !== undefined).length).toBeLessThanOrEqual(1);
  await app.close();
});

test("a gr.render region's replaced runs are let go once released, also when keys carry blocks from run to run (S111)", async () => {
  let n!: gr.Number;
  const demo = new gr.Blocks(() => {
    n = new gr.Number({ value: 0, label: "N" });
    gr.render([n], (v: number | null) => {
      new gr.Textbox({ label: `Box ${v}`, key: "box" });
      new gr.Button({ value: "Go", key: "go" }).click(() => undefined, undefined, undefined, { key: "go" });
      new gr.Textbox({ label: `Plain ${v}` });
    });
  });
  const s = await demo.launch().connect();
  const replaced: WeakRef<object>[] = [];
  for (let i = 1; i <= 30; i++) {
    if (i <= 10) replaced.push(new WeakRef(s.find(`Plain ${i - 1}`)!));
    await s.input(n, i);
  }
  await collect();
  // Each run knew the previous run's keyed blocks while it was made: kept, that chained every run.
  expect(replaced.filter((r) => r.deref() !== undefined)).toEqual([]);
});

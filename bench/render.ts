/**
 * Dynamic rendering (issue 14, S110-S112).
 *
 * - `render.rerender_100_ms`: ms per re-render of a `gr.render` region of 100 keyed Textboxes
 *   and one listener, in one session, triggered by a button (`await session.click(...)`, the
 *   whole event); baseline: plain JS building 100 objects, a key map carrying values over from
 *   the previous build, and replacing the previous one. Target < 5 ms.
 * - `render.heap_ratio`: the heap a session holds after 1,000 re-renders divided by what it
 *   holds after the first (16 sessions, forced GC, each measured from before its connect,
 *   after a warm-up so that optimised code is not counted); baseline: the same for the
 *   plain-JS builds. Target ≤ 1.05 (within 5%).
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";
import { entry, heapAfterGc, median, timePair, type BenchEntry } from "./util";

const N = 100;

function renderApp() {
  let again!: gr.Button;
  const demo = new gr.Blocks(() => {
    again = new gr.Button("Again");
    const out = new gr.Textbox({ label: "Out" });
    gr.render(
      null,
      () => {
        const boxes: gr.Textbox[] = [];
        for (let i = 0; i < N; i++) boxes.push(new gr.Textbox({ label: `Box ${i}`, key: i }));
        again.click((...args: unknown[]) => args.length, boxes, out, { triggerMode: "multiple" });
      },
      { triggers: [again.click] },
    );
  });
  return { demo, again: () => again };
}

/** What a plain-JS app keeps per session for the same region. */
interface PlainBox {
  key: number;
  label: string;
  value: string;
}
function plainRender(previous: Map<number, PlainBox> | undefined): Map<number, PlainBox> {
  const next = new Map<number, PlainBox>();
  for (let i = 0; i < N; i++) {
    const box: PlainBox = { key: i, label: `Box ${i}`, value: "" };
    const old = previous?.get(i);
    if (old && old.value !== "") box.value = old.value;
    next.set(i, box);
  }
  return next;
}

const ROUND = 50;
const SESSIONS = 16;
const RERENDERS = 1000;

export async function benchRender(): Promise<BenchEntry[]> {
  const { demo, again } = renderApp();
  const app = demo.launch();
  const session = await app.connect();
  await session.click(again());
  let plain: Map<number, PlainBox> | undefined;
  const [engineMs, plainMs] = await timePair(
    async () => {
      for (let i = 0; i < ROUND; i++) await session.click(again());
    },
    async () => {
      for (let i = 0; i < ROUND; i++) plain = await Promise.resolve(plainRender(plain));
    },
    ROUND,
    { warmup: 3, reps: 9 },
  );
  await app.close();

  // Heap held by sessions after their first render and after 1,000 more, from before connect.
  const held = async (rerender: (k: number) => Promise<void>, first: () => Promise<void>) => {
    const before = heapAfterGc();
    await first();
    const afterFirst = heapAfterGc() - before;
    for (let r = 0; r < RERENDERS; r++) await rerender(r);
    const afterMany = heapAfterGc() - before;
    return afterMany / afterFirst;
  };
  // Warm up first, so that code the optimiser compiles during the 1,000 re-renders (it lives in
  // the heap too) is not counted as memory the sessions hold.
  const warm = demo.launch();
  const warmSessions = await Promise.all(Array.from({ length: 4 }, () => warm.connect()));
  for (let r = 0; r < RERENDERS; r++) for (const s of warmSessions) await s.click(again());
  await warm.close();
  const engineRatios: number[] = [];
  const plainRatios: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    const box: { app?: gr.App; sessions: gr.Session[] } = { sessions: [] };
    engineRatios.push(
      await held(
        async () => {
          for (const s of box.sessions) await s.click(again());
        },
        async () => {
          box.app = demo.launch();
          for (let i = 0; i < SESSIONS; i++) box.sessions.push(await box.app.connect());
          for (const s of box.sessions) await s.click(again());
        },
      ),
    );
    await box.app!.close();
    box.sessions = [];
    const plains: { maps: (Map<number, PlainBox> | undefined)[] } = { maps: [] };
    plainRatios.push(
      await held(
        async () => {
          plains.maps = plains.maps.map((m) => plainRender(m));
        },
        async () => {
          plains.maps = Array.from({ length: SESSIONS }, () => plainRender(undefined));
        },
      ),
    );
  }
  return [
    entry("render.rerender_100_ms", engineMs, "ms per re-render of 100 components", plainMs, { on: "value", op: "<", limit: 5 }),
    entry("render.heap_ratio", median(engineRatios), "held after 1,000 re-renders / after the first", median(plainRatios), { on: "value", op: "<=", limit: 1.05 }),
  ];
}

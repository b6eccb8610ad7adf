/**
 * The work `npm run bench:ab` times (see `bench/ab.ts`), written against an engine passed in,
 * so that one process can drive two copies of the engine (two git revisions) with the same code.
 * Each figure is the engine's side of a `bench/floor.ts` or `bench/queue.ts` figure.
 *
 * @packageDocumentation
 */
import type * as Engine from "../src/index";
import { buildCounterApp, buildGlobalCounterApp } from "./engine-apps";

/** One figure: `setup` builds its app and sessions once and returns a round, which answers ns per operation. */
export interface AbFigure {
  readonly name: string;
  readonly unit: string;
  setup(gr: typeof Engine): Promise<() => Promise<number>>;
}

const SESSIONS = 1_000;

async function connectAll(app: Engine.App, n: number): Promise<Engine.Session[]> {
  const sessions: Engine.Session[] = [];
  for (let i = 0; i < n; i++) sessions.push(await app.connect());
  return sessions;
}

function nsPerOp(start: bigint, ops: number): number {
  return Number(process.hrtime.bigint() - start) / ops;
}

export const AB_FIGURES: readonly AbFigure[] = [
  {
    // floor.event_ratio's round-robin half: click → State → .change → Number.
    name: "event",
    unit: "ns per click, 1,000 sessions round-robin",
    async setup(gr) {
      const { demo, btn } = buildCounterApp(gr);
      const sessions = await connectAll(demo.launch(), SESSIONS);
      const clicks = 2_000;
      return async () => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < clicks; i++) await sessions[i % SESSIONS].click(btn);
        return nsPerOp(start, clicks);
      };
    },
  },
  {
    // floor.global_fanout_ratio: a Global change reaching 1,000 sessions' .change listeners.
    name: "fanout",
    unit: "ns per session reached (20 changes of a Global watched in 1,000 sessions)",
    async setup(gr) {
      const { demo, btn } = buildGlobalCounterApp(gr);
      const sessions = await connectAll(demo.launch(), SESSIONS);
      const clicks = 20;
      return async () => {
        const start = process.hrtime.bigint();
        for (let i = 0; i < clicks; i++) await sessions[0].click(btn);
        return nsPerOp(start, clicks * SESSIONS);
      };
    },
  },
  {
    // queue.overhead_vs_minimal's engine side: 100 sessions click at once through a limit-1 group.
    name: "queue",
    unit: "ns per queued event (100 sessions × 40 waves, limit-1 group)",
    async setup(gr) {
      let btn!: Engine.Button;
      let calls = 0;
      const demo = new gr.Blocks(() => {
        btn = new gr.Button("Run");
        btn.click(async () => void calls++, undefined, undefined, { concurrencyLimit: 1 });
      });
      const sessions = await connectAll(demo.launch(), 100);
      const waves = 40;
      return async () => {
        const before = calls;
        const start = process.hrtime.bigint();
        for (let w = 0; w < waves; w++) await Promise.all(sessions.map((s) => s.click(btn)));
        const ns = nsPerOp(start, waves * sessions.length);
        if (calls - before !== waves * sessions.length) throw new Error("the queue lost runs");
        return ns;
      };
    },
  },
];

/**
 * Timers (issue 3, S80): 10,000 open sessions, each with a 1-second `gr.Timer` whose `tick`
 * listener does trivial work (increments a counter).
 *
 * - `timers.tick10k_ms`: ms to process one clock second of ticks, `await clock.advance(1000)`
 *   on a `ManualClock` (10,000 tick events, each settled). Baseline: 10,000 plain callbacks
 *   that re-arm themselves every second on a `ManualClock` of their own, advanced the same way
 *   (so both pay the ManualClock's per-timer macrotask turn). Target < 100 ms.
 *
 * @packageDocumentation
 */
import * as gr from "../src/index";
import { ManualClock } from "../src/testing/index";
import { entry, gc, median, msSince, now, settle, type BenchEntry } from "./util";

const SESSIONS = 10_000;

export async function benchTimers(): Promise<BenchEntry[]> {
  let ticks = 0;
  const demo = new gr.Blocks(() => {
    const timer = new gr.Timer(1);
    timer.tick(() => {
      ticks++;
    });
  });
  const clock = new ManualClock();
  const app = demo.launch({ clock, sessionCapacity: SESSIONS });
  for (let i = 0; i < SESSIONS; i++) await app.connect();

  let plainTicks = 0;
  const plainClock = new ManualClock();
  const arm = () => {
    plainClock.setTimeout(() => {
      plainTicks++;
      arm();
    }, 1000);
  };
  for (let i = 0; i < SESSIONS; i++) arm();

  const engineSecond = async (): Promise<number> => {
    const before = ticks;
    await settle();
    const start = now();
    await clock.advance(1000);
    const ms = msSince(start);
    if (ticks - before !== SESSIONS) throw new Error(`expected ${SESSIONS} ticks in one second, got ${ticks - before}`);
    return ms;
  };
  const plainSecond = async (): Promise<number> => {
    const before = plainTicks;
    await settle();
    const start = now();
    await plainClock.advance(1000);
    const ms = msSince(start);
    if (plainTicks - before !== SESSIONS) throw new Error("baseline missed ticks");
    return ms;
  };

  for (let i = 0; i < 2; i++) {
    await engineSecond();
    await plainSecond();
  }
  const engine: number[] = [];
  const plain: number[] = [];
  for (let r = 0; r < 5; r++) {
    gc();
    engine.push(await engineSecond());
    gc();
    plain.push(await plainSecond());
  }
  await app.close();
  return [entry("timers.tick10k_ms", median(engine), "ms per clock second (10,000 ticks)", median(plain), { on: "value", op: "<", limit: 100 })];
}

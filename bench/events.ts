/**
 * Events (issue 2): settled click events per second on the counter app (click → State →
 * `.change` → Number), each click's promise awaited before the next.
 *
 * Baseline: the same work as plain JS functions (the click handler, a change check, the change
 * handler writing the number) with one awaited promise per event. Target ≥ 100,000 events/s.
 *
 * @packageDocumentation
 */
import { counterApp } from "./apps";
import { entry, timePair, type BenchEntry } from "./util";

const CLICKS = 20_000;

export async function benchEvents(): Promise<BenchEntry[]> {
  const { demo, btn, count, num } = counterApp();
  const app = demo.launch();
  const session = await app.connect();

  const engineRound = async () => {
    const start = session.get(count);
    for (let i = 0; i < CLICKS; i++) await session.click(btn);
    if (session.get(count) !== start + CLICKS || session.get(num) !== start + CLICKS) {
      throw new Error("counter app missed clicks");
    }
  };

  // The same work in plain JS: per event, run the click handler, detect the change, run the
  // change handler into the number; the event is one awaited promise.
  const state = { count: 0, num: 0 as number | null };
  const onClick = (c: number) => c + 1;
  const onChange = (c: number) => c;
  const plainClick = async (): Promise<{ status: string }> => {
    const previous = state.count;
    state.count = onClick(state.count);
    if (!Object.is(previous, state.count)) state.num = onChange(state.count);
    return { status: "complete" };
  };
  const plainRound = async () => {
    const start = state.count;
    for (let i = 0; i < CLICKS; i++) await plainClick();
    if (state.count !== start + CLICKS || state.num !== start + CLICKS) throw new Error("baseline missed clicks");
  };

  const [engineMs, plainMs] = await timePair(engineRound, plainRound, CLICKS, { warmup: 2, reps: 7 });
  await app.close();
  return [entry("events.click_per_s", 1000 / engineMs, "settled clicks/s", 1000 / plainMs, { on: "value", op: ">=", limit: 100_000 })];
}

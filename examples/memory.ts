/**
 * Seed 004, "State limitations › Memory considerations": a large State default.
 *
 * ```python
 * # Careful! Large state uses server memory
 * with gr.Blocks() as demo:
 *     # This could use a lot of memory with many users
 *     large_data = gr.State(value=[0] * 1000000)
 * ```
 *
 * Same shape, smaller (10,000 by default). To make visible *which* sessions pay for a copy, this
 * port adds a button that reads the data and a `deleteCallback` that reports each session's copy
 * when it is freed: a session gets its copy at its first read (S2), so sessions that never read
 * the State cost nothing for it, and a closed session's copy is freed after the retention time
 * (`deleteCache`, S20).
 */
import * as gr from "blockstate";
import { ManualClock, type Transcript } from "blockstate/testing";

export const LARGE_SIZE = 10_000;

export function create({ size = LARGE_SIZE, onFree }: { size?: number; onFree?: (data: number[]) => void } = {}) {
  let largeData!: gr.State<number[]>;
  let items!: gr.Number;
  let countBtn!: gr.Button;
  const demo = new gr.Blocks({ deleteCache: [60, 3600] }, () => {
    // This could use a lot of memory with many users
    largeData = new gr.State(new Array<number>(size).fill(0), { deleteCallback: onFree });

    // Not in the original: a listener that reads the data.
    items = new gr.Number({ label: "Items" });
    countBtn = new gr.Button("Count items");
    countBtn.click((data) => data.length, largeData, items);
  });
  return { demo, largeData, items, countBtn };
}

export async function scenario(t: Transcript): Promise<void> {
  const freed: number[][] = [];
  const { demo, items, countBtn } = create({ onFree: (data) => freed.push(data) });
  const clock = new ManualClock();
  const app = t.launch(demo, { clock });
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  const carol = await t.user("carol");

  await alice.click(countBtn);
  await carol.click(countBtn);
  t.expectEqual([alice.get(items), carol.get(items)], [LARGE_SIZE, LARGE_SIZE], "alice and carol read the data");
  t.note("bob never reads it");

  await alice.close();
  await bob.close();
  await carol.close();
  await clock.advance(61 * 60_000);
  t.note("(61 minutes after everyone closed)");
  t.expectEqual(freed.length, 2, "two copies were freed: alice's and carol's; bob never had one");
  t.check(freed.length === 2 && freed[0] !== freed[1], "each reading session had its own copy");
  t.expectEqual(app.sessionCount, 0, "all sessions are gone from the app");
}

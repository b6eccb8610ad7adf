/**
 * Seed 004, "State limitations › Not persistent across refreshes".
 *
 * ```python
 * # This counter resets to 0 when user refreshes the page
 * with gr.Blocks() as demo:
 *     counter = gr.State(value=0)
 *     # User increments to 10, refreshes page → back to 0
 * ```
 *
 * The original only declares the State; this port adds the Increment button and Count display
 * its comment implies.
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  let counter!: gr.State<number>;
  let count!: gr.Number;
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    counter = new gr.State(0);
    // Not in the original: a way to increment it.
    count = new gr.Number({ label: "Count" });
    btn = new gr.Button("Increment");
    btn.click((c) => [c + 1, c + 1], counter, [counter, count]);
  });
  return { demo, counter, count, btn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, counter, count, btn } = create();
  t.launch(demo);
  t.name(counter, "counter");
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.click(btn, 10);
  await bob.click(btn, 2);
  t.expectEqual(alice.get(counter), 10, "alice incremented to 10");
  await alice.reload();
  t.expectEqual([alice.sees(counter), alice.get(count)], [0, null], "after the refresh alice is back to 0");
  t.expectEqual(bob.get(counter), 2, "bob did not refresh: his counter stays");
}

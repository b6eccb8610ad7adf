/**
 * Seed 004, "State vs component values › When to use State": an invisible counter in State,
 * mirrored into a visible Number.
 *
 * ```python
 * # Good use of State: internal counter
 * with gr.Blocks() as demo:
 *     counter = gr.State(value=0)  # Not visible
 *     display = gr.Number(label="Count")  # Visible
 *     btn = gr.Button("Increment")
 *
 *     btn.click(
 *         lambda c: (c + 1, c + 1),
 *         counter,
 *         [counter, display]
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  let counter!: gr.State<number>;
  let display!: gr.Number;
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    counter = new gr.State(0); // Not visible
    display = new gr.Number({ label: "Count" }); // Visible
    btn = new gr.Button("Increment");

    btn.click((c) => [c + 1, c + 1], counter, [counter, display]);
  });
  return { demo, counter, display, btn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, counter, display, btn } = create();
  t.launch(demo);
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.click(btn, 3);
  await bob.click(btn);
  t.expectEqual([alice.get(counter), alice.get(display)], [3, 3], "alice's counter and display");
  t.expectEqual([bob.get(counter), bob.get(display)], [1, 1], "bob's counter and display");
  t.check(!demo.layout.some((node) => node.block === counter), "the State is not part of the visible layout");
}

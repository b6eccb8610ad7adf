/**
 * Seed 004, "The State component": a counter in `gr.State`, shown in a Textbox.
 *
 * ```python
 * def increment(count):
 *     count = count + 1
 *     return count, f"Count: {count}"
 *
 * with gr.Blocks() as demo:
 *     state = gr.State(value=0)  # Initialize state to 0
 *     output = gr.Textbox(label="Current Count")
 *     button = gr.Button("Increment")
 *
 *     button.click(
 *         fn=increment,
 *         inputs=state,  # State is an input
 *         outputs=[state, output]  # State is also an output
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  function increment(count: number) {
    count = count + 1;
    return [count, `Count: ${count}`];
  }

  let state!: gr.State<number>;
  let output!: gr.Textbox;
  let button!: gr.Button;
  const demo = new gr.Blocks(() => {
    state = new gr.State(0); // Initialize state to 0
    output = new gr.Textbox({ label: "Current Count" });
    button = new gr.Button("Increment");

    button.click({
      fn: increment,
      inputs: state, // State is an input
      outputs: [state, output], // State is also an output
    });
  });
  return { demo, state, output, button };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, state, output, button } = create();
  t.launch(demo);
  t.name(state, "state");
  const alice = await t.user("alice");
  const bob = await t.user("bob");
  await alice.click(button);
  await alice.click(button);
  await bob.click(button);
  t.expectEqual([alice.get(state), alice.get(output)], [2, "Count: 2"], "alice's count");
  t.expectEqual([bob.get(state), bob.get(output)], [1, "Count: 1"], "bob's count is his own");
}

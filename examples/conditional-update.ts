/**
 * Seed 004, "Advanced patterns › Conditional state updates".
 *
 * ```python
 * def conditional_update(value, threshold, state):
 *     if value > threshold:
 *         state.append(value)
 *         return state, f"Added {value} to state"
 *     return state, f"Value {value} too low"
 *
 * with gr.Blocks() as demo:
 *     state = gr.State(value=[])
 *     value_input = gr.Number(label="Value")
 *     threshold = gr.Number(label="Threshold", value=10)
 *     status = gr.Textbox(label="Status")
 *     btn = gr.Button("Check and Add")
 *
 *     btn.click(
 *         conditional_update,
 *         [value_input, threshold, state],
 *         [state, status]
 *     )
 * ```
 */
import * as gr from "blockstate";
import type { Transcript } from "blockstate/testing";

export function create() {
  function conditionalUpdate(value: number | null, threshold: number | null, state: number[]) {
    // Python raises TypeError comparing None; an empty box is simply "too low" here.
    if (value !== null && threshold !== null && value > threshold) {
      state.push(value);
      return [state, `Added ${value} to state`];
    }
    return [state, `Value ${value} too low`];
  }

  let state!: gr.State<number[]>;
  let valueInput!: gr.Number;
  let threshold!: gr.Number;
  let status!: gr.Textbox;
  let btn!: gr.Button;
  const demo = new gr.Blocks(() => {
    state = new gr.State<number[]>([]);
    valueInput = new gr.Number({ label: "Value" });
    threshold = new gr.Number({ label: "Threshold", value: 10 });
    status = new gr.Textbox({ label: "Status" });
    btn = new gr.Button("Check and Add");

    btn.click(conditionalUpdate, [valueInput, threshold, state], [state, status]);
  });
  return { demo, state, valueInput, threshold, status, btn };
}

export async function scenario(t: Transcript): Promise<void> {
  const { demo, state, valueInput, threshold, status, btn } = create();
  t.launch(demo);
  t.name(state, "state");
  const alice = await t.user("alice");
  const bob = await t.user("bob");

  await alice.input(valueInput, 5);
  await alice.click(btn);
  t.expectEqual(alice.get(status), "Value 5 too low", "5 is not above 10");
  await alice.input(valueInput, 15);
  await alice.click(btn);
  await bob.input(threshold, 3);
  await bob.input(valueInput, 5);
  await bob.click(btn);
  t.expectEqual(alice.sees(state), [15], "alice's state");
  t.expectEqual(bob.sees(state), [5], "bob's state (his own threshold, 3)");
  t.expectEqual(alice.get(threshold), 10, "alice's Threshold is still 10");
}
